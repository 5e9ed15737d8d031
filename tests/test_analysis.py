"""Centrality and communities: closed-form answers on small graphs, independent
computations on the real graph, and the results written back as RDF."""

from __future__ import annotations

import csv
import math
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest

from metrokg.analysis.measures import (
    Analysis,
    analyse,
    analysis_date,
    to_csv,
    to_json,
    to_quads,
    to_rdf,
)
from metrokg.analysis.network import Projection, View, load_projection, network_view
from metrokg.errors import InputError
from metrokg.outputs.build import BuildResult, build
from metrokg.outputs.store import open_store
from metrokg.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/metrokg/"
MKG = BASE + "def/"


# ---------------------------------------------------------------- independent algorithms


def bfs_distances(adj: dict[str, set[str]], source: str) -> dict[str, int]:
    dist = {source: 0}
    queue = deque([source])
    while queue:
        v = queue.popleft()
        for w in adj[v]:
            if w not in dist:
                dist[w] = dist[v] + 1
                queue.append(w)
    return dist


def components(adj: dict[str, set[str]], removed: str | None = None) -> int:
    seen: set[str] = set()
    count = 0
    for v in adj:
        if v == removed or v in seen:
            continue
        count += 1
        stack = [v]
        seen.add(v)
        while stack:
            x = stack.pop()
            for y in adj[x]:
                if y != removed and y not in seen:
                    seen.add(y)
                    stack.append(y)
    return count


def cut_vertices(adj: dict[str, set[str]]) -> set[str]:
    """Brute force: a node whose removal increases the number of components."""
    base = components(adj)
    return {v for v in adj if components(adj, removed=v) > base - (0 if adj[v] else 1)}


def power_pagerank(graph: nx.Graph, alpha: float = 0.85) -> dict[str, float]:
    """Textbook weighted PageRank by power iteration (dangling mass spread evenly)."""
    nodes = list(graph)
    n = len(nodes)
    out = {v: sum(d["weight"] for _, _, d in graph.edges(v, data=True)) for v in nodes}
    rank = dict.fromkeys(nodes, 1 / n)
    for _ in range(1000):
        dangling = sum(rank[v] for v in nodes if out[v] == 0)
        new = {v: (1 - alpha) / n + alpha * dangling / n for v in nodes}
        for v in nodes:
            for _, w, d in graph.edges(v, data=True):
                new[w] += alpha * rank[v] * d["weight"] / out[v]
        if sum(abs(new[v] - rank[v]) for v in nodes) < 1e-13:
            return new
        rank = new
    return rank


def brute_betweenness(adj: dict[str, set[str]]) -> dict[str, float]:
    """Share of shortest paths through each node, from BFS path counts (normalised)."""
    nodes = list(adj)
    dist = {s: bfs_distances(adj, s) for s in nodes}
    sigma: dict[str, dict[str, int]] = {}
    for s in nodes:  # number of shortest paths s→t
        count = {s: 1}
        for t in sorted(dist[s], key=dist[s].get):  # type: ignore[arg-type]
            if t != s:
                count[t] = sum(count[u] for u in adj[t] if dist[s].get(u) == dist[s][t] - 1)
        sigma[s] = count
    n = len(nodes)
    result = dict.fromkeys(nodes, 0.0)
    for i, s in enumerate(nodes):
        for t in nodes[i + 1:]:
            if t not in dist[s]:
                continue
            for v in nodes:
                if v in (s, t) or v not in dist[s] or t not in dist[v]:
                    continue
                if dist[s][v] + dist[v][t] == dist[s][t]:
                    result[v] += sigma[s][v] * sigma[v][t] / sigma[s][t]
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return {v: x * scale for v, x in result.items()}


def adjacency(graph: nx.Graph) -> dict[str, set[str]]:
    return {str(v): {str(w) for w in graph[v]} for v in graph}


# ---------------------------------------------------------------- hand-made graphs


