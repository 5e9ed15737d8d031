"""RDF terms for the mapping: pyoxigraph nodes and literals, minted once and reused."""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import DEFAULT_BASE, PREFIXES

__all__ = [
    "ADMS", "CV", "DCTERMS", "FOAF", "LEVELS", "MKG", "OA", "ORG", "PROV", "RDF", "SCHEMA",
    "SDG", "SDG_SCHEME", "SKOS", "TIME", "UNIT", "XSD", "Namespace", "lang", "plain", "typed",
]


class Namespace:
    """IRIs under one namespace as pyoxigraph nodes: ``MKG.Plan``, ``SDG["11"]``."""

    __slots__ = ("_cache", "iri")

    def __init__(self, iri: str) -> None:
        self.iri = iri
        self._cache: dict[str, ox.NamedNode] = {}

    def __getitem__(self, name: str) -> ox.NamedNode:
        node = self._cache.get(name)
        if node is None:
            node = self._cache[name] = ox.NamedNode(self.iri + name)
        return node

    def __getattr__(self, name: str) -> ox.NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]


MKG = Namespace(DEFAULT_BASE + "def/")
ADMS = Namespace(PREFIXES["adms"])
CV = Namespace(PREFIXES["cv"])
DCTERMS = Namespace(PREFIXES["dcterms"])
FOAF = Namespace(PREFIXES["foaf"])
OA = Namespace(PREFIXES["oa"])
ORG = Namespace(PREFIXES["org"])
PROV = Namespace(PREFIXES["prov"])
RDF = Namespace(PREFIXES["rdf"])
SCHEMA = Namespace(PREFIXES["schema"])
SDG = Namespace(PREFIXES["sdg"])
SKOS = Namespace(PREFIXES["skos"])
TIME = Namespace(PREFIXES["time"])
UNIT = Namespace(PREFIXES["unit"])
XSD = Namespace(PREFIXES["xsd"])
SDG_SCHEME = ox.NamedNode("http://metadata.un.org/sdg")

LEVELS: dict[str, ox.NamedNode] = {
    "area": MKG.Area, "action-line": MKG.ActionLine, "objective": MKG.Objective,
    "measure": MKG.Measure, "action": MKG.Action, "deliverable": MKG.Deliverable,
    "mission": MKG.Mission, "aim": MKG.Aim, "instrument": MKG.Instrument, "target": MKG.Target,
}


def plain(text: str) -> ox.Literal:
    """A plain string literal."""
    return ox.Literal(text)


def lang(text: str, tag: str) -> ox.Literal:
    """A language-tagged string."""
    return ox.Literal(text, language=tag)


def typed(text: str, datatype: ox.NamedNode) -> ox.Literal:
    """A literal of *datatype*; give it in the canonical form Oxigraph stores."""
    return ox.Literal(text, datatype=datatype)
