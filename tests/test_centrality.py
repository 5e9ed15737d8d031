"""The compiled engine (igraph) against the reference (NetworkX): the same top-20 rankings,
scores within 1e-9 and communities of equal modularity, on seeded random graphs up to
2,000 nodes and on the real graph; and the sampled modes' stated behaviour."""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest

from metrokg.analysis import centrality
from metrokg.analysis.measures import Analysis, analyse
from metrokg.analysis.network import View, load_projection, network_view
from metrokg.outputs.build import BuildResult
from metrokg.outputs.store import open_store
from metrokg.paths import ProjectPaths

pytest.importorskip("igraph")
ROOT = Path(__file__).resolve().parents[1]


def with_isolates(g: nx.Graph, extra: int) -> nx.Graph:
    """*g* plus *extra* isolated nodes: closeness must then scale by the reachable share."""
    g.add_nodes_from(range(g.number_of_nodes(), g.number_of_nodes() + extra))
    return g


GRAPHS = {
    "gnm-200": lambda: nx.gnm_random_graph(200, 600, seed=11),
    "gnm-2000": lambda: nx.gnm_random_graph(2000, 8000, seed=12),
    "sparse-1000-disconnected": lambda: with_isolates(nx.gnm_random_graph(1000, 1100, seed=13), 20),
    "directed-800": lambda: nx.gnm_random_graph(800, 3200, seed=14, directed=True),
    "planted-1200": lambda: nx.planted_partition_graph(12, 100, 0.1, 0.004, seed=15),
}


def weighted(g: nx.Graph) -> nx.Graph:
    for i, (_, _, data) in enumerate(g.edges(data=True)):
        data["weight"] = 1 + i % 3  # weights matter to Louvain, not to hop counts
    return g


def both(g: nx.Graph, **options: int) -> tuple[Analysis, Analysis]:
    return (analyse(g, engine="networkx", **options),  # type: ignore[arg-type]
            analyse(g, engine="igraph", **options))  # type: ignore[arg-type]


def top20(a: Analysis, measure: str) -> list[str]:
    return [s.iri for s in a.top(measure, 20)]


def modularity(g: nx.Graph, a: Analysis) -> float:
    undirected = g.to_undirected() if g.is_directed() else g
    by_name = {str(v): v for v in undirected}
    parts = [{by_name[m] for m in c} for c in a.communities]
    return float(nx.community.modularity(undirected, parts, weight="weight"))


def assert_same(g: nx.Graph, ref: Analysis, fast: Analysis) -> None:
    for measure in ("betweenness", "closeness"):
        assert top20(fast, measure) == top20(ref, measure), measure
        for r in ref.scores:
            got = getattr(fast.score(r.iri), measure)
            assert abs(got - getattr(r, measure)) <= 1e-9, (measure, r.iri)
    assert abs(modularity(g, fast) - modularity(g, ref)) <= 0.01


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_igraph_gives_networkx_scores(name: str) -> None:
    g = weighted(GRAPHS[name]())
    ref, fast = both(g)
    assert fast.algorithms["betweenness"][0] == "igraph.Graph.betweenness"
    assert ref.algorithms["betweenness"][0] == "networkx.betweenness_centrality"
    assert_same(g, ref, fast)


@pytest.mark.parametrize("directed", [False, True])
def test_unrounded_scores_agree_with_networkx_itself(directed: bool) -> None:
    g = with_isolates(nx.gnm_random_graph(400, 900, seed=21, directed=directed), 3)
    b = centrality.betweenness(g, engine="igraph")
    c = centrality.closeness(g, engine="igraph")
    nb, nc = nx.betweenness_centrality(g), nx.closeness_centrality(g, wf_improved=True)
    assert max(abs(b[v] - nb[v]) for v in g) < 1e-12
    assert max(abs(c[v] - nc[v]) for v in g) < 1e-12


@pytest.mark.parametrize("directed", [False, True])
def test_sampled_betweenness_is_networkx_estimate_on_both_engines(directed: bool) -> None:
    g = nx.gnm_random_graph(600, 2400, seed=31, directed=directed)
    expected = nx.betweenness_centrality(g, k=60, seed=7)
    for engine in ("networkx", "igraph"):
        got = centrality.betweenness(g, k=60, seed=7, engine=engine)
        assert max(abs(got[v] - expected[v]) for v in g) < 1e-12, engine


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_closeness_with_every_node_a_pivot_is_exact(engine: str) -> None:
    g = with_isolates(nx.gnm_random_graph(300, 450, seed=41, directed=True), 4)
    exact = nx.closeness_centrality(g, wf_improved=True)
    for k in (g.number_of_nodes(), g.number_of_nodes() - 1):
        # k = n - 1 leaves one node out of the pivots: still the exact answer for it, and
        # a sample for the others, so only k = n is compared with NetworkX
        got = centrality.closeness(g, k=k, seed=3, engine=engine)
        if k == g.number_of_nodes():
            assert max(abs(got[v] - exact[v]) for v in g) < 1e-12
    # the private path (k < n) with every node drawn is the same estimator, exactly
    total, reached = centrality._pivot_sums(g, list(g), engine)
    n = g.number_of_nodes()
    for v in g:
        est = reached[v] ** 2 / ((n - 1) * total[v]) if total[v] else 0.0
        assert abs(est - exact[v]) < 1e-12, v


