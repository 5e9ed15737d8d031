"""The explorer in a real headless Chromium: offline, correct counts, filters, evidence,
focus, shareable state, exports, languages, small screens, the overview of large networks,
and inert hostile labels."""

from __future__ import annotations

import csv
import io
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from metrokg.analysis.measures import analyse
from metrokg.analysis.network import View, label_of, load_projection, network_view
from metrokg.outputs.build import BuildResult
from metrokg.outputs.explorer import explorer_html, pyvis_network
from metrokg.outputs.store import open_store

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
XSS = "<img src=x onerror=alert(1)>"
ORG = "https://w3id.org/metrokg/id/org/"
LOCAL = ("file:", "data:", "blob:")


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

    def __init__(self, browser: Any, path: Path, fragment: str = "",
                 viewport: tuple[int, int] = (1400, 900)) -> None:
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]},
                                     accept_downloads=True)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type in ("error", "warning")
                     and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.route("**/*", lambda route: route.continue_()
                        if route.request.url.startswith(LOCAL) else route.abort())
        self.page.goto(path.as_uri() + fragment)
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)

    def shown(self) -> tuple[int, int]:
        return tuple(self.page.evaluate(  # type: ignore[return-value]
            "() => [window.metrokgExplorer.visibleNodes, window.metrokgExplorer.visibleEdges]"))

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def reset(self) -> None:
        self.page.click("#reset")

    def drawn_orgs(self) -> set[str]:
        """IRIs of the organisations drawn on the canvas now."""
        return set(self.js("""() => { const x = window.metrokgExplorer;
            return x.displayed().filter((id) => id.startsWith("n:"))
                    .map((id) => x.data.nodes[+id.slice(2)].id); }"""))

    def screen_positions(self) -> list[tuple[float, float]]:
        """Where each drawn node is, in pixels of the network element."""
        return [tuple(p) for p in self.js("""() => { const x = window.metrokgExplorer;
            const ids = x.displayed(), pos = x.network.getPositions(ids);
            return ids.map((id) => { const d = x.network.canvasToDOM(pos[id]); return [d.x, d.y]; }); }""")]


@pytest.fixture(scope="module")
def real(built: BuildResult, browser: Any) -> tuple[Page, Any]:
    projection = load_projection(open_store(dump=built.files["dataset_nquads"]),
                                 ROOT / "queries" / "network")
    return Page(browser, built.files["explorer"]), projection


def test_page_loads_offline_with_no_errors(real: tuple[Page, Any]) -> None:
    page, _ = real
    assert page.errors == []
    assert all(u.startswith(LOCAL) for u in page.requests), page.requests


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
    """Not blank and not wrong: the pixel under AMB's node has the colour the legend gives
    AMB's type, and each of the three largest types' colours covers part of the canvas."""
    from PIL import Image

    page, _ = real
    page.reset()
    out = tmp_path / "network.png"
    page.page.locator("#network").screenshot(path=str(out))
    image = Image.open(out).convert("RGB")
    amb = page.js("""(iri) => { const x = window.metrokgExplorer, n = x.data.nodes.find((o) => o.id === iri);
        const p = x.network.getPositions(["n:" + n.i])["n:" + n.i], d = x.network.canvasToDOM(p);
        return [d.x, d.y, x.network.body.nodes["n:" + n.i].options.color.background]; }""", ORG + "amb")
    pixel = image.getpixel((round(amb[0]), round(amb[1])))
    assert pixel == hex_rgb(amb[2]), (pixel, amb[2])
    legend = page.page.locator("#legend .item svg *").evaluate_all(
        "(shapes) => shapes.map((s) => s.getAttribute('fill'))")
    counts = image.getcolors(maxcolors=1 << 20) or []
    present = {colour for _, colour in counts if _ > 20}
    for colour in legend[:3]:
        assert hex_rgb(colour) in present, colour
    white = sum(n for n, colour in counts if colour == (255, 255, 255))
    assert white < 0.98 * image.width * image.height  # not an empty canvas


def hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def test_hovering_the_amb_medcities_edge_shows_its_evidence(real: tuple[Page, Any]) -> None:
    page, projection = real
    page.reset()
    g = network_view(projection, View())
    items = g.edges[ORG + "amb", ORG + "medcities"]["items"]
    quotes = [s["quote"] for i in items for s in i.get("sources", ()) if s["quote"]]
    assert quotes  # the records quote the source for this link
    spot = page.js("""([a, b]) => { const x = window.metrokgExplorer, net = x.network;
        const ia = x.data.nodes.findIndex((n) => n.id === a), ib = x.data.nodes.findIndex((n) => n.id === b);
        const e = x.data.edges.find((e) => (e.s === ia && e.t === ib) || (e.s === ib && e.t === ia));
        const p = net.getPositions(["n:" + ia, "n:" + ib]);
        for (let k = 1; k < 40; k++) {
          const f = 0.5 + (k % 2 ? 1 : -1) * Math.floor(k / 2) / 40;
          const c = { x: p["n:" + ia].x * (1 - f) + p["n:" + ib].x * f, y: p["n:" + ia].y * (1 - f) + p["n:" + ib].y * f };
          const d = net.canvasToDOM(c);
          if (net.getNodeAt(d) === undefined && net.getEdgeAt(d) === e.id) return [d.x, d.y];
        }
        return null; }""", [ORG + "amb", ORG + "medcities"])
    assert spot is not None, "no point of the edge is free of other nodes and edges"
    box = page.page.locator("#network").bounding_box()
    page.page.mouse.move(box["x"] + spot[0], box["y"] + spot[1])
    page.page.wait_for_selector("#tooltip:not([hidden])")
    text = page.page.text_content("#tooltip") or ""
    shown_quotes = page.page.locator("#tooltip blockquote").all_text_contents()
    assert set(quotes) <= set(shown_quotes)
    for end in ("amb", "medcities"):
        assert label_of(g.nodes[ORG + end]["names"], ORG + end, "en") in text
    page.page.mouse.move(1, 1)


def test_focus_on_metropolis_shows_as_many_neighbours_as_its_degree(
        real: tuple[Page, Any]) -> None:
    page, projection = real
    page.reset()
    metropolis = ORG + "metropolis"
    degree = analyse(network_view(projection, View())).score(metropolis).degree
    page.page.fill("#search", "World Association of the Major")
    page.page.click("#panel button")  # "Focus here"
    drawn = page.drawn_orgs()
    assert metropolis in drawn
    assert len(drawn) - 1 == degree == page.js("() => window.metrokgExplorer.focusNeighbours")
    assert "focus=metropolis" in page.js("() => location.hash")
    page.page.select_option("#depth", "2")
    assert len(page.drawn_orgs()) > degree + 1


def test_a_filter_refits_every_visible_node_into_the_viewport(real: tuple[Page, Any]) -> None:
    page, _ = real
    page.reset()
    page.page.select_option("#plan", "https://w3id.org/metrokg/id/plan/metropolis-action-plan-2018-2020")
    page.page.fill("#min-degree", "2")
    page.page.dispatch_event("#min-degree", "change")
    box = page.page.locator("#network").bounding_box()
    positions = page.screen_positions()
    assert positions
    for x, y in positions:
        assert 0 <= x <= box["width"] and 0 <= y <= box["height"], (x, y)
    xs, ys = [x for x, _ in positions], [y for _, y in positions]
    filled = max((max(xs) - min(xs)) / box["width"], (max(ys) - min(ys)) / box["height"])
    assert filled > 0.6  # re-fitted, not left small in a corner


