"""Validating a dataset held in a pyoxigraph store: shapes, then dataset checks.

Shapes see the union of the store's graphs except provenance — so the ontology's
classes and concept schemes and the UN SDG concepts are part of what they see — without
inference. Two engines give the same findings (docs/decisions/0140-validation-engine.md):

- ``pyshacl``, the reference: an rdflib graph built from the store's quads;
- ``rudof``: pyrudof's native validator, with SHACL-AF SPARQL targets resolved on
  Oxigraph first. The shapes run in a few groups, each on the slice of the data its
  shapes can reach (:mod:`.reach`), streamed from the store to N-Triples files, in a
  thread while the dataset checks run on the store
  (docs/decisions/0230-validation-in-slices.md);
- ``auto`` (default): ``rudof``, unless the shapes use a feature pyrudof does not run.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import InputError
from ..namespaces import bind_prefixes
from .dataset import run_checks
from .findings import ValidationResult, sort_findings
from .reach import group_shapes, only_targets, reach, targeted
from .records import Records
from .report import findings_of
from .shapes import load_shapes, resolve_sparql_targets, rudof_can_run
from .terms import data_graphs, union_graph, write_ntriples, write_predicate

__all__ = ["ENGINES", "GROUPS", "PER_RUN", "validate_shapes", "validate_store"]

ENGINES = ("auto", "pyshacl", "rudof")
GROUPS = 3
"""At most this many pyrudof runs: fixed, so the cost stays linear (each run has a cost
in the size of its slice), and more than one, so a run's memory is that of its shapes
only (docs/benchmarks.md, "Validation")."""
PER_RUN = 100_000
"""Quads of the store per run: a smaller store has fewer runs (one for today's graph,
where the runs' own cost would be most of the time)."""

Graphs = list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]


def validate_store(store: ox.Store, *, shapes: Path | Graph, checks: Sequence[Path],
                   provenance: str, engine: str = "auto") -> ValidationResult:
    """Run the shapes (a folder of ``*.ttl``, or a loaded graph) and the dataset checks.

    *provenance* is the provenance graph's IRI: left out of the shapes' data, bound as
    ``?provenanceGraph`` in the checks, and where findings find their records. With
    pyrudof the shapes run in a thread while the checks run.
    """
    graph = load_shapes(shapes) if isinstance(shapes, Path) else shapes
    records = Records(store, provenance)
    with _shapes_report(store, graph, provenance, engine) as report:
        found = run_checks(store, checks, records, bindings={"provenanceGraph": provenance})
        shaped = _result(report(), graph, records)
    return ValidationResult(tuple(sort_findings([*shaped.findings, *found])), shaped.report)


def validate_shapes(store: ox.Store, shapes: Graph, *, provenance: str | None = None,
                    engine: str = "auto", records: Records | None = None
                    ) -> ValidationResult:
    """Run only the shapes on the union of the store's graphs except *provenance*."""
    with _shapes_report(store, shapes, provenance, engine) as report:
        return _result(report(), shapes, records or Records(store, provenance))


def _result(report: Graph, shapes: Graph, records: Records) -> ValidationResult:
    names = bind_prefixes(Graph()).namespace_manager
    findings = findings_of(report, shapes, records, names)
    return ValidationResult(tuple(sort_findings(findings)), report)


@contextmanager
def _shapes_report(store: ox.Store, shapes: Graph, provenance: str | None, engine: str
                   ) -> Iterator[Callable[[], Graph]]:
    """A function giving the shapes' report; with pyrudof it is already being computed."""
    if engine not in ENGINES:
        raise InputError("--engine", f"unknown validation engine {engine!r}",
                         hint="use one of: " + ", ".join(ENGINES))
    graphs = data_graphs(store, provenance)
    if engine == "auto":
        engine = "rudof" if rudof_can_run(shapes) else "pyshacl"
    if engine != "rudof":
        from .engine_pyshacl import run_pyshacl

        yield lambda: run_pyshacl(union_graph(store, graphs), shapes)
        return
    from .engine_rudof import run_rudof

    resolved = resolve_sparql_targets(shapes, store, graphs)
    with tempfile.TemporaryDirectory(prefix="metrokg-validate-") as folder, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="metrokg-shacl") as pool:
        runs = _runs(store, resolved, graphs, provenance, Path(folder))
        yield pool.submit(run_rudof, runs, resolved).result


def _runs(store: ox.Store, shapes: Graph, graphs: Graphs, provenance: str | None,
          folder: Path) -> list[tuple[list[Path], str]]:
    """The pyrudof runs: each group of shapes with the files of the data it can reach.

    One run on all the data graphs for a small store; else each predicate any shape
    reaches is written once, to its own file; a group reads the files of its predicates;
    a group of unbounded reach reads all the data graphs.
    """
    count = max(1, min(GROUPS, -(-len(store) // PER_RUN)))
    text = shapes.serialize(format="nt")
    if count == 1:
        write_ntriples(store, graphs, folder / "all.nt")
        return [([folder / "all.nt"], text)]
    reaches = {s: reach(shapes, s) for s in targeted(shapes)}
    skip = ox.NamedNode(provenance) if provenance else None
    files, weight = {}, {}
    reached = frozenset().union(*(r for r in reaches.values() if r is not None))
    for i, predicate in enumerate(sorted(reached, key=str)):
        files[predicate] = folder / f"p{i}.nt"
        weight[predicate] = write_predicate(store, ox.NamedNode(str(predicate)), skip,
                                            files[predicate])
    runs = []
    for group in group_shapes(shapes, count, weight, reaches):
        if group.predicates is None:
            everything = folder / "all.nt"
            if not everything.exists():
                write_ntriples(store, graphs, everything)
            data = [everything]
        else:
            data = [files[p] for p in sorted(group.predicates, key=str) if weight[p]]
        if not data:  # no triple it can reach: it runs on no data
            data = [folder / "empty.nt"]
            data[0].write_bytes(b"# metrokg data\n")
        runs.append((data, only_targets(text, group.shapes)))
    return runs
