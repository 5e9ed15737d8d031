"""The explorer in a real headless Chromium: offline, correct counts, filters, and inert
hostile labels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from metrokg.analysis import analyse
from metrokg.build import BuildResult
from metrokg.explorer import explorer_html
from metrokg.network import View, load_projection, network_view
from metrokg.store import open_store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (run `make system-deps`)")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Page:
    """A page plus what it logged, requested and popped up."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning")
                     and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.route("**/*", lambda route: route.continue_()
                        if route.request.url.startswith(("file:", "data:")) else route.abort())
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)

    def shown(self) -> tuple[int, int]:
        return tuple(self.page.evaluate(  # type: ignore[return-value]
            "() => [window.metrokgExplorer.visibleNodes, window.metrokgExplorer.visibleEdges]"))


@pytest.fixture(scope="module")
def real(built: BuildResult, browser: Any) -> tuple[Page, Any]:
    projection = load_projection(open_store(dump=built.files["dataset_nquads"]),
                                 ROOT / "queries" / "network")
    return Page(browser, built.files["explorer"]), projection


def test_page_loads_offline_with_no_errors(real: tuple[Page, Any]) -> None:
    page, _ = real
    assert page.errors == []
    assert all(u.startswith(("file:", "data:")) for u in page.requests), page.requests


def test_counts_match_the_whole_view(real: tuple[Page, Any]) -> None:
    page, projection = real
    g = network_view(projection, View())
    assert page.shown() == (g.number_of_nodes(), g.number_of_edges())


@pytest.mark.parametrize("select,value,view", [
    ("#plan", "https://w3id.org/metrokg/id/plan/amb-pam-2015-2019", "plan:amb-pam-2015-2019"),
    ("#goal", "11", "sdg:11"),
    ("#relation", "member", "relation:member"),
])
def test_filters_show_the_same_network_as_the_view(real: tuple[Page, Any], select: str,
                                                   value: str, view: str) -> None:
    page, projection = real
    g = network_view(projection, View.parse(view))
    page.page.select_option(select, value)
    try:
        assert page.shown() == (g.number_of_nodes(), g.number_of_edges())
    finally:
        page.page.select_option(select, "")


def test_search_finds_an_organisation(real: tuple[Page, Any]) -> None:
    page, _ = real
    page.page.fill("#search", "medcities")
    assert page.page.text_content("#search-count") == "1 match"
    assert "MedCities" in (page.page.text_content("#panel") or "")
    page.page.fill("#search", "")


def test_the_page_renders_a_picture(real: tuple[Page, Any], tmp_path: Path) -> None:
    # the README's picture is made the same way by scripts/screenshot_explorer.py
    page, _ = real
    out = tmp_path / "explorer.png"
    page.page.screenshot(path=str(out))
    assert out.stat().st_size > 10_000


def test_hostile_labels_stay_text(browser: Any, tmp_path: Path) -> None:
    g = nx.Graph(view="whole", name="whole")
    g.add_node("javascript:alert(2)", names={"en": XSS}, type="<script>alert(3)</script>")
    g.add_node("https://example.org/<script>", names={"en": "<script>alert(4)</script>"},
               type="x")
    g.add_edge("javascript:alert(2)", "https://example.org/<script>", weight=1,
               kinds=["membership"], roles=["</script><script>alert(5)</script>"])
    path = tmp_path / "x.html"
    path.write_text(explorer_html(g, analyse(g), title="</title><script>alert(6)</script>"))
    page = Page(browser, path)
    p = page.page
    p.fill("#search", "onerror")
    panel = p.text_content("#panel") or ""
    assert XSS in panel  # shown literally
    assert p.locator("#panel a").count() == 0  # a javascript: IRI is never a link
    assert p.title() == "</title><script>alert(6)</script>"
    p.fill("#search", "alert(4)")
    assert p.get_attribute("#panel a", "href") == "https://example.org/<script>"  # as text
    assert p.locator("img").count() == 0
    assert page.dialogs == [] and page.errors == []
