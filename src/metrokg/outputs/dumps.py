"""Deterministic dumps written by pyoxigraph's serialisers from sorted quads.

The same store content always gives the same bytes: named graphs in IRI order, and in
each graph the quads sorted by their N-Quads text (subject, predicate, object). The build
sorts lines of text, not Python quads: Oxigraph dumps each graph as N-Triples, the lines
are sorted as bytes and written as N-Quads (:func:`write_nquads`); TriG is re-serialised
from that file and Turtle/JSON-LD from the distinct sorted lines of the data graphs, so
no dump holds the dataset as Python objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..namespaces import PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["prefixes", "sorted_quads", "sorted_triples", "triples_of", "write", "write_nquads",
           "write_rdflib_turtle", "write_trig"]


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


def write_nquads(store: ox.Store, path: Path, *,
                 exclude: Iterable[ox.NamedNode] = ()) -> list[bytes]:
    """Write every named graph of *store* to *path* as sorted N-Quads (the order of
    :func:`sorted_quads`, the bytes ``ox.serialize`` gives it); return the distinct
    N-Triples lines of the graphs but *exclude*, sorted (for :func:`triples_of`).

    A quad's N-Quads text is its N-Triples text with the graph before the final `` .``, so
    sorting one graph's N-Triples lines sorts its quads as :func:`sorted_quads` does.
    """
    skip = set(exclude)
    data: set[bytes] = set()
    with open(path, "wb") as out:
        for graph in sorted(store.named_graphs(), key=lambda g: g.value):
            text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
            lines = text.split(b"\n")
            lines.pop()  # after the last newline
            lines.sort()
            tail = b" <" + graph.value.encode() + b"> .\n"
            out.write(b"".join([line[:-2] + tail for line in lines]))
            if graph not in skip:
                data.update(lines)
    return sorted(data)


def triples_of(lines: list[bytes]) -> Iterator[ox.Triple]:
    """The triples of sorted N-Triples *lines*, in their order."""
    return (q.triple for q in ox.parse(b"\n".join(lines) + b"\n",
                                       format=ox.RdfFormat.N_TRIPLES))


def write_trig(nquads: Path, path: Path, *, base: str) -> None:
    """TriG of the sorted N-Quads file *nquads*, in its order (streamed)."""
    write(ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS), path, ox.RdfFormat.TRIG,
          base=base)


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
