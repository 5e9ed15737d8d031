"""Compare two N-Quads dumps as facts: same quads once both are loaded into Oxigraph.

    python scripts/compare_dumps.py OLD.nq NEW.nq [--map OLD_DATATYPE=NEW_DATATYPE ...]

Loading into Oxigraph puts literals in canonical form (``"5.0"^^xsd:decimal`` and
``"5"^^xsd:decimal`` are one value), so this compares the facts, not the spelling. A
``--map`` names an intended datatype change (e.g. xsd:nonNegativeInteger=xsd:integer).
Prints the counts and up to 10 differing quads each way; exit 0 when identical.
"""

from __future__ import annotations

import argparse
import sys

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"


def _load(path: str, mapping: dict[str, str]) -> set[str]:
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    out: set[str] = set()
    for q in store:
        o = q.object
        if isinstance(o, ox.Literal) and o.datatype.value in mapping:
            o = ox.Literal(o.value, datatype=ox.NamedNode(mapping[o.datatype.value]))
            q = ox.Quad(q.subject, q.predicate, o, q.graph_name)
        out.add(str(q))
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--map", action="append", default=[], metavar="OLD=NEW")
    args = p.parse_args()
    mapping = {}
    for item in args.map:
        old, new = (XSD + x.removeprefix("xsd:") for x in item.split("=", 1))
        mapping[old] = new
    a, b = _load(args.old, mapping), _load(args.new, {})
    print(f"old {len(a)} quads, new {len(b)} quads, only old {len(a - b)}, only new {len(b - a)}")
    for line in sorted(a - b)[:10]:
        print("- " + line)
    for line in sorted(b - a)[:10]:
        print("+ " + line)
    return 0 if a == b else 1


if __name__ == "__main__":
    sys.exit(main())
