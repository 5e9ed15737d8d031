"""`metrokg explore`: write the interactive network explorer (one offline HTML file)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import COLOUR_BY, LANGUAGES, MEASURES, add_project_options, build_base, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("explore", help="write the network explorer HTML page (after build)",
                       description="One self-contained HTML file (no network needed) to "
                                   "explore a view of the partnership network.")
    add_project_options(p)
    p.add_argument("--view", default="whole", metavar="VIEW",
                   help="whole, plan:<plan-id>, sdg:<1-17> or relation:<kind or role>")
    p.add_argument("--directed", action="store_true", help="keep edge directions (arrows)")
    p.add_argument("--size-by", default="pagerank", choices=list(MEASURES),
                   help="measure that sizes the nodes (default pagerank)")
    p.add_argument("--colour-by", default="type", choices=list(COLOUR_BY),
                   help="colour by organisation type or community (default type)")
    p.add_argument("--lang", default="en", choices=list(LANGUAGES),
                   help="language of the names (default en; switchable in the page)")
    p.add_argument("-o", "--output", type=Path, default=None, metavar="FILE",
                   help="where to write the page (default dist/explorer.html of the project)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..analysis.measures import analyse
    from ..analysis.network import View, label_of, load_projection, network_view
    from ..outputs.explorer import explorer_html
    from ..outputs.store import open_store

    paths = project_paths(args)
    view = View.parse(args.view, directed=args.directed)
    projection = load_projection(open_store(paths), paths.queries / "network")
    graph = network_view(projection, view, lang=args.lang)
    analysis = analyse(graph)
    plans = {p: label_of(projection.elements[p].names, p, args.lang) for p in projection.plans()}
    page = explorer_html(graph, analysis, title=f"metrokg — partnership network ({view.text})",
                         plans=plans, lang=args.lang, size_by=args.size_by,
                         colour_by=args.colour_by, base=build_base(paths.output))
    output: Path = args.output or paths.dist / "explorer.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(page, encoding="utf-8")
    print(f"wrote {output} ({analysis.nodes} organisations, {analysis.edges} edges)")
    return 0
