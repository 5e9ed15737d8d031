"""Write graph/README.md's record field tables from the schemas (src/metrokg/records/schema.py).

    python scripts/record_tables.py          # rewrite the generated block in place
    python scripts/record_tables.py --check  # exit 1 if the README is out of step
"""

from __future__ import annotations

import sys
from pathlib import Path

from metrokg.records.schema import markdown

README = Path(__file__).resolve().parents[1] / "graph" / "README.md"
START, END = "<!-- generated from src/metrokg/records/schema.py", "<!-- end of generated tables -->"


def render(text: str) -> str:
    """*text* with its generated block replaced by the current tables."""
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    return head + markdown().removesuffix("\n") + tail


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    new = render(text)
    if "--check" in argv:
        return 0 if new == text else 1
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
