"""The ontology documentation at /def (as pyLODE lays it out): metadata block, domain and
range as links, "used in" per term, concept schemes as trees, headings in the page's
language. Expected values are read from ontology/metrokg.ttl, the hand-edited source."""

from __future__ import annotations

import re
from html import unescape

import pytest

from metrokg.namespaces import DEFAULT_BASE
from metrokg.web.pages import Linker
from metrokg.web.state import Published, load_published, ontology_html


@pytest.fixture(scope="module")
def pub(built: object) -> Published:
    return load_published(built.output, base=DEFAULT_BASE)  # type: ignore[attr-defined]


def _page(pub: Published, lang: str) -> str:
    return ontology_html(pub, lang=lang, linker=Linker(DEFAULT_BASE, lang=lang))


def _section(html: str, anchor: str) -> str:
    return html.split(f'id="{anchor}"', 1)[1].split("</section>", 1)[0]


def test_headings_follow_the_page_language(pub: Published) -> None:
    html = _page(pub, "ca")
    headings = [unescape(h) for h in re.findall(r"<h2>([^<]+)</h2>", html)]
    assert headings[:3] == ["Metadades", "Classes", "Propietats d'objecte"]
    assert "<h1 id=\"title\">Ontologia metrokg</h1>" in html  # dcterms:title "…"@ca


def test_metadata_block(pub: Published) -> None:
    block = _section(_page(pub, "en"), "metadata")
    assert 'href="https://creativecommons.org/licenses/by/4.0/"' in block  # dcterms:license
    assert "metrokg contributors" in block  # dcterms:creator
    assert "<td>mkg</td>" in block  # vann:preferredNamespacePrefix
    assert "/def/version/" in block  # owl:versionIRI, stamped by the build


def test_domain_and_range_are_links_and_terms_list_where_they_are_used(pub: Published) -> None:
    html = _page(pub, "en")
    # mkg:inPlan rdfs:domain mkg:PlanElement ; rdfs:range mkg:Plan
    entry = html.split('id="inPlan"', 1)[1].split("</dd>", 1)[0]
    assert re.search(r'Domain: <a href="/def/PlanElement\?lang=en"', entry)
    assert re.search(r'Range: <a href="/def/Plan\?lang=en"', entry)
    plan = html.split('id="Plan"', 1)[1].split("</dd>", 1)[0]
    assert 'href="/def/inPlan?lang=en"' in plan.split("Used in:", 1)[1]


def test_concept_schemes_are_trees_in_the_page_language(pub: Published) -> None:
    schemes = _section(_page(pub, "ca"), "schemes")
    statuses = schemes.split('id="scheme-Statuses"', 1)[1].split("</ul>", 1)[0]
    # mkg:Statuses: "assolit"@ca, "en curs"@ca … (ontology/metrokg.ttl)
    assert re.findall(r'<a href="/def/status/[^"]+">([^<]+)</a>', statuses) == sorted(
        re.findall(r'<a href="/def/status/[^"]+">([^<]+)</a>', statuses), key=str.lower)
    assert ">assolit<" in statuses
