"""`metrokg push`: load the built dataset into a triple store (Graph Store Protocol or bulk)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..outputs.push import AUTH_KINDS, PushResult, find_credentials, push_dataset
from ..paths import OUTPUT_FILES, ProjectPaths, default_paths
from .common import progress

EPILOG = """examples:
  oxigraph serve --location /tmp/mkg --bind 127.0.0.1:7878 &
  metrokg push --endpoint http://127.0.0.1:7878/store
  metrokg push --endpoint http://localhost:3030/metrokg/data --auth basic     # Fuseki
  METROKG_USER=dba METROKG_PASSWORD=… metrokg push \\
      --endpoint http://localhost:8890/sparql-graph-crud-auth --graph-param graph-uri
  metrokg push --bulk oxigraph --location /srv/oxigraph          # server stopped
  METROKG_USER=dba METROKG_PASSWORD=… metrokg push --bulk virtuoso \\
      --isql 127.0.0.1:1111 --load-dir /srv/virtuoso/load        # a DirsAllowed folder

Each named graph is sent with one PUT, which replaces it; then the store's graphs under
the dataset's namespace that the dataset no longer has are deleted (listed through the
query endpoint beside the Graph Store one, or --query-endpoint). Running push twice, or
again after an interrupted push, leaves the store with the dataset's content.
Credentials: METROKG_TOKEN (bearer), METROKG_USER and METROKG_PASSWORD, or the netrc
file (--netrc, $NETRC, ~/.netrc) entry for the store's host — never on the command line.
Exit codes: 0 success, 2 bad option or credentials, 4 no built dataset, 5 store
unreachable, timeout or HTTP error."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("push", help="load the built dataset into a triple store",
                       description="Replace the store's metrokg graphs with the built dataset: "
                                   "one SPARQL 1.1 Graph Store Protocol PUT per named graph, "
                                   "or a store's bulk loader (--bulk).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--endpoint", metavar="URL",
                   help="the Graph Store Protocol URL (Oxigraph server: http://host:7878/store)")
    p.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                   help="how long the store may take per request (default 60)")
    p.add_argument("--graph-param", default="graph", metavar="NAME",
                   help="query parameter naming the graph (default graph; Virtuoso: graph-uri)")
    p.add_argument("--auth", choices=AUTH_KINDS, default=None,
                   help="HTTP authentication (default: bearer with METROKG_TOKEN, digest with "
                        "a user and password, none without credentials)")
    p.add_argument("--netrc", type=Path, default=None, metavar="FILE",
                   help="netrc file holding `machine HOST login USER password SECRET` "
                        "(default $NETRC, else ~/.netrc)")
    p.add_argument("--query-endpoint", metavar="URL",
                   help="the store's SPARQL query URL, to list its graphs (default: beside "
                        "--endpoint for Oxigraph, Virtuoso and Fuseki)")
    p.add_argument("--scope", metavar="IRI",
                   help="only graphs whose IRI starts with this are metrokg's to delete "
                        "(default: the dataset's graph namespace)")
    p.add_argument("--keep-stale", action="store_true",
                   help="do not delete the store's graphs that the dataset no longer has")
    p.add_argument("--bulk", choices=("virtuoso", "oxigraph"), default=None,
                   help="use the store's bulk loader instead of the Graph Store Protocol")
    p.add_argument("--location", type=Path, metavar="DIR",
                   help="--bulk oxigraph: the Oxigraph store folder (its server stopped)")
    p.add_argument("--isql", default="127.0.0.1:1111", metavar="HOST:PORT",
                   help="--bulk virtuoso: the SQL port (default 127.0.0.1:1111)")
    p.add_argument("--load-dir", type=Path, metavar="DIR",
                   help="--bulk virtuoso: a folder the server reads (in its DirsAllowed)")
    p.add_argument("--dump", type=Path, metavar="FILE",
                   help="the N-Quads file to push (default: the current build's metrokg.nq)")
    p.add_argument("--project", type=Path, default=None, metavar="DIR",
                   help="the metrokg checkout whose build to push")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..errors import InputError

    paths = ProjectPaths(args.project.resolve()) if args.project else default_paths()
    dump = args.dump or paths.output / OUTPUT_FILES["dataset_nquads"]
    if args.bulk == "oxigraph":
        from ..outputs.bulkload import load_oxigraph

        if args.location is None:
            raise InputError("--bulk oxigraph", "needs --location DIR (the store folder)")
        result = load_oxigraph(dump, args.location, scope=args.scope, progress=progress)
    elif args.bulk == "virtuoso":
        from ..outputs.bulkload import load_virtuoso

        if args.load_dir is None:
            raise InputError("--bulk virtuoso", "needs --load-dir DIR, a folder the server "
                             "reads (listed in its virtuoso.ini DirsAllowed)")
        where = "http://" + args.isql
        result = load_virtuoso(dump, args.isql, args.load_dir, scope=args.scope,
                               credentials=find_credentials(where, netrc_file=args.netrc),
                               progress=progress)
    else:
        if not args.endpoint:
            raise InputError("push", "needs --endpoint URL (the store's Graph Store "
                             "Protocol URL) or --bulk")
        result = push_dataset(dump, args.endpoint, timeout=args.timeout,
                              graph_param=args.graph_param, auth=args.auth,
                              credentials=find_credentials(args.endpoint,
                                                           netrc_file=args.netrc),
                              query_endpoint=args.query_endpoint, scope=args.scope,
                              remove_stale=not args.keep_stale, progress=progress)
    report(result)
    return 0


def report(result: PushResult) -> None:
    """Print what the push did, and which graphs remain beside the dataset's, and why."""
    print(f"pushed {result.graphs} graphs ({result.triples} triples) to {result.endpoint}")
    if result.removed:
        shown = ", ".join(result.removed[:5]) + (" …" if len(result.removed) > 5 else "")
        print(f"deleted {len(result.removed)} graphs under {result.scope} that the dataset "
              f"no longer has: {shown}")
    if result.unchecked:
        print(f"note: {result.unchecked}", file=sys.stderr)
    if result.outside:
        print(f"left {result.outside} graphs outside {result.scope} as they are "
              "(not metrokg's: the store's own or other datasets')")
