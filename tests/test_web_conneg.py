"""Content negotiation, resource pages, dataset metadata and result formats, over real HTTP.

Expected facts come from the source documents (quotes checked against graph/sources) and
from the specifications (media types, VoID/DCAT terms, SHA-256 of the served bytes).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF
from webserver import BASE, ROOT, start

pytestmark = pytest.mark.server

AMB = BASE + "id/org/amb"
# graph/data/amb-pam-2015-2019.yaml: name {ca: "Àrea Metropolitana de Barcelona"}, alt AMB
AMB_NAME = Literal("Àrea Metropolitana de Barcelona", lang="ca")
ACTION = BASE + "id/plan/amb-pam-2015-2019/action/1.1.1"
# the passage behind action 1.1.1, as printed in the AMB document (graph/sources/)
QUOTE = "Crear una Taula Estratègica / Consell Assessor de les Relacions Internacionals"
VOID = Namespace("http://rdfs.org/ns/void#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


@pytest.fixture(scope="module")
def url(built: object) -> str:
    return start("real", built.output, "--timeout", "3").url  # type: ignore[attr-defined]


def test_the_quote_is_in_the_source_document() -> None:
    texts = [p.read_text(encoding="utf-8") for p in (ROOT / "graph" / "sources").glob("*.txt")]
    assert any(QUOTE in " ".join(t.split()) for t in texts)


@pytest.mark.parametrize(("accept", "media", "fmt"), [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("text/turtle;q=0.5, application/n-triples", "application/n-triples", "nt"),
], ids=["turtle", "jsonld", "ntriples", "q-values"])
def test_resource_rdf_by_accept(url: str, accept: str, media: str, fmt: str) -> None:
    response = httpx.get(url + "/id/org/amb", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in response.headers["vary"]
    g = Graph().parse(data=response.text, format=fmt)
    assert (URIRef(AMB), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            AMB_NAME) in g


@pytest.mark.parametrize(("suffix", "media", "fmt"), [
    ("ttl", "text/turtle", "turtle"), ("jsonld", "application/ld+json", "json-ld"),
    ("nt", "application/n-triples", "nt")])
def test_resource_rdf_by_suffix(url: str, suffix: str, media: str, fmt: str) -> None:
    response = httpx.get(f"{url}/id/org/amb.{suffix}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert len(Graph().parse(data=response.text, format=fmt)) > 0


def test_browser_gets_html_with_vary(url: str) -> None:
    response = httpx.get(url + "/id/org/amb", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Accept" in response.headers["vary"]


def test_unacceptable_type_is_406(url: str) -> None:
    assert httpx.get(url + "/id/org/amb", headers={"Accept": "image/png"}).status_code == 406


def test_unknown_iri_is_404(url: str) -> None:
    response = httpx.get(url + "/id/org/no-such-organisation")
    assert response.status_code == 404
    assert "not described" in response.text


def test_page_shows_the_source_quote(url: str) -> None:
    html = httpx.get(url + "/id/plan/amb-pam-2015-2019/action/1.1.1",
                     headers={"Accept": "text/html"}).text
    assert QUOTE in html
    assert 'id="sources"' in html


@pytest.mark.parametrize(("header", "override", "lang"), [
    ("es-ES,es;q=0.9", None, "es"), ("ca", None, "ca"), ("en-GB", None, "en"),
    ("es", "ca", "ca")], ids=["accept-es", "accept-ca", "accept-en", "override"])
def test_page_language(url: str, header: str, override: str | None, lang: str) -> None:
    params = {"lang": override} if override else {}
    html = httpx.get(url + "/id/org/amb", params=params,
                     headers={"Accept": "text/html", "Accept-Language": header}).text
    assert f'<html lang="{lang}">' in html


def test_organisation_page_has_ego_network(url: str) -> None:
    html = httpx.get(url + "/id/org/amb", headers={"Accept": "text/html"}).text
    assert 'class="ego"' in html
    assert 'href="/id/org/medcities"' in html  # AMB hosts the MedCities secretariat


def test_ontology_term_dereferences(url: str) -> None:
    html = httpx.get(url + "/def/Plan", headers={"Accept": "text/html"})
    assert html.status_code == 200
    doc = httpx.get(url + "/def", headers={"Accept": "text/html"})
    assert doc.status_code == 200 and BASE + "def/Plan" in doc.text
    ttl = httpx.get(url + "/def", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=ttl.text, format="turtle")
    assert (URIRef(BASE + "def/Plan"), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g


def test_void_and_dcat(url: str) -> None:
    response = httpx.get(url + "/.well-known/void")
    assert response.status_code == 200
    g = Graph().parse(data=response.text, format="turtle")
    ds = URIRef(BASE + "id/dataset")
    assert (ds, RDF.type, VOID.Dataset) in g and (ds, RDF.type, DCAT.Dataset) in g
    assert (ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    assert (ds, VOID.sparqlEndpoint, URIRef(url + "/sparql")) in g
    dumps = list(g.objects(ds, VOID.dataDump))
    assert URIRef(url + "/dumps/metrokg.nq") in dumps


def test_dump_checksums_match_the_served_bytes(url: str) -> None:
    g = Graph().parse(data=httpx.get(url + "/dataset.ttl").text, format="turtle")
    dist = URIRef(url + "/dumps/metrokg.nq")
    checksum = g.value(dist, SPDX.checksum)
    declared = str(g.value(checksum, SPDX.checksumValue))
    size = int(g.value(dist, DCAT.byteSize))
    body = httpx.get(str(dist)).content
    assert hashlib.sha256(body).hexdigest() == declared
    assert len(body) == size


def test_dataset_page_shows_validation_report(url: str) -> None:
    html = httpx.get(url + "/dataset", headers={"Accept": "text/html"}).text
    assert "Validation report" in html and "CC BY 4.0" in html


SELECT = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?label WHERE { GRAPH ?g "
          "{ <https://w3id.org/metrokg/id/org/amb> skos:prefLabel ?label } }")


def _labels(media: str, body: bytes) -> set[str]:
    if media == "application/sparql-results+json":
        return {b["label"]["value"] for b in json.loads(body)["results"]["bindings"]}
    if media == "application/sparql-results+xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return {lit.text or "" for lit in ET.fromstring(body).iter(ns + "literal")}
    if media == "text/csv":
        rows = list(csv.reader(io.StringIO(body.decode(), newline="")))
        assert rows[0] == ["label"]
        return {r[0] for r in rows[1:]}
    lines = body.decode().splitlines()
    assert lines[0] == "?label"
    return {line.split('"')[1] for line in lines[1:]}


@pytest.mark.parametrize("media", ["application/sparql-results+json",
                                   "application/sparql-results+xml", "text/csv",
                                   "text/tab-separated-values"])
def test_select_result_formats(url: str, media: str) -> None:
    response = httpx.get(url + "/sparql", params={"query": SELECT}, headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert str(AMB_NAME) in _labels(media, response.content)


@pytest.mark.parametrize(("media", "fmt"), [
    ("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml")])
def test_construct_formats(url: str, media: str, fmt: str) -> None:
    query = ("CONSTRUCT { <https://w3id.org/metrokg/id/org/amb> ?p ?o } WHERE { GRAPH ?g { "
             "<https://w3id.org/metrokg/id/org/amb> ?p ?o } }")
    response = httpx.post(url + "/sparql", data={"query": query}, headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    g = Graph().parse(data=response.text, format=fmt)
    assert (URIRef(AMB), URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"),
            AMB_NAME) in g


def test_ask_as_csv_is_406(url: str) -> None:
    response = httpx.get(url + "/sparql", params={"query": "ASK {}"}, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_query_page_offers_catalogue_examples(url: str) -> None:
    html = httpx.get(url + "/query").text
    names = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    if not names:
        pytest.skip("no catalogue queries in queries/ yet")
    assert all(name in html for name in names)


# RFC 9110, section 12.5.1: the most specific matching range gives an offer its q; q=0
# means "not acceptable"; media types are case-insensitive. Between equal preferences the
# server's order decides (first offer).
ACCEPT_TABLE = [
    (None, "text/html"),
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("TEXT/TURTLE", "text/turtle"),
    ("text/html;q=0.5, application/ld+json", "application/ld+json"),
    ("text/*;q=0.9, application/n-triples", "application/n-triples"),
    ("text/html;q=0, */*", "text/turtle"),
    ("application/*", "application/ld+json"),
    ("garbage;q=x, text/turtle;q=0.4, text/html;q=0.3", "text/turtle"),
    ("image/png", None),
    ("text/html;q=0", None),
]


@pytest.mark.parametrize(("header", "chosen"), ACCEPT_TABLE)
def test_accept_decisions(header: str | None, chosen: str | None) -> None:
    from metrokg.web.conneg import choose_media_type

    offers = ["text/html", "text/turtle", "application/ld+json", "application/n-triples"]
    assert choose_media_type(header, offers) == chosen
