"""Validating a dataset held in a pyoxigraph store: shapes, then dataset checks.

Shapes see the union of the store's graphs except provenance — so the ontology's
classes and concept schemes and the UN SDG concepts are part of what they see — without
inference. Two engines give the same findings (docs/decisions/0140-validation-engine.md):

- ``pyshacl``, the reference: an rdflib graph built from the store's quads;
- ``rudof``: pyrudof's native validator on the N-Triples of the same graphs, with
  SHACL-AF SPARQL targets resolved on Oxigraph first;
- ``auto`` (default): ``rudof``, unless the shapes use a feature pyrudof does not run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import InputError
from ..namespaces import bind_prefixes
from .dataset import run_checks
from .findings import ValidationResult, sort_findings
from .records import Records
from .report import findings_of
from .shapes import load_shapes, resolve_sparql_targets, rudof_can_run
from .terms import data_graphs, ntriples, union_graph

__all__ = ["ENGINES", "validate_shapes", "validate_store"]

ENGINES = ("auto", "pyshacl", "rudof")


def validate_store(store: ox.Store, *, shapes: Path | Graph, checks: Sequence[Path],
                   provenance: str, engine: str = "auto") -> ValidationResult:
    """Run the shapes (a folder of ``*.ttl``, or a loaded graph) and the dataset checks.

    *provenance* is the provenance graph's IRI: left out of the shapes' data, bound as
    ``?provenanceGraph`` in the checks, and where findings find their records.
    """
    graph = load_shapes(shapes) if isinstance(shapes, Path) else shapes
    records = Records(store, provenance)
    shaped = validate_shapes(store, graph, provenance=provenance, engine=engine,
                             records=records)
    found = run_checks(store, checks, records, bindings={"provenanceGraph": provenance})
    return ValidationResult(tuple(sort_findings([*shaped.findings, *found])), shaped.report)


def validate_shapes(store: ox.Store, shapes: Graph, *, provenance: str | None = None,
                    engine: str = "auto", records: Records | None = None
                    ) -> ValidationResult:
    """Run only the shapes on the union of the store's graphs except *provenance*."""
    if engine not in ENGINES:
        raise InputError("--engine", f"unknown validation engine {engine!r}",
                         hint="use one of: " + ", ".join(ENGINES))
    graphs = data_graphs(store, provenance)
    if engine == "auto":
        engine = "rudof" if rudof_can_run(shapes) else "pyshacl"
    if engine == "rudof":
        from .engine_rudof import run_rudof

        report = run_rudof(ntriples(store, graphs),
                           resolve_sparql_targets(shapes, store, graphs))
    else:
        from .engine_pyshacl import run_pyshacl

        report = run_pyshacl(union_graph(store, graphs), shapes)
    names = bind_prefixes(Graph()).namespace_manager
    findings = findings_of(report, shapes, records or Records(store, provenance), names)
    return ValidationResult(tuple(sort_findings(findings)), report)
