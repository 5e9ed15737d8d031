"""Terms between pyoxigraph and rdflib, and the shapes' view of a store.

Literals out of pyoxigraph carry an explicit ``xsd:string`` that rdflib treats as a
different term from the plain literal (rdflib #2123): the conversion drops it, so a
string from the store equals the same string parsed from Turtle.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

__all__ = ["data_graphs", "from_rdflib", "ntriples", "to_rdflib", "union_graph"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: OxTerm) -> Node:
    """The rdflib term of a pyoxigraph term (plain literal for ``xsd:string``)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))


def from_rdflib(node: Node) -> OxTerm:
    """The pyoxigraph term of an rdflib term."""
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None and str(node.datatype) != _LANG_STRING:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"not an RDF term: {node!r}")


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
