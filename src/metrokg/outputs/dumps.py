"""Deterministic dumps written by pyoxigraph's serialisers from sorted quads.

The same store content always gives the same bytes: named graphs in IRI order, and in
each graph the quads sorted by their N-Quads text (subject, predicate, object). The
sorted list is made once per build and feeds every dump.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["prefixes", "sorted_quads", "sorted_triples", "write", "write_rdflib_turtle"]


def prefixes(base: str) -> dict[str, str]:
    """The metrokg prefixes plus ``id:`` and ``graph:`` under *base*."""
    return {**PREFIXES, "id": base + "id/", "graph": base + "graph/"}


def _quad_key(q: ox.Quad) -> tuple[str, str]:
    return (q.graph_name.value, str(q))  # type: ignore[union-attr]  # named graphs only


def sorted_quads(store: ox.Store) -> list[ox.Quad]:
    """Every quad of the named graphs, graph by graph in IRI order, then by subject,
    predicate and object (as N-Quads text)."""
    return sorted(store.quads_for_pattern(None, None, None, None), key=_quad_key)


def sorted_triples(quads: Iterable[ox.Quad], *,
                   exclude: Iterable[ox.NamedNode] = ()) -> list[ox.Triple]:
    """The union of the graphs of *quads* (but *exclude*) as distinct triples, sorted."""
    skip = set(exclude)
    triples = {q.triple for q in quads if q.graph_name not in skip}
    return sorted(triples, key=str)


def write(items: Iterable[ox.Quad] | Iterable[ox.Triple], path: Path, fmt: ox.RdfFormat, *,
          base: str) -> None:
    """Serialise *items* (already sorted) to *path* in *fmt* with the metrokg prefixes."""
    with_prefixes = fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    ox.serialize(items, output=str(path), format=fmt,
                 prefixes=prefixes(base) if with_prefixes else None)


def write_rdflib_turtle(graph: Graph, path: Path, *, base: str) -> None:
    """Turtle of a small rdflib graph (the validation report) with the metrokg prefixes."""
    from rdflib import Graph as RdfGraph

    from ..namespaces import bind_prefixes

    out = bind_prefixes(RdfGraph(), base)
    for triple in graph:
        out.add(triple)
    path.write_text(out.serialize(format="turtle"), encoding="utf-8")
