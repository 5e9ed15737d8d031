"""Time validation: the real graph, then synthetic graphs at 10^5 and 10^6 quads.

Usage: .venv/bin/python scripts/bench_validation.py [--scales 15,150] [--repeat 3]
       [--plain-max 200000] [--cache dist/bench-scale]

Real graph: the whole validation (``checks.validate_store``, engine auto = pyrudof), the
shapes with each engine, the dataset checks, and plain ``pyshacl.validate``.

Synthetic graphs (``metrokg generate`` at each scale, seed 1, assembled once and cached as
N-Quads in --cache, as scripts/bench_scale_queries.py does): one plan element in ten is
broken (a status that is a role, a dropped text, a dropped plan link), so there are
findings to compare. Each run times, interleaved, ``validate_store`` with the auto engine
(N-Triples export and SPARQL-target resolution included) and — up to --plain-max quads —
plain ``pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)`` on
an rdflib graph of the same triples (built once, outside the timing). The (focus, shape,
severity) sets of the two are compared. Prints Markdown for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as plain_pyshacl
from rdflib import Graph

from metrokg.checks import load_shapes, run_checks, validate_shapes, validate_store
from metrokg.checks.records import Records
from metrokg.checks.report import findings_of
from metrokg.checks.terms import data_graphs, ntriples
from metrokg.mapping import Iris
from metrokg.namespaces import ADMS, DEFAULT_BASE, MKG, ROLE, SKOS, bind_prefixes
from metrokg.outputs.build import assemble
from metrokg.paths import default_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_scale_queries import dump

PROVENANCE = Iris(DEFAULT_BASE).provenance_graph.value


def _median(run: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def break_elements(store: ox.Store) -> int:
    """Break one plan element in ten (IRI order) as tests/test_validation_real.py does."""
    rows = store.query(f"SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e <{MKG.inPlan}> ?p }} }} "
                       "ORDER BY ?e")
    elements = [row["e"] for row in rows][::10]  # type: ignore[union-attr]
    status, label, in_plan = (ox.NamedNode(str(p)) for p in (ADMS.status, SKOS.prefLabel,
                                                             MKG.inPlan))
    changed = 0
    for i, element in enumerate(elements):
        kind = i % 3
        quads = list(store.quads_for_pattern(element, [status, label, in_plan][kind], None))
        for quad in quads:
            store.remove(quad)
            if kind == 0:
                store.add(ox.Quad(element, status, ox.NamedNode(str(ROLE.member)),
                                  quad.graph_name))
        changed += bool(quads)
    return changed


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


def _scale_row(nquads: Path, shapes: Graph, checks: list[Path], repeat: int,
               plain_max: int) -> str:
    store = ox.Store()
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    break_elements(store)
    keys = {f.key() for f in validate_shapes(store, shapes, provenance=PROVENANCE).findings}
    plain = len(store) <= plain_max
    data = _rdflib_copy(store) if plain else Graph()
    runs: dict[str, list[float]] = {"whole": [], "shapes": [], "plain": [], "engine": []}
    same = "—"
    for _ in range(repeat):
        runs["whole"].append(_median(lambda: validate_store(
            store, shapes=shapes, checks=checks, provenance=PROVENANCE), 1))
        runs["shapes"].append(_median(lambda: validate_shapes(
            store, shapes, provenance=PROVENANCE), 1))
        if plain:
            start = time.perf_counter()
            reference = _plain(data, shapes, store)
            runs["plain"].append(time.perf_counter() - start)
            runs["engine"].append(_median(lambda: validate_shapes(
                store, shapes, provenance=PROVENANCE, engine="pyshacl"), 1))
            same = "yes" if reference == keys else f"NO ({len(reference ^ keys)} differ)"
    whole, shaped = statistics.median(runs["whole"]), statistics.median(runs["shapes"])
    plain_s = f"{statistics.median(runs['plain']):.1f}" if plain else "not run"
    ratio = f"{statistics.median(runs['plain']) / shaped:.0f}×" if plain else "—"
    engine = f"{statistics.median(runs['engine']):.1f}" if plain else "not run"
    return (f"| {len(store):,} | {len(keys):,} | {whole:.2f} | {shaped:.2f} | {engine} | "
            f"{plain_s} | {ratio} | {same} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="15,150")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plain-max", type=int, default=200_000)
    parser.add_argument("--cache", type=Path, default=None)
    args = parser.parse_args()
    paths = default_paths()
    shapes = load_shapes(paths.shapes)
    checks = sorted((paths.queries / "checks").glob("*-violation.rq"))
    print("## Validation\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} at the start")
    print(f"command: `.venv/bin/python scripts/bench_validation.py --scales {args.scales} "
          f"--repeat {args.repeat}`; medians of {args.repeat} interleaved runs\n")

    real_store = assemble(paths).store
    real_data = _rdflib_copy(real_store)
    print(f"### Real graph: {len(real_store):,} quads, shapes see {len(real_data):,} triples\n")
    print(_real_table(real_store, real_data, shapes, checks, args.repeat))
    cache = args.cache or paths.dist / "bench-scale"
    print("\n### Synthetic graphs, one element in ten broken\n")
    print("| quads | findings (keys) | `validate_store` auto (s) | shapes only, auto (s) | "
          "shapes only, engine pyshacl (s) | plain `pyshacl.validate` (s) | ratio plain / auto "
          "| same (focus, shape, severity) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|")
    for scale in (float(s) for s in args.scales.split(",")):
        print(_scale_row(dump(scale, cache), shapes, checks, args.repeat, args.plain_max),
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
