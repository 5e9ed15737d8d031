"""Network analysis: centrality, communities, bridges and brokers — and their RDF.

:func:`analyse` runs on a view made by :func:`metrokg.analysis.network.network_view` and returns
a frozen :class:`Analysis`; :func:`to_csv`, :func:`to_json` and :func:`to_rdf` write it
out. In RDF the scores go into one named graph per view
(``<base>graph/analysis/<view>``) and the provenance graph says which algorithm, with
which parameters, on which view and when produced them (PROV-O).

Conventions (docs/network.md):

- degree counts neighbours (in + out in directed views); weighted degree sums weights;
- betweenness and closeness count hops (a stronger tie is not a *shorter* path);
- eigenvector centrality, Louvain communities, bridges and brokers use the undirected
  version of the view; eigenvector runs on its largest connected component (other nodes
  get 0, since the measure is undefined across components);
- brokers are articulation points: removing one cuts some organisations off;
- every score is rounded to 9 decimals, so outputs are byte-identical across runs.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from ..errors import InputError, MetrokgError
from ..forked import Forked, parallel
from ..namespaces import DCTERMS, MKG, PROV, RDF, RDFS, SDG, XSD
from . import centrality
from .nogc import paused

__all__ = [
    "MEASURES",
    "SCORES",
    "Analysis",
    "NodeScores",
    "analyse",
    "analysis_date",
    "analysis_graph_iri",
    "annotate",
    "to_csv",
    "to_json",
    "to_quads",
    "to_rdf",
]

MEASURES: Mapping[str, tuple[str, str]] = {
    "degree": ("degree", "networkx.Graph.degree"),
    "weighted_degree": ("weightedDegree", "networkx.Graph.degree(weight='weight')"),
    "betweenness": ("betweenness", "networkx.betweenness_centrality"),
    "closeness": ("closeness", "networkx.closeness_centrality"),
    "eigenvector": ("eigenvectorCentrality", "networkx.eigenvector_centrality_numpy"),
    "pagerank": ("pageRank", "networkx.pagerank"),
}
"""measure → (mkg: property holding its score, algorithm)."""
COMMUNITY_ALGORITHM = "networkx.community.louvain_communities"
DIGITS = 9


@dataclass(frozen=True)
class NodeScores:
    """Every score of one organisation in one view."""

    iri: str
    label: str
    type: str
    degree: int
    weighted_degree: float
    betweenness: float
    closeness: float
    eigenvector: float
    pagerank: float
    community: int
    broker: bool


@dataclass(frozen=True)
class Analysis:
    """The results of :func:`analyse` on one view."""

    view: str
    view_name: str
    directed: bool
    nodes: int
    edges: int
    scores: tuple[NodeScores, ...]
    """Sorted by PageRank (highest first), then IRI."""
    communities: tuple[tuple[str, ...], ...]
    """Community 1 is the largest; members sorted by IRI."""
    bridges: tuple[tuple[str, str], ...]
    brokers: tuple[str, ...]
    parameters: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """measure (and ``communities``) → the parameters it ran with."""
    algorithms: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """measure (and ``communities``) → (algorithm, ``library version``) that computed it."""

    def score(self, iri: str) -> NodeScores:
        """The scores of the organisation *iri*."""
        for row in self.scores:
            if row.iri == iri:
                return row
        raise KeyError(iri)

    def top(self, measure: str = "pagerank", n: int = 10) -> list[NodeScores]:
        """The *n* organisations with the highest *measure* (ties by IRI)."""
        if measure not in MEASURES:
            raise InputError("--sort", f"unknown measure {measure!r}",
                             hint=f"use one of: {', '.join(MEASURES)}")
        return sorted(self.scores, key=lambda s: (-getattr(s, measure), s.iri))[:n]

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""
        data = asdict(self)
        data["communities"] = [list(c) for c in self.communities]
        data["bridges"] = [list(b) for b in self.bridges]
        return data


def analyse(graph: nx.Graph, *, seed: int = 42, resolution: float = 1.0,
            betweenness_k: int | None = None, alpha: float = 0.85,
            closeness_k: int | None = None, engine: str = "auto") -> Analysis:
    """Centrality, communities, bridges and brokers of a network view.

    *betweenness_k* samples that many source nodes (seeded) instead of all of them, and
    *closeness_k* that many pivots: exact betweenness and closeness are O(nm). Louvain
    runs with *seed* and *resolution*. *engine* runs betweenness, closeness and Louvain
    on ``networkx``, on ``igraph`` (compiled, same scores) or, ``auto``, on igraph for
    views above :data:`metrokg.analysis.centrality.LARGE` nodes (:mod:`metrokg.analysis.centrality`).

    >>> a = analyse(nx.star_graph(3))
    >>> a.score("0").betweenness, a.score("1").degree, a.brokers
    (1.0, 1, ('0',))
    """
    with paused():
        return _analyse(graph, seed=seed, resolution=resolution, betweenness_k=betweenness_k,
                        alpha=alpha, closeness_k=closeness_k, engine=engine)


PARALLEL_NODES = 2000
"""From this many organisations, closeness is computed by a second process beside
betweenness (see :mod:`metrokg.forked`)."""


def _analyse(graph: nx.Graph, *, seed: int, resolution: float, betweenness_k: int | None,
             alpha: float, closeness_k: int | None, engine: str) -> Analysis:
    if graph.number_of_nodes() == 0:
        raise InputError("network view", "the view has no organisations",
                         hint="choose another view (metrokg network --view whole)")
    for option, value in (("--betweenness-k", betweenness_k), ("--closeness-k", closeness_k)):
        if value is not None and value < 2:
            raise InputError(option, f"{value} is too few samples",
                             hint="use at least 2, or leave it out for the exact measure")
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    n = graph.number_of_nodes()
    used = centrality.choose(engine, n)
    k = betweenness_k if betweenness_k is not None and betweenness_k < n else None
    ck = closeness_k if closeness_k is not None and closeness_k < n else None
    if n >= PARALLEL_NODES and parallel():
        # both are O(nm) and hold the GIL: closeness runs in a forked child meanwhile
        closing = Forked(lambda: centrality.closeness(graph, k=ck, seed=seed, engine=used),
                         name="closeness")
        try:
            between = centrality.betweenness(graph, k=k, seed=seed, engine=used)
        except BaseException:
            closing.cancel()
            raise
        close = closing.result()
    else:
        between = centrality.betweenness(graph, k=k, seed=seed, engine=used)
        close = centrality.closeness(graph, k=ck, seed=seed, engine=used)
    pagerank = nx.pagerank(graph, alpha=alpha, weight="weight", tol=1e-10, max_iter=1000)
    eigen = _eigenvector(undirected)
    found = centrality.communities(undirected, resolution=resolution, seed=seed, engine=used)
    communities = sorted((tuple(sorted(map(str, c))) for c in found),
                         key=lambda c: (-len(c), c[0]))
    community_of = {m: i for i, c in enumerate(communities, 1) for m in c}
    bridges = tuple(sorted((min(str(a), str(b)), max(str(a), str(b)))
                           for a, b in nx.bridges(undirected)))
    brokers = tuple(sorted(str(v) for v in nx.articulation_points(undirected)))
    broker_set = set(brokers)
    rows = [
        NodeScores(
            iri=str(node), label=str(data.get("label", node)), type=str(data.get("type", "")),
            degree=int(graph.degree(node)),
            weighted_degree=_round(graph.degree(node, weight="weight")),
            betweenness=_round(between[node]), closeness=_round(close[node]),
            eigenvector=_round(eigen.get(node, 0.0)), pagerank=_round(pagerank[node]),
            community=community_of[str(node)], broker=str(node) in broker_set)
        for node, data in graph.nodes(data=True)
    ]
    rows.sort(key=lambda s: (-s.pagerank, s.iri))
    parameters: dict[str, dict[str, Any]] = {
        "degree": {}, "weighted_degree": {"weight": "weight"},
        "betweenness": {"normalized": True, "weight": "none (hops)",
                        **({"k": k, "seed": seed} if k else {"k": "all nodes (exact)"})},
        "closeness": {"wf_improved": True, "distance": "none (hops)",
                      **({"k": ck, "seed": seed, "estimator": "pivots (Eppstein-Wang)"}
                         if ck else {})},
        "eigenvector": {"weight": "weight",
                        "graph": "undirected, largest connected component"},
        "pagerank": {"alpha": alpha, "weight": "weight", "tol": 1e-10},
        "communities": {"resolution": resolution, "seed": seed, "weight": "weight",
                        "graph": "undirected"},
    }
    algorithms = {m: (algo, centrality.software("networkx")) for m, (_, algo) in MEASURES.items()}
    algorithms["communities"] = (COMMUNITY_ALGORITHM, centrality.software("networkx"))
    for measure in ("betweenness", "closeness", "communities"):
        algorithms[measure] = (centrality.ALGORITHMS[used, measure], centrality.software(used))
    return Analysis(
        view=str(graph.graph.get("view", "whole")), view_name=str(graph.graph.get("name", "whole")),
        directed=graph.is_directed(), nodes=n, edges=graph.number_of_edges(),
        scores=tuple(rows), communities=tuple(communities), bridges=bridges, brokers=brokers,
        parameters=parameters, algorithms=algorithms)


def _eigenvector(graph: nx.Graph) -> dict[Any, float]:
    """Eigenvector centrality on the largest connected component (ties: smallest node)."""
    components = [c for c in nx.connected_components(graph) if len(c) > 1]
    if not components:
        return {}
    main = min(components, key=lambda c: (-len(c), min(map(str, c))))
    sub = graph.subgraph(main)
    if len(main) <= 2:  # ARPACK needs n > 2; two linked nodes share the eigenvector evenly
        return {v: 2 ** -0.5 for v in main}
    from scipy.sparse.linalg import ArpackNoConvergence  # type: ignore[import-untyped]

    try:
        values: dict[Any, float] = nx.eigenvector_centrality_numpy(sub, weight="weight")
    except ArpackNoConvergence:  # a small eigenvalue gap (long chains): 50·n steps do not do
        return _eigenvector_symmetric(sub)
    return values


def _eigenvector_symmetric(graph: nx.Graph) -> dict[Any, float]:
    """Leading eigenvector of the symmetric adjacency, when ARPACK's Arnoldi gave up.

    Dense ``eigh`` (exact, O(n³)) up to 3,000 nodes, else symmetric Lanczos (``eigsh``)
    with a budget of 100·n steps; normalised as NetworkX does (unit norm, positive sum).

    Raises:
        MetrokgError: Lanczos did not converge either (the message says so).
    """
    import numpy as np
    from scipy.sparse.linalg import ArpackNoConvergence, eigsh

    nodes = list(graph)
    matrix = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight="weight", dtype=float)
    if len(nodes) <= 3000:
        vector = np.linalg.eigh(matrix.toarray())[1][:, -1]
    else:
        try:
            vector = eigsh(matrix, k=1, which="LA", maxiter=100 * len(nodes))[1][:, 0]
        except ArpackNoConvergence as exc:
            raise MetrokgError(
                f"eigenvector centrality did not converge on the largest component "
                f"({len(nodes)} nodes): its two leading eigenvalues are too close") from exc
    vector = vector / (np.sign(vector.sum()) * np.linalg.norm(vector))
    return {node: float(abs(value)) for node, value in zip(nodes, vector, strict=True)}


def _round(value: float) -> float:
    rounded = round(float(value), DIGITS)
    return 0.0 if rounded == 0 else rounded  # no "-0.0"


# ---------------------------------------------------------------- tabular outputs

SCORES = (*MEASURES, "community", "broker")
"""The node attributes :func:`annotate` adds: every measure, the community, broker or not."""


def annotate(graph: nx.Graph, analysis: Analysis) -> nx.Graph:
    """A copy of *graph* whose nodes carry every score of *analysis* (:data:`SCORES`).

    So the GEXF and GraphML exports hold what was computed: a Gephi user need not
    recompute. The community is the number of :attr:`Analysis.communities` (1 = largest).
    """
    out = graph.copy()
    for row in analysis.scores:
        if row.iri in out:
            out.nodes[row.iri].update({name: getattr(row, name) for name in SCORES})
    return out


COLUMNS = ("iri", "label", "type", "degree", "weighted_degree", "betweenness", "closeness",
           "eigenvector", "pagerank", "community", "broker")


def to_csv(analysis: Analysis) -> str:
    """One row per organisation, in :attr:`Analysis.scores` order.

    Text cells a spreadsheet would run as a formula are neutralised
    (:func:`metrokg.safetext.neutralise_cell`); numbers are written as they are.
    """
    from ..safetext import neutralise_cell

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in analysis.scores:
        writer.writerow([neutralise_cell(v) if isinstance(v, str) else v
                         for v in (getattr(row, c) for c in COLUMNS)])
    return out.getvalue()


def to_json(analysis: Analysis) -> str:
    """The whole analysis as JSON (sorted keys, UTF-8)."""
    return json.dumps(analysis.as_dict(), indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def table(analysis: Analysis, *, measure: str = "pagerank", n: int = 15) -> str:
    """A fixed-width text table of the top *n* organisations by *measure*."""
    head = (f"{'#':>3}  {'organisation':<40} {'deg':>4} {'w.deg':>6} {'betw.':>7} "
            f"{'close':>6} {'eigen':>6} {'pagerank':>8} {'comm':>4}  broker")
    lines = [f"view {analysis.view}{' (directed)' if analysis.directed else ''}: "
             f"{analysis.nodes} organisations, {analysis.edges} edges, "
             f"{len(analysis.communities)} communities, {len(analysis.bridges)} bridges, "
             f"{len(analysis.brokers)} brokers — top {n} by {measure}", head]
    for i, s in enumerate(analysis.top(measure, n), 1):
        label = s.label if len(s.label) <= 40 else s.label[:39] + "…"
        lines.append(f"{i:>3}  {label:<40} {s.degree:>4} {s.weighted_degree:>6g} "
                     f"{s.betweenness:>7.4f} {s.closeness:>6.3f} {s.eigenvector:>6.3f} "
                     f"{s.pagerank:>8.4f} {s.community:>4}  {'yes' if s.broker else ''}")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- RDF


def analysis_graph_iri(view_name: str, base: str) -> URIRef:
    """``<base>graph/analysis/<view>``: the named graph holding one view's results."""
    return URIRef(f"{base}graph/analysis/{view_name}")


