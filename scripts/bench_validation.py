"""Time validation: the real graph, synthetic graphs at 10^5 and 10^6 quads, and the build.

Usage: .venv/bin/python scripts/bench_validation.py [--scales 15,150] [--repeat 3]
       [--plain-max 200000] [--groups 1,3] [--build-scales 100] [--cache dist/bench-scale]

Real graph: the whole validation (``checks.validate_store``, engine auto = pyrudof), the
shapes with each engine, the dataset checks, and plain ``pyshacl.validate``.

Synthetic graphs (``metrokg generate`` at each scale, seed 1, assembled once and cached as
N-Quads in --cache, as scripts/bench_scale_queries.py does): one plan element in ten is
broken (a status that is a role, a dropped text, a dropped plan link), so there are
findings to compare. Each run times, interleaved, ``validate_store`` with the auto engine
(N-Triples export and SPARQL-target resolution included) and — up to --plain-max quads —
plain ``pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)`` on
an rdflib graph of the same triples (built once, outside the timing). The (focus, shape,
severity) sets of the two are compared. Each ``validate_store`` run is also timed with
the shapes in each of --groups pyrudof runs (``checks.validate.GROUPS``), with its CPU
time (all threads) and the peak RSS during it (``VmHWM`` reset through
``/proc/self/clear_refs`` just before).

Inside the build (--build-scales; ``metrokg generate --scale K --seed 1``): each round
runs, in fresh processes, ``metrokg.outputs.build.build`` with a progress callback that stamps
every step (wall, CPU, and the peak RSS of the step), then the baseline — one
``pyoxigraph.Store().bulk_load`` of that build's own N-Quads dump. It reports
validation's time, its share of the build, its peak RSS, and both ratios to bulk_load.
A build that validates in a forked child (``outputs.build`` since ec3d500's merge) shows
its validation in the children's CPU and peak RSS columns; the step then only starts it.
Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as plain_pyshacl
from rdflib import Graph

import metrokg.checks.validate as validation
from metrokg.checks import load_shapes, run_checks, validate_shapes, validate_store
from metrokg.checks.records import Records
from metrokg.checks.report import findings_of
from metrokg.checks.terms import data_graphs, ntriples
from metrokg.mapping import Iris
from metrokg.namespaces import DEFAULT_BASE, bind_prefixes
from metrokg.outputs.build import assemble
from metrokg.paths import default_paths
from metrokg.records.synthetic import break_elements, generate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale_queries import dump

PROVENANCE = Iris(DEFAULT_BASE).provenance_graph.value
VALIDATING = "validating"
BUILD = r"""
import json, resource, sys, time
from pathlib import Path
from metrokg.outputs.build import build
from metrokg.paths import ProjectPaths

def peak():
    with open("/proc/self/status") as status:
        return next(int(l.split()[1]) * 1024 for l in status if l.startswith("VmHWM"))

def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime

steps = []
def progress(message):
    steps.append((message, time.perf_counter(), cpu(), peak()))
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # the next step's peak starts from here

start = time.perf_counter()
build(ProjectPaths(Path(sys.argv[1])), progress=progress)
steps.append(("end", time.perf_counter(), cpu(), peak()))
kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # a build that validates in a child
print(json.dumps({"start": start, "steps": steps,
                  "children": [kids.ru_utime + kids.ru_stime, kids.ru_maxrss * 1024]}))
