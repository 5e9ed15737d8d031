"""Text that leaves metrokg for a spreadsheet or a terminal, made harmless there.

* :func:`neutralise_cell`: a CSV/TSV cell a spreadsheet would run as a formula gets a
  leading apostrophe (OWASP, "CSV Injection": cells starting with ``=``, ``+``, ``-``,
  ``@``, tab or carriage return). Plain numbers (``-5``, ``+1.5e3``) are left alone, so
  numeric columns stay numeric.
* :func:`printable`: control characters (C0 but tab and newline, DEL, C1 — ESC, BEL,
  CSI…) are shown as ``\\xNN`` escapes instead of reaching the terminal.
"""

from __future__ import annotations

import re

__all__ = ["neutralise_cell", "printable"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def neutralise_cell(text: str) -> str:
    """*text* as a spreadsheet cell that cannot run as a formula.

    >>> neutralise_cell('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> neutralise_cell("@SUM(A1)"), neutralise_cell("-5"), neutralise_cell("AMB")
    ("'@SUM(A1)", '-5', 'AMB')
    """
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def printable(text: str) -> str:
    """*text* with terminal control characters shown as escapes (tab and newline kept).

    >>> printable("AMB\\x1b[2J\\x07")
    'AMB\\\\x1b[2J\\\\x07'
    """
    return _CONTROLS.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
