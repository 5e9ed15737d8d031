"""`metrokg stats`: counts read from the embedded Oxigraph store."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from ..outputs.store import open_store, store_stats
from .common import add_project_options, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("stats", help="counts from the embedded store (after build)")
    add_project_options(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    stats = store_stats(open_store(project_paths(args)))
    if args.json:
        print(json.dumps(asdict(stats), indent=2, sort_keys=True))
        return 0
    print(f"quads           {stats.quads}")
    print(f"named graphs    {stats.named_graphs}")
    print(f"organisations   {stats.organisations}")
    print(f"plans           {stats.plans}")
    for level, n in stats.plan_elements.items():
        print(f"  {level:<14}{n}")
    print(f"relations       {stats.relations}")
    print(f"involvements    {stats.involvements}")
    return 0
