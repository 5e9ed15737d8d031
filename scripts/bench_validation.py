"""Time the validation of the real graph: SHACL shapes (pyshacl) and dataset checks (Oxigraph).

Prints a Markdown section for docs/benchmarks.md ("Validation"). Reads the project's
records (no build output needed) and writes nothing.

Run: .venv/bin/python scripts/bench_validation.py
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable

from rdflib import Graph

from metrokg import validate as v
from metrokg.build import assemble
from metrokg.mapping import Iris
from metrokg.namespaces import DEFAULT_BASE
from metrokg.paths import default_paths

RUNS = 5


def _time(run: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    paths = default_paths()
    assembled = assemble(paths)
    dataset = assembled.dataset
    provenance = Iris(DEFAULT_BASE).provenance_graph
    shapes = v.load_shapes(paths.shapes)
    checks = sorted((paths.queries / "checks").glob("*-violation.rq"))
    records = v.RecordIndex.of(dataset, provenance)
    quads = sum(len(g) for g in dataset.graphs())
    data = v.merged(dataset, exclude=[provenance])
    rows: list[tuple[str, tuple[float, float]]] = [
        ("whole validation (`validate_dataset`)",
         _time(lambda: v.validate_dataset(dataset, shapes, checks=checks,
                                          provenance=provenance))),
        ("shapes only (pyshacl, union graph)",
         _time(lambda: v.validate_graph(v.merged(dataset, exclude=[provenance]), shapes,
                                        records=records, dataset=dataset))),
        (f"{len(checks)} dataset checks (Oxigraph, load included)",
         _time(lambda: v.run_checks(dataset, checks, records,
                                    bindings={"provenanceGraph": provenance}))),
    ]
    cached = v._PreparedQueries.query
    v._PreparedQueries.query = lambda self, q, *a, **k: Graph.query(self, q, *a, **k)  # type: ignore[method-assign]
    rows.append(("shapes only, each SHACL-SPARQL query parsed per focus node",
                 _time(lambda: v.validate_graph(v.merged(dataset, exclude=[provenance]), shapes),
                       3)))
    v._PreparedQueries.query = cached  # type: ignore[method-assign]
    shape_count = len({s for s in shapes.subjects() if "/shapes/S" in str(s)})
    print("## Validation\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; load average {os.getloadavg()[0]:.1f} when run")
    print(f"dataset: {quads} quads in {len(list(dataset.graphs()))} graphs; "
          f"shapes see {len(data)} triples; {shape_count} shapes\n")
    print(f"| step | median (s, {RUNS} runs) | best (s) |")
    print("|---|---:|---:|")
    for name, (median, best) in rows:
        print(f"| {name} | {median:.2f} | {best:.2f} |")


if __name__ == "__main__":
    main()
