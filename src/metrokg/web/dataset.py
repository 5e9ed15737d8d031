"""Dataset metadata: the dumps (sizes, SHA-256), VoID and DCAT, licence and version."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..build import OUTPUT_FILES
from ..namespaces import DCAT, DCTERMS, FOAF, MKG, RDF, RDFS, SKOS, VOID, bind_prefixes

__all__ = ["DUMP_TYPES", "LICENCE", "LINK_TARGETS", "Dump", "add_linksets", "dataset_graph",
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


def dataset_graph(base: str, output: Path, dumps: list[Dump], *, version: str,
                  site: str | None = None, triples: int | None = None) -> Graph:
    """VoID + DCAT 3 description of the dataset, its distributions and its endpoint.

    *site* is where the site is served (defaults to *base*): download and endpoint IRIs
    are made under it.
    """
    site = site or base
    g = bind_prefixes(Graph(), base)
    g.bind("spdx", SPDX)
    ds = URIRef(base + "id/dataset")
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("metrokg — metropolitan networks and actors", lang="en")))
    g.add((ds, DCTERMS.title, Literal("metrokg — xarxes i actors metropolitans", lang="ca")))
    g.add((ds, DCTERMS.title, Literal("metrokg — redes y actores metropolitanos", lang="es")))
    g.add((ds, DCTERMS.description, Literal(
        "Metropolitan networks and actors (AMB, PEMB, Diputació de Barcelona, Metropolis, "
        "MedCities, UCLG…) linked to the plans, missions, objectives, actions and "
        "deliverables they run or join, and to the UN SDGs; every statement cites its "
        "source passage.", lang="en")))
    g.add((ds, DCTERMS.license, URIRef(LICENCE)))
    g.add((ds, URIRef(str(DCAT) + "version"), Literal(version)))
    g.add((ds, URIRef("http://www.w3.org/2002/07/owl#versionInfo"), Literal(version)))
    g.add((ds, VOID.uriSpace, Literal(base + "id/")))
    g.add((ds, VOID.vocabulary, URIRef(base + "def/")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(site + "sparql")))
    g.add((ds, VOID.exampleResource, URIRef(base + "id/org/amb")))
    g.add((ds, FOAF.homepage, URIRef(site)))
    if triples is not None:
        g.add((ds, VOID.triples, Literal(triples, datatype=XSD.integer)))
    summary = _summary(output)
    if isinstance(summary.get("built"), str):
        g.add((ds, DCTERMS.modified, Literal(summary["built"])))
    service = URIRef(site + "sparql")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCAT.endpointURL, service))
    g.add((service, DCAT.servesDataset, ds))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((ds, DCAT.distribution, _sparql_distribution(g, service, ds)))
    for dump in dumps:
        dist = URIRef(f"{site}dumps/{dump.name}")
        g.add((ds, DCAT.distribution, dist))
        g.add((ds, VOID.dataDump, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCAT.downloadURL, dist))
        g.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/"
                                             + dump.media_type)))
        g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        g.add((dist, DCTERMS.license, URIRef(LICENCE)))
        g.add((dist, DCTERMS.title, Literal(dump.name)))
        checksum = BNode(f"checksum-{dump.name.replace('.', '-')}")
        g.add((dist, URIRef(SPDX + "checksum"), checksum))
        g.add((checksum, RDF.type, URIRef(SPDX + "Checksum")))
        g.add((checksum, URIRef(SPDX + "algorithm"), URIRef(SPDX + "checksumAlgorithm_sha256")))
        g.add((checksum, URIRef(SPDX + "checksumValue"), Literal(dump.sha256,
                                                                 datatype=XSD.hexBinary)))
        if dump.name.startswith("validation"):
            g.add((dist, RDFS.comment, Literal("validation report of this build", lang="en")))
    return g


def _sparql_distribution(g: Graph, service: URIRef, ds: URIRef) -> BNode:
    node = BNode("sparql-distribution")
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCAT.accessService, service))
    g.add((node, DCAT.accessURL, service))
    g.add((node, DCTERMS.license, URIRef(LICENCE)))
    return node


LINK_TARGETS: tuple[tuple[str, str, str, str], ...] = (
    # (slug, objects' IRI prefix, the target dataset, link predicate)
    ("wikidata", "http://www.wikidata.org/entity/", "http://www.wikidata.org/", str(SKOS.exactMatch)),
    ("ror", "https://ror.org/", "https://ror.org/", str(SKOS.exactMatch)),
    ("un-sdg-contributes", "http://metadata.un.org/sdg", "http://metadata.un.org/sdg",
     str(MKG.contributesToSDG)),
    ("un-sdg-aligned", "http://metadata.un.org/sdg", "http://metadata.un.org/sdg",
     str(MKG.alignedWithSDG)),
)
"""The links out of the graph declared as VoID linksets (Wikidata, ROR, the UN SDG KOS)."""


def add_linksets(g: Graph, ds: URIRef, base: str,
                 triples: Iterable[tuple[str, str, str]]) -> dict[str, int]:
    """Add to *g* one ``void:Linkset`` per kind of link out that *triples* hold.

    *triples* are (subject, predicate, object) IRIs as strings, e.g. from every quad of
    the built dataset; a link is counted once however many named graphs state it. Only
    subjects minted under ``<base>id/`` count (the UN's own triples are not links out).
    One pass over the triples. Returns the count per linkset slug.

    >>> g = Graph(); ds = URIRef("https://x.org/id/dataset")
    >>> add_linksets(g, ds, "https://x.org/", [
    ...     ("https://x.org/id/org/a", str(SKOS.exactMatch), "http://www.wikidata.org/entity/Q1"),
    ...     ("https://x.org/id/org/a", str(SKOS.exactMatch), "http://www.wikidata.org/entity/Q1")])
    {'wikidata': 1}
    """
    ours = base + "id/"
    seen: set[tuple[str, str, str, str]] = set()
    counts: Counter[str] = Counter()
    for s, p, o in triples:
        if not s.startswith(ours):
            continue
        for slug, prefix, _target, predicate in LINK_TARGETS:
            if p == predicate and o.startswith(prefix) and (slug, s, p, o) not in seen:
                seen.add((slug, s, p, o))
                counts[slug] += 1
    for slug, _prefix, target, predicate in LINK_TARGETS:
        if not counts[slug]:
            continue
        linkset = URIRef(f"{base}id/dataset/linkset/{slug}")
        g.add((ds, VOID.subset, linkset))
        g.add((linkset, RDF.type, VOID.Linkset))
        g.add((linkset, VOID.subjectsTarget, ds))
        g.add((linkset, VOID.objectsTarget, URIRef(target)))
        g.add((linkset, VOID.linkPredicate, URIRef(predicate)))
        g.add((linkset, VOID.triples, Literal(counts[slug], datatype=XSD.integer)))
    return {slug: n for slug, n in counts.items() if n}
