"""The explorer at scale, in headless Chromium, next to pyvis's own page.

1. 5,000 organisations / 20,000 edges (G(n, m), seed 1): time to write the page and until
   it is ready (drawn, ``body[data-ready=true]``), interleaved runs, medians; the same
   graph through pyvis's ``Network.from_nx`` + ``write_html`` and until its page is ready
   (layout stabilised), in the same run; the ratio.
2. 50,000 / 200,000: write and ready times (the page opens on the community overview),
   and a screenshot of the overview (``--shots DIR``); 100,000 nodes are refused
   (metrokg.outputs.explorer.LIMIT) before any analysis is wasted on them.
3. Readability of a force layout: the same kind of graph drawn whole (``#view=all``) at
   growing sizes; for each, the share of nodes whose disc on the 1400×900 screen overlaps
   another's. Above the size where most nodes overlap, the page starts from the overview
   (metrokg.outputs.explorer.OVERVIEW).

Usage: .venv/bin/python scripts/bench_explorer.py [--rounds 3] [--skip-pyvis] [--shots docs/img]
Results go in docs/benchmarks.md (section "Network explorer").
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import networkx as nx
from playwright.sync_api import sync_playwright

from metrokg.analysis.measures import analyse
from metrokg.outputs.explorer import explorer_html

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TYPES = ("municipality", "city-network", "governance-body", "international-organisation",
         "business-association", "research-centre")


def synthetic(n: int, m: int, seed: int = 1) -> nx.Graph:
    """G(n, m) whose nodes look like organisations (IRIs, names, six types)."""
    g = nx.gnm_random_graph(n, m, seed=seed)
    g = nx.relabel_nodes(g, {i: f"https://w3id.org/metrokg/id/org/o{i}" for i in g})
    for i, v in enumerate(g):
        g.nodes[v].update(names={"en": f"Organisation {i}"}, type=TYPES[i * 7 % len(TYPES)])
    nx.set_edge_attributes(g, 1, "weight")
    nx.set_edge_attributes(g, ["membership"], "kinds")
    nx.set_edge_attributes(g, ["member"], "roles")
    g.graph.update(view="whole", name="whole")
    return g


def planted(n: int, seed: int = 3) -> nx.Graph:
    """Communities of 40 organisations (6 links inside, 2 outside on average): a network
    with structure, unlike G(n, m)."""
    k = max(1, n // 40)
    g = nx.planted_partition_graph(k, 40, 6 / 39, 2 / max(1, n - 40), seed=seed)
    out = synthetic(g.number_of_nodes(), 0, seed)
    out.add_edges_from((f"https://w3id.org/metrokg/id/org/o{a}",
                        f"https://w3id.org/metrokg/id/org/o{b}",
                        {"weight": 1, "kinds": ["membership"], "roles": ["member"]})
                       for a, b in g.edges())
    return out


def ready(browser: Any, path: Path, timeout_s: float, fragment: str = "",
          shot: Path | None = None, selector: str = "body[data-ready=true]") -> float:
    """Seconds from navigation until *selector* is there (inf after *timeout_s*)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    t = time.perf_counter()
    page.goto(path.as_uri() + fragment, wait_until="commit", timeout=timeout_s * 1000)
    try:
        page.wait_for_selector(selector, state="attached", timeout=timeout_s * 1000)
        seconds = time.perf_counter() - t
        if shot is not None:
            page.wait_for_timeout(300)
            page.screenshot(path=str(shot))
        return seconds
    except Exception:  # a timeout: reported as such
        return float("inf")
    finally:
        if errors:
            print(f"  page errors in {path.name}: {errors[:3]}")
        page.close()


def overlap(browser: Any, path: Path) -> tuple[int, float]:
    """(nodes drawn, share of them whose disc overlaps another's) for the whole view."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.as_uri() + "#view=all")
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
    share = page.evaluate("""() => { const x = window.metrokgExplorer, net = x.network;
      const ids = x.displayed(), pos = net.getPositions(ids), scale = net.getScale();
      const pts = ids.map((id) => { const d = net.canvasToDOM(pos[id]);
        return [d.x, d.y, net.body.nodes[id].options.size * scale]; });
      const cell = 20, grid = new Map();
      pts.forEach((p, i) => { const k = Math.floor(p[0] / cell) + "," + Math.floor(p[1] / cell);
        if (!grid.has(k)) grid.set(k, []); grid.get(k).push(i); });
      let hit = 0;
      pts.forEach((p, i) => { const gx = Math.floor(p[0] / cell), gy = Math.floor(p[1] / cell);
        let found = false;
        for (let dx = -2; dx <= 2 && !found; dx++) for (let dy = -2; dy <= 2 && !found; dy++)
          for (const j of grid.get((gx + dx) + "," + (gy + dy)) || []) {
            if (j === i) continue; const q = pts[j];
            if (Math.hypot(p[0] - q[0], p[1] - q[1]) < p[2] + q[2]) { found = true; break; } }
        if (found) hit++; });
      return [ids.length, hit / ids.length]; }""")
    page.close()
    return int(share[0]), float(share[1])


def page_for(g: nx.Graph, folder: Path, name: str) -> tuple[Path, float, float]:
    """Write *g*'s explorer page: (path, seconds of the analysis, seconds of the page)."""
    t = time.perf_counter()
    analysis = analyse(g, betweenness_k=200, closeness_k=200)
    t_analyse = time.perf_counter() - t
    t = time.perf_counter()
    html = explorer_html(g, analysis)
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    return path, t_analyse, time.perf_counter() - t