def test_sampled_closeness_is_within_its_stated_bound() -> None:
    """The module's bound: |mean-distance estimate − truth| ≤ ε·diameter for every node,
    ε = sqrt(ln(2n/δ) / 2k), here with δ = 0.001 (a connected graph: closeness = 1/mean)."""
    g = nx.connected_watts_strogatz_graph(2000, 8, 0.3, seed=51)
    assert nx.is_connected(g)
    n, k, delta = 2000, 200, 0.001
    exact = nx.closeness_centrality(g)
    diameter = nx.diameter(g)
    eps = math.sqrt(math.log(2 * n / delta) / (2 * k))
    sampled = {e: centrality.closeness(g, k=k, seed=5, engine=e) for e in ("networkx", "igraph")}
    assert sampled["networkx"] == sampled["igraph"]  # same pivots, same hops
    worst = max(abs(1 / sampled["igraph"][v] - 1 / exact[v]) for v in g)
    assert worst <= eps * diameter
    assert sampled["igraph"] != exact  # it is a sample, not the exact measure


def test_sampled_closeness_is_recorded_in_the_parameters() -> None:
    g = nx.gnm_random_graph(100, 300, seed=1)
    a = analyse(g, closeness_k=20, seed=9)
    assert a.parameters["closeness"]["k"] == 20 and a.parameters["closeness"]["seed"] == 9
    assert "k" not in analyse(g).parameters["closeness"]


def test_auto_keeps_networkx_for_small_views_and_igraph_for_large() -> None:
    assert centrality.choose("auto", centrality.LARGE) == "networkx"
    assert centrality.choose("auto", centrality.LARGE + 1) == "igraph"


@pytest.fixture(scope="module")
def real_views(built: BuildResult) -> dict[bool, nx.Graph]:
    store = open_store(dump=built.files["dataset_nquads"])
    projection = load_projection(store, ROOT / "queries" / "network")
    return {d: network_view(projection, View(directed=d)) for d in (False, True)}


@pytest.mark.parametrize("directed", [False, True])
def test_real_graph_same_on_both_engines(real_views: dict[bool, nx.Graph], directed: bool) -> None:
    g = real_views[directed]
    ref, fast = both(g)
    assert_same(g, ref, fast)
    assert analyse(g).algorithms["communities"][0] == "networkx.community.louvain_communities"


@pytest.mark.parametrize("engine", ["networkx", "igraph"])
def test_sampled_closeness_scales_by_the_share_reached(engine: str) -> None:
    """Two cliques of 30 and 10: a node is 1 hop from every node of its clique and reaches
    no other, so its estimate is the share of the other pivots in its clique, c / k'
    (exact value 29/39 or 9/39)."""
    g = nx.disjoint_union(nx.complete_graph(30), nx.complete_graph(10))
    k = 12
    pivots = set(centrality.sample(g, k, 4))
    got = centrality.closeness(g, k=k, seed=4, engine=engine)
    for v in g:
        clique = range(30) if v < 30 else range(30, 40)
        c = len(pivots & set(clique) - {v})
        assert got[v] == pytest.approx(c / (k - (v in pivots)), abs=1e-12), v


BASE = "https://w3id.org/metrokg/"


def test_the_build_samples_betweenness_and_closeness_only_above_its_limit(
        built: BuildResult, built_paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    """Exact O(nm) measures would make the build's cost grow faster than its data: above
    EXACT_UP_TO organisations it samples SAMPLES sources / pivots, and records k."""
    from metrokg.outputs import networkstep

    mkg = "https://w3id.org/metrokg/def/"
    ask_k = ("ASK { GRAPH ?g { ?a <" + mkg + "parameter> ?p . ?p <http://www.w3.org/2000/01/"
             "rdf-schema#label> \"k\" ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#value> 20 } }")
    monkeypatch.setattr(networkstep, "SAMPLES", 20)
    store = open_store(dump=built.files["dataset_nquads"])
    n = networkstep.add_network_analysis(store, built_paths, base=BASE).analysis.nodes
    assert n > 50
    exact = networkstep.add_network_analysis(open_store(dump=built.files["dataset_nquads"]),
                                             built_paths, base=BASE, exact_up_to=n)
    assert exact.analysis.parameters["betweenness"]["k"] == "all nodes (exact)"
    assert "k" not in exact.analysis.parameters["closeness"]
    sampled_store = open_store(dump=built.files["dataset_nquads"])
    sampled = networkstep.add_network_analysis(sampled_store, built_paths, base=BASE,
                                               exact_up_to=n - 1)
    assert sampled.analysis.parameters["betweenness"]["k"] == 20
    assert sampled.analysis.parameters["closeness"]["k"] == 20
    assert sampled_store.query(ask_k)  # the published provenance says it was sampled