def test_a_focus_link_opens_the_same_view(real: tuple[Page, Any], browser: Any,
                                          built: BuildResult) -> None:
    page, _ = real
    page.reset()
    page.page.select_option("#lang", "ca")
    page.page.fill("#search", "MedCities")
    page.page.click("#panel button")
    page.page.select_option("#depth", "2")
    page.page.select_option("#relation", "co-involvement")
    fragment = page.js("() => location.hash")
    assert "focus=medcities" in fragment and "depth=2" in fragment and "lang=ca" in fragment
    expected = page.drawn_orgs()
    other = Page(browser, built.files["explorer"], fragment)
    try:
        assert other.drawn_orgs() == expected
        assert other.page.input_value("#relation") == "co-involvement"
        assert other.page.input_value("#lang") == "ca"
        assert other.errors == []
    finally:
        other.page.close()
    page.page.select_option("#lang", "en")


def test_exports_png_and_csv_of_the_visible_subgraph(real: tuple[Page, Any], tmp_path: Path
                                                      ) -> None:
    page, projection = real
    page.reset()
    page.page.select_option("#plan", "https://w3id.org/metrokg/id/plan/amb-pam-2015-2019")
    g = network_view(projection, View.parse("plan:amb-pam-2015-2019"))
    with page.page.expect_download() as png:
        page.page.click("#export-png")
    data = Path(png.value.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    canvas = page.js("() => { const c = document.querySelector('#network canvas'); return [c.width, c.height]; }")
    assert [width, height] == canvas
    with page.page.expect_download() as nodes_csv:
        page.page.click("#export-csv")
    rows = list(csv.DictReader(io.StringIO(Path(nodes_csv.value.path()).read_text())))
    assert {r["id"] for r in rows} == set(g.nodes)
    assert {"pagerank", "betweenness", "community"} <= set(rows[0])
    with page.page.expect_download() as links_csv:
        page.page.click("#export-csv-links")
    links = list(csv.DictReader(io.StringIO(Path(links_csv.value.path()).read_text())))
    assert {frozenset((r["source"], r["target"])) for r in links} == {
        frozenset(e) for e in g.edges}
    with page.page.expect_download() as gexf:
        page.page.click("#export-gexf")
    back = nx.read_gexf(gexf.value.path())
    assert set(back.nodes) == set(g.nodes) and back.number_of_edges() == g.number_of_edges()


def test_catalan_leaves_no_english_control_label(real: tuple[Page, Any]) -> None:
    page, _ = real
    page.reset()
    page.page.select_option("#lang", "ca")
    try:
        english = page.js("""() => { const T = window.metrokgExplorer.i18n, out = [];
            const walk = (en, ca) => { for (const k of Object.keys(en)) {
              if (typeof en[k] === "object") walk(en[k], ca[k] || {});
              else if (en[k] !== ca[k]) out.push(en[k]); } };
            walk(T.en, T.ca); return out; }""")
        assert "Search" in english and "all relations" in english
        english += ["Search", "Relation", "Min. links", "Min. weight", "Years", "Focus depth",
                    "Size", "Colour", "Language", "Reset", "Table", "Export", "all plans",
                    "all SDGs", "all relations", "organisation type", "no focus", "1 step",
                    "2 steps", "CSV links", "Show communities", "Show all organisations"]
        controls = page.page.locator(
            "header [data-t], header button, header summary, #depth option, #size option, "
            "#colour option, #plan option[value=''], #goal option[value=''], #relation option"
        ).evaluate_all("(els) => els.map((e) => e.textContent.trim())")
        assert len(controls) > 30
        for text in controls:
            assert text not in english, text
        sentences = (page.page.text_content("#status") or "") + (
            page.page.text_content("#legend") or "")
        for word in ("organisations", "links shown", "Colour and shape", "Legend", "Size"):
            assert word not in sentences, word
        assert page.page.text_content("label:has(#search) span") == "Cerca"
    finally:
        page.page.select_option("#lang", "en")


def test_usable_at_390_pixels(browser: Any, built: BuildResult) -> None:
    page = Page(browser, built.files["explorer"], viewport=(390, 844))
    try:
        box = page.page.locator("#network").bounding_box()
        assert box["width"] >= 370 and box["height"] >= 300
        assert page.js("() => document.documentElement.scrollWidth") <= 390
        page.page.click("#controls-box summary")  # folded on phones; every control fits
        assert page.page.is_visible("#search")
        assert page.js("() => document.documentElement.scrollWidth") <= 390
        for x, y in page.screen_positions():
            assert 0 <= x <= box["width"] and 0 <= y <= box["height"]
    finally:
        page.page.close()


def test_keyboard_path_to_the_text_table(real: tuple[Page, Any]) -> None:
    page, projection = real
    page.reset()
    page.page.focus("#table-toggle")
    page.page.keyboard.press("Enter")
    rows = page.page.locator("#table tr").count() - 1
    assert rows == network_view(projection, View()).number_of_nodes()
    page.page.locator("#table button").first.focus()
    page.page.keyboard.press("Enter")
    assert page.page.locator("#panel .details .name").count() == 1
    page.page.focus("#table-toggle")
    page.page.keyboard.press("Enter")


def test_large_view_opens_on_the_community_overview(browser: Any, tmp_path: Path) -> None:
    g = nx.planted_partition_graph(8, 40, 0.2, 0.005, seed=3)
    g = nx.relabel_nodes(g, {i: f"https://example.org/o{i}" for i in g})
    g.graph.update(view="whole", name="whole")
    nx.set_edge_attributes(g, 1, "weight")
    nx.set_edge_attributes(g, ["membership"], "kinds")
    analysis = analyse(g)
    path = tmp_path / "large.html"
    path.write_text(explorer_html(g, analysis, overview=100))
    page = Page(browser, path)
    try:
        drawn = page.js("() => window.metrokgExplorer.displayed()")
        assert sorted(drawn) == sorted(f"c:{i}" for i in range(1, len(analysis.communities) + 1))
        assert "100" in (page.page.text_content("#status") or "")
        page.js("() => { window.metrokgExplorer.network.emit('click', {nodes: ['c:1'], edges: []}); }")
        assert len(page.drawn_orgs()) == len(analysis.communities[0])
        page.page.click("#overview-toggle")
        assert len(page.drawn_orgs()) == g.number_of_nodes()
        assert page.errors == []
    finally:
        page.page.close()


def test_pyvis_network_is_built_in_one_pass(real: tuple[Page, Any]) -> None:
    _, projection = real
    g = network_view(projection, View())
    net = pyvis_network(g, analyse(g), lang="ca", cdn_resources="in_line")
    assert len(net.nodes) == g.number_of_nodes() and len(net.edges) == g.number_of_edges()
    assert {n["id"] for n in net.nodes} == set(g.nodes)
    amb = next(n for n in net.nodes if n["id"] == ORG + "amb")
    assert amb["label"] == g.nodes[ORG + "amb"]["names"]["ca"]
    assert "<" not in amb["title"]  # plain text: pyvis would render HTML
    from metrokg.outputs.explorer import pyvis_page
    from metrokg.queries import notebook as nb

    page = pyvis_page(net)
    assert "vis-network" in page and nb.remote_references(page) == []
    assert nb.remote_references(net.generate_html())  # what pyvis alone would load


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


def test_a_page_of_too_many_organisations_is_refused_with_one_clear_message() -> None:
    from metrokg.analysis.measures import Analysis
    from metrokg.errors import InputError
    from metrokg.outputs.explorer import LIMIT

    g = nx.empty_graph(LIMIT + 1)
    empty = Analysis(view="whole", view_name="whole", directed=False, nodes=LIMIT + 1,
                     edges=0, scores=(), communities=(), bridges=(), brokers=())
    with pytest.raises(InputError, match="too many for one page") as info:
        explorer_html(g, empty)
    assert "GEXF" in str(info.value.hint)
