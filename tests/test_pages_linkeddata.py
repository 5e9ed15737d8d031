"""What linked-data clients and browsers get from the pages' server: JSON-LD with an
inline @context, RDF/XML, content negotiation on the ontology, HTML error pages with
navigation, site search over names in every language (a real `metrokg serve`)."""

from __future__ import annotations

import json

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from webserver import start

pytestmark = pytest.mark.server

BASE = "https://w3id.org/metrokg/"
PROTEGE = "application/rdf+xml, application/xml; q=0.5, text/xml; q=0.3, */*; q=0.2"


@pytest.fixture(scope="module")
def url(built: object) -> str:
    return start("real", built.output, "--timeout", "5").url  # type: ignore[attr-defined]


def _get(url: str, path: str, accept: str) -> httpx.Response:
    return httpx.get(url + path, headers={"Accept": accept}, timeout=10)


def test_jsonld_has_an_inline_context_and_the_same_triples(url: str) -> None:
    jsonld = _get(url, "/id/org/amb", "application/ld+json")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    document = json.loads(jsonld.text)
    assert document["@context"]["org"] == "http://www.w3.org/ns/org#"
    turtle = _get(url, "/id/org/amb", "text/turtle").text
    assert isomorphic(Graph().parse(data=jsonld.text, format="json-ld"),
                      Graph().parse(data=turtle, format="turtle"))


def test_rdfxml_for_a_protege_style_request(url: str) -> None:
    response = _get(url, "/id/org/amb", PROTEGE)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/rdf+xml")
    graph = Graph().parse(data=response.text, format="xml")
    assert (URIRef(BASE + "id/org/amb"), None, None) in graph


@pytest.mark.parametrize(("accept", "media"), [
    ("text/turtle", "text/turtle"), ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"), (PROTEGE, "application/rdf+xml"),
    ("text/html", "text/html")])
def test_the_ontology_negotiates(url: str, accept: str, media: str) -> None:
    response = _get(url, "/def", accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    if media != "text/html":
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld",
               "application/n-triples": "nt", "application/rdf+xml": "xml"}[media]
        graph = Graph().parse(data=response.text, format=fmt)
        assert (URIRef(BASE + "def/inPlan"), None, None) in graph


def test_browsers_get_an_html_404_with_navigation(url: str) -> None:
    page = _get(url, "/id/org/nobody?lang=ca", "text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="ca">' in page.text and 'href="/?lang=ca"' in page.text
    plain = _get(url, "/id/org/nobody", "*/*")
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")


def test_home_link_is_not_a_404(url: str) -> None:
    assert _get(url, "/index", "text/html").status_code == 200


def test_search_finds_names_in_any_language(url: str) -> None:
    # Metropolis's Catalan name, searched from the English site
    page = httpx.get(url + "/search", params={"q": "associació mundial", "lang": "en"},
                     timeout=10)
    assert page.status_code == 200
    assert 'href="/id/org/metropolis?lang=en"' in page.text
    nothing = httpx.get(url + "/search", params={"q": "zzzz-no-such-name"}, timeout=10)
    assert "/id/org/" not in nothing.text.split("<main>", 1)[1]


def _incoming_rows(html: str, group: str) -> list[str]:
    import re

    section = html.split('id="incoming"', 1)[1]
    block = section.split(f'title="{group}">', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li>(.*?)</li>", block)


def test_incoming_links_are_paged(url: str) -> None:
    """/def/Deliverable is the rdf:type of more deliverables than one page lists."""
    first = httpx.get(url + "/def/Deliverable", params={"lang": "en"}, timeout=10).text
    assert 'rel="next" href="/def/Deliverable?lang=en&amp;page=2"' in first
    second = httpx.get(url + "/def/Deliverable", params={"lang": "en", "page": "2"},
                       timeout=10).text
    one, two = _incoming_rows(first, "rdf:type"), _incoming_rows(second, "rdf:type")
    assert len(one) == 60 and two and not set(one) & set(two)
    assert 'rel="prev"' in second
    bad = httpx.get(url + "/def/Deliverable", params={"page": "0"}, timeout=10)
    assert bad.status_code == 400


def test_nary_links_are_shown_inline(url: str) -> None:
    """The AMB's 36 memberships show their member municipality, not the node's slug."""
    html = httpx.get(url + "/id/org/amb", params={"lang": "en"}, timeout=10).text
    rows = _incoming_rows(html, "org:organization")
    assert len(rows) == 36
    assert all('class="nary"' in r for r in rows)
    assert any(">Viladecans</a>" in r for r in rows)
    assert ">amb</a>" not in "".join(rows)


def test_partners_come_with_their_evidence(url: str) -> None:
    """"L1M7 Que Metropolis contribuya activamente a la labor de CGLU y el Grupo de Trabajo
    Global (Global Taskforce)": UCLG's page names the Global Taskforce as a partner in L1M7."""
    html = httpx.get(url + "/id/org/uclg", params={"lang": "en"}, timeout=10).text
    partners = html.split('<ul class="partners">', 1)[1].split("</ul>", 1)[0]
    entry = next(li for li in partners.split("<li>") if "/id/org/global-taskforce?" in li)
    assert ">L1M7</a>" in entry


# Issue 15's names, as users type them (REFERENCE-FACTS.md gives the English names and
# acronyms; the seeds print the Catalan/Spanish ones): the site search finds the right page.
@pytest.mark.parametrize(("name", "org"), [
    ("Àrea Metropolitana de Barcelona", "amb"), ("UCLG", "uclg"), ("OECD", "oecd"),
    ("UN-Habitat", "un-habitat"), ("European Union", "european-union"), ("UfM", "ufm"),
    ("EMA", "ema"), ("ASCAME", "ascame"), ("ASCAMME", "ascame"), ("IEMed", "iemed"),
    ("Metropolis Observatory", "metropolis-observatory"),
    ("Global Taskforce of Local and Regional Governments", "global-taskforce"),
])
def test_site_search_finds_each_name_people_type(url: str, name: str, org: str) -> None:
    page = httpx.get(url + "/search", params={"q": name, "lang": "en"}, timeout=10)
    assert page.status_code == 200
    hits = page.text.split("<main>", 1)[1]
    assert f'href="/id/org/{org}?lang=en"' in hits, f"{name!r} does not find id/org/{org}"
