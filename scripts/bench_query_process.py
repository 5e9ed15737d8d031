"""`metrokg query NAME` as a whole process, and `metrokg.query` against raw pyoxigraph.

Usage: .venv/bin/python scripts/bench_query_process.py [--scale 150] [--repeat 7]
       [--cheap-ms 100] [--cache dist/bench-scale] [--only NAME,NAME]

The project is the synthetic one of ``scripts/bench_scale_queries.py`` (``metrokg
generate --scale S --seed 1``, in --cache), built once with ``metrokg build`` (which
writes the on-disk store the CLI opens); at the default scale 150 it holds ~1.1 M quads.
Two parts, each run interleaved (one pass over every query per round), after one
warm-up pass:

1. **Engine overhead, on one open store.** The build's store is opened read-only once;
   for every catalogue query (default parameters) the same bound text runs through
   ``metrokg.query(name, store=store)`` and through raw ``pyoxigraph.Store.query``, the
   raw side materialising every row as a tuple of terms (what ``metrokg.query`` returns);
   which side runs first alternates from round to round.
   Per query: the median of each side and their ratio; the target is the median ratio
   over the catalogue ≤ 1.1. The first call of ``metrokg.query`` in a process parses the
   text once (rdflib's parser, in a child process); that cost is printed apart, it is not
   a per-call cost.
2. **The whole process.** ``metrokg query NAME --project P --format tsv`` (``ntriples``
   for a graph) for every query
   that is *cheap* — its raw median in part 1 at most --cheap-ms — beside the same query
   in a bare ``python -c`` process (import pyoxigraph, open the store read-only, run, write
   TSV): the floor any CLI pays. Wall time (median), CPU time of the process and its
   children (median), ratio to the floor. The target is ≤ 1 s for each cheap query.

Prints Markdown for docs/benchmarks.md with the machine, the load average before and
after, the commands and the medians; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from metrokg.paths import ProjectPaths, default_paths
from metrokg.queries.catalogue import load_catalogue
from metrokg.queries.sparql import GraphResult, prepare, query
from metrokg.records.synthetic import generate

RAW = """import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
result = store.query(open(sys.argv[2], encoding="utf-8").read(), use_default_graph_as_union=True)
if isinstance(result, ox.QuerySolutions):
    sys.stdout.buffer.write(result.serialize(format=ox.QueryResultsFormat.TSV))
elif isinstance(result, ox.QueryTriples):
    sys.stdout.buffer.write(ox.serialize(result, format=ox.RdfFormat.N_TRIPLES))
else:
    print(bool(result))
