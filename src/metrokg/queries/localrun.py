"""Running a query on the built dataset in a child process: timeout, crash, no network.

:func:`run_isolated` forks (spawns, outside Linux) a process that cuts itself off the
network (:func:`metrokg.queries.isolation.isolate`, unless ``allow_network``), opens the built
store (read-only on disk, or the dump loaded into memory), runs the query and sends the
answer back as text: SPARQL TSV for solutions (pyoxigraph's own writer), N-Triples for
graphs. The caller waits at most ``timeout``
seconds, then kills it; a child that dies (the engine crashed, memory ran out) is a
:class:`~metrokg.errors.QueryError` naming the signal, never a crash of the caller.
"""

from __future__ import annotations

import functools
import multiprocessing
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import MetrokgError, QueryError, StoreError

__all__ = ["Answer", "parse_isolated", "run_isolated"]

Answer = tuple[str, object]
"""``("ask", bool)``, ``("select", tsv_bytes)``, ``("graph", ntriples_bytes)`` or
``("unparsed", None)``."""


def _child(conn: Connection, output: str, text: str, allow_network: bool,
           union: bool, parsed: bool) -> None:  # pragma: no cover - runs in the child process
    from .isolation import isolate

    if not allow_network and isolate() == "none" and not parsed:
        conn.send(("unparsed", None))  # nothing but the parser can stop its SERVICE here
        conn.close()
        return
    try:
        import pyoxigraph as ox

        from ..outputs.store import open_store

        store = open_store(output=Path(output))  # the build's on-disk store, or its dump
        result = store.query(text, use_default_graph_as_union=union)
        if isinstance(result, ox.QueryBoolean):
            conn.send(("ask", bool(result)))
        elif isinstance(result, ox.QuerySolutions):
            conn.send(("select", result.serialize(format=ox.QueryResultsFormat.TSV)))
        else:
            conn.send(("graph", ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)))
    except MetrokgError as exc:
        conn.send(("error", (type(exc).__name__, str(exc))))
    except Exception as exc:  # the engine's evaluation errors: unknown function, SERVICE…
        conn.send(("error", ("QueryError", " ".join(str(exc).split())[:300])))
    finally:
        conn.close()


def run_isolated(output: Path, text: str, *, name: str, timeout: float,
                 allow_network: bool = False, union: bool = True,
                 parsed: bool = True) -> Answer:
    """Run *text* on the build in *output* (its store, or its dump) in a child process.

    A text not *parsed* (a catalogue query, whose ``SERVICE`` was not looked for) runs
    only in a child cut off the network, or with *allow_network*; a child that cannot
    cut itself off answers ``("unparsed", None)`` without running it.

    Raises:
        StoreError: nothing has been built there, or it cannot be read.
        QueryError: the query failed, took longer than *timeout*, or crashed the engine.
    """
    from ..paths import OUTPUT_FILES, STORE_DIR

    if not ((output / STORE_DIR).is_dir() or (output / OUTPUT_FILES["dataset_nquads"]).is_file()):
        raise StoreError(f"no built dataset in {output}: run `metrokg build` first")
    ctx = (multiprocessing.get_context("fork") if sys.platform.startswith("linux")
           else multiprocessing.get_context("spawn"))
    kind, value = _ask_child(
        ctx, _child, (str(output), text, allow_network, union, parsed), label="metrokg-query",
        timeout=timeout,
        too_slow=f"{name}: stopped after {timeout:g} s (raise --timeout, add a LIMIT or "
                 "narrow the patterns)",
        crashed=lambda how: f"{name}: the query engine crashed ({how}); the query is too "
                            "complex or too deeply nested to run")
    if kind == "error":
        kind_name, message = value
        if kind_name == "StoreError":
            raise StoreError(message)
        raise QueryError(message if message.startswith(name) else f"{name}: {message}")
    return kind, value


