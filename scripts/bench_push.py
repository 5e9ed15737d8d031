"""Time `metrokg push` into a real Oxigraph server and a real Virtuoso: GSP vs bulk path.

Usage: .venv/bin/python scripts/bench_push.py --dump dist/graph/metrokg.nq [--runs 3]
       [--dump /tmp/syn90/dist/graph/metrokg.nq --runs 1 ...]

For each dump, four ways, interleaved run by run (each run replaces what the previous one
left, as a real re-publication does; an untimed first push fills the stores):
Oxigraph server over the Graph Store Protocol (``/store``), ``oxigraph load`` into a store
folder (no server on it), Virtuoso's authenticated GSP (digest, ``/sparql-graph-crud-auth``)
and Virtuoso's bulk loader (``ld_dir``/``rdf_loader_run`` through isql-vt). The servers are
the test suite's (``metrokg.queries.localserver.start_oxigraph``, ``tests/virtuoso.py``). Prints a
Markdown table for docs/benchmarks.md: median seconds, quads per second, ratio to
Oxigraph GSP in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import virtuoso as vt  # the tests' Virtuoso fixture module

from metrokg.outputs.bulkload import load_oxigraph, load_virtuoso
from metrokg.outputs.push import Credentials, push_dataset
from metrokg.queries.localserver import start_oxigraph


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, action="append", required=True)
    parser.add_argument("--runs", type=int, action="append", default=None,
                        help="timed runs per dump (one value per --dump; default 3)")
    args = parser.parse_args()
    runs = args.runs or [3] * len(args.dump)
    credentials = Credentials("bench", user=vt.USER, password=vt.PASSWORD)
    server = vt.virtuoso()
    rows: list[str] = []
    with start_oxigraph(query_timeout=600) as oxigraph, \
            tempfile.TemporaryDirectory(prefix="metrokg-bench-") as folder:
        location = Path(folder) / "oxigraph-bulk"
        ways: dict[str, Callable[[Path], object]] = {
            "Oxigraph server, GSP PUT": lambda d: push_dataset(
                d, oxigraph.store_url, timeout=600),
            "Oxigraph, `oxigraph load` (--bulk oxigraph)": lambda d: load_oxigraph(
                d, location),
            "Virtuoso, GSP PUT with digest": lambda d: push_dataset(
                d, server.gsp, graph_param="graph-uri", credentials=credentials,
                timeout=600),
            "Virtuoso, ld_dir + rdf_loader_run (--bulk virtuoso)": lambda d: load_virtuoso(
                d, server.sql, server.load_dir, credentials=credentials),
        }
        for dump, count in zip(args.dump, runs, strict=True):
            quads = sum(1 for _ in dump.open("rb"))
            times: dict[str, list[float]] = {name: [] for name in ways}
            for way in ways.values():
                way(dump)  # untimed: fill the store, so each timed run replaces
            for _ in range(count):
                for name, way in ways.items():
                    start = time.perf_counter()
                    way(dump)
                    times[name].append(time.perf_counter() - start)
                    print(f"{dump.name} {name}: {times[name][-1]:.2f} s", file=sys.stderr)
            base = statistics.median(times["Oxigraph server, GSP PUT"])
            for name, values in times.items():
                median = statistics.median(values)
                rows.append(f"| {quads:,} | {name} | {count} | {median:.2f} | "
                            f"{quads / median:,.0f} | {median / base:.2f} |")
    print(f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f} at the end\n")
    print("| quads | how | runs | median s | quads/s | ratio to Oxigraph GSP |")
    print("|---:|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    vt.stop(server)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