"""


def project(scale: float, cache: Path) -> ProjectPaths:
    """The synthetic project at *scale*, generated and built once (then reused)."""
    root = cache / f"project-{scale:g}"
    if not (root / "synthetic.json").is_file():
        generate(root, scale=scale, seed=1)
    paths = ProjectPaths(root.resolve())
    if not (paths.output / "store").is_dir():
        subprocess.run([sys.executable, "-m", "metrokg", "build", "--project", str(root)],
                       check=True, stdout=subprocess.DEVNULL)
    return paths


def raw_rows(store: ox.Store, text: str) -> int:
    """Raw pyoxigraph: run *text*, materialise the answer as metrokg.query does."""
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    if isinstance(result, ox.QueryTriples):
        return len(tuple(result))
    return len(tuple(tuple(solution) for solution in result))


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, with children) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=150)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--cheap-ms", type=float, default=100.0)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--only", default="", help="comma-separated catalogue ids")
    args = parser.parse_args()
    cache = args.cache or default_paths().dist / "bench-scale"
    paths = project(args.scale, cache)
    names = sorted(load_catalogue(paths.queries))
    if args.only:
        names = [n for n in names if n in set(args.only.split(","))]
    load_before = os.getloadavg()

    store = ox.Store.read_only(str(paths.output / "store"))
    quads = len(store)
    texts = {n: prepare(n, paths=paths).text for n in names}
    first: dict[str, float] = {}
    formats: dict[str, str] = {}
    for name in names:  # warm-up pass; metrokg.query's first call parses each text once
        start = time.perf_counter()
        answer = query(name, store=store, paths=paths)
        first[name] = time.perf_counter() - start
        formats[name] = "ntriples" if isinstance(answer, GraphResult) else "tsv"
        raw_rows(store, texts[name])
    ours: dict[str, list[float]] = {n: [] for n in names}
    raw: dict[str, list[float]] = {n: [] for n in names}
    for round_ in range(args.repeat):
        for name in names:
            for side in ((0, 1) if round_ % 2 else (1, 0)):  # who goes first alternates
                start = time.perf_counter()
                if side:
                    raw_rows(store, texts[name])
                else:
                    query(name, store=store, paths=paths)
                (raw if side else ours)[name].append(time.perf_counter() - start)
    del store  # the CLI processes open the same store

    raw_med = {n: statistics.median(raw[n]) for n in names}
    cheap = [n for n in names if raw_med[n] * 1000 <= args.cheap_ms]
    folder = cache / "texts"
    folder.mkdir(parents=True, exist_ok=True)
    for name in cheap:
        (folder / f"{name}.rq").write_text(texts[name], encoding="utf-8")
    cli: dict[str, list[tuple[float, float]]] = {n: [] for n in cheap}
    floor: dict[str, list[tuple[float, float]]] = {n: [] for n in cheap}
    metrokg = [sys.executable, "-m", "metrokg", "query"]
    for round_ in range(args.repeat + 1):  # round 0 warms the page cache, not counted
        for name in cheap:
            a = timed([*metrokg, name, "--project", str(paths.root), "--format",
                       formats[name]])
            b = timed([sys.executable, "-c", RAW, str(paths.output / "store"),
                       str(folder / f"{name}.rq")])
            if round_:
                cli[name].append(a)
                floor[name].append(b)
    load_after = os.getloadavg()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, pyoxigraph {getattr(ox, '__version__', '?')}; "
          f"load average (1, 5, 15 min) {', '.join(f'{v:.1f}' for v in load_before)} before, "
          f"{', '.join(f'{v:.1f}' for v in load_after)} after")
    print(f"command: `.venv/bin/python scripts/bench_query_process.py --scale {args.scale:g} "
          f"--repeat {args.repeat} --cheap-ms {args.cheap_ms:g}`; project "
          f"{paths.root.name}: {quads:,} quads in its on-disk store; one warm-up pass, then "
          f"medians of {args.repeat} interleaved runs\n")
    print("**`metrokg.query` against raw `pyoxigraph.Store.query`, same open store, same "
          "text** (ms)\n")
    print("| query | raw pyoxigraph | metrokg.query | ratio | first call (parse included) |")
    print("|---|---:|---:|---:|---:|")
    ratios = []
    for name in names:
        mine = statistics.median(ours[name])
        ratio = mine / raw_med[name]
        ratios.append(ratio)
        print(f"| {name} | {raw_med[name] * 1000:.2f} | {mine * 1000:.2f} | {ratio:.2f} | "
              f"{first[name] * 1000:.0f} |")
    median_ratio = statistics.median(ratios)
    print(f"\nmedian ratio over {len(names)} queries: **{median_ratio:.3f}** (target ≤ 1.1)\n")
    print(f"**Whole process, the {len(cheap)} cheap queries** (raw median ≤ "
          f"{args.cheap_ms:g} ms at this size; s)\n")
    print("| query | `metrokg query` wall | CPU | bare pyoxigraph process wall | CPU | ratio |")
    print("|---|---:|---:|---:|---:|---:|")
    slow = []
    for name in cheap:
        wall = statistics.median(w for w, _ in cli[name])
        cpu = statistics.median(c for _, c in cli[name])
        fwall = statistics.median(w for w, _ in floor[name])
        fcpu = statistics.median(c for _, c in floor[name])
        if wall > 1.0:
            slow.append(name)
        print(f"| {name} | {wall:.3f} | {cpu:.3f} | {fwall:.3f} | {fcpu:.3f} | "
              f"{wall / fwall:.1f} |")
    expensive = [n for n in names if n not in cheap]
    print(f"\nnot cheap at this size (raw median > {args.cheap_ms:g} ms): "
          f"{', '.join(expensive) or 'none'}")
    missed = []
    if median_ratio > 1.1:
        missed.append(f"median ratio {median_ratio:.3f} > 1.1")
    if slow:
        missed.append(f"above 1 s whole process: {', '.join(slow)}")
    if missed:
        print("; ".join(missed), file=sys.stderr)
        return 1
    print("\nevery cheap query ≤ 1 s whole process; median ratio ≤ 1.1")
    return 0


if __name__ == "__main__":
    sys.exit(main())