@pytest.mark.parametrize("leaves", [2, 5, 9])
def test_star_closed_forms(leaves: int) -> None:
    a = analyse(nx.star_graph(leaves))
    n = leaves + 1
    centre, leaf = a.score("0"), a.score("1")
    assert (centre.degree, leaf.degree) == (leaves, 1)
    assert centre.betweenness == pytest.approx(1.0) and leaf.betweenness == 0
    assert centre.closeness == pytest.approx(1.0)
    assert leaf.closeness == pytest.approx((n - 1) / (1 + 2 * (n - 2)), abs=1e-9)
    assert centre.eigenvector == pytest.approx(2 ** -0.5, abs=1e-8)
    assert leaf.eigenvector == pytest.approx((2 * leaves) ** -0.5, abs=1e-8)
    # PageRank: c = (1-α)/n + α·k·l and l = (1-α)/n + α·c/k  →  solve the 2×2 system
    alpha, k = 0.85, leaves
    c = ((1 - alpha) / n) * (1 + alpha * k) / (1 - alpha ** 2)
    assert centre.pagerank == pytest.approx(c, abs=1e-8)
    assert leaf.pagerank == pytest.approx((1 - c) / k, abs=1e-8)
    assert a.brokers == ("0",)
    assert len(a.bridges) == leaves


def test_path_of_four() -> None:
    a = analyse(nx.path_graph(4))
    assert [a.score(v).betweenness for v in "0123"] == pytest.approx([0, 2 / 3, 2 / 3, 0])
    # closeness of an end: 3 / (1 + 2 + 3); of an inner node: 3 / (1 + 1 + 2)
    assert [a.score(v).closeness for v in "0123"] == pytest.approx([0.5, 0.75, 0.75, 0.5])
    assert a.brokers == ("1", "2")
    assert a.bridges == (("0", "1"), ("1", "2"), ("2", "3"))


def test_two_triangles_joined_by_a_bridge_are_two_communities() -> None:
    g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"),
                  ("c", "d")])
    nx.set_edge_attributes(g, 1, "weight")
    a = analyse(g)
    assert sorted(a.communities) == [("a", "b", "c"), ("d", "e", "f")]
    assert a.bridges == (("c", "d"),) and a.brokers == ("c", "d")


def test_weighted_degree_sums_weights() -> None:
    g = nx.Graph()
    g.add_edge("x", "y", weight=3)
    g.add_edge("x", "z", weight=2)
    a = analyse(g)
    assert (a.score("x").degree, a.score("x").weighted_degree) == (2, 5)


def test_betweenness_sampling_is_seeded_and_close_to_exact() -> None:
    g = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1)
    exact = analyse(g)
    sampled = analyse(g, betweenness_k=150, seed=3)
    again = analyse(g, betweenness_k=150, seed=3)
    assert sampled.scores == again.scores
    err = max(abs(exact.score(v).betweenness - sampled.score(v).betweenness) for v in map(str, g))
    assert 0 < err < 0.05
    assert sampled.parameters["betweenness"]["k"] == 150


def test_an_empty_view_is_refused() -> None:
    with pytest.raises(InputError, match="no organisations"):
        analyse(nx.Graph())


