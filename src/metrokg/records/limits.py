"""The limits every record file is read under (stated in graph/README.md, "Limits").

They bound the memory and time one file can cost, whatever it contains; a file over a
limit is refused with a located message, never read halfway.
"""

from __future__ import annotations

__all__ = [
    "MAX_CELL_CHARS", "MAX_DEPTH", "MAX_FILE_BYTES", "MAX_ITEMS", "MAX_NODES", "MAX_PROBLEMS",
    "MAX_SCALAR_CHARS",
]

MAX_FILE_BYTES = 200 * 2**20
"""Largest record file, in bytes (200 MiB: about a million records)."""

MAX_NODES = 20_000_000
"""Most YAML values (scalars, lists, mappings) in one file."""

MAX_DEPTH = 8
"""Deepest nesting of lists and mappings in a YAML file (the file's own mapping is 1)."""

MAX_SCALAR_CHARS = 100_000
"""Longest single value a file may hold; each field has a tighter limit of its own."""

MAX_CELL_CHARS = 131_072
"""Longest CSV cell (the csv module's own limit)."""

MAX_ITEMS = 1_000
"""Most items in one field's list or language map."""

MAX_PROBLEMS = 100
"""Most problems listed in one run; the rest are counted."""
