"""Dataset metadata: the dumps (sizes, SHA-256), VoID and DCAT, licence and version."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..namespaces import DCAT, DCTERMS, FOAF, MKG, PREFIXES, RDF, RDFS, VOID, bind_prefixes
from ..paths import OUTPUT_FILES

__all__ = ["DUMP_TYPES", "KEYWORDS", "LICENCE", "LINKSETS", "Dump", "data_date", "dataset_graph",
           "list_dumps"]

LICENCE = "https://creativecommons.org/licenses/by/4.0/"
SPDX = "http://spdx.org/rdf/terms#"

DUMP_TYPES = {
    "metrokg.trig": "application/trig",
    "metrokg.nq": "application/n-quads",
    "metrokg.ttl": "text/turtle",
    "metrokg.jsonld": "application/ld+json",
    "ontology.ttl": "text/turtle",
    "validation.ttl": "text/turtle",
    "validation.txt": "text/plain",
    "summary.json": "application/json",
}
"""The build outputs published as downloads (a fixed list: nothing else is served)."""


@dataclass(frozen=True)
class Dump:
    """One downloadable file."""

    name: str
    path: Path
    media_type: str
    size: int
    sha256: str


def list_dumps(output: Path) -> list[Dump]:
    """The downloadable build outputs present in *output*, with size and checksum."""
    dumps = []
    for name, media in DUMP_TYPES.items():
        path = output / name
        if path.is_file():
            digest = hashlib.sha256()
            with path.open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            dumps.append(Dump(name, path, media, path.stat().st_size, digest.hexdigest()))
    return dumps


def _summary(output: Path) -> dict[str, object]:
    path = output / OUTPUT_FILES["summary_json"]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


_LANGUAGES = "http://publications.europa.eu/resource/authority/language/"
_MEDIA = "https://www.iana.org/assignments/media-types/"
_VCARD = "http://www.w3.org/2006/vcard/ns#"
_PROV = "http://www.w3.org/ns/prov#"
KEYWORDS = {
    "en": ("metropolitan governance", "city networks", "urban planning", "SDG",
           "linked open data"),
    "ca": ("governança metropolitana", "xarxes de ciutats", "planificació urbana", "ODS"),
    "es": ("gobernanza metropolitana", "redes de ciudades", "planificación urbana", "ODS"),
}
LINKSETS = {
    "wikidata": ("http://www.wikidata.org/entity/", "Wikidata"),
    "ror": ("https://ror.org/", "ROR"),
    "un-sdg": ("http://metadata.un.org/sdg", "UN SDG KOS"),
}
"""Targets of the linksets described in VoID: IRI space and title."""


def data_date(store: ox.Store | None, base: str) -> str | None:
    """The date of the data: the newest ``prov:generatedAtTime``/``prov:endedAtTime`` in
    the provenance graph (the build stamps the inputs' last commit there), as xsd:dateTime
    text, or ``None``."""
    if store is None:
        return None
    graph = ox.NamedNode(base + "graph/provenance")
    found = [q.object.value for p in ("generatedAtTime", "endedAtTime")
             for q in store.quads_for_pattern(None, ox.NamedNode(_PROV + p), None, graph)
             if isinstance(q.object, ox.Literal)]
    return max(found) if found else None


def _partitions(store: ox.Store) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """(entities per class, triples per property, links per linkset) in one pass."""
    classes: dict[str, set[str]] = defaultdict(set)
    properties: Counter[str] = Counter()
    links: Counter[str] = Counter()
    rdf_type = str(RDF.type)
    for quad in store:
        p = quad.predicate.value
        properties[p] += 1
        obj = quad.object
        if p == rdf_type and isinstance(obj, ox.NamedNode):
            classes[obj.value].add(str(quad.subject))
        elif isinstance(obj, ox.NamedNode):
            for key, (space, _) in LINKSETS.items():
                if obj.value.startswith(space) and not quad.subject.value.startswith(space):
                    links[key] += 1
    return {c: len(s) for c, s in classes.items()}, dict(properties), dict(links)


def dataset_graph(base: str, output: Path, dumps: list[Dump], *, version: str,
                  site: str | None = None, triples: int | None = None,
                  store: ox.Store | None = None) -> Graph:
    """DCAT-AP 3.0 + VoID description: a catalogue, the dataset, its distributions and its
    endpoint, with publisher, contact point, dates, keywords, licence; given the *store*,
    VoID class and property partitions and linksets to Wikidata, ROR and the UN SDG KOS.

    *site* is where the site is served (defaults to *base*): download and endpoint IRIs
    are made under it.
    """
    site = site or base
    g = bind_prefixes(Graph(), base)
    g.bind("spdx", SPDX)
    g.bind("vcard", _VCARD)
    ds = URIRef(base + "id/dataset")
    catalog = URIRef(base + "id/catalog")
    publisher = URIRef(base + "id/agent/metrokg-contributors")
    contact = URIRef(base + "id/agent/metrokg-contributors#contact")
    licence = URIRef(LICENCE)
    g.add((licence, RDF.type, DCTERMS.LicenseDocument))
    g.add((licence, RDFS.label, Literal("Creative Commons Attribution 4.0 International",
                                        lang="en")))
    titles = {"en": "metrokg — metropolitan networks and actors",
              "ca": "metrokg — xarxes i actors metropolitans",
              "es": "metrokg — redes y actores metropolitanos"}
    description = Literal(
        "Metropolitan networks and actors (AMB, PEMB, Diputació de Barcelona, Metropolis, "
        "MedCities, UCLG…) linked to the plans, missions, objectives, actions and "
        "deliverables they run or join, and to the UN SDGs; every statement cites its "
        "source passage.", lang="en")
    # the catalogue (DCAT-AP's entry point for harvesters)
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("metrokg catalogue", lang="en")))
    g.add((catalog, DCTERMS.description, Literal(
        "The metrokg dataset and its SPARQL endpoint.", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    g.add((catalog, DCAT.dataset, ds))
    g.add((catalog, FOAF.homepage, URIRef(site)))
    g.add((URIRef(site), RDF.type, FOAF.Document))
    g.add((catalog, DCTERMS.license, licence))
    # publisher and contact point (the authors named in pyproject.toml)
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("metrokg contributors")))
    g.add((contact, RDF.type, URIRef(_VCARD + "Kind")))
    g.add((contact, URIRef(_VCARD + "fn"), Literal("metrokg contributors")))
    g.add((contact, URIRef(_VCARD + "hasURL"), URIRef(site)))
    # the dataset
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    for code, title in titles.items():
        g.add((ds, DCTERMS.title, Literal(title, lang=code)))
    g.add((ds, DCTERMS.description, description))
    g.add((ds, DCTERMS.publisher, publisher))
    g.add((ds, DCAT.contactPoint, contact))
    g.add((ds, DCTERMS.license, licence))
    for code in ("CAT", "SPA", "ENG"):
        language = URIRef(_LANGUAGES + code)
        g.add((ds, DCTERMS.language, language))
        g.add((language, RDF.type, DCTERMS.LinguisticSystem))
    for code, words in KEYWORDS.items():
        for word in words:
            g.add((ds, DCAT.keyword, Literal(word, lang=code)))
    g.add((ds, URIRef(str(DCAT) + "version"), Literal(version)))
    g.add((ds, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(version)))
    g.add((ds, VOID.uriSpace, Literal(base + "id/")))
    g.add((ds, VOID.vocabulary, URIRef(str(MKG))))
    g.add((ds, VOID.sparqlEndpoint, URIRef(site + "sparql")))
    g.add((ds, VOID.exampleResource, URIRef(base + "id/org/amb")))
    g.add((ds, FOAF.homepage, URIRef(site)))
    g.add((ds, DCAT.landingPage, URIRef(site)))
    if triples is not None:
        g.add((ds, VOID.triples, Literal(triples, datatype=XSD.integer)))
    when = data_date(store, base)
    if when is None:
        summary = _summary(output)
        built = summary.get("built")
        when = built if isinstance(built, str) else None
    if when is not None:
        for node in (ds, catalog):
            g.add((node, DCTERMS.issued, Literal(when, datatype=XSD.dateTime)))
            g.add((node, DCTERMS.modified, Literal(when, datatype=XSD.dateTime)))
    if store is not None:
        _void(g, ds, base, store)
    service = URIRef(site + "sparql")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("metrokg SPARQL endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, RDF.type, RDFS.Resource))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.license, licence))
    standard = URIRef("https://www.w3.org/TR/sparql11-protocol/")
    g.add((service, DCTERMS.conformsTo, standard))
    g.add((standard, RDF.type, DCTERMS.Standard))
    g.add((catalog, DCAT.service, service))
    g.add((ds, DCAT.distribution, _sparql_distribution(g, service, ds)))
    for dump in dumps:
        dist = URIRef(f"{site}dumps/{dump.name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((ds, VOID.dataDump, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, RDF.type, RDFS.Resource))
        g.add((dist, DCAT.accessURL, dist))
        g.add((dist, DCAT.downloadURL, dist))
        media = URIRef(_MEDIA + dump.media_type)
        g.add((dist, DCAT.mediaType, media))
        g.add((media, RDF.type, DCTERMS.MediaType))
        g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, licence))
        g.add((dist, DCTERMS.title, Literal(dump.name)))
        checksum = BNode(f"checksum-{dump.name.replace('.', '-')}")
        algorithm = URIRef(SPDX + "checksumAlgorithm_sha256")
        g.add((dist, URIRef(SPDX + "checksum"), checksum))
        g.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
        g.add((checksum, URIRef(SPDX + "algorithm"), algorithm))
        g.add((algorithm, RDF.type, URIRef(SPDX + "ChecksumAlgorithm")))
        g.add((checksum, URIRef(SPDX + "checksumValue"), Literal(dump.sha256,
                                                                 datatype=XSD.hexBinary)))
        if dump.name.startswith("validation"):
            g.add((dist, RDFS.comment, Literal("validation report of this build", lang="en")))
    return g


def _void(g: Graph, ds: URIRef, base: str, store: ox.Store) -> None:
    classes, properties, links = _partitions(store)
    for iri, count in sorted(classes.items()):
        part = URIRef(f"{base}id/dataset/class/{_slug(iri)}")
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(iri)))
        g.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for iri, count in sorted(properties.items()):
        part = URIRef(f"{base}id/dataset/property/{_slug(iri)}")
        g.add((ds, VOID.propertyPartition, part))
        g.add((part, VOID.property, URIRef(iri)))
        g.add((part, VOID.triples, Literal(count, datatype=XSD.integer)))
    for key, count in sorted(links.items()):
        space, title = LINKSETS[key]
        linkset = URIRef(f"{base}id/dataset/linkset/{key}")
        target = URIRef(f"{base}id/dataset/target/{key}")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, target))
        g.add((linkset, VOID.triples, Literal(count, datatype=XSD.integer)))
        g.add((target, RDF.type, VOID.Dataset))
        g.add((target, VOID.uriSpace, Literal(space)))
        g.add((target, DCTERMS.title, Literal(title)))


def _slug(iri: str) -> str:
    """A path segment naming a vocabulary term (``org-Membership``), stable and safe."""
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return prefix + "-" + re.sub(r"[^A-Za-z0-9_.-]", "-", iri[len(ns):])
    return hashlib.sha256(iri.encode()).hexdigest()[:16]


def _sparql_distribution(g: Graph, service: URIRef, ds: URIRef) -> BNode:
    node = BNode("sparql-distribution")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCAT.accessService, service))
    g.add((node, DCAT.accessURL, service))
    g.add((node, DCTERMS.title, Literal("SPARQL endpoint", lang="en")))
    g.add((node, DCTERMS.license, URIRef(LICENCE)))
    return node