"""
BULK_LOAD = """
import sys, time, pyoxigraph as ox
start = time.perf_counter()
ox.Store().bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
print(time.perf_counter() - start)
"""


def _peak() -> int:
    """This process's peak RSS (bytes) since the last :func:`_reset_peak`."""
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) * 1024 for line in status
                    if line.startswith("VmHWM"))


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _median(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _plain(data: Graph, shapes: Graph, store: ox.Store) -> set[tuple[str, str, str]]:
    _, report, _ = plain_pyshacl(data, shacl_graph=shapes, inference="none", advanced=True,
                                 allow_warnings=True)
    names = bind_prefixes(Graph()).namespace_manager
    return {f.key() for f in findings_of(report, shapes, Records(store, PROVENANCE), names)}


def _rdflib_copy(store: ox.Store) -> Graph:
    """What a pyshacl user would load: the data graphs' N-Triples parsed by rdflib."""
    return Graph().parse(data=ntriples(store, data_graphs(store, PROVENANCE)), format="nt")


def _real_table(store: ox.Store, data: Graph, shapes: Graph, checks: list[Path],
                repeat: int) -> str:
    real: list[tuple[str, Callable[[], object]]] = [
        ("whole validation (`validate_store`, engine auto = rudof)",
         lambda: validate_store(store, shapes=shapes, checks=checks, provenance=PROVENANCE)),
        ("shapes, engine rudof", lambda: validate_shapes(store, shapes, provenance=PROVENANCE,
                                                          engine="rudof")),
        ("shapes, engine pyshacl", lambda: validate_shapes(store, shapes, provenance=PROVENANCE,
                                                            engine="pyshacl")),
        (f"{len(checks)} dataset checks (Oxigraph)",
         lambda: run_checks(store, checks, Records(store, PROVENANCE),
                            bindings={"provenanceGraph": PROVENANCE})),
        ("plain `pyshacl.validate`", lambda: _plain(data, shapes, store)),
    ]
    times: dict[str, list[float]] = {name: [] for name, _ in real}
    for _ in range(repeat):
        for name, run in real:
            times[name].append(_median(run, 1))
    lines = ["| step | median (s) |", "|---|---:|"]
    lines += [f"| {name} | {statistics.median(times[name]):.3f} |" for name, _ in real]
    return "\n".join(lines)


def _timed(run: Callable[[], object]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (all threads) and peak RSS (bytes) of one call."""
    _reset_peak()
    start, cpu = time.perf_counter(), _cpu()
    run()
    return time.perf_counter() - start, _cpu() - cpu, _peak()


def _scale_rows(nquads: Path, shapes: Graph, checks: list[Path], repeat: int,
                plain_max: int, groups: list[int]) -> list[str]:
    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    break_elements(store)
    keys = {f.key() for f in validate_shapes(store, shapes, provenance=PROVENANCE).findings}
    plain = len(store) <= plain_max
    data = _rdflib_copy(store) if plain else Graph()
    whole: dict[int, list[tuple[float, float, int]]] = {k: [] for k in groups}
    runs: dict[str, list[float]] = {"shapes": [], "plain": [], "engine": []}
    same = "—"
    default, per_run = validation.GROUPS, validation.PER_RUN
    for _ in range(repeat):
        for k in groups:
            validation.GROUPS, validation.PER_RUN = k, 1
            whole[k].append(_timed(lambda: validate_store(
                store, shapes=shapes, checks=checks, provenance=PROVENANCE)))
        validation.GROUPS, validation.PER_RUN = default, per_run
        runs["shapes"].append(_median(lambda: validate_shapes(
            store, shapes, provenance=PROVENANCE), 1))
        if plain:
            start = time.perf_counter()
            reference = _plain(data, shapes, store)
            runs["plain"].append(time.perf_counter() - start)
            runs["engine"].append(_median(lambda: validate_shapes(
                store, shapes, provenance=PROVENANCE, engine="pyshacl"), 1))
            same = "yes" if reference == keys else f"NO ({len(reference ^ keys)} differ)"
    shaped = statistics.median(runs["shapes"])
    plain_s = f"{statistics.median(runs['plain']):.1f}" if plain else "not run"
    ratio = f"{statistics.median(runs['plain']) / shaped:.0f}×" if plain else "—"
    engine = f"{statistics.median(runs['engine']):.1f}" if plain else "not run"
    rows = []
    for k in groups:
        wall, cpu, peak = (statistics.median(r[i] for r in whole[k]) for i in range(3))
        mark = " (default)" if k == default else ""
        rows.append(f"| {len(store):,} | {len(keys):,} | {k}{mark} | {wall:.2f} | {cpu:.2f} | "
                    f"{peak / 2**20:,.0f} | {shaped:.2f} | {engine} | {plain_s} | {ratio} | "
                    f"{same} |")
    return rows


def _child(argv: list[str], src: Path | None = None) -> tuple[float, str]:
    """Wall seconds and stdout of one fresh process (the same measure as bench_build).

    *src*: the ``src`` folder of another checkout to import metrokg from (a baseline).
    """
    env = dict(os.environ, PYTHONPATH=str(src)) if src else None
    start = time.perf_counter()
    done = subprocess.run(argv, check=True, capture_output=True, text=True, env=env)
    return time.perf_counter() - start, done.stdout


def _build_rows(scales: list[float], work: Path, repeat: int, baseline: Path | None
                ) -> list[str]:
    """Validation inside ``build`` at each scale, and bulk_load of its dump, interleaved.

    With *baseline*, the same build from that ``src`` folder runs in every round too.
    """
    projects = {}
    for scale in scales:
        project = work / f"build-{scale:g}"
        if not (project / "synthetic.json").is_file():
            generate(project, scale=scale, seed=1)
        projects[scale] = project
    variants: list[tuple[str, Path | None]] = [("this checkout", None)]
    if baseline:
        variants.append((f"baseline `{baseline}`", baseline))
    seen: dict[tuple[float, str], list[dict[str, float]]] = {
        (s, v): [] for s in scales for v, _ in variants}
    quads: dict[float, int] = {}
    for round_ in range(repeat):
        for scale in scales:
            for variant, src in variants:
                wall, out = _child([sys.executable, "-c", BUILD, str(projects[scale])], src)
                stamps = json.loads(out)
                steps = stamps["steps"]
                names = [m for m, *_ in steps]
                i = next(n for n, m in enumerate(names) if m.startswith(VALIDATING))
                peaks = [p for *_, p in steps]  # each stamp: the peak since the previous one
                dump_ = projects[scale] / "dist" / "graph" / "metrokg.nq"
                load, _ = _child([sys.executable, "-c", BULK_LOAD, str(dump_)])
                summary = json.loads((projects[scale] / "dist" / "graph" / "summary.json")
                                     .read_text(encoding="utf-8"))
                quads[scale] = int(summary["quads"])
                row = {"build": wall, "validation": steps[i + 1][1] - steps[i][1],
                       "validation_cpu": steps[i + 1][2] - steps[i][2],
                       "validation_peak": steps[i + 1][3], "build_peak": max(peaks),
                       "bulk_load": load, "children_cpu": stamps["children"][0],
                       "children_peak": stamps["children"][1]}
                seen[(scale, variant)].append(row)
                print(f"  round {round_ + 1}, {scale:g}×, {variant}: build {wall:.1f} s, "
                      f"validation {row['validation']:.1f} s, bulk_load {load:.2f} s, load "
                      f"average {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    rows = []
    for (scale, variant), runs in seen.items():
        m = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        rows.append(
            f"| {scale:g}× | {variant} | {quads[scale]:,} | {m['build']:.1f} | "
            f"{m['validation']:.1f} | {m['validation_cpu']:.1f} | "
            f"{m['validation'] / m['build']:.0%} | {m['validation_peak'] / 2**20:,.0f} | "
            f"{m['build_peak'] / 2**20:,.0f} | {m['build_peak'] / 1024 / quads[scale]:.2f} | "
            f"{m['bulk_load']:.2f} | {m['build'] / m['bulk_load']:.1f} | "
            f"{m['validation'] / m['bulk_load']:.1f} | {m['children_cpu']:.1f} | "
            f"{m['children_peak'] / 2**20:,.0f} |")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="15,150", help="synthetic graphs ('' for none)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plain-max", type=int, default=200_000)
    parser.add_argument("--groups", default=f"1,{validation.GROUPS}",
                        help="pyrudof runs to time validate_store with")
    parser.add_argument("--build-scales", default="100", help="builds to time ('' for none)")
    parser.add_argument("--baseline-src", type=Path, default=None,
                        help="also build with metrokg imported from this src folder")
    parser.add_argument("--no-real", action="store_true", help="skip the real graph")
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    paths = default_paths()
    shapes = load_shapes(paths.shapes)
    checks = sorted((paths.queries / "checks").glob("*-violation.rq"))
    print("## Validation\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the start")
    print(f"command: `.venv/bin/python scripts/bench_validation.py {' '.join(sys.argv[1:])}`; "
          f"medians of {args.repeat} interleaved runs\n")
    cache = args.cache or paths.dist / "bench-scale"
    if not args.no_real:
        real_store = assemble(paths).store
        real_data = _rdflib_copy(real_store)
        print(f"### Real graph: {len(real_store):,} quads, shapes see {len(real_data):,} "
              "triples\n")
        print(_real_table(real_store, real_data, shapes, checks, args.repeat))
    if args.scales:
        print("\n### Synthetic graphs, one element in ten broken\n")
        print("| quads | findings (keys) | pyrudof runs | `validate_store` auto (s) | its CPU (s) "
              "| its peak RSS (MB) | shapes only, auto (s) | shapes only, engine pyshacl (s) | "
              "plain `pyshacl.validate` (s) | ratio plain / auto | same (focus, shape, "
              "severity) |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        groups = [int(k) for k in args.groups.split(",")]
        for scale in (float(s) for s in args.scales.split(",")):
            print("\n".join(_scale_rows(dump(scale, cache), shapes, checks, args.repeat,
                                        args.plain_max, groups)), flush=True)
    if args.build_scales:
        print("\n### Inside `metrokg build`\n")
        print("| scale | code | quads | build (s) | validation (s) | its CPU (s) | share of the build "
              "| validation peak RSS (MB) | build peak RSS (MB) | KB/quad | bulk_load (s) | "
              "build / bulk_load | validation / bulk_load | children's CPU (s) | "
              "largest child's peak RSS (MB) |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        scales = [float(s) for s in args.build_scales.split(",")]
        print("\n".join(_build_rows(scales, cache, args.repeat, args.baseline_src)))
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
