"""The costly measures — betweenness, closeness, communities — on NetworkX or igraph.

Exact betweenness and closeness are O(nm): one breadth-first search per node. NetworkX
runs them in Python; igraph runs the same algorithms in C (decision record 0150). Both
engines give the same numbers: this module rescales igraph's raw counts exactly as
NetworkX does (``normalized=True``, ``wf_improved=True``, hops, NetworkX ≥ 3.6 sampling
rules), draws the same sample of sources from the same seed, and the tests compare the
two engines score by score.

*engine* is ``networkx``, ``igraph`` or ``auto`` (igraph above :data:`LARGE` nodes, so
small views — the real graph — keep NetworkX's exact outputs and provenance).

Sampling: with *k* sources, betweenness is NetworkX's estimator (Brandes & Pich 2007).
Closeness is estimated from *k* pivots (Eppstein & Wang 2001): a node's closeness is
``c² / (k' · S)``, where ``c`` of the ``k'`` pivots other than itself reach it along
``S`` hops in total — exactly NetworkX's ``wf_improved`` closeness when every node is a
pivot, otherwise an estimate whose mean-distance part is within ``ε·diameter`` of the
truth with probability ``1 − δ`` once ``k ≥ ln(2n/δ) / (2ε²)`` (Hoeffding).
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Sequence
from importlib.metadata import version as dist_version
from typing import Any

import networkx as nx

from ..errors import InputError

__all__ = ["ENGINES", "LARGE", "betweenness", "choose", "closeness", "communities",
           "software"]

ENGINES = ("auto", "networkx", "igraph")
LARGE = 500
"""Above this many nodes ``auto`` picks igraph (NetworkX's exact betweenness takes ~0.3 s
at 500 nodes and 1.3 s at 1,000 on this project's 2-core machine; igraph 25× less)."""

ALGORITHMS = {
    ("networkx", "betweenness"): "networkx.betweenness_centrality",
    ("networkx", "closeness"): "networkx.closeness_centrality",
    ("networkx", "communities"): "networkx.community.louvain_communities",
    ("igraph", "betweenness"): "igraph.Graph.betweenness",
    ("igraph", "closeness"): "igraph.Graph.closeness",
    ("igraph", "communities"): "igraph.Graph.community_multilevel",
}
"""(engine, measure) → the algorithm named in the provenance."""
RESTARTS = 5
"""Up to :data:`RESTARTS_UP_TO` nodes, igraph's Louvain runs from seeds *seed* … *seed* + 4
and keeps the partition of highest modularity: on small graphs one run's modularity varies
by ~0.01 with the seed (as NetworkX's does), and five runs cost less than one NetworkX run.
Larger graphs get one run (the variation shrinks with size; each run costs ~0.3 s per 10^4
nodes)."""
RESTARTS_UP_TO = 5000


def _has_igraph() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:
        return False
    return True


def choose(engine: str, nodes: int) -> str:
    """The engine that runs: *engine*, or for ``auto`` igraph above :data:`LARGE` nodes.

    >>> choose("auto", 80), choose("networkx", 10**6)
    ('networkx', 'networkx')
    """
    if engine not in ENGINES:
        raise InputError("--engine", f"unknown engine {engine!r}",
                         hint=f"use one of: {', '.join(ENGINES)}")
    if engine == "auto":
        return "igraph" if nodes > LARGE and _has_igraph() else "networkx"
    if engine == "igraph" and not _has_igraph():
        raise InputError("--engine", "igraph is not installed",
                         hint="pip install igraph, or use --engine networkx")
    return engine


def software(engine: str) -> str:
    """``name version`` of *engine*'s library, for the provenance."""
    return f"{engine} {dist_version(engine)}"


def sample(graph: nx.Graph, k: int, seed: int) -> list[Hashable]:
    """The *k* sources NetworkX's ``betweenness_centrality(k=k, seed=seed)`` draws."""
    return random.Random(seed).sample(list(graph.nodes()), k)


# ---------------------------------------------------------------- igraph bridge


def _igraph(graph: nx.Graph, *, weights: bool = False) -> tuple[Any, list[Hashable]]:
    """*graph* as an igraph ``Graph`` (node i = the i-th node of *graph*)."""
    import igraph as ig

    nodes = list(graph.nodes())
    index = {v: i for i, v in enumerate(nodes)}
    edges = [(index[a], index[b]) for a, b in graph.edges()]
    g = ig.Graph(n=len(nodes), edges=edges, directed=graph.is_directed())
    if weights:
        g.es["weight"] = [float(w) for _, _, w in graph.edges(data="weight", default=1)]
    return g, nodes


# ---------------------------------------------------------------- betweenness


def betweenness(graph: nx.Graph, *, k: int | None = None, seed: int = 42,
                engine: str = "networkx") -> dict[Hashable, float]:
    """Normalised betweenness in hops; *k* samples that many sources (``None``: exact).

    Equal, within rounding, to ``networkx.betweenness_centrality(graph, k, seed=seed)``.
    """
    n = graph.number_of_nodes()
    if k is not None and k >= n:
        k = None
    if engine == "networkx":
        return dict(nx.betweenness_centrality(graph, k=k, normalized=True, weight=None,
                                              seed=seed if k else None))
    g, nodes = _igraph(graph)
    directed = graph.is_directed()
    if k is None:
        raw = g.betweenness(directed=directed)
        scale = (1 if directed else 2) / ((n - 1) * (n - 2)) if n > 2 else 1.0
        return {v: raw[i] * scale for i, v in enumerate(nodes)}
    sources = sample(graph, k, seed)
    index = {v: i for i, v in enumerate(nodes)}
    # igraph counts each unordered pair once in undirected graphs; NetworkX counts the
    # ordered pairs (s, t) with s sampled, so an undirected count is doubled
    raw = g.betweenness(directed=directed, sources=[index[s] for s in sources])
    factor = 1 if directed else 2
    chosen = set(sources)
    source_scale = 1 / ((k - 1) * (n - 2)) if k > 1 else float("nan")
    other_scale = 1 / (k * (n - 2))
    return {v: factor * raw[i] * (source_scale if v in chosen else other_scale)
            for i, v in enumerate(nodes)}


# ---------------------------------------------------------------- closeness


def closeness(graph: nx.Graph, *, k: int | None = None, seed: int = 42,
              engine: str = "networkx") -> dict[Hashable, float]:
    """Closeness in hops (incoming distances, Wasserman–Faust scaling for unreached nodes).

    Exact: equal to ``networkx.closeness_centrality(graph, wf_improved=True)``. With *k*
    pivots: the estimate described in the module docstring (exact when ``k >= n``).
    """
    n = graph.number_of_nodes()
    if k is not None and k >= n:
        k = None
    if k is None:
        if engine == "networkx":
            return dict(nx.closeness_centrality(graph, wf_improved=True))
        return _igraph_closeness(graph)
    pivots = sample(graph, k, seed)
    total, reached = _pivot_sums(graph, pivots, engine)
    chosen = set(pivots)
    out = {}
    for v in graph:
        others = k - (v in chosen)
        c = reached[v]
        out[v] = c * c / (others * total[v]) if total[v] and others else 0.0
    return out


def _igraph_closeness(graph: nx.Graph) -> dict[Hashable, float]:
    g, nodes = _igraph(graph)
    n = len(nodes)
    # igraph averages over the nodes that reach each node; NetworkX then scales by the
    # share of the graph they are (r − 1)/(n − 1)
    raw = g.closeness(mode="in", normalized=True)
    if graph.is_directed():
        reach = g.neighborhood_size(order=max(n - 1, 1), mode="in")
    else:
        reach = [0] * n
        for component in g.connected_components():
            for i in component:
                reach[i] = len(component)
    out = {}
    for i, v in enumerate(nodes):
        value = raw[i]
        out[v] = 0.0 if n < 2 or value != value else value * (reach[i] - 1) / (n - 1)
    return out


def _pivot_sums(graph: nx.Graph, pivots: Sequence[Hashable],
               engine: str) -> tuple[dict[Hashable, int], dict[Hashable, int]]:
    """Per node: the hops from the pivots that reach it, summed, and how many reach it."""
    total = dict.fromkeys(graph, 0)
    reached = dict.fromkeys(graph, 0)
    if engine == "networkx":
        for p in pivots:
            for v, d in nx.single_source_shortest_path_length(graph, p).items():
                if d:
                    total[v] += d
                    reached[v] += 1
        return total, reached
    import numpy as np

    g, nodes = _igraph(graph)
    index = {v: i for i, v in enumerate(nodes)}
    sums = np.zeros(len(nodes), dtype=np.int64)
    counts = np.zeros(len(nodes), dtype=np.int64)
    for start in range(0, len(pivots), 64):  # bounded memory: 64 rows of n at a time
        chunk = [index[p] for p in pivots[start:start + 64]]
        hops = np.array(g.distances(source=chunk, mode="out"), dtype=np.float64)
        found = np.isfinite(hops) & (hops > 0)
        sums += np.where(found, hops, 0).sum(axis=0).astype(np.int64)
        counts += found.sum(axis=0)
    for i, v in enumerate(nodes):
        total[v], reached[v] = int(sums[i]), int(counts[i])
    return total, reached


# ---------------------------------------------------------------- communities


def communities(graph: nx.Graph, *, resolution: float = 1.0, seed: int = 42,
                engine: str = "networkx") -> list[set[Hashable]]:
    """Louvain communities of the undirected *graph*, weighted by ``weight``, seeded.

    On igraph: the best of :data:`RESTARTS` seeded runs.
    """
    if engine == "networkx":
        return [set(c) for c in nx.community.louvain_communities(
            graph, weight="weight", resolution=resolution, seed=seed)]
    import igraph as ig

    g, nodes = _igraph(graph, weights=True)
    best: Any = None
    for attempt in range(RESTARTS if len(nodes) <= RESTARTS_UP_TO else 1):
        ig.set_random_number_generator(random.Random(seed + attempt))
        try:
            found = g.community_multilevel(weights="weight", resolution=resolution)
        finally:
            ig.set_random_number_generator(random)
        quality = g.modularity(found.membership, weights="weight", resolution=resolution)
        if best is None or quality > best[0]:
            best = (quality, found)
    return [{nodes[i] for i in members} for members in best[1]]