def to_rdf(analysis: Analysis, *, base: str, date: datetime,
           dataset: Dataset | None = None) -> Dataset:
    """Write *analysis* into *dataset* (a new one by default) and return it.

    Scores, communities, bridges and brokers go into :func:`analysis_graph_iri`; the view,
    one ``prov:Activity`` per measure (algorithm, software version, parameters) and the
    graph's ``prov:generatedAtTime`` go into the provenance graph ``<base>graph/provenance``.
    """
    dataset = dataset if dataset is not None else Dataset()
    for s, p, o, g in _statements(analysis, base=base, date=date):
        dataset.graph(g).add((s, p, o))
    return dataset


def to_quads(analysis: Analysis, *, base: str, date: datetime) -> list[ox.Quad]:
    """The statements of :func:`to_rdf` as pyoxigraph quads (what the build adds to its
    store), without an rdflib dataset in between."""
    from ..rdflib_bridge import from_rdflib

    graphs: dict[URIRef, ox.NamedNode] = {}
    return [ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o),  # type: ignore[arg-type]
                    graphs.setdefault(g, ox.NamedNode(str(g))))
            for s, p, o, g in _statements(analysis, base=base, date=date)]


def _statements(analysis: Analysis, *, base: str,
                date: datetime) -> list[tuple[URIRef, URIRef, Node, URIRef]]:
    """(subject, predicate, object, graph) of everything :func:`to_rdf` writes."""
    out: list[tuple[URIRef, URIRef, Node, URIRef]] = []
    name = analysis.view_name
    graph_iri = analysis_graph_iri(name, base)
    provenance = URIRef(f"{base}graph/provenance")

    def g(s: URIRef, p: URIRef, o: Node) -> None:
        out.append((s, p, o, graph_iri))

    def prov(s: URIRef, p: URIRef, o: Node) -> None:
        out.append((s, p, o, provenance))

    view = URIRef(f"{base}id/analysis/{name}")
    stamp = Literal(date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime)

    for s in analysis.scores:
        org = URIRef(s.iri)
        g(org, MKG.degree, Literal(s.degree, datatype=XSD.integer))
        for measure in ("weighted_degree", "betweenness", "closeness", "eigenvector",
                        "pagerank"):
            g(org, MKG[MEASURES[measure][0]], _decimal(getattr(s, measure)))
        g(org, MKG.inCommunity, URIRef(f"{view}/community/{s.community}"))
        if s.broker:
            g(org, MKG.isBroker, Literal(True))
    for i, members in enumerate(analysis.communities, 1):
        community = URIRef(f"{view}/community/{i}")
        g(community, RDF.type, MKG.Community)
        g(community, RDFS.label, Literal(f"community {i} of view {analysis.view}", lang="en"))
        g(community, MKG.communitySize, Literal(len(members), datatype=XSD.integer))
    for a, b in analysis.bridges:
        bridge = URIRef(f"{view}/bridge/{_tail(a)}--{_tail(b)}")
        g(bridge, RDF.type, MKG.Bridge)
        g(bridge, MKG.bridgeEnd, URIRef(a))
        g(bridge, MKG.bridgeEnd, URIRef(b))

    prov(graph_iri, RDF.type, PROV.Entity)
    prov(graph_iri, DCTERMS.title, Literal(f"Network analysis of view {analysis.view}"
                                                + (" (directed)" if analysis.directed else ""),
                                                lang="en"))
    prov(graph_iri, PROV.generatedAtTime, stamp)
    prov(graph_iri, PROV.wasDerivedFrom, view)
    prov(view, RDF.type, MKG.NetworkView)
    scope, _, value = analysis.view.partition(":")
    prov(view, MKG.viewScope, Literal(scope))
    if scope == "plan":
        prov(view, MKG.viewOf, URIRef(f"{base}id/plan/{value}"))
    elif scope == "sdg":
        prov(view, MKG.viewOf, SDG[value])
    elif scope == "relation":
        prov(view, MKG.viewOf, Literal(value))
    prov(view, MKG.directed, Literal(analysis.directed))
    prov(view, MKG.nodeCount, Literal(analysis.nodes, datatype=XSD.integer))
    prov(view, MKG.edgeCount, Literal(analysis.edges, datatype=XSD.integer))
    for query in PROJECTION_QUERIES:
        prov(view, MKG.projectionQuery, Literal(f"queries/network/{query}.rq"))
    software = f"networkx {dist_version('networkx')}"
    activities = {m: (MKG[prop], algo, software) for m, (prop, algo) in MEASURES.items()}
    activities["communities"] = (MKG.inCommunity, COMMUNITY_ALGORITHM, software)
    for measure, (algorithm, library) in analysis.algorithms.items():
        activities[measure] = (activities[measure][0], algorithm, library)
    activities["bridges"] = (MKG.Bridge, "networkx.bridges", software)
    activities["brokers"] = (MKG.isBroker, "networkx.articulation_points", software)
    for measure, (produced, algorithm, library) in activities.items():
        activity = URIRef(f"{view}/{measure.replace('_', '-')}")
        prov(graph_iri, PROV.wasGeneratedBy, activity)
        prov(activity, RDF.type, PROV.Activity)
        prov(activity, MKG.algorithm, Literal(algorithm))
        prov(activity, MKG.softwareVersion, Literal(library))
        prov(activity, MKG.computes, produced)
        prov(activity, PROV.used, view)
        prov(activity, PROV.endedAtTime, stamp)
        for key, value in sorted(analysis.parameters.get(measure, {}).items()):
            param = URIRef(f"{activity}/parameter/{key.replace('_', '-')}")
            prov(activity, MKG.parameter, param)
            prov(param, RDF.type, MKG.AlgorithmParameter)
            prov(param, RDFS.label, Literal(key))
            prov(param, RDF.value, _value(value))
    return out


