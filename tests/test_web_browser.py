"""A real headless Chromium on a resource page and on the query page (Playwright).

Uses Debian's /usr/bin/chromium (scripts/system-deps.sh); skipped, saying so, without it.
Every request the pages make is recorded: nothing may leave 127.0.0.1.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from webserver import start

pytestmark = [pytest.mark.browser, pytest.mark.server]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def url(built: object) -> str:
    return start("real", built.output, "--timeout", "3").url  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.is_file():
        pytest.skip("no /usr/bin/chromium: run scripts/system-deps.sh (make system-deps)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield chromium
        chromium.close()


def _page(browser: object, requests: list[str]) -> object:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.on("request", lambda r: requests.append(r.url))
    return page


def test_resource_page_in_chromium(browser: object, url: str) -> None:
    requests: list[str] = []
    page = _page(browser, requests)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "/id/org/amb", wait_until="load")
    # the name in its founding law, "Llei 31/2010 … de creació de l'Àrea Metropolitana de
    # Barcelona (en endavant AMB)", with the acronym
    assert page.locator("h1#title").inner_text() == "Àrea Metropolitana de Barcelona (AMB)"
    assert page.locator("#sources li").count() > 0
    assert page.locator("svg.ego circle").count() > 2
    page.locator(".langs a[hreflang=es]").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator("svg.ego a[href^='/id/org/medcities?'] circle").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/id/org/medcities?lang=es")  # the chosen language is kept
    assert not errors
    assert {urlsplit(r).hostname for r in requests} == {"127.0.0.1"}
    page.close()


def test_query_page_runs_a_query(browser: object, url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    page = _page(browser, requests)
    page.goto(url + "/query", wait_until="load")
    page.locator(".CodeMirror").click()  # the SPARQL editor (vendored CodeMirror)
    page.keyboard.press("Control+A")
    page.keyboard.type("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                       "SELECT ?label WHERE { GRAPH ?g { <https://w3id.org/metrokg/id/org/amb> "
                       "skos:prefLabel ?label } }")
    page.click("#run")
    page.wait_for_selector("#result-table td", timeout=15_000)
    cells = page.locator("#result-table td").all_inner_texts()
    assert "Àrea Metropolitana de Barcelona" in cells
    if page.locator("#examples option").count() > 1:  # catalogue queries, when present
        page.select_option("#examples", index=1)
        assert page.locator(".CodeMirror-code").inner_text().strip()
        page.click("#run")
        expect = sync_api.expect  # polls without eval (the page's CSP forbids it)
        expect(page.locator("#status")).to_have_text(re.compile(r"^\d{3} "), timeout=15_000)
        assert page.locator("#status").inner_text().startswith("200")
    assert {urlsplit(r).hostname for r in requests} == {"127.0.0.1"}
    page.close()


# -- pages for people (issue 13) ----------------------------------------------------------

PLAN = "/id/plan/metropolis-action-plan-2018-2020"
# The 36 municipalities of the AMB (REFERENCE-FACTS.md: Llei 31/2010 art. 2).
AMB_MUNICIPALITIES = ["Badalona", "Badia del Vallès", "Barberà del Vallès", "Barcelona", "Begues", "Castellbisbal", "Castelldefels", "Cerdanyola del Vallès", "Cervelló", "Corbera de Llobregat", "Cornellà de Llobregat", "Esplugues de Llobregat", "Gavà", "l'Hospitalet de Llobregat", "Molins de Rei", "Montcada i Reixac", "Montgat", "la Palma de Cervelló", "Pallejà", "el Papiol", "el Prat de Llobregat", "Ripollet", "Sant Adrià de Besòs", "Sant Andreu de la Barca", "Sant Boi de Llobregat", "Sant Climent de Llobregat", "Sant Cugat del Vallès", "Sant Feliu de Llobregat", "Sant Joan Despí", "Sant Just Desvern", "Sant Vicenç dels Horts", "Santa Coloma de Cervelló", "Santa Coloma de Gramenet", "Tiana", "Torrelles de Llobregat", "Viladecans"]


@pytest.fixture
def watched(browser: object) -> Iterator[tuple[object, list[str], list[str]]]:
    """A page whose requests and console errors are recorded, checked after the test."""
    requests: list[str] = []
    errors: list[str] = []
    page = _page(browser, requests)
    page.on("pageerror", lambda e: errors.append(str(e)))  # type: ignore[attr-defined]
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)  # type: ignore[attr-defined]
    yield page, requests, errors
    page.close()  # type: ignore[attr-defined]
    assert not errors, errors
    assert {urlsplit(r).hostname for r in requests} == {"127.0.0.1"}


def test_plan_page_is_a_tree_with_the_reports_totals(watched: tuple[object, list[str], list[str]],
                                                     url: str) -> None:
    page, _, _ = watched
    page.goto(url + PLAN, wait_until="load")  # type: ignore[attr-defined]
    lines = page.locator("#tree > li.level-ActionLine")  # type: ignore[attr-defined]
    assert [c.strip() for c in lines.locator(":scope > .row > a.code").all_inner_texts()] == [
        "L1", "L2", "L3"]
    # "Implementación del Plan de Acción": L1 has 17 deliverables, L2 27, L3 21 (65 in all).
    counts = lines.locator(":scope > .row [data-level=Deliverable] b").all_inner_texts()
    assert counts == ["17", "27", "21"]
    stated = {s: page.locator(f"#totals tr[data-status={s}] td.stated").inner_text().split("[")[0]  # type: ignore[attr-defined]
              for s in ("total", "achieved", "in-progress", "not-developed")}
    assert stated == {"total": "65", "achieved": "49", "in-progress": "10", "not-developed": "6"}
    assert "L1M4D1" in page.locator("#reconciliation").inner_text()  # type: ignore[attr-defined]
    assert page.locator("#tree svg.bar").count() >= 3  # type: ignore[attr-defined]
    page.locator("#tree a.code", has_text="L1M4D1").click()  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    crumbs = page.locator("nav.breadcrumb li").all_inner_texts()  # type: ignore[attr-defined]
    assert crumbs[0].startswith("Plan de Acción 2018-2020") and crumbs[-1].startswith("L1M4")
    assert page.locator("#element").count() == 1  # type: ignore[attr-defined]


def test_amb_page_lists_its_municipalities_and_memberships(
        watched: tuple[object, list[str], list[str]], url: str) -> None:
    page, _, _ = watched
    page.goto(url + "/id/org/amb?lang=en", wait_until="load")  # type: ignore[attr-defined]
    members = page.locator("#profile ul.members li > a").all_inner_texts()  # type: ignore[attr-defined]
    assert sorted(members) == sorted(AMB_MUNICIPALITIES)
    organisations = page.locator("#memberships td:first-child").all_inner_texts()  # type: ignore[attr-defined]
    assert any(o.startswith("Metropolis") for o in organisations)


def test_sdg_11_page_lists_the_plans_serving_it(watched: tuple[object, list[str], list[str]],
                                               url: str) -> None:
    page, _, _ = watched
    page.goto(url + "/sdg/11?lang=es", wait_until="load")  # type: ignore[attr-defined]
    plans = page.locator("#plans li a").all_inner_texts()  # type: ignore[attr-defined]
    # Metropolis's report: "hemos contribuido especialmente en ... 11. CIUDADES Y COMUNIDADES
    # SOSTENIBLES"; the Compromís Metropolità 2030 is aligned with SDG 11 through a mission.
    assert "Plan de Acción 2018-2020" in plans
    how = page.locator("#plans li", has_text="Plan de Acción 2018-2020").inner_text()  # type: ignore[attr-defined]
    assert how.endswith("Contribuye a")  # "hemos contribuido", not merely aligned
    assert "Plan de Acción 2018-2020" in page.locator("#contributes").inner_text()  # type: ignore[attr-defined]
    assert "Plan de Acción 2018-2020" not in page.locator("#aligned").inner_text()  # type: ignore[attr-defined]
    assert page.locator("a.un").get_attribute("href") == "http://metadata.un.org/sdg/11"  # type: ignore[attr-defined]


# English UI words that are also Catalan (so they may show on a Catalan page)
SAME_IN_CATALAN = {"bytes", "total", "elements", "Parts", "Element", "Plans", "Classes",
                   "interval", "instant"}


def _english_left(page: object) -> list[str]:
    """UI strings of the English chrome that show on a page outside data: elements marked
    as in another language (data quoted in English carries ``lang="en"``) and the names
    of things (links to their pages)."""
    from metrokg.web.i18n import TERMS, UI

    text = page.evaluate("""() => {
        const body = document.body.cloneNode(true);
        // data: values in another language, names of things (links to /id/ and /sdg/ pages)
        body.querySelectorAll("[lang]:not([lang=ca]), script, style, a[href^='/id/'], "
                              + "a[href^='/sdg/']").forEach(e => e.remove());
        return body.textContent;
    }""")  # type: ignore[attr-defined]
    strings = {v for v in UI["en"].values() if len(v) > 3 and "{" not in v}
    strings |= {v["en"] for v in TERMS.values() if len(v["en"]) > 3}
    strings -= SAME_IN_CATALAN
    # whole words, not parts of CURIEs (unit:PERCENT)
    return sorted(s for s in strings if re.search(rf"(?<![\w:]){re.escape(s)}(?![\w:])", text))


def test_catalan_is_kept_through_four_clicks(watched: tuple[object, list[str], list[str]],
                                              url: str) -> None:
    page, _, _ = watched
    page.goto(url + "/", wait_until="load")  # type: ignore[attr-defined]
    page.locator(".langs a[hreflang=ca]").click()  # type: ignore[attr-defined]
    page.wait_for_load_state("load")  # type: ignore[attr-defined]
    for click in (f"a[href^='{PLAN}?']", "a.sdg >> text='11'", "#plans li a", "#tree a.title"):
        page.locator(click).first.click()  # type: ignore[attr-defined]
        page.wait_for_load_state("load")  # type: ignore[attr-defined]
        assert page.locator("html").get_attribute("lang") == "ca", page.url  # type: ignore[attr-defined]
        assert _english_left(page) == [], page.url  # type: ignore[attr-defined]


def test_query_workbench(watched: tuple[object, list[str], list[str]], url: str) -> None:
    """Highlighting, a catalogue question's parameter form, permalink, filter, download."""
    page, _, _ = watched
    page.goto(url + "/query?lang=ca", wait_until="load")  # type: ignore[attr-defined]
    names = page.locator("#examples option").all_inner_texts()  # type: ignore[attr-defined]
    page.select_option("#examples", index=next(  # type: ignore[attr-defined]
        i for i, n in enumerate(names) if n.startswith("memberships-of")))
    assert page.locator(".CodeMirror .cm-keyword").count() > 0  # type: ignore[attr-defined]
    field = page.locator("#params input[name=org]")  # type: ignore[attr-defined]
    assert field.input_value() == "amb"  # the catalogue's default
    field.fill("medcities")
    code = page.locator(".CodeMirror-code").inner_text()  # type: ignore[attr-defined]
    assert "VALUES ?org { <https://w3id.org/metrokg/id/org/medcities> }" in code
    field.fill("amb> } ?x ?y { <z")  # not an id: refused, the query is left as it was
    assert field.get_attribute("aria-invalid") == "true"
    field.fill("amb")
    assert "query=" in (page.locator("#permalink").get_attribute("href") or "")  # type: ignore[attr-defined]
    page.click("#run")  # type: ignore[attr-defined]
    page.wait_for_selector("#result-table td", timeout=15_000)  # type: ignore[attr-defined]
    # REFERENCE-FACTS.md: the AMB is a member of Metropolis; local IRIs open local pages
    links = page.locator("#result-table a").evaluate_all(  # type: ignore[attr-defined]
        "as => as.map(a => a.getAttribute('href'))")
    assert "/id/org/metropolis?lang=ca" in links
    # the label column names the link (REFERENCE-FACTS.md: "Metropolis, World Association …")
    assert page.locator("#result-table a[href='/id/org/metropolis?lang=ca']").first.inner_text(  # type: ignore[attr-defined]
    ).startswith("Metropolis")
    rows = page.locator("#result-table tr:not([hidden])").count()  # type: ignore[attr-defined]
    page.fill("#filter", "metropolis")  # type: ignore[attr-defined]
    assert 1 < page.locator("#result-table tr:not([hidden])").count() < rows  # type: ignore[attr-defined]
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.click("#csv")  # type: ignore[attr-defined]
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "role,roleLabel,organisation,organisationLabel,from"
    assert "https://w3id.org/metrokg/id/org/metropolis" in text
