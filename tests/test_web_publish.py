"""`metrokg publish`: the static export, its conneg rules, and its atomicity."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from metrokg.namespaces import DEFAULT_BASE
from metrokg.web import publish as publish_module
from metrokg.web.publish import publish_site
from metrokg.web.state import Published, load_published


@pytest.fixture(scope="module")
def pub(built: object) -> Published:
    return load_published(built.output, base=DEFAULT_BASE)  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def site(pub: Published, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "public"
    publish_site(pub, out)
    return out


@pytest.mark.parametrize("name", ["id/org/amb.html", "id/org/amb.ttl", "id/org/amb.jsonld",
                                  "id/org/amb.nt", "index.html", "query.html", "dataset.html",
                                  "dataset.ttl", ".well-known/void", "def.html", "def.ttl",
                                  "dumps/metrokg.nq", ".htaccess", "nginx.conf",
                                  "static/site.css"])
def test_export_has(site: Path, name: str) -> None:
    assert (site / name).is_file()


def test_exported_turtle_parses(site: Path) -> None:
    g = Graph().parse(site / "id" / "org" / "amb.ttl", format="turtle")
    assert (URIRef(DEFAULT_BASE + "id/org/amb"), None, None) in g


def test_exported_links_are_relative(site: Path) -> None:
    html = (site / "id" / "org" / "amb.html").read_text(encoding="utf-8")
    assert 'href="medcities.html"' in html
    assert 'href="/id/' not in html


def test_dotted_codes_get_their_own_files(site: Path) -> None:
    assert (site / "id/plan/amb-pam-2015-2019/action/1.1.1.html").is_file()


def test_explorer_is_copied_when_built(pub: Published, site: Path) -> None:
    assert (site / "explorer.html").is_file() == (pub.explorer is not None)


def test_exported_rules_are_the_generated_ones(site: Path) -> None:
    """The files hosting uses are the rules tests/test_pages_rules.py checks."""
    from metrokg.web.rules import APACHE_RULES, NGINX_RULES

    assert (site / ".htaccess").read_text() == APACHE_RULES
    assert (site / "nginx.conf").read_text() == NGINX_RULES


def test_failed_export_leaves_the_previous_one(pub: Published, site: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    before = sorted(p.name for p in site.iterdir())

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(publish_module, "_export", broken)
    with pytest.raises(RuntimeError):
        publish_site(pub, site)
    assert sorted(p.name for p in site.iterdir()) == before
    assert not [p for p in site.parent.iterdir() if ".staging-" in p.name]


# -- DCAT-AP 3.0 (issue 13) -------------------------------------------------------------

DCAT_AP = Path(__file__).resolve().parents[2] / "shared" / "dcat-ap"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"


@pytest.fixture(scope="module")
def description(site: Path) -> Graph:
    """The published dataset description, as a harvester reads it."""
    return Graph().parse(site / "dataset.ttl", format="turtle")


def test_dataset_description_passes_dcat_ap_3(description: Graph) -> None:
    if not (DCAT_AP / "dcat-ap-SHACL.ttl").is_file():
        pytest.skip(f"no DCAT-AP shapes in {DCAT_AP}")
    from pyshacl import validate

    shapes = Graph()
    for name in ("dcat-ap-SHACL.ttl", "range.ttl"):
        shapes.parse(DCAT_AP / name, format="turtle")
    conforms, report, text = validate(description, shacl_graph=shapes, inference="none",
                                      allow_warnings=True)
    sh = "http://www.w3.org/ns/shacl#"
    violations = list(report.subjects(URIRef(sh + "resultSeverity"), URIRef(sh + "Violation")))
    assert violations == [], text
    assert conforms


def test_dataset_description_has_a_catalogue_publisher_and_dates(description: Graph) -> None:
    catalog = URIRef(DEFAULT_BASE + "id/catalog")
    dataset = URIRef(DEFAULT_BASE + "id/dataset")
    assert (catalog, URIRef(DCAT + "dataset"), dataset) in description
    assert description.value(dataset, URIRef(DCT + "publisher")) is not None
    assert description.value(dataset, URIRef(DCAT + "contactPoint")) is not None
    modified = description.value(dataset, URIRef(DCT + "modified"))
    assert modified is not None and str(modified)[:4].isdigit()  # issue 14: was never written
    assert {str(k) for k in description.objects(dataset, URIRef(DCAT + "keyword"))} >= {"SDG"}


def test_void_partitions_and_linksets(description: Graph, pub: Published) -> None:
    void = "http://rdfs.org/ns/void#"
    dataset = URIRef(DEFAULT_BASE + "id/dataset")
    parts = {description.value(p, URIRef(void + "class")): description.value(
        p, URIRef(void + "entities")) for p in description.objects(
        dataset, URIRef(void + "classPartition"))}
    # the AMB's 36 member municipalities are among the organisations
    assert int(parts[URIRef("http://www.w3.org/ns/org#Organization")]) >= 37
    # linksets: the SDGs the report's plan contributes to, Wikidata and ROR identifiers
    linksets = {str(s).rsplit("/", 1)[-1] for s in description.subjects(
        URIRef(void + "subjectsTarget"), dataset)}
    assert linksets == {"wikidata", "ror", "un-sdg"}


@pytest.mark.parametrize("lang", ["ca", "es"])
def test_export_has_every_language(site: Path, lang: str) -> None:
    page = site / lang / "id" / "plan" / "metropolis-action-plan-2018-2020.html"
    html = page.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    assert 'href="../../../id/plan/metropolis-action-plan-2018-2020.html" hreflang="en"' in html
    assert (site / lang / "sdg" / "11.html").is_file()


def test_exported_local_links_resolve(site: Path) -> None:
    """Every relative link of every exported page leads to a file of the export."""
    import re

    broken: set[str] = set()
    for page in site.rglob("*.html"):
        if page.name == "explorer.html" or "notebooks" in page.parts:
            continue
        for href in re.findall(r'href="([^"#?]+)', page.read_text(encoding="utf-8")):
            if href.startswith(("http:", "https:", "mailto:", "data:", "/")):
                continue
            if not (page.parent / href).resolve().is_file():
                broken.add(f"{page.relative_to(site)} → {href}")
    assert sorted(broken)[:10] == []


def test_static_search_finds_names_in_any_language(site: Path) -> None:
    """The exported site's search (search.html + search-index.json), in a real Chromium
    over a loopback HTTP server: Metropolis's Catalan name found from the Spanish pages."""
    import functools
    import http.server
    import threading

    chromium = Path("/usr/bin/chromium")
    if not chromium.is_file():
        pytest.skip("no /usr/bin/chromium: run scripts/system-deps.sh")
    sync_api = pytest.importorskip("playwright.sync_api")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    errors: list[str] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(chromium), args=[
                "--headless", "--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(url + "/es/search.html?q=associaci%C3%B3+mundial", wait_until="load")
            page.wait_for_selector("#hits a", timeout=10_000)
            hrefs = page.locator("#hits a").evaluate_all(
                "as => as.map(a => new URL(a.href).pathname)")
            browser.close()
    finally:
        httpd.shutdown()
    assert "/es/id/org/metropolis.html" in hrefs
    assert not errors