PROJECTION_QUERIES = ("organisations", "memberships", "sub-organisations", "involvements",
                      "co-involvement", "plan-owners", "elements", "sdg-links", "responsible")


def _decimal(value: float) -> Literal:
    """Canonical xsd:decimal (always with a point), so serialisations round-trip exactly.

    >>> str(_decimal(1.0)), str(_decimal(0.25))
    ('1.0', '0.25')
    """
    text = f"{value:.{DIGITS}f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


def _value(value: Any) -> Literal:
    if isinstance(value, bool):
        return Literal(value)
    if isinstance(value, int):
        return Literal(value, datatype=XSD.integer)
    if isinstance(value, float):
        return Literal(repr(value), datatype=XSD.double)
    return Literal(str(value))


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


# ---------------------------------------------------------------- the date


def _last_commit_time(inputs: list[Path]) -> int | None:
    """Commit time of the last commit touching *inputs*, if they are committed as they are."""
    import subprocess

    existing = [str(p) for p in inputs if p.exists()]
    if not existing:
        return None
    cwd = Path(existing[0]).parent
    try:
        dirty = subprocess.run(["git", "status", "--porcelain", "--", *existing], cwd=cwd,
                               capture_output=True, text=True, timeout=10, check=True).stdout
        if dirty.strip():
            return None
        out = subprocess.run(["git", "log", "-1", "--format=%ct", "--", *existing], cwd=cwd,
                             capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None  # not a git checkout, or git missing: fall back to modification times
    return int(out.strip()) if out.strip().isdigit() else None


def analysis_date(inputs: Iterable[Path], *, environ: Mapping[str, str] | None = None) -> datetime:
    """The date stamped on analysis results: stable, so builds stay reproducible.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) when set; else, in a git
    checkout whose inputs have no uncommitted change, the time of the last commit that
    touched them (the same in every clone); else the newest modification time among
    *inputs* (files, or folders searched recursively); else the Unix epoch. Whole
    seconds, UTC.

    >>> analysis_date([], environ={"SOURCE_DATE_EPOCH": "1700000000"}).isoformat()
    '2023-11-14T22:13:20+00:00'
    """
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except ValueError:
            raise InputError("SOURCE_DATE_EPOCH", f"{epoch!r} is not a whole number of "
                             "seconds", hint="unset it, or set it to e.g. $(date +%s)") from None
    inputs = list(inputs)
    committed = _last_commit_time(inputs)
    if committed is not None:
        return datetime.fromtimestamp(committed, UTC)
    newest = 0.0
    for path in inputs:
        files = path.rglob("*") if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                newest = max(newest, file.stat().st_mtime)
    return datetime.fromtimestamp(int(newest), UTC)
