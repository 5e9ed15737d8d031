"""The one prefix map of metrokg: used for binding, queries and every output."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

__all__ = [
    "ADMS",
    "BASIS",
    "CV",
    "DCAT",
    "DCTERMS",
    "DEFAULT_BASE",
    "FOAF",
    "MKG",
    "OA",
    "ORG",
    "OTYPE",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "ROLE",
    "SCHEMA",
    "SDG",
    "SDGO",
    "SH",
    "SKOS",
    "STATUS",
    "TIME",
    "UNIT",
    "VOID",
    "XSD",
    "bind_prefixes",
]

DEFAULT_BASE = "https://w3id.org/metrokg/"
"""Base of every metrokg IRI: things under id/, vocabulary under def/, graphs under graph/."""

MKG = Namespace(DEFAULT_BASE + "def/")
OTYPE = Namespace(DEFAULT_BASE + "def/org-type/")
ROLE = Namespace(DEFAULT_BASE + "def/role/")
STATUS = Namespace(DEFAULT_BASE + "def/status/")
BASIS = Namespace(DEFAULT_BASE + "def/status-basis/")
ORG = Namespace("http://www.w3.org/ns/org#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
CV = Namespace("http://data.europa.eu/m8g/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
SDG = Namespace("http://metadata.un.org/sdg/")
SDGO = Namespace("http://metadata.un.org/sdg/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
VOID = Namespace("http://rdfs.org/ns/void#")

PREFIXES: dict[str, str] = {
    "mkg": str(MKG),
    "otype": str(OTYPE),
    "role": str(ROLE),
    "status": str(STATUS),
    "basis": str(BASIS),
    "org": str(ORG),
    "adms": str(ADMS),
    "cv": str(CV),
    "dcat": str(DCAT),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "oa": str(OA),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": str(SCHEMA),
    "sdg": str(SDG),
    "sdgo": str(SDGO),
    "sh": str(SH),
    "skos": str(SKOS),
    "time": str(TIME),
    "unit": str(UNIT),
    "void": str(VOID),
    "xsd": str(XSD),
}

def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind the metrokg prefixes (and `id:` / `graph:` for *base*) on *graph*.

    >>> g = bind_prefixes(Graph())
    >>> str(dict(g.namespaces())["mkg"]) == str(MKG)
    True
    """
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    graph.bind("id", base + "id/", override=True, replace=True)
    graph.bind("graph", base + "graph/", override=True, replace=True)
    return graph
