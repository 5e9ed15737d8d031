"""Term conversion between pyoxigraph and rdflib, for the libraries that need rdflib.

Plain literals cross as plain literals: pyoxigraph gives them an explicit ``xsd:string``
that rdflib would treat as a different term (rdflib #2123).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib import Dataset
    from rdflib.term import Node

__all__ = ["from_rdflib", "quads_from_dataset", "to_dataset", "to_rdflib"]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """The rdflib term for a pyoxigraph term."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == _XSD_STRING else \
        Literal(term.value, datatype=URIRef(datatype))


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term (lexical form kept)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot convert {term!r}")


def quads_from_dataset(dataset: Dataset) -> Iterator[ox.Quad]:
    """The quads of an rdflib dataset's named graphs, as pyoxigraph quads."""
    from rdflib import URIRef

    for s, p, o, g in dataset.quads((None, None, None, None)):
        name = getattr(g, "identifier", g)
        if isinstance(name, URIRef):
            yield ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o),  # type: ignore[arg-type]
                          ox.NamedNode(str(name)))


def to_dataset(quads: Iterable[ox.Quad]) -> Dataset:
    """An rdflib dataset holding *quads* (named graphs kept)."""
    from rdflib import Dataset, URIRef

    dataset = Dataset()
    graphs: dict[str, object] = {}
    for q in quads:
        name = q.graph_name.value  # type: ignore[union-attr]
        graph = graphs.get(name)
        if graph is None:
            graph = graphs[name] = dataset.graph(URIRef(name))
        graph.add((to_rdflib(q.subject), to_rdflib(q.predicate),  # type: ignore[attr-defined,arg-type]
                   to_rdflib(q.object)))  # type: ignore[arg-type]
    return dataset
