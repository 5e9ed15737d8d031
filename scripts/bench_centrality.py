"""Network analysis at scale: engines side by side, `metrokg network` end to end, and the
error of the sampled measures.

1. engines — exact betweenness, closeness and Louvain on NetworkX and igraph (and on
   rustworkx / networkit when installed: the candidates of decision record 0150) on
   G(n, 4n) graphs, interleaved rounds, medians, ratio against NetworkX;
2. command — the whole `metrokg network` process (store load, projection queries, view,
   analysis, table) on a synthetic project of N organisations and 4N membership relations,
   exact at 10^4 and sampled at 10^5;
3. error — sampled betweenness against exact (10^4 nodes) and sampled closeness against
   exact closeness of 300 random nodes (10^5 nodes).

Usage: .venv/bin/python scripts/bench_centrality.py [--rounds 3] [--small 1000,2000]
       [--exact 10000] [--large 100000] [--k 500]
Results go in docs/benchmarks.md (section "Network analysis at scale").
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx

from metrokg.analysis import centrality

ROOT = Path(__file__).resolve().parents[1]
B = "https://w3id.org/metrokg/"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def graph(n: int, seed: int = 1) -> nx.Graph:
    """G(n, 4n): the density of the targets (10^4 organisations / 4×10^4 edges)."""
    return nx.gnm_random_graph(n, 4 * n, seed=seed)


def clock(fn: Callable[[], Any]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# ---------------------------------------------------------------- 1. engines


def candidates(g: nx.Graph) -> dict[str, dict[str, Callable[[], Any]]]:
    """engine → measure → a call computing it exactly on *g*."""
    out: dict[str, dict[str, Callable[[], Any]]] = {}
    for engine in ("networkx", "igraph"):
        out[engine] = {
            "betweenness": lambda e=engine: centrality.betweenness(g, engine=e),
            "closeness": lambda e=engine: centrality.closeness(g, engine=e),
            "louvain": lambda e=engine: centrality.communities(g, engine=e),
        }
    try:
        import rustworkx as rx
    except ImportError:
        pass
    else:
        r = rx.PyGraph()
        r.add_nodes_from(list(g))
        r.add_edges_from_no_data(list(g.edges()))
        out["rustworkx"] = {
            "betweenness": lambda: rx.betweenness_centrality(r, normalized=True),
            "closeness": lambda: rx.closeness_centrality(r, wf_improved=True),
        }
    try:
        import networkit as nk
    except ImportError:
        pass
    else:
        nk.engineering.setNumberOfThreads(os.cpu_count() or 1)
        k = nk.Graph(g.number_of_nodes())
        for a, b in g.edges():
            k.addEdge(a, b)
        variant = nk.centrality.ClosenessVariant.Generalized
        out["networkit"] = {
            "betweenness": lambda: nk.centrality.Betweenness(k, normalized=True).run(),
            "closeness": lambda: nk.centrality.Closeness(k, True, variant).run(),
            "louvain": lambda: nk.community.PLM(k, True).run(),
        }
    return out


def engines(sizes: list[int], rounds: int) -> None:
    print("\n## 1. engines (exact measures, seconds, median of interleaved rounds)")
    for n in sizes:
        g = graph(n)
        calls = candidates(g)
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(rounds):
            for engine, measures in calls.items():
                for measure, fn in measures.items():
                    times.setdefault((engine, measure), []).append(clock(fn))
        print(f"\nG(n={n}, m={g.number_of_edges()}), {rounds} rounds")
        print("| engine | betweenness | closeness | louvain | ratio NetworkX / engine (b, c, l) |")
        print("|---|---:|---:|---:|---|")
        for engine in calls:
            med = {m: statistics.median(times[engine, m]) for m in ("betweenness", "closeness",
                                                                     "louvain")
                   if (engine, m) in times}
            ratio = ", ".join(
                f"{statistics.median(times['networkx', m]) / med[m]:.0f}×" if m in med else "—"
                for m in ("betweenness", "closeness", "louvain"))
            cells = " | ".join(f"{med[m]:.3f}" if m in med else "—"
                               for m in ("betweenness", "closeness", "louvain"))
            print(f"| {engine} | {cells} | {ratio} |")


# ---------------------------------------------------------------- 2. the command


def synthetic_project(folder: Path, g: nx.Graph) -> Path:
    """A project folder holding the projection queries and a built dump of *g*'s nodes as
    organisations and its edges as org:Membership relations (what the queries read)."""
    shutil.copytree(ROOT / "queries" / "network", folder / "queries" / "network")
    out = folder / "dist" / "graph"
    out.mkdir(parents=True)
    graph_iri = f"<{B}graph/synthetic>"
    role = f"<{B}def/role/member>"
    lines = [f"{role} <{SKOS}notation> \"member\" {graph_iri} ."]
    for v in g:
        o = f"<{B}id/org/o{v}>"
        lines.append(f"{o} {RDF_TYPE} <{ORG}Organization> {graph_iri} .")
        lines.append(f"{o} <{SKOS}prefLabel> \"Organisation {v}\"@en {graph_iri} .")
    for i, (a, b) in enumerate(g.edges()):
        m = f"<{B}id/relation/r{i}>"
        lines += [f"{m} {RDF_TYPE} <{ORG}Membership> {graph_iri} .",
                  f"{m} <{ORG}member> <{B}id/org/o{a}> {graph_iri} .",
                  f"{m} <{ORG}organization> <{B}id/org/o{b}> {graph_iri} .",
                  f"{m} <{ORG}role> {role} {graph_iri} ."]
    (out / "metrokg.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def command(project: Path, *options: str) -> float:
    """Seconds of one whole `metrokg network` process on *project*; prints its CPU time
    (user + system), peak RSS and the load average, which wall time alone hides on a
    shared machine."""
    exe = Path(sys.executable).with_name("metrokg")
    t = time.perf_counter()
    proc = subprocess.Popen([str(exe), "network", "--project", str(project), "--top", "3",
                             *options], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"metrokg network failed: {stderr.strip()}")
    print(f"  run: wall {seconds:.1f} s, CPU {usage.ru_utime + usage.ru_stime:.1f} s, "
          f"peak RSS {usage.ru_maxrss / 1024:.0f} MB, load {os.getloadavg()[0]:.1f}",
          flush=True)
    return seconds


def commands(exact_n: int, large_n: int, k: int, rounds: int, tmp: Path) -> None:
    print("\n## 2. `metrokg network`, whole process (seconds)")
    small = synthetic_project(tmp / "exact", graph(exact_n, seed=2))
    runs = [command(small) for _ in range(rounds)]
    print(f"{exact_n} organisations, {4 * exact_n} relations, exact (engine auto = igraph): "
          f"median {statistics.median(runs):.1f} s over {rounds} runs {sorted(runs)}")
    ref = command(small, "--engine", "networkx", "--betweenness-k", "100", "--closeness-k", "100")
    print(f"  same with --engine networkx, k = 100 sources and pivots: {ref:.1f} s "
          f"(exact NetworkX ≈ {exact_n / 100:.0f}× its betweenness + closeness share)")
    large = synthetic_project(tmp / "large", graph(large_n, seed=3))
    runs = [command(large, "--betweenness-k", str(k), "--closeness-k", str(k))
            for _ in range(max(1, rounds - 1))]
    print(f"{large_n} organisations, {4 * large_n} relations, k = {k} sources and pivots: "
          f"median {statistics.median(runs):.1f} s over {len(runs)} runs {sorted(runs)}")


# ---------------------------------------------------------------- 3. error


def errors(exact_n: int, large_n: int, ks: list[int]) -> None:
    print("\n## 3. error of the sampled measures")
    g = graph(exact_n, seed=2)
    exact = centrality.betweenness(g, engine="igraph")
    top = max(exact.values())
    top20 = set(sorted(exact, key=lambda v: -exact[v])[:20])
    for k in ks:
        est = centrality.betweenness(g, k=k, seed=42, engine="igraph")
        errs = sorted(abs(est[v] - exact[v]) for v in g)
        hit = len(top20 & set(sorted(est, key=lambda v: -est[v])[:20]))
        print(f"betweenness, n={exact_n}, k={k}: max abs error {errs[-1]:.2e} "
              f"(max score {top:.2e}), median {errs[len(errs) // 2]:.2e}, top-20 overlap {hit}/20")
    exact_c = centrality.closeness(g, engine="igraph")
    for k in ks:
        est = centrality.closeness(g, k=k, seed=42, engine="igraph")
        rel = sorted(abs(est[v] - exact_c[v]) / exact_c[v] for v in g if exact_c[v])
        print(f"closeness, n={exact_n}, k={k}: max relative error {rel[-1]:.2%}, "
              f"median {rel[len(rel) // 2]:.2%}")
    big = graph(large_n, seed=3)
    ig_graph, nodes = centrality._igraph(big)
    probe = random.Random(0).sample(range(large_n), 300)
    raw = ig_graph.closeness(vertices=probe, mode="in", normalized=True)
    sizes = {i: len(c) for c in ig_graph.connected_components() for i in c}
    truth = {nodes[i]: (0.0 if r != r else r * (sizes[i] - 1) / (large_n - 1))
             for i, r in zip(probe, raw, strict=True)}
    for k in ks:
        t = time.perf_counter()
        est = centrality.closeness(big, k=k, seed=42, engine="igraph")
        seconds = time.perf_counter() - t
        rel = sorted(abs(est[v] - truth[v]) / truth[v] for v in truth if truth[v])
        print(f"closeness, n={large_n}, k={k} ({seconds:.1f} s): against exact closeness of 300 "
              f"random nodes, max relative error {rel[-1]:.2%}, median {rel[len(rel) // 2]:.2%}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--small", default="1000,2000", help="sizes of the engine comparison")
    ap.add_argument("--exact", type=int, default=10_000, help="organisations, exact run")
    ap.add_argument("--large", type=int, default=100_000, help="organisations, sampled run")
    ap.add_argument("--k", type=int, default=500, help="sources/pivots of the sampled run")
    ap.add_argument("--skip", default="", help="comma-separated sections to skip: 1,2,3")
    a = ap.parse_args()
    skip = set(a.skip.split(","))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at start")
    if "1" not in skip:
        engines([int(s) for s in a.small.split(",")], a.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        if "2" not in skip:
            commands(a.exact, a.large, a.k, a.rounds, Path(tmp))
    if "3" not in skip:
        errors(a.exact, a.large, sorted({100, a.k}))
    print(f"\nload average {os.getloadavg()[0]:.1f} at end")


if __name__ == "__main__":
    main()
