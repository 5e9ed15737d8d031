"""Cost exponents of every catalogue query and every dataset check, on synthetic graphs.

Usage: .venv/bin/python scripts/bench_scale_queries.py [--scales 1,15,50,150] [--repeat 15]
       [--cache dist/bench-scale] [--limit 1.2] [--fit-from 100000] [--risk-ms 5]
       [--only ID,ID] [--clock wall|cpu]

For each scale (a multiple of today's records, see ``metrokg generate``) a synthetic
project is generated (seed 1), assembled, and its dataset dumped to N-Quads in --cache
(reused on later runs). Each dump is bulk-loaded into an in-memory Oxigraph store; every
``queries/*.rq`` (with its default parameters, as the file stands) and every
``queries/checks/*-violation.rq`` (provenance graph substituted) runs once to warm the
store, then --repeat times, interleaved (one pass over all queries per repeat), beside
``ASK {}`` — the fixed cost of one call (parse, plan, iterate), measured the same way —
and a count of one predicate's quads inside the engine: how the store's own cost per quad
read grows with its size (cache misses), printed, not gated.

A query's time at a size is the median of its runs less the median of ``ASK {}``'s
(floored at 0.01 ms). Its cost exponent is the least-squares slope of log time on log
quads over the sizes from --fit-from quads on (10^5 to 10^6 by default). Smaller sizes are
shown but not fitted: at scale 1 the graph is the project's own, whose mix differs from
the synthetic blocks'. The rule (docs/benchmarks.md): a query fails when its exponent is
above --limit *and* its time at the largest size is above --risk-ms — a query that answers
in a few milliseconds at 10^6 quads is not a scaling risk, and on a loaded machine its
slope measures preemption and cache misses more than its plan. Such a query is still
printed with its exponent and marked "small". Prints a Markdown table for
docs/benchmarks.md (raw best and median per size, the overhead, the exponent, the
verdict), the load average before and after, and exits 1 if any query fails. Each run's
CPU time (``time.process_time``) is kept beside its wall time and fitted the same way;
``--clock cpu`` gives the verdict on it (a shared machine's other jobs stretch wall times,
not this process's CPU time).
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

from metrokg.checks.dataset import header_line
from metrokg.mapping import Iris
from metrokg.namespaces import DEFAULT_BASE
from metrokg.outputs.build import assemble
from metrokg.paths import ProjectPaths, default_paths
from metrokg.records.synthetic import generate

FLOOR = 0.00001  # 0.01 ms: what remains of a constant-time query once the call is subtracted
OVERHEAD = ("(overhead: ASK {})", "ASK {}")
SCAN = ("(engine: one predicate's quads, counted)",
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s <https://w3id.org/metrokg/def/inPlan> ?o } }")
"""Not a catalogue query: how the store's own cost per quad read grows with its size, in
the same run — the floor under any query whose answer grows with the data."""


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
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--limit", type=float, default=1.2)
    parser.add_argument("--fit-from", type=int, default=100_000)
    parser.add_argument("--risk-ms", type=float, default=5.0)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="the times the verdict is fitted on (default: wall)")
    parser.add_argument("--only", default="", help="comma-separated ids (checks/NAME for a "
                                                    "check); default: all")
    args = parser.parse_args()
    paths = default_paths()
    cache = args.cache or paths.dist / "bench-scale"
    scales = [float(s) for s in args.scales.split(",")]
    provenance = Iris(DEFAULT_BASE).provenance_graph
    queries: list[tuple[str, str, dict[ox.Variable, ox.NamedNode]]] = [(*OVERHEAD, {}),
                                                                        (*SCAN, {})]
    load_before = os.getloadavg()
    only = set(args.only.split(",")) if args.only else None
    for path in sorted(paths.queries.glob("*.rq")):
        if only is None or path.stem in only:
            queries.append((path.stem, path.read_text(encoding="utf-8"), {}))
    for path in sorted((paths.queries / "checks").glob("*-violation.rq")):
        if only is not None and "checks/" + path.stem not in only:
            continue
        text = path.read_text(encoding="utf-8")
        needed = "provenanceGraph" in (header_line(text, "parameters") or "")
        queries.append(("checks/" + path.stem, text,
                        {ox.Variable("provenanceGraph"): provenance} if needed else {}))
    sizes: list[int] = []
    medians: dict[str, list[float]] = {name: [] for name, _, _ in queries}
    cpu_medians: dict[str, list[float]] = {name: [] for name, _, _ in queries}
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
        cpu: dict[str, list[float]] = {name: [] for name, _, _ in queries}
        for _name, text, subs in queries:  # warm-up, not counted
            _run(store, text, subs)
        for _ in range(args.repeat):
            for name, text, subs in queries:
                start, start_cpu = time.perf_counter(), time.process_time()
                count = _run(store, text, subs)
                times[name].append(time.perf_counter() - start)
                cpu[name].append(time.process_time() - start_cpu)
                if len(rows[name]) < len(sizes):
                    rows[name].append(count)
        for name in medians:
            medians[name].append(statistics.median(times[name]))
            cpu_medians[name].append(statistics.median(cpu[name]))
            bests[name].append(min(times[name]))
        del store
    overhead = medians[OVERHEAD[0]]
    cpu_overhead = cpu_medians[OVERHEAD[0]]
    load_after = os.getloadavg()
    print("## Cost of the catalogue queries and dataset checks at scale\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, pyoxigraph {getattr(ox, '__version__', '?')}; "
          f"load average (1, 5, 15 min) {', '.join(f'{v:.1f}' for v in load_before)} before, "
          f"{', '.join(f'{v:.1f}' for v in load_after)} after")
    print(f"command: `.venv/bin/python scripts/bench_scale_queries.py --scales {args.scales} "
          f"--repeat {args.repeat} --clock {args.clock}`; one warm-up run, then best / median "
          f"of {args.repeat} interleaved runs (ms); exponent = least-squares slope of log(median − overhead) "
          f"on log quads from {args.fit_from:,} quads; fails if > {args.limit} and "
          f"> {args.risk_ms:g} ms at the largest size; the verdict uses the {args.clock} "
          f"clock (CPU: this process's CPU time, which preemption by other jobs does not "
          f"inflate); both exponents are printed\n")
    fitted = [i for i, n in enumerate(sizes) if n >= args.fit_from]
    if len(fitted) < 2:
        print(f"need two sizes of at least {args.fit_from} quads to fit", file=sys.stderr)
        return 2
    head = " | ".join(f"{n:,} quads: best / median | rows" for n in sizes)
    print(f"| query | {head} | CPU median at the largest | exponent (wall) | exponent (CPU) "
          f"| verdict ({args.clock}) |")
    print("|---|" + "---:|---:|" * len(sizes) + "---:|---:|---:|---|")
    failed = []
    for name, _, _ in queries:
        net = [max(m - o, FLOOR) for m, o in zip(medians[name], overhead, strict=True)]
        cpu_net = [max(m - o, FLOOR) for m, o in zip(cpu_medians[name], cpu_overhead,
                                                     strict=True)]
        wall_slope = exponent([sizes[i] for i in fitted], [net[i] for i in fitted])
        cpu_slope = exponent([sizes[i] for i in fitted], [cpu_net[i] for i in fitted])
        slope = cpu_slope if args.clock == "cpu" else wall_slope
        last = (cpu_net if args.clock == "cpu" else net)[-1] * 1000
        cells = " | ".join(f"{b * 1000:.2f} / {m * 1000:.2f} | {r}" for b, m, r in
                           zip(bests[name], medians[name], rows[name], strict=True))
        if name == OVERHEAD[0]:
            verdict = "subtracted from the others"
        elif name == SCAN[0]:
            verdict = "the engine's own growth (not gated)"
        elif slope <= args.limit:
            verdict = "ok"
        elif last <= args.risk_ms:
            verdict = f"small ({last:.1f} ms at the largest size)"
        else:
            verdict = "**fails**"
            failed.append(name)
        print(f"| {name} | {cells} | {cpu_medians[name][-1] * 1000:.2f} | {wall_slope:.2f} | "
              f"{cpu_slope:.2f} | {verdict} |")
    if failed:
        print(f"\nabove {args.limit} and {args.risk_ms:g} ms: {', '.join(failed)}",
              file=sys.stderr)
        return 1
    print(f"\nno query above {args.limit} with more than {args.risk_ms:g} ms at the largest size")
    return 0


if __name__ == "__main__":
    sys.exit(main())