def test_analysis_date_from_source_date_epoch_and_mtimes(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("x")
    import os

    os.utime(f, (1_600_000_000, 1_600_000_000))
    assert analysis_date([tmp_path], environ={}) == datetime.fromtimestamp(1_600_000_000, UTC)
    assert analysis_date([tmp_path], environ={"SOURCE_DATE_EPOCH": "5"}).year == 1970
    with pytest.raises(InputError, match="SOURCE_DATE_EPOCH"):
        analysis_date([], environ={"SOURCE_DATE_EPOCH": "soon"})


def test_csv_and_json_hold_every_organisation() -> None:
    a = analyse(nx.path_graph(3))
    rows = list(csv.DictReader(to_csv(a).splitlines()))
    assert [r["iri"] for r in rows] == ["1", "0", "2"]  # PageRank order, then IRI
    assert '"brokers": [\n  "1"\n ]' in to_json(a)


def test_rdf_carries_scores_and_provenance() -> None:
    g = nx.path_graph(3)
    g.graph.update(view="plan:p", name="plan-p")
    a = analyse(nx.relabel_nodes(g, {i: f"{BASE}id/org/o{i}" for i in range(3)}))
    ds = to_rdf(a, base=BASE, date=datetime(2026, 1, 2, tzinfo=UTC))
    store = ox.Store()
    store.load(ds.serialize(format="nquads").encode(), format=ox.RdfFormat.N_QUADS)
    rows = list(store.query(  # type: ignore[union-attr]
        f"SELECT ?org ?b ?date ?algo WHERE {{ GRAPH <{BASE}graph/analysis/plan-p> "
        f"{{ ?org <{MKG}betweenness> ?b }} GRAPH ?p {{ <{BASE}graph/analysis/plan-p> "
        f"<http://www.w3.org/ns/prov#generatedAtTime> ?date ; "
        f"<http://www.w3.org/ns/prov#wasGeneratedBy> ?act . ?act <{MKG}algorithm> ?algo ; "
        f"<http://www.w3.org/ns/prov#used> <{BASE}id/analysis/plan-p> . "
        f"FILTER(?algo = 'networkx.betweenness_centrality') }} }} ORDER BY DESC(?b)"))
    assert rows[0]["org"].value == f"{BASE}id/org/o1"
    assert float(rows[0]["b"].value) == 1.0
    assert rows[0]["date"].value == "2026-01-02T00:00:00Z"


def test_quads_for_the_store_are_the_rdf_dataset() -> None:
    """What the build adds to its store (to_quads) is what to_rdf writes, graph for graph."""
    from metrokg.rdflib_bridge import quads_from_dataset

    g = nx.path_graph(4)
    g.graph.update(view="plan:p", name="plan-p")
    a = analyse(nx.relabel_nodes(g, {i: f"{BASE}id/org/o{i}" for i in range(4)}))
    date = datetime(2026, 1, 2, tzinfo=UTC)
    quads = {str(q) for q in to_quads(a, base=BASE, date=date)}
    assert quads == {str(q) for q in quads_from_dataset(to_rdf(a, base=BASE, date=date))}
    assert f'<{BASE}id/org/o1> <{MKG}degree> "2"^^<http://www.w3.org/2001/XMLSchema#integer> ' \
        f"<{BASE}graph/analysis/plan-p>" in quads


# ---------------------------------------------------------------- the real graph


@pytest.fixture(scope="module")
def projection(built: BuildResult) -> Projection:
    store = open_store(dump=built.files["dataset_nquads"])
    return load_projection(store, ROOT / "queries" / "network")


@pytest.fixture(scope="module")
def whole(projection: Projection) -> tuple[nx.Graph, Analysis]:
    graph = network_view(projection, View())
    return graph, analyse(graph)


def test_real_pagerank_matches_power_iteration(whole: tuple[nx.Graph, Analysis]) -> None:
    graph, a = whole
    expected = power_pagerank(graph)
    for row in a.scores:
        assert row.pagerank == pytest.approx(expected[row.iri], abs=1e-8), row.iri


def test_real_betweenness_matches_brute_force(whole: tuple[nx.Graph, Analysis]) -> None:
    graph, a = whole
    expected = brute_betweenness(adjacency(graph))
    for row in a.scores:
        assert row.betweenness == pytest.approx(expected[row.iri], abs=1e-8), row.iri


def test_real_closeness_matches_bfs(whole: tuple[nx.Graph, Analysis]) -> None:
    graph, a = whole
    adj = adjacency(graph)
    n = len(adj)
    for row in a.scores:
        dist = bfs_distances(adj, row.iri)
        reach = len(dist) - 1
        expected = 0.0 if reach == 0 else (reach / sum(dist.values())) * (reach / (n - 1))
        assert row.closeness == pytest.approx(expected, abs=1e-8), row.iri


def test_real_eigenvector_matches_numpy(whole: tuple[nx.Graph, Analysis]) -> None:
    np = pytest.importorskip("numpy")
    graph, a = whole
    main = max(nx.connected_components(graph), key=len)
    nodes = sorted(main)
    m = np.array([[graph[u][v]["weight"] if v in graph[u] else 0.0 for v in nodes]
                  for u in nodes])
    _, vectors = np.linalg.eigh(m)
    vector = np.abs(vectors[:, -1])
    vector = vector / math.sqrt(float((vector ** 2).sum()))
    for iri, value in zip(nodes, vector, strict=True):
        assert a.score(iri).eigenvector == pytest.approx(float(value), abs=1e-7), iri


def test_real_brokers_are_the_cut_vertices(whole: tuple[nx.Graph, Analysis]) -> None:
    graph, a = whole
    assert set(a.brokers) == cut_vertices(adjacency(graph))


def test_expected_catalogue_answers_agree_with_independent_computation(
        whole: tuple[nx.Graph, Analysis]) -> None:
    """queries/expected/network-*.csv hold what the independent algorithms say."""
    graph, _ = whole
    rank = power_pagerank(graph)
    top = sorted(rank, key=lambda v: (-rank[v], v))[:2]
    short = [v.replace(BASE + "id/", "id:") for v in top]
    expected = ROOT / "queries" / "expected" / "network-most-central.csv"
    assert _first_column(expected) == short
    brokers = sorted(v.replace(BASE + "id/", "id:") for v in cut_vertices(adjacency(graph)))
    expected = ROOT / "queries" / "expected" / "network-brokers.csv"
    assert sorted(_first_column(expected)) == brokers


def _first_column(path: Path) -> list[str]:
    """The IRI column of an expected-results file (a label column may follow it)."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [row[0] for row in list(csv.reader(handle))[1:]]


def test_build_writes_the_whole_view_back(built: BuildResult, whole: tuple[nx.Graph, Analysis]
                                          ) -> None:
    _, a = whole
    store = open_store(dump=built.files["dataset_nquads"])
    rows = store.query(  # type: ignore[union-attr]
        f"SELECT ?org ?pr WHERE {{ GRAPH <{BASE}graph/analysis/whole> "
        f"{{ ?org <{MKG}pageRank> ?pr }} }}")
    stored = {r["org"].value: float(r["pr"].value) for r in rows}
    assert stored == {s.iri: pytest.approx(s.pagerank, abs=1e-9) for s in a.scores}


@pytest.mark.slow
def test_build_is_byte_identical_twice(built: BuildResult, tmp_path: Path) -> None:
    again = build(ProjectPaths(ROOT, dist_dir=tmp_path))
    for key in ("dataset_nquads", "explorer"):
        assert again.files[key].read_bytes() == built.files[key].read_bytes(), key


def test_closeness_beside_betweenness_gives_the_same_analysis(
        monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Above PARALLEL_NODES closeness runs in a forked child: the same scores as in-process."""
    from forking import forks_here

    import metrokg.analysis.measures as analysis_module
    from metrokg.forked import Forked

    if not forks_here(request):
        return
    g = nx.relabel_nodes(nx.barabasi_albert_graph(300, 2, seed=4),
                         {i: f"{BASE}id/org/o{i}" for i in range(300)})
    monkeypatch.setattr(analysis_module, "PARALLEL_NODES", 0)
    monkeypatch.setenv("METROKG_JOBS", "1")
    alone = analyse(g)
    monkeypatch.delenv("METROKG_JOBS")
    made: list[str] = []

    def counting(fn: object, *, name: str) -> object:
        made.append(name)
        return Forked(fn, name=name)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis_module, "Forked", counting)
    forked = analyse(g)
    assert made == ["closeness"]
    assert forked == alone
    assert len({s.closeness for s in forked.scores}) > 10