def _oxigraph_reading(text: str) -> tuple[str, str]:  # pragma: no cover - child process
    import pyoxigraph as ox

    try:
        result = ox.Store().query(text)
    except SyntaxError as exc:
        return "syntax", str(exc)
    except Exception:  # it parsed; evaluating on an empty store failed (SERVICE…)
        return "unknown", ""
    return "form", ("ask" if isinstance(result, ox.QueryBoolean) else
                    "graph" if isinstance(result, ox.QueryTriples) else "select")


def _parser(conn: Connection, text: str) -> None:  # pragma: no cover - child process
    from .isolation import isolate
    from .queryparse import QueryRefused, parse_query

    isolated = isolate() != "none"
    try:
        conn.send(("shape", parse_query(text)))
    except QueryRefused as exc:
        reading = ("unknown", "")
        if exc.kind in ("syntax", "depth") and isolated:  # never evaluate with the network on
            reading = _oxigraph_reading(text)
        conn.send(("refused", (exc.kind, exc.message, reading)))


_WARM = (
    "PREFIX x: <urn:x:> SELECT DISTINCT ?s (COUNT(?o) AS ?n) WHERE { VALUES ?v { 1 \"a\"@en } "
    "GRAPH ?g { ?s x:p/x:q* ?o OPTIONAL { ?o a ?t } } FILTER(STRSTARTS(STR(?s), \"u\") && "
    "?v != 2) BIND(IF(BOUND(?t), 1, 0) AS ?b) { SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 } "
    "MINUS { ?s x:r ?z } } GROUP BY ?s HAVING (COUNT(?o) > 0) ORDER BY DESC(?n) LIMIT 5",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { ?o ?p ?s } }",
    "ASK { ?s ?p ?o }", "DESCRIBE <urn:x>",
)


@functools.cache
def _warm_parser() -> None:
    """Import rdflib's SPARQL grammar and let pyparsing prepare it (~0.1 s on first use)."""
    from rdflib.plugins.sparql.parser import parseQuery

    for text in _WARM:  # our own constant texts, never a caller's
        parseQuery(text)


def parse_isolated(text: str, *, name: str, timeout: float) -> tuple[str, object]:
    """Parse *text* in a child process cut off the network, within *timeout* seconds.

    Returns ``("shape", QueryShape)`` or ``("refused", (kind, message, reading))`` where
    *reading* is how Oxigraph's own parser reads a text rdflib refused as a syntax error
    (``("syntax", message)``, ``("form", "select" | "ask" | "graph")`` or
    ``("unknown", "")``), learnt on an empty store in that network-less child.

    Raises:
        QueryError: parsing took longer than *timeout* or crashed the parser.
    """
    if sys.platform.startswith("linux"):
        _warm_parser()  # once, in this process: every forked child inherits it ready
        ctx = multiprocessing.get_context("fork")
    else:  # pragma: no cover - spawn imports it in the child
        ctx = multiprocessing.get_context("spawn")  # type: ignore[assignment]
    kind, value = _ask_child(
        ctx, _parser, (text,), label="metrokg-parse", timeout=timeout,
        too_slow=f"{name}: parsing took longer than {timeout:g} s (the query is too long or "
                 "too complex)",
        crashed=lambda how: f"{name}: the SPARQL parser crashed on this text (too long or "
                            "too deeply nested)")
    return str(kind), value


def _ask_child(ctx: Any, target: Callable[..., None], args: tuple[Any, ...], *, label: str,
               timeout: float, too_slow: str, crashed: Callable[[str], str]) -> tuple[str, Any]:
    """Start ``target(conn, *args)`` in a child process and return the one message it sends.

    Raises :class:`QueryError` with *too_slow* after *timeout* seconds, or with
    ``crashed(how)`` when the child dies without answering (*how*: its signal or exit code).
    The child is killed once it has answered or failed.
    """
    parent, child = ctx.Pipe(duplex=False)
    process = ctx.Process(target=target, args=(child, *args), name=label, daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise QueryError(too_slow)
        try:
            kind, value = parent.recv()
        except (EOFError, OSError):
            process.join(5)
            code = process.exitcode
            how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
                   else f"exit code {code}")
            raise QueryError(crashed(how)) from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    return kind, value
