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
    assert page.locator("h1#title").inner_text().startswith("AMB")
    assert page.locator("#sources li").count() > 0
    assert page.locator("svg.ego circle").count() > 2
    page.locator(".langs a[hreflang=es]").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "es"
    page.locator("svg.ego a[href='/id/org/medcities'] circle").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/id/org/medcities")
    assert not errors
    assert {urlsplit(r).hostname for r in requests} == {"127.0.0.1"}
    page.close()


def test_query_page_runs_a_query(browser: object, url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    requests: list[str] = []
    page = _page(browser, requests)
    page.goto(url + "/query", wait_until="load")
    page.fill("#query", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                        "SELECT ?label WHERE { GRAPH ?g { <https://w3id.org/metrokg/id/org/amb> "
                        "skos:prefLabel ?label } }")
    page.click("#run")
    page.wait_for_selector("#result-table td", timeout=15_000)
    cells = page.locator("#result-table td").all_inner_texts()
    assert any(c.startswith("AMB") for c in cells)
    if page.locator("#examples option").count() > 1:  # catalogue queries, when present
        page.select_option("#examples", index=1)
        assert page.input_value("#query").strip()
        page.click("#run")
        expect = sync_api.expect  # polls without eval (the page's CSP forbids it)
        expect(page.locator("#status")).to_have_text(re.compile(r"^\d{3} "), timeout=15_000)
        assert page.locator("#status").inner_text().startswith("200")
    assert {urlsplit(r).hostname for r in requests} == {"127.0.0.1"}
    page.close()
