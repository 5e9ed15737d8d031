"""`metrokg query`: run a catalogue query, a `.rq` file or inline SPARQL, locally or remotely."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from ..errors import InputError, QueryError
from ..namespaces import DEFAULT_BASE
from ..paths import ProjectPaths, default_paths
from ..queries.catalogue import load_catalogue
from ..queries.render import GRAPH_FORMATS, TABLE_FORMATS, render
from ..queries.sparql import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT, GraphResult, prepare
from ..queries.sparql import run as run_prepared
from ..safetext import printable

EPILOG = """examples:
  metrokg query --list
  metrokg query actions-involving --param org=amb
  metrokg query status-by-plan --format csv
  metrokg query queries/plan-level-counts.rq --endpoint http://127.0.0.1:7878/query
  metrokg query 'SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }'

Locally the default graph is the union of the named graphs (as on `metrokg serve`);
the catalogue's queries match inside GRAPH ?g { … }, so the same text gives the same
answers on any endpoint. A local query runs in a child process, stopped after
--timeout, with no network access: SERVICE needs --allow-service. From an endpoint at
most --max-answer MiB are read. CSV/TSV cells that a spreadsheet would run as a
formula get a leading ' ; control characters never reach the terminal.
Exit codes: 0 success, 4 no built dataset (run `metrokg build`), 5 query error
(unknown name, bad parameter, syntax error, endpoint unreachable, timeout, HTTP error,
malformed answer, engine crash)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("query", help="run a SPARQL query (catalogue name, .rq file or text)",
                       description="Run a query of the catalogue (queries/*.rq) by name, a .rq "
                                   "file, or inline SPARQL — on the embedded store (the built "
                                   "dataset) or on a SPARQL endpoint.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("query", nargs="?", metavar="QUERY",
                   help="catalogue name, path to a .rq file, or the query text")
    p.add_argument("--list", action="store_true", help="list the catalogue and exit")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                   help="a catalogue query's parameter, e.g. org=amb (repeatable)")
    p.add_argument("--endpoint", metavar="URL",
                   help="SPARQL endpoint to query instead of the embedded store "
                        "(Oxigraph server: http://host:7878/query)")
    p.add_argument("--base", default=None, metavar="IRI",
                   help="with --endpoint: the base the endpoint's dataset was built with "
                        f"(default {DEFAULT_BASE}); locally the build's own base is used")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"how long the query may take, locally or on the endpoint (default "
                        f"{DEFAULT_TIMEOUT:g})")
    p.add_argument("--max-answer", type=float, default=DEFAULT_MAX_BYTES / 2**20,
                   metavar="MIB", help="largest answer read from an endpoint, in MiB (default "
                                       f"{DEFAULT_MAX_BYTES / 2**20:g})")
    p.add_argument("--allow-service", action="store_true",
                   help="let a local query's SERVICE send requests to other endpoints")
    p.add_argument("--format", "-f", choices=TABLE_FORMATS + GRAPH_FORMATS, default=None,
                   help="output format (default: table; turtle for CONSTRUCT/DESCRIBE)")
    p.add_argument("--output", "-o", type=Path, metavar="FILE",
                   help="write the result to FILE instead of standard output")
    p.add_argument("--project", type=Path, default=None, metavar="DIR",
                   help="the metrokg checkout whose catalogue and build to use")
    p.set_defaults(run=run)


def _paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths(args.project.resolve()) if args.project else default_paths()


def _params(values: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--param {item!r}: write NAME=VALUE, e.g. --param org=amb")
        params[name.strip()] = value
    return params


def run(args: argparse.Namespace) -> int:
    paths = _paths(args)
    if args.list:
        print(_listing(paths), end="")
        return 0
    if not args.query:
        raise QueryError("name a query (see `metrokg query --list`), a .rq file or give "
                         "the query text")
    if not (0 < args.timeout < math.inf):
        raise InputError("--timeout", f"{args.timeout} is not a positive number of seconds")
    if not (0 < args.max_answer < math.inf):
        raise InputError("--max-answer", f"{args.max_answer} is not a positive size in MiB")
    if args.base is not None and args.endpoint is None:
        raise InputError("--base", "the local build's base is recorded in the build",
                         hint="use --base only with --endpoint")
    if args.endpoint is not None:
        base = args.base or DEFAULT_BASE
    else:
        from ..outputs.summary import recorded_base

        base = recorded_base(paths.output)
    prepared = prepare(args.query, params=_params(args.param), paths=paths, base=base,
                       timeout=args.timeout)
    result = run_prepared(prepared, endpoint=args.endpoint, timeout=args.timeout, paths=paths,
                          allow_service=args.allow_service,
                          max_bytes=int(args.max_answer * 2**20))
    fmt = args.format or ("turtle" if isinstance(result, GraphResult) else "table")
    text = render(result, fmt, base=base)
    if args.output:
        write_atomically(args.output, text)
    else:
        sys.stdout.write(printable(text) if sys.stdout.isatty() else text)
    return 0


def write_atomically(path: Path, text: str) -> None:
    """Write *text* to *path* through a temporary file: never a half-written output."""
    import os
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.replace(temp, path)
    except OSError as exc:
        raise InputError(str(path), f"cannot write the result: {exc.strerror or exc}") from None


def _listing(paths: ProjectPaths) -> str:
    catalogue = load_catalogue(paths.queries)
    lines = []
    for entry in catalogue.values():
        params = " ".join(f"{p.name}={p.default}" for p in entry.parameters)
        lines.append(f"{entry.id}" + (f"  [{params}]" if params else ""))
        lines.append(f"    {entry.question_en}")
    lines.append(f"({len(catalogue)} queries in {paths.queries})")
    return "\n".join(lines) + "\n"
