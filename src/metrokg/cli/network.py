"""`metrokg network`: centrality, communities, bridges and brokers of a network view."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import CENTRALITY_ENGINES, MEASURES, add_project_options, build_base, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "network", help="analyse the partnership network (after build)",
        description="Centrality (degree, weighted degree, betweenness, closeness, eigenvector, "
                    "PageRank), Louvain communities, bridges and brokers of one view of the "
                    "partnership network; prints a table, writes CSV/JSON/RDF/GEXF/GraphML.")
    add_project_options(p)
    p.add_argument("--view", default="whole", metavar="VIEW",
                   help="whole, plan:<plan-id>, sdg:<1-17> or relation:<kind or role> "
                        "(default whole)")
    p.add_argument("--directed", action="store_true", help="keep edge directions")
    p.add_argument("--sort", default="pagerank", choices=list(MEASURES),
                   help="measure the table is sorted by (default pagerank)")
    p.add_argument("--top", type=int, default=15, metavar="N", help="rows in the table")
    p.add_argument("--seed", type=int, default=42, help="seed of Louvain and sampling")
    p.add_argument("--resolution", type=float, default=1.0, help="Louvain resolution")
    p.add_argument("--betweenness-k", type=int, default=None, metavar="K",
                   help="sample K sources for betweenness (default: exact)")
    p.add_argument("--closeness-k", type=int, default=None, metavar="K",
                   help="estimate closeness from K pivots (default: exact)")
    p.add_argument("--engine", default="auto", choices=list(CENTRALITY_ENGINES),
                   help="engine of betweenness, closeness and Louvain: networkx, igraph, or "
                        "auto = igraph above 500 organisations (default auto)")
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="write <view>.csv, .json, .trig (analysis graph + provenance), "
                        ".gexf, .graphml and <view>-bipartite.graphml here")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..analysis.nogc import paused

    with paused():  # millions of small objects stay alive: see metrokg.analysis.nogc
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from ..analysis.measures import analyse, analysis_date, annotate, table, to_csv, to_json, to_rdf
    from ..analysis.network import (
        View,
        bipartite_view,
        load_projection,
        network_view,
        write_gexf,
        write_graphml,
    )
    from ..outputs import dumps
    from ..outputs.store import open_store
    from ..rdflib_bridge import quads_from_dataset

    paths = project_paths(args)
    view = View.parse(args.view, directed=args.directed)
    projection = load_projection(open_store(paths), paths.queries / "network")
    graph = network_view(projection, view, evidence=False)
    analysis = analyse(graph, seed=args.seed, resolution=args.resolution,
                       betweenness_k=args.betweenness_k, closeness_k=args.closeness_k,
                       engine=args.engine)
    print(table(analysis, measure=args.sort, n=args.top), end="")
    if args.out is not None:
        out: Path = args.out
        out.mkdir(parents=True, exist_ok=True)
        stem = out / view.name
        stem.with_suffix(".csv").write_text(to_csv(analysis), encoding="utf-8")
        stem.with_suffix(".json").write_text(to_json(analysis), encoding="utf-8")
        date = analysis_date([paths.data, paths.sources, paths.ontology,
                              paths.queries / "network"])
        trig = ox.Store()
        base = build_base(paths.output)
        trig.extend(list(quads_from_dataset(to_rdf(analysis, base=base, date=date))))
        dumps.write(dumps.sorted_quads(trig), stem.with_suffix(".trig"), ox.RdfFormat.TRIG,
                    base=base)
        scored = annotate(graph, analysis)
        write_gexf(scored, stem.with_suffix(".gexf"))
        write_graphml(scored, stem.with_suffix(".graphml"))
        if view.scope != "relation":
            write_graphml(bipartite_view(projection, View(view.scope, view.value)),
                          out / f"{view.name}-bipartite.graphml")
        print(f"wrote {stem}.{{csv,json,trig,gexf,graphml}}")
    return 0