def pyvis_page(g: nx.Graph, folder: Path) -> tuple[Path, float]:
    """pyvis's own page of *g*: ``from_nx`` + ``write_html`` (seconds), ready hook added."""
    from pyvis.network import Network

    t = time.perf_counter()
    net = Network(cdn_resources="in_line")
    net.from_nx(g)
    path = folder / "pyvis.html"
    net.write_html(str(path))
    seconds = time.perf_counter() - t
    html = path.read_text(encoding="utf-8").replace(
        "network = new vis.Network(container, data, options);",
        "network = new vis.Network(container, data, options);"
        "network.once('stabilizationIterationsDone',"
        "()=>document.body.dataset.ready='true');")
    path.write_text(html, encoding="utf-8")
    return path, seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--skip-pyvis", action="store_true")
    ap.add_argument("--pyvis-timeout", type=float, default=180)
    ap.add_argument("--shots", type=Path, default=None, help="write explorer-50k.png here")
    ap.add_argument("--only-readability", action="store_true", help="section 3 only")
    ap.add_argument("--sizes", default="250,500,1000,1500,2000,3000,5000",
                    help="sizes of the readability measurement (mean degree 8)")
    a = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at start")
    tmp = Path(tempfile.mkdtemp())
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)

        if a.only_readability:
            a.skip_pyvis, sections = True, {3}
        else:
            sections = {1, 2, 3}
        if 1 in sections:
            section_one(b, a, tmp)
        if 2 in sections:
            section_two(b, a, tmp)
        if 3 in sections:
            section_three(b, a, tmp)
        b.close()
    print(f"\nload average {os.getloadavg()[0]:.1f} at end")


def section_one(b: Any, a: argparse.Namespace, tmp: Path) -> None:
    print("\n## 1. 5,000 organisations, 20,000 edges")
    g = synthetic(5000, 20000)
    writes, readies, readies_all = [], [], []
    for _ in range(a.rounds):
        path, t_analyse, t_page = page_for(g, tmp, "ours-5k")
        writes.append(t_page)
        readies.append(ready(b, path, 60))
        readies_all.append(ready(b, path, 60, "#view=all"))
    ours = statistics.median(writes) + statistics.median(readies)
    print(f"metrokg: analysis {t_analyse:.1f} s (sampled k=200); page written in "
          f"median {statistics.median(writes):.2f} s ({path.stat().st_size / 1e6:.1f} MB); "
          f"ready in median {statistics.median(readies):.2f} s (overview), "
          f"{statistics.median(readies_all):.2f} s drawn whole (#view=all); "
          f"runs {[round(r, 2) for r in readies]} / {[round(r, 2) for r in readies_all]}")
    if not a.skip_pyvis:
        theirs_path, t_pyvis = pyvis_page(g, tmp)
        theirs_ready = ready(b, theirs_path, a.pyvis_timeout)
        theirs = t_pyvis + theirs_ready
        print(f"pyvis from_nx + write_html: {t_pyvis:.1f} s; ready in Chromium "
              f"{theirs_ready:.1f} s (timeout {a.pyvis_timeout:.0f} s)")
        capped = min(theirs, t_pyvis + a.pyvis_timeout)
        whole = statistics.median(writes) + statistics.median(readies_all)
        print(f"ratio pyvis / metrokg (write + ready): "
              f"{'≥ ' if theirs == float('inf') else ''}{capped / ours:.0f}× "
              f"(against the whole drawing: {capped / whole:.0f}×)")



def section_two(b: Any, a: argparse.Namespace, tmp: Path) -> None:
    print("\n## 2. large views")
    for n in (50_000,):
        big = synthetic(n, 4 * n, seed=2)
        path, t_analyse, t_page = page_for(big, tmp, f"ours-{n}")
        shot = a.shots / "explorer-50k.png" if a.shots and n == 50_000 else None
        seconds = ready(b, path, 120, shot=shot)
        print(f"{n} organisations, {4 * n} edges: analysis {t_analyse:.1f} s, page "
              f"{t_page:.1f} s ({path.stat().st_size / 1e6:.0f} MB), ready in {seconds:.1f} s"
              + (f", screenshot {shot}" if shot else ""))



def section_three(b: Any, a: argparse.Namespace, tmp: Path) -> None:
    print("\n## 3. readability of the whole drawing (share of nodes overlapping another)")
    for family, make in (("G(n, 4n)", lambda n: synthetic(n, 4 * n, seed=3)),
                         ("communities of 40", planted)):
        for n in (int(s) for s in a.sizes.split(",")):
            path, _, _ = page_for(make(n), tmp, f"read-{n}")
            drawn, share = overlap(b, path)
            print(f"{family}, {n:>6} organisations: {share:.0%} of {drawn} nodes overlap "
                  "another")


if __name__ == "__main__":
    main()
