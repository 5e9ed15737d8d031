"""The shapes' view of a store: its data graphs as N-Triples or as one rdflib graph.

Terms cross with :mod:`metrokg.rdflib_bridge` (plain literals stay plain, rdflib #2123).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ..rdflib_bridge import from_rdflib, to_rdflib

__all__ = ["data_graphs", "from_rdflib", "ntriples", "to_rdflib", "union_graph", "write_ntriples",
           "write_predicate"]

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def data_graphs(store: ox.Store, provenance: str | None
                ) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
    """Every graph of *store* (the default graph too) except the provenance graph."""
    names = sorted((g for g in store.named_graphs() if g.value != provenance),
                   key=lambda g: g.value)
    return [ox.DefaultGraph(), *names]


def ntriples(store: ox.Store, graphs: Iterable[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
             ) -> bytes:
    """The triples of *graphs* as N-Triples (a triple in two graphs appears twice)."""
    return b"".join(store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) or b""
                    for g in graphs)


def write_ntriples(store: ox.Store,
                   graphs: Iterable[ox.NamedNode | ox.BlankNode | ox.DefaultGraph],
                   path: Path) -> None:
    """Write the triples of *graphs* to the N-Triples file *path*, streamed from the store.

    The file starts with a comment line, so it is never empty (pyrudof refuses an empty
    input, and no data is valid data).
    """
    with open(path, "wb") as out:
        out.write(b"# metrokg data\n")
        for graph in graphs:
            store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)


def write_predicate(store: ox.Store, predicate: ox.NamedNode, skip: ox.NamedNode | None,
                    path: Path) -> int:
    """Write every triple with *predicate* in any graph but *skip* to *path*; their count."""
    count = 0

    def triples() -> Iterator[ox.Triple]:
        nonlocal count
        for quad in store.quads_for_pattern(None, predicate, None, None):
            if quad.graph_name != skip:
                count += 1
                yield quad.triple

    with open(path, "wb") as out:
        out.write(b"# metrokg data\n")
        ox.serialize(triples(), out, format=ox.RdfFormat.N_TRIPLES)
    return count


def union_graph(store: ox.Store,
                graphs: Iterable[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]) -> Graph:
    """The union of *graphs* as one rdflib graph (terms converted, each once)."""
    out = Graph()
    add = out.add
    cache: dict[OxTerm, Node] = {}

    def term(t: OxTerm) -> Node:
        node = cache.get(t)
        if node is None:
            node = cache[t] = to_rdflib(t)
        return node

    for graph in graphs:
        for quad in store.quads_for_pattern(None, None, None, graph):
            add((term(quad.subject), term(quad.predicate), term(quad.object)))  # type: ignore[arg-type]
    return out
