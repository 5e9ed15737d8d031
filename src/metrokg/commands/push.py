"""`metrokg push`: load the built dataset into a triple store (Graph Store Protocol)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..build import OUTPUT_FILES
from ..paths import ProjectPaths, default_paths
from ..push import push_dataset
from .common import progress

EPILOG = """examples:
  oxigraph serve --location /tmp/mkg --bind 127.0.0.1:7878 &
  metrokg push --endpoint http://127.0.0.1:7878/store
  metrokg push --endpoint http://localhost:3030/metrokg/data           # Fuseki
  METROKG_PASSWORD=… metrokg push --endpoint http://localhost:8890/sparql-graph-crud-auth \\
      --graph-param graph-uri --user dba                                # Virtuoso

Each named graph is sent with one PUT, which replaces it: running push twice leaves
the store with the same content. Exit codes: 0 success, 4 no built dataset,
5 store unreachable, timeout or HTTP error."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("push", help="load the built dataset into a triple store (GSP PUT)",
                       description="Send every named graph of the built dataset to a store's "
                                   "SPARQL 1.1 Graph Store Protocol endpoint, one PUT per graph.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="the Graph Store Protocol URL (Oxigraph server: http://host:7878/store)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="how long the store may take per request (default 60)")
    p.add_argument("--graph-param", default="graph", metavar="NAME",
                   help="query parameter naming the graph (default graph; Virtuoso: graph-uri)")
    p.add_argument("--user", metavar="NAME",
                   help="user for HTTP basic authentication; password from METROKG_PASSWORD")
    p.add_argument("--dump", type=Path, metavar="FILE",
                   help="the N-Quads file to push (default: the current build's metrokg.nq)")
    p.add_argument("--project", type=Path, default=None, metavar="DIR",
                   help="the metrokg checkout whose build to push")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    paths = ProjectPaths(args.project.resolve()) if args.project else default_paths()
    dump = args.dump or paths.output / OUTPUT_FILES["dataset_nquads"]
    result = push_dataset(dump, args.endpoint, timeout=args.timeout,
                          graph_param=args.graph_param, user=args.user,
                          password=os.environ.get("METROKG_PASSWORD"), progress=progress)
    print(f"pushed {result.graphs} graphs ({result.triples} triples) to {result.endpoint}",
          file=sys.stdout)
    return 0
