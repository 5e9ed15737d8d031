"""Real clients nobody here wrote, against a real `metrokg serve`: SPARQLWrapper, a web
page's CORS preflight, DESCRIBE over the default graph (the union of the named graphs),
a linked-data client reading an organisation's RDF."""

from __future__ import annotations

import httpx
import pytest
from rdflib import Graph, URIRef
from webserver import start

pytestmark = pytest.mark.server

BASE = "https://w3id.org/metrokg/"
AMB = BASE + "id/org/amb"
ORG = "http://www.w3.org/ns/org#"
SKOS_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
# REFERENCE-FACTS.md, "Relations between institutions": the AMB is a member of Metropolis.
AMB_IN_METROPOLIS = BASE + "id/relation/amb/member/metropolis"


@pytest.fixture(scope="module")
def url(built: object) -> str:
    return start("real", built.output, "--timeout", "5").url  # type: ignore[attr-defined]


def test_sparqlwrapper_reads_names(url: str) -> None:
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    client = sparqlwrapper.SPARQLWrapper(url + "/sparql")
    client.setTimeout(10)
    client.setReturnFormat(sparqlwrapper.JSON)
    client.setQuery("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                    f"SELECT ?name WHERE {{ GRAPH ?g {{ <{AMB}> skos:prefLabel ?name }} }}")
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    # Llei 31/2010: "de creació de l'Àrea Metropolitana de Barcelona (en endavant AMB)"
    assert {r["name"]["value"] for r in rows} == {"Àrea Metropolitana de Barcelona"}


def test_sparqlwrapper_on_the_default_graph(url: str) -> None:
    sparqlwrapper = pytest.importorskip("SPARQLWrapper")
    client = sparqlwrapper.SPARQLWrapper(url + "/sparql")
    client.setTimeout(10)
    client.setReturnFormat(sparqlwrapper.JSON)
    client.setQuery("PREFIX org: <http://www.w3.org/ns/org#>\n"
                    f"SELECT ?m WHERE {{ ?m org:member <{AMB}> }}")
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert AMB_IN_METROPOLIS in {r["m"]["value"] for r in rows}


def test_cors_preflight_from_a_web_page(url: str) -> None:
    origin = "http://yasgui.example"
    preflight = httpx.options(url + "/sparql", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"}, timeout=10)
    assert preflight.status_code in (200, 204)
    assert preflight.headers["access-control-allow-origin"] in ("*", origin)
    assert "POST" in preflight.headers.get("access-control-allow-methods", "").upper()
    answer = httpx.post(url + "/sparql", data={"query": "ASK { GRAPH ?g { ?s ?p ?o } }"},
                        headers={"Origin": origin,
                                 "Accept": "application/sparql-results+json"}, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] in ("*", origin)


def test_describe_an_organisation_returns_its_memberships(url: str) -> None:
    response = httpx.get(url + "/sparql", params={"query": f"DESCRIBE <{AMB}>"},
                         headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(AMB_IN_METROPOLIS), URIRef(ORG + "member"), URIRef(AMB)) in graph


def test_organisation_rdf_holds_memberships_and_labels(url: str) -> None:
    """The Turtle of a page (as Pubby/LodView serve it): incoming links and the names of
    what it links to, so a client following links finds the AMB's partners."""
    response = httpx.get(url + "/id/org/amb", headers={"Accept": "text/turtle"}, timeout=10)
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    assert (URIRef(AMB_IN_METROPOLIS), URIRef(ORG + "member"), URIRef(AMB)) in graph
    viladecans = URIRef(BASE + "id/org/viladecans")
    assert (URIRef(BASE + "id/relation/viladecans/member/amb"), URIRef(ORG + "organization"),
            URIRef(AMB)) in graph
    assert str(graph.value(viladecans, URIRef(SKOS_LABEL))) == "Viladecans"
