"""Which record stated what: looked up in the store for the nodes findings name only.

The provenance graph gives each record's named graph its record key
(``<graph> mkg:recordKey "file#key"``). A node's record is the one whose graph types it
(``rdf:type``), else one whose graph has it as subject — the first key in sort order, so
the answer does not depend on load order. Nothing is indexed ahead: a valid dataset costs
no lookup at all.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import MKG, RDF

__all__ = ["Records"]

_KEY = ox.NamedNode(str(MKG.recordKey))
_TYPE = ox.NamedNode(str(RDF.type))


class Records:
    """Record keys of graphs and nodes in *store*, given its provenance graph IRI."""

    def __init__(self, store: ox.Store | None, provenance: str | None) -> None:
        self._store = store
        self._prov = ox.NamedNode(provenance) if provenance else None
        self._graphs: dict[str, str | None] = {}
        self._subjects: dict[str, str | None] = {}

    def graph(self, iri: str) -> str | None:
        """The record key of the named graph *iri*, if it is a record's graph."""
        if iri not in self._graphs:
            self._graphs[iri] = self._graph(ox.NamedNode(iri)) if _is_iri(iri) else None
        return self._graphs[iri]

    def _graph(self, name: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> str | None:
        if self._store is None or self._prov is None or not isinstance(name, ox.NamedNode):
            return None
        keys = sorted(q.object.value for q in
                      self._store.quads_for_pattern(name, _KEY, None, self._prov)
                      if isinstance(q.object, ox.Literal))
        return keys[0] if keys else None

    def subject(self, node: str) -> str | None:
        """The record that defined *node* (an IRI or ``_:`` blank node label)."""
        if node not in self._subjects:
            self._subjects[node] = self._subject(node)
        return self._subjects[node]

    def _subject(self, node: str) -> str | None:
        term = _term(node)
        if self._store is None or term is None:
            return None
        for predicate in (_TYPE, None):
            keys = sorted(k for q in self._store.quads_for_pattern(term, predicate, None, None)
                          if (k := self._graph(q.graph_name)) is not None)
            if keys:
                return keys[0]
        return None

    def stating(self, s: ox.NamedNode | ox.BlankNode, p: ox.NamedNode | None,
                o: ox.NamedNode | ox.BlankNode | ox.Literal) -> str | None:
        """The record whose graph states ``s p o`` (any predicate if *p* is None)."""
        if self._store is None:
            return None
        keys = sorted(k for q in self._store.quads_for_pattern(s, p, o, None)
                      if (k := self._graph(q.graph_name)) is not None)
        return keys[0] if keys else None


def _is_iri(text: str) -> bool:
    return ":" in text and not text.startswith("_:") and " " not in text


def _term(node: str) -> ox.NamedNode | ox.BlankNode | None:
    if node.startswith("_:"):
        return ox.BlankNode(node[2:])
    if _is_iri(node):
        try:
            return ox.NamedNode(node)
        except ValueError:
            return None
    return None
