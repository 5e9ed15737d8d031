"""Cost exponents of every catalogue query and every dataset check, on synthetic graphs.

Usage: .venv/bin/python scripts/bench_scale_queries.py [--scales 1,15,50,150] [--repeat 5]
       [--cache dist/bench-scale] [--limit 1.2] [--fit-from 100000]

For each scale (a multiple of today's records, see ``metrokg generate``) a synthetic
project is generated (seed 1), assembled, and its dataset dumped to N-Quads in --cache
(reused on later runs). Each dump is bulk-loaded into an in-memory Oxigraph store; every
``queries/*.rq`` (with its default parameters, as the file stands) and every
``queries/checks/*-violation.rq`` (provenance graph substituted) runs --repeat times,
interleaved (one pass over all queries per repeat). The cost exponent of a query is the
slope of the least-squares line through (log quads, log time) of the sizes from
--fit-from quads on; times under 1 ms count as 1 ms (the per-call floor: below it the slope
measures noise). It is computed twice: on the best run at each size — the gate, the
query's own cost — and on the median run, shown beside it: on a machine shared with
other jobs a query of a few milliseconds is often preempted, so its median measures the
load as much as the query (one triple-pattern scan at 10^6 quads: 1.2 ms best, 11.7 ms
median of 7 runs, under a load average of 11 on 2 cores). Smaller sizes are shown, and
their slope to the next size, but not fitted: at scale 1 the graph is the project's own
(4 stated totals, 12 elements without an SDG), whose mix differs from the synthetic
blocks' (a stated total per block), so the step from it measures the change of mix as
much as the cost. Prints a Markdown table for docs/benchmarks.md and exits 1 if any
fitted exponent is above --limit.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from metrokg.build import assemble
from metrokg.checks.dataset import header_line
from metrokg.mapping import Iris
from metrokg.namespaces import DEFAULT_BASE
from metrokg.paths import ProjectPaths, default_paths
from metrokg.synthetic import generate

FLOOR = 0.001


def dump(scale: float, cache: Path) -> Path:
    """The N-Quads dump of the synthetic project at *scale* (made once, then reused)."""
    path = cache / f"scale-{scale:g}.nq"
    if not path.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        project = generate(cache / f"project-{scale:g}", scale=scale, seed=1)
        assembled = assemble(ProjectPaths(project))
        tmp = path.with_suffix(".tmp")
        assembled.store.dump(tmp, format=ox.RdfFormat.N_QUADS)
        tmp.replace(path)
    return path


def exponent(sizes: list[int], times: list[float]) -> float:
    """Slope of log(time) against log(size), least squares (times floored at FLOOR).

    >>> round(exponent([10, 100, 1000], [0.01, 0.1, 1.0]), 3)
    1.0
    """
    xs = [math.log(s) for s in sizes]
    ys = [math.log(max(t, FLOOR)) for t in times]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / \
        sum((x - mx) ** 2 for x in xs)


def _run(store: ox.Store, text: str, substitutions: dict[ox.Variable, ox.NamedNode]) -> int:
    result = store.query(text, substitutions=substitutions)  # type: ignore[arg-type]
    if isinstance(result, ox.QueryBoolean):
        return int(bool(result))
    return sum(1 for _ in result)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,15,50,150")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--limit", type=float, default=1.2)
    parser.add_argument("--fit-from", type=int, default=100_000)
    args = parser.parse_args()
    paths = default_paths()
    cache = args.cache or paths.dist / "bench-scale"
    scales = [float(s) for s in args.scales.split(",")]
    provenance = Iris(DEFAULT_BASE).provenance_graph
    queries: list[tuple[str, str, dict[ox.Variable, ox.NamedNode]]] = []
    for path in sorted(paths.queries.glob("*.rq")):
        queries.append((path.stem, path.read_text(encoding="utf-8"), {}))
    for path in sorted((paths.queries / "checks").glob("*-violation.rq")):
        text = path.read_text(encoding="utf-8")
        needed = "provenanceGraph" in (header_line(text, "parameters") or "")
        queries.append(("checks/" + path.stem, text,
                        {ox.Variable("provenanceGraph"): provenance} if needed else {}))
    sizes: list[int] = []
    medians: dict[str, list[float]] = {name: [] for name, _, _ in queries}
    bests: dict[str, list[float]] = {name: [] for name, _, _ in queries}
    rows: dict[str, list[int]] = {name: [] for name, _, _ in queries}
    for scale in scales:
        store = ox.Store()
        start = time.perf_counter()
        store.bulk_load(path=dump(scale, cache), format=ox.RdfFormat.N_QUADS)
        load = time.perf_counter() - start
        sizes.append(len(store))
        print(f"scale {scale:g}: {len(store)} quads loaded in {load:.1f} s", file=sys.stderr)
        times: dict[str, list[float]] = {name: [] for name, _, _ in queries}
        for _ in range(args.repeat):
            for name, text, subs in queries:
                start = time.perf_counter()
                count = _run(store, text, subs)
                times[name].append(time.perf_counter() - start)
                if len(rows[name]) < len(sizes):
                    rows[name].append(count)
        for name in medians:
            medians[name].append(statistics.median(times[name]))
            bests[name].append(min(times[name]))
        del store
    print("## Cost of the catalogue queries and dataset checks at scale\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, pyoxigraph {ox.__version__ if hasattr(ox, '__version__') else '?'}; "
          f"load average {os.getloadavg()[0]:.1f} at the end")
    print(f"command: `.venv/bin/python scripts/bench_scale_queries.py --scales {args.scales} "
          f"--repeat {args.repeat}`; best and median of {args.repeat} interleaved runs; "
          f"exponent = least-squares slope of log time on log quads (times < 1 ms count as "
          f"1 ms), on the best runs (the gate) and on the medians\n")
    fitted = [i for i, n in enumerate(sizes) if n >= args.fit_from]
    if len(fitted) < 2:
        print(f"need two sizes of at least {args.fit_from} quads to fit", file=sys.stderr)
        return 2
    head = " | ".join(f"{n:,} quads: best / median (s) | rows" for n in sizes)
    first = fitted[0]
    print(f"| query | {head} | slope {sizes[first - 1]:,} → {sizes[first]:,}, best (not "
          f"fitted) | exponent from {sizes[first]:,}, best | … median |" if first else
          f"| query | {head} | exponent, best | … median |")
    print("|---|" + "---:|---:|" * len(sizes) + ("---:|" if first else "") + "---:|---:|")
    failed = []
    for name, _, _ in queries:
        slope = exponent([sizes[i] for i in fitted], [bests[name][i] for i in fitted])
        loaded = exponent([sizes[i] for i in fitted], [medians[name][i] for i in fitted])
        early = (f" {exponent(sizes[first - 1:first + 1], bests[name][first - 1:first + 1]):.2f} |"
                 if first else "")
        cells = " | ".join(f"{b:.4f} / {m:.4f} | {r}" for b, m, r in
                           zip(bests[name], medians[name], rows[name], strict=True))
        mark = " **> limit**" if slope > args.limit else ""
        print(f"| {name} | {cells} |{early} {slope:.2f}{mark} | {loaded:.2f} |")
        if slope > args.limit:
            failed.append(name)
    if failed:
        print(f"\nabove {args.limit}: {', '.join(failed)}", file=sys.stderr)
        return 1
    print(f"\nevery exponent is at most {args.limit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
