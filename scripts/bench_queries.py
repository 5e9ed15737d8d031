"""Time the whole SPARQL catalogue on the embedded store (Oxigraph) and on rdflib's Dataset.

Usage: .venv/bin/python scripts/bench_queries.py [--dump dist/graph/metrokg.nq]
       [--repeat 5] [--rdflib-timeout 60]

Both engines get the same dump and the same query texts (parameters at their defaults).
Oxigraph: best of --repeat runs per query, load time separately. rdflib: one run per query
in a worker process, stopped after --rdflib-timeout seconds (rdflib has no query timeout).
Prints a Markdown table for docs/benchmarks.md and whether the two engines agree.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import statistics
import sys
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path

from metrokg.outputs.store import open_store
from metrokg.paths import default_paths
from metrokg.queries.catalogue import load_catalogue
from metrokg.queries.sparql import AskResult, GraphResult, SelectResult, prepare, run


def _rdflib_worker(dump: str, texts: list[tuple[str, str]], conn: Connection) -> None:
    import rdflib

    start = time.perf_counter()
    dataset = rdflib.Dataset()
    dataset.parse(dump, format="nquads")
    conn.send(("load", time.perf_counter() - start, None))
    for name, text in texts:
        start = time.perf_counter()
        result = dataset.query(text)
        if result.type == "SELECT":
            answer = sorted(Counter(tuple("" if t is None else _same_number(str(t)) for t in row)
                                    for row in result).items())
        elif result.type == "ASK":
            answer = bool(result.askAnswer)
        else:
            answer = len(result.graph) if result.graph is not None else 0
        conn.send((name, time.perf_counter() - start, answer))


def _oxigraph_answer(result: object) -> object:
    if isinstance(result, SelectResult):
        return sorted(Counter(tuple(_plain(t) for t in row) for row in result.rows).items())
    if isinstance(result, AskResult):
        return result.value
    assert isinstance(result, GraphResult)
    return len(result.triples)


def _plain(term: object) -> str:
    # rdflib's str() of a term is its lexical value / IRI: compare on that
    return "" if term is None else _same_number(str(term.value))  # type: ignore[attr-defined]


def _same_number(text: str) -> str:
    """One spelling per number: Oxigraph prints xsd:decimal 10.0 as "10", rdflib as "10.0"."""
    from decimal import Decimal, InvalidOperation

    if not text or not (text[0].isdigit() or text[0] in "+-."):
        return text
    try:
        return str(Decimal(text).normalize())
    except InvalidOperation:
        return text


def main() -> int:
    paths = default_paths()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dump", type=Path, default=paths.output / "metrokg.nq")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    args = parser.parse_args()

    catalogue = load_catalogue(paths.queries)
    prepared = {name: prepare(name, paths=paths) for name in sorted(catalogue)}

    start = time.perf_counter()
    store = open_store(dump=args.dump)
    ox_load = time.perf_counter() - start
    ox_times: dict[str, float] = {}
    ox_answers: dict[str, object] = {}
    for name, query in prepared.items():
        runs = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = run(query, store=store)
            runs.append(time.perf_counter() - t0)
        ox_times[name] = min(runs)
        ox_answers[name] = _oxigraph_answer(result)

    rd_times: dict[str, float | None] = {}
    rd_answers: dict[str, object] = {}
    rd_load = None
    remaining = [(n, q.text) for n, q in prepared.items()]
    while remaining:
        receive, send = mp.Pipe(duplex=False)
        worker = mp.Process(target=_rdflib_worker, args=(str(args.dump), remaining, send))
        worker.start()
        if not receive.poll(600):
            worker.kill()
            print("rdflib could not load the dump in 600 s", file=sys.stderr)
            return 1
        _, load_time, _ = receive.recv()
        rd_load = load_time if rd_load is None else rd_load
        done = 0
        for name, _text in remaining:
            if not receive.poll(args.rdflib_timeout):
                rd_times[name] = None
                worker.kill()
                worker.join()
                done += 1
                break
            got, seconds, answer = receive.recv()
            rd_times[got], rd_answers[got] = seconds, answer
            done += 1
        else:
            worker.join()
        remaining = remaining[done:]

    print(f"machine: {platform.processor() or platform.machine()}, "
          f"{mp.cpu_count()} cores, Python {platform.python_version()}")
    print(f"dataset: {len(store)} quads; load: Oxigraph {ox_load:.2f} s, rdflib {rd_load:.2f} s\n")
    print(f"| query | Oxigraph (ms, best of {args.repeat}) | rdflib (ms) | ratio | same answer |")
    print("|---|---:|---:|---:|---|")
    for name in prepared:
        ox = ox_times[name] * 1000
        rd = rd_times.get(name)
        if rd is None:
            print(f"| {name} | {ox:.1f} | > {args.rdflib_timeout * 1000:.0f} (stopped) | – | – |")
            continue
        same = "yes" if rd_answers[name] == ox_answers[name] else \
            f"**no** (Oxigraph {ox_answers[name]!r:.40}, rdflib {rd_answers[name]!r:.40})"
        print(f"| {name} | {ox:.1f} | {rd * 1000:.1f} | {rd * 1000 / ox:.0f}x | {same} |")
    finished = [n for n in prepared if rd_times.get(n) is not None]
    ox_total = sum(ox_times.values()) * 1000
    rd_total = sum(rd_times[n] or 0 for n in finished) * 1000
    print(f"\nwhole catalogue: Oxigraph {ox_total:.0f} ms; rdflib {rd_total:.0f} ms over "
          f"{len(finished)}/{len(prepared)} queries that finished; median ratio "
          f"{statistics.median([(rd_times[n] or 0) / ox_times[n] for n in finished]):.0f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
