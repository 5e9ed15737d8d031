"""Time until the explorer is ready (layout settled) in headless Chromium, for a synthetic
network of 5,000 organisations and 20,000 edges, next to pyvis's default page.

Usage: .venv/bin/python scripts/bench_explorer.py [--nodes 5000] [--edges 20000]
Results go in docs/benchmarks.md (section "Network explorer").
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright

from metrokg.analysis import analyse
from metrokg.explorer import explorer_html

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def synthetic(n: int, m: int, seed: int = 1) -> nx.Graph:
    rng = random.Random(seed)
    g = nx.gnm_random_graph(n, m, seed=seed)
    g = nx.relabel_nodes(g, {i: f"https://w3id.org/metrokg/id/org/o{i}" for i in g})
    for v in g:
        g.nodes[v].update(names={"en": v.rsplit("/", 1)[1]}, type=rng.choice("abcdef"))
    nx.set_edge_attributes(g, 1, "weight")
    nx.set_edge_attributes(g, ["membership"], "kinds")
    g.graph.update(view="whole", name="whole")
    return g


def ready_time(browser: object, path: Path, selector: str, timeout_s: float) -> float:
    page = browser.new_page()  # type: ignore[attr-defined]
    t = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit", timeout=timeout_s * 1000)
    try:
        page.wait_for_selector(selector, state="attached", timeout=timeout_s * 1000)
        return time.perf_counter() - t
    except Exception:  # a timeout: report it as such
        return float("inf")
    finally:
        page.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--edges", type=int, default=20000)
    ap.add_argument("--pyvis-timeout", type=float, default=120)
    a = ap.parse_args()
    g = synthetic(a.nodes, a.edges)
    t = time.perf_counter()
    analysis = analyse(g, betweenness_k=200)
    t_analyse = time.perf_counter() - t
    t = time.perf_counter()
    page = explorer_html(g, analysis)
    t_html = time.perf_counter() - t
    tmp = Path(tempfile.mkdtemp())
    ours = tmp / "metrokg.html"
    ours.write_text(page)

    from pyvis.network import Network  # pyvis's default page, same graph
    net = Network(cdn_resources="in_line")
    t = time.perf_counter()
    net.add_nodes(list(g), label=list(g))
    pyvis_nodes = time.perf_counter() - t
    # add_edge is quadratic (it scans every edge for duplicates); time a slice, fill the rest
    edges = list(g.edges())
    t = time.perf_counter()
    for u, v in edges[:2000]:
        net.add_edge(u, v)
    pyvis_2000 = time.perf_counter() - t
    net.edges = [{"from": u, "to": v} for u, v in edges]
    theirs = tmp / "pyvis.html"
    html = net.generate_html()
    html = html.replace("network = new vis.Network(container, data, options);",
                        "network = new vis.Network(container, data, options);"
                        "network.once('stabilizationIterationsDone',"
                        "()=>document.body.dataset.ready='true');")
    theirs.write_text(html)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        ours_s = ready_time(b, ours, "body[data-ready=true]", 60)
        theirs_s = ready_time(b, theirs, "body[data-ready=true]", a.pyvis_timeout)
        b.close()
    print(f"graph: {a.nodes} nodes, {a.edges} edges")
    print(f"metrokg: analyse {t_analyse:.1f} s (betweenness k=200), page {t_html:.2f} s, "
          f"{ours.stat().st_size / 1e6:.1f} MB, ready in Chromium {ours_s:.1f} s")
    print(f"pyvis default: add_nodes {pyvis_nodes:.2f} s, first 2,000 add_edge {pyvis_2000:.1f} s "
          f"(quadratic), ready in Chromium {theirs_s:.1f} s (timeout {a.pyvis_timeout:.0f} s)")


if __name__ == "__main__":
    main()
