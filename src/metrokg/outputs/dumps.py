"""Deterministic dumps written by pyoxigraph's serialisers from sorted quads.

The same store content always gives the same bytes: named graphs in IRI order, and in
each graph the quads sorted by subject, predicate and object. The quads are streamed one
graph at a time, so a dump never holds a second copy of the dataset in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


def _key(t: ox.Quad | ox.Triple) -> tuple[str, str, str]:
    return (str(t.subject), t.predicate.value, str(t.object))


def sorted_quads(store: ox.Store, *, exclude: Iterable[ox.NamedNode] = ()) -> Iterator[ox.Quad]:
    """Every quad of the named graphs (but *exclude*), graph by graph in IRI order."""
    skip = set(exclude)
    graphs = sorted((g for g in store.named_graphs() if g not in skip),
                    key=lambda g: g.value)  # type: ignore[union-attr]
    for graph in graphs:
        yield from sorted(store.quads_for_pattern(None, None, None, graph), key=_key)


def sorted_triples(store: ox.Store, *, exclude: Iterable[ox.NamedNode] = ()) -> list[ox.Triple]:
    """The union of the named graphs (but *exclude*) as distinct triples, sorted."""
    triples = {q.triple for q in sorted_quads(store, exclude=exclude)}
    return sorted(triples, key=_key)


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
