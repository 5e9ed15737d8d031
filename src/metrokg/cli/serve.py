"""`metrokg serve`: the built graph as linked open data on a local (or public) port."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import InputError
from .common import add_graph_option, add_project_options, build_base, built_output, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve", help="serve the built graph: SPARQL endpoint, pages, dumps (after build)",
        description="Serve the last build: a read-only SPARQL 1.1 endpoint at /sparql, a query "
                    "page at /query, dereferenceable IRIs (HTML, Turtle, JSON-LD, N-Triples), "
                    "dataset metadata at /dataset and /.well-known/void, all read from the "
                    "build's on-disk store. Started on the dist/graph link (the default), it "
                    "serves each new build `metrokg build` publishes there. Listens on "
                    "127.0.0.1 unless --host says otherwise. What the endpoint guarantees, "
                    "and every limit: docs/publishing.md.")
    add_project_options(p)
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="where clients reach this server, e.g. https://kg.example.org/ (used "
                        "for every absolute link; needed beyond loopback; default "
                        "http://HOST:PORT/)")
    add_graph_option(p)
    p.add_argument("--workers", type=int, default=2, help="query worker processes (default 2)")
    p.add_argument("--timeout", type=float, default=10.0,
                   help="seconds before a query is stopped (default 10)")
    p.add_argument("--max-rows", type=int, default=10_000, help="row cap per result (default 10000)")
    p.add_argument("--max-waiting", type=int, default=32,
                   help="queries that may wait for a worker before 429 (default 32)")
    p.add_argument("--per-client", type=int, default=0, metavar="N",
                   help="queries one client may run or queue at once before 429 "
                        "(default: workers - 1, at least 1)")
    p.add_argument("--max-memory", type=int, default=1024, metavar="MIB",
                   help="memory of one query worker, in MiB (default 1024)")
    p.add_argument("--max-response", type=int, default=16, metavar="MIB",
                   help="size of one query's answer, in MiB (default 16)")
    p.add_argument("--request-timeout", type=float, default=10.0, metavar="SECONDS",
                   help="seconds a client may take to send its request (default 10)")
    p.add_argument("--no-cors", dest="cors", action="store_false",
                   help="do not let web pages on other origins read the site (CORS is on)")
    p.add_argument("--log-level", default="warning", help="uvicorn log level (default warning)")
    p.set_defaults(run=run)


_OPTIONS = {"timeout": "--timeout", "request_timeout": "--request-timeout",
            "max_rows": "--max-rows", "workers": "--workers", "max_memory_mb": "--max-memory",
            "max_response_bytes": "--max-response", "max_waiting": "--max-waiting",
            "per_client": "--per-client"}


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _public_url(args: argparse.Namespace) -> str:
    if args.public_url is None:
        if not _loopback(args.host):
            raise InputError("--public-url", f"needed when listening on {args.host} (links "
                             "are never built from the Host header)",
                             hint="e.g. --public-url https://kg.example.org/")
        host = f"[{args.host}]" if ":" in args.host else args.host
        return f"http://{host}:{args.port}/"
    parts = urlsplit(args.public_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or any(c in args.public_url for c in "<>\"{}|\\^` \n"):
        raise InputError("--public-url", f"{args.public_url!r} is not an http(s) URL",
                         hint="e.g. https://kg.example.org/")
    url = str(args.public_url)
    return url if url.endswith("/") else url + "/"


def _check_store(output: Path) -> None:
    """Refuse (exit 4, one line) a build whose store is missing or cannot be opened."""
    from ..paths import STORE_DIR
    from ..web.sandbox import open_read_only

    store, _graphs = open_read_only(str(output / STORE_DIR))
    del store  # closed: the pages and every worker open their own


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from ..web.app import ServeConfig, create_app, start
    from ..web.policy import Limits
    from ..web.server import protocol

    if not 0 < args.port < 65536:
        raise InputError("--port", f"{args.port} is not a TCP port (1-65535)")
    limits = Limits(workers=args.workers, timeout=args.timeout, max_rows=args.max_rows,
                    max_waiting=args.max_waiting, per_client=args.per_client,
                    max_memory_mb=args.max_memory, max_response_bytes=args.max_response << 20,
                    request_timeout=args.request_timeout)
    try:
        limits.check()
    except ValueError as exc:
        name, _, rest = str(exc).partition(" ")
        raise InputError(_OPTIONS.get(name, name), rest,
                         hint="see `metrokg serve --help`") from None
    public_url = _public_url(args)
    paths = project_paths(args)
    output = built_output(args, paths)
    link = args.graph or paths.output
    _check_store(output)
    if not _loopback(args.host):
        from ..queries.isolation import probe

        if probe() == "none":
            raise InputError("--host", f"the query workers cannot be cut off the network on "
                             f"this system (no seccomp, no network namespace), so metrokg "
                             f"serve will not listen on {args.host}",
                             hint="listen on 127.0.0.1, or see docs/publishing.md")
    config = ServeConfig(output, base=build_base(output), limits=limits, queries=paths.queries,
                         public_url=public_url, cors=args.cors,
                         isolation_required=not _loopback(args.host),
                         follow=link if link.is_symlink() else None)
    print(f"metrokg serve: http://{args.host}:{args.port}/ as {public_url} (SPARQL at /sparql; "
          "Ctrl-C stops)" + (f"; serves each new build published at {link}"
                             if config.follow else ""), file=sys.stderr, flush=True)
    app = create_app(config)
    server = uvicorn.Server(uvicorn.Config(
        app, host=args.host, port=args.port, log_level=args.log_level, access_log=False,
        timeout_graceful_shutdown=5, timeout_keep_alive=5, http=protocol(limits.request_timeout),
        h11_max_incomplete_event_size=16_384))

    async def main() -> None:
        await start(app)  # a build that cannot be opened stops here, with one line
        await server.serve()

    asyncio.run(main())
    return 0
