"""Validation: SHACL shapes and dataset-level SPARQL checks, reported per record.

Shapes run with pyshacl on an in-memory rdflib graph (no inference). Checks SHACL cannot
express are `queries/checks/*-violation.rq`: each must return no rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import MKG, RDF, SH, bind_prefixes

__all__ = ["Finding", "ValidationResult", "load_shapes", "run_checks", "validate_dataset"]

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class Finding:
    """One problem: where it is (record, node, property), what is wrong, and how bad."""

    severity: str
    rule: str
    focus: str
    path: str | None
    value: str | None
    message: str
    record: str | None

    def line(self) -> str:
        where = self.record or self.focus
        prop = f", property {self.path}" if self.path else ""
        value = f" (value {self.value})" if self.value else ""
        return f"{self.severity} [{self.rule}] {where}{prop}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating a dataset; ``conforms`` is false if any Violation."""

    findings: tuple[Finding, ...]
    report: Graph

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def text(self) -> str:
        head = (f"metrokg validation: {'conforms' if self.conforms else 'DOES NOT CONFORM'} — "
                f"{self.count('Violation')} violation(s), {self.count('Warning')} warning(s), "
                f"{self.count('Info')} info")
        return "\n".join([head, *(f.line() for f in self.findings)]) + "\n"


def load_shapes(folder: Path) -> Graph:
    """Every `*.ttl` directly in *folder* (examples live in subfolders)."""
    shapes = bind_prefixes(Graph())
    for path in sorted(folder.glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def merged(dataset: Dataset, *, exclude: Iterable[URIRef] = ()) -> Graph:
    """The union of the dataset's named graphs as one rdflib graph."""
    skip = set(exclude)
    out = bind_prefixes(Graph())
    for graph in dataset.graphs():
        if graph.identifier not in skip:
            for triple in graph:
                out.add(triple)
    return out


def validate_dataset(dataset: Dataset, shapes: Graph, *, ontology: Graph | None = None,
                     checks: Sequence[Path] = (), provenance: URIRef | None = None
                     ) -> ValidationResult:
    """Run the shapes on the merged data graph and the SPARQL checks on the dataset."""
    data = merged(dataset, exclude=[provenance] if provenance else [])
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, ont_graph=ontology,
                                         inference="none", advanced=True, allow_warnings=True)
    _ = conforms
    records = _record_index(dataset, provenance)
    findings = [_finding(report, result, data, records)
                for result in report.subjects(RDF.type, SH.ValidationResult)]
    findings += run_checks(dataset, checks, records)
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.record or "", f.focus, f.rule,
                                 f.path or "", f.value or ""))
    return ValidationResult(tuple(findings), report)


def run_checks(dataset: Dataset, checks: Sequence[Path],
               records: dict[Node, str] | None = None) -> list[Finding]:
    """Run each `*-violation.rq`; every row is a Violation (first variable = focus)."""
    findings: list[Finding] = []
    for path in checks:
        query = path.read_text(encoding="utf-8")
        message = _header_line(query, "message") or path.stem
        for row in dataset.query(query):
            values = [v for v in row if v is not None]  # type: ignore[union-attr]
            focus = values[0] if values else Literal("")
            detail = ", ".join(str(v) for v in values[1:])
            findings.append(Finding("Violation", path.stem, str(focus), None, detail or None,
                                    message, (records or {}).get(focus)))
    return findings


def _header_line(query: str, key: str) -> str | None:
    for line in query.splitlines():
        text = line.strip()
        if text.startswith("#") and text[1:].strip().lower().startswith(key + ":"):
            return text[1:].strip()[len(key) + 1:].strip()
    return None


def _record_index(dataset: Dataset, provenance: URIRef | None) -> dict[Node, str]:
    """Map each subject to the record key of the graph that types it (else any graph)."""
    keys: dict[Node, str] = {}
    if provenance is None:
        return keys
    prov = dataset.graph(provenance)
    typed: dict[Node, str] = {}
    for graph in dataset.graphs():
        key = prov.value(graph.identifier, MKG.recordKey)
        if key is None:
            continue
        for s, p, _ in graph:
            keys.setdefault(s, str(key))
            if p == RDF.type:
                typed.setdefault(s, str(key))
    keys.update(typed)
    return keys


def _finding(report: Graph, result: Node, data: Graph, records: dict[Node, str]) -> Finding:
    severity = SEVERITIES.get(report.value(result, SH.resultSeverity), "Violation")  # type: ignore[arg-type]
    shape = report.value(result, SH.sourceShape)
    rule = str(shape).rsplit("/", 1)[-1] if isinstance(shape, URIRef) else "shape"
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    messages = sorted(str(m) for m in report.objects(result, SH.resultMessage)
                      if not isinstance(m, Literal) or m.language in (None, "en"))
    return Finding(
        severity=severity, rule=rule, focus=str(focus),
        path=data.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else None,
        value=str(value) if value is not None else None,
        message=messages[0] if messages else "does not conform",
        record=records.get(focus) if focus is not None else None,
    )
