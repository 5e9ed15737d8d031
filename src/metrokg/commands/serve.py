"""`metrokg serve`: the built graph as linked open data on a local (or public) port."""

from __future__ import annotations

import argparse
import sys

from ..errors import InputError
from .common import add_graph_option, add_project_options, built_output, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve", help="serve the built graph: SPARQL endpoint, pages, dumps (after build)",
        description="Serve the last build: a read-only SPARQL 1.1 endpoint at /sparql, a query "
                    "page at /query, dereferenceable IRIs (HTML, Turtle, JSON-LD, N-Triples), "
                    "dataset metadata at /dataset and /.well-known/void. Listens on 127.0.0.1 "
                    "unless --host says otherwise.")
    add_project_options(p)
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    add_graph_option(p)
    p.add_argument("--workers", type=int, default=2, help="query worker processes (default 2)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds before a query is stopped (default 10)")
    p.add_argument("--max-rows", type=int, default=10_000, help="row cap per result (default 10000)")
    p.add_argument("--max-waiting", type=int, default=32,
                   help="queries that may wait for a worker before 429 (default 32)")
    p.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..web.app import ServeConfig, create_app
    from ..web.policy import Limits

    paths = project_paths(args)
    output = built_output(args, paths)
    if args.workers < 1 or args.timeout <= 0 or args.max_rows < 1:
        raise InputError("--workers/--timeout/--max-rows", "must be positive")
    limits = Limits(workers=args.workers, timeout=args.timeout, max_rows=args.max_rows,
                    max_waiting=args.max_waiting)
    config = ServeConfig(output, base=args.base, limits=limits, queries=paths.queries)
    print(f"metrokg serve: http://{args.host}:{args.port}/ (SPARQL at /sparql; Ctrl-C stops)",
          file=sys.stderr, flush=True)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level=args.log_level,
                access_log=False, timeout_graceful_shutdown=5)
    return 0
