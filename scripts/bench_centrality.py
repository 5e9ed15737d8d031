"""Time each measure of metrokg.analysis on a synthetic 100,000-node network, and the
error of sampled betweenness against exact betweenness on a smaller one.

Usage: .venv/bin/python scripts/bench_centrality.py [--nodes 100000] [--degree 4]
Results go in docs/benchmarks.md (section "Network analysis").
"""

from __future__ import annotations

import argparse
import time

import networkx as nx

from metrokg.analysis import _eigenvector


def timed(label: str, fn: object) -> object:
    t = time.perf_counter()
    result = fn()  # type: ignore[operator]
    print(f"  {label:<34} {time.perf_counter() - t:8.2f} s", flush=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=100_000)
    ap.add_argument("--degree", type=int, default=4, help="mean degree (edges = n·d/2)")
    ap.add_argument("--k", type=int, default=100, help="betweenness sample size")
    ap.add_argument("--small", type=int, default=2000, help="nodes of the exactness check")
    a = ap.parse_args()
    g = nx.gnm_random_graph(a.nodes, a.nodes * a.degree // 2, seed=1)
    nx.set_edge_attributes(g, 1, "weight")
    print(f"{a.nodes} nodes, {g.number_of_edges()} edges")
    timed("degree / weighted degree", lambda: dict(g.degree(weight="weight")))
    timed("pagerank", lambda: nx.pagerank(g, weight="weight", tol=1e-10, max_iter=1000))
    timed("eigenvector (numpy, largest comp.)", lambda: _eigenvector(g))
    timed("louvain (seed 42)", lambda: nx.community.louvain_communities(g, seed=42))
    timed("bridges + articulation points",
          lambda: (list(nx.bridges(g)), list(nx.articulation_points(g))))
    timed(f"betweenness, sampled k={a.k}",
          lambda: nx.betweenness_centrality(g, k=a.k, seed=42))
    timed("closeness, 100 nodes (extrapolate ×n/100)",
          lambda: [nx.closeness_centrality(g, u=v) for v in range(100)])
    small = nx.gnm_random_graph(a.small, a.small * a.degree // 2, seed=2)
    exact = timed(f"exact betweenness, {a.small} nodes", lambda: nx.betweenness_centrality(small))
    for k in (50, 200, 500):
        est = nx.betweenness_centrality(small, k=k, seed=42)
        errs = sorted(abs(est[v] - exact[v]) for v in small)  # type: ignore[index]
        top = max(exact.values())  # type: ignore[attr-defined]
        print(f"  k={k:<4} max abs error {errs[-1]:.5f} (max score {top:.5f}), "
              f"median {errs[len(errs) // 2]:.6f}")


if __name__ == "__main__":
    main()
