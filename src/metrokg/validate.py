"""Validation: SHACL shapes and dataset-level SPARQL checks, reported per record.

Shapes (``shapes/*.ttl``) run with pyshacl on an in-memory rdflib graph — the union of
the dataset's named graphs except provenance, so the ontology's classes and concept
schemes and the UN SDG concepts are part of what the shapes see — without inference.
Checks SHACL cannot express are ``queries/checks/*-violation.rq``: each must return no
rows; every row is one Violation whose focus is the query's first variable. A check's
header gives its ``# message:`` and the ``# parameters:`` metrokg binds (by name, as
initial bindings — never spliced into the text).

Each finding names the record (``file#key``) that stated the offending triple when it
can be found, else the record that defined the focus node (or, for a per-plan check,
the element or stated total the check points at).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from .errors import InputError, QueryError
from .namespaces import MKG, RDF, SH, bind_prefixes

__all__ = [
    "Finding", "RecordIndex", "ValidationResult", "load_shapes", "merged", "run_checks",
    "validate_dataset", "validate_graph",
]

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
_PLACEHOLDER = re.compile(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}")


@dataclass(frozen=True)
class Finding:
    """One problem: where it is (record, node, property), what is wrong, and how bad.

    >>> Finding("Violation", "S01-organisation-label", "https://w3id.org/metrokg/id/org/x",
    ...         "skos:prefLabel", None, "no name", "graph/data/x.yaml#x/organisation/x").line()
    'Violation [S01-organisation-label] graph/data/x.yaml#x/organisation/x, property skos:prefLabel: no name'
    """

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
        value = f" (value {self.value})" if self.value and self.value not in self.message else ""
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


@dataclass(frozen=True)
class RecordIndex:
    """Which record stated what: named graph → record key, and node → defining record."""

    graphs: Mapping[Node, str] = field(default_factory=dict)
    """Record key of each record's named graph."""
    subjects: Mapping[Node, str] = field(default_factory=dict)
    """Record key of the graph that types each subject (else of any graph it is subject in)."""

    @classmethod
    def of(cls, dataset: Dataset, provenance: URIRef | None) -> RecordIndex:
        """Read the record keys the provenance graph gives each named graph."""
        if provenance is None:
            return cls()
        prov = dataset.graph(provenance)
        graphs: dict[Node, str] = {}
        subjects: dict[Node, str] = {}
        typed: dict[Node, str] = {}
        for graph in dataset.graphs():
            key = prov.value(graph.identifier, MKG.recordKey)
            if key is None:
                continue
            graphs[graph.identifier] = str(key)
            for s, p, _ in graph:
                subjects.setdefault(s, str(key))
                if p == RDF.type:
                    typed.setdefault(s, str(key))
        subjects.update(typed)
        return cls(graphs, subjects)

    def stating(self, dataset: Dataset | None, s: Node, p: Node | None, o: Node) -> str | None:
        """The record whose graph states ``s p o`` (any predicate if *p* is not an IRI)."""
        if dataset is None or not self.graphs:
            return None
        pred = p if isinstance(p, URIRef) else None
        names: list[Node] = [getattr(c, "identifier", c)  # quads yields names, not graphs
                             for _, _, _, c in dataset.quads((s, pred, o, None)) if c is not None]
        keys = sorted(self.graphs[name] for name in names if name in self.graphs)
        return keys[0] if keys else None


def load_shapes(folder: Path) -> Graph:
    """Every `*.ttl` directly in *folder* (examples live in subfolders)."""
    shapes = bind_prefixes(Graph())
    for path in sorted(folder.glob("*.ttl")):
        try:
            shapes.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several unrelated types for syntax errors
            raise InputError(str(path), f"shapes file does not parse: {exc}",
                             hint="fix its Turtle syntax") from None
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


def validate_graph(data: Graph, shapes: Graph, *, records: RecordIndex | None = None,
                   dataset: Dataset | None = None) -> ValidationResult:
    """Run the shapes on one data graph (no inference); findings name records if known.

    >>> from rdflib import Namespace
    >>> ex = Namespace("https://example.org/")
    >>> shapes = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     <https://example.org/S1> a sh:PropertyShape ; sh:targetNode <https://example.org/a> ;
    ...         sh:path <https://example.org/p> ; sh:minCount 1 ; sh:message "needs p"@en .''')
    >>> [f.line() for f in validate_graph(Graph(), shapes).findings]
    ['Violation [S1] https://example.org/a, property <https://example.org/p>: needs p']
    """
    view = _PreparedQueries(data.store, data.identifier, data.namespace_manager)
    try:
        _, report, _ = shacl_validate(view, shacl_graph=shapes, inference="none",
                                      advanced=True, allow_warnings=True, inplace=True)
    except ReportableRuntimeError as exc:
        raise InputError("shapes", "a shape cannot be run: " + " ".join(str(exc).split()),
                         hint="fix the shape in shapes/*.ttl (SHACL / SHACL-SPARQL syntax)"
                         ) from None
    index = records or RecordIndex()
    findings = [_finding(report, result, data, shapes, index, dataset)
                for result in report.objects(None, SH.result)]  # not the sh:detail ones
    return ValidationResult(tuple(_sorted(findings)), report)


class _PreparedQueries(Graph):
    """A view of a graph (same store) that parses each distinct SPARQL text once.

    pyshacl parses a SHACL-SPARQL query again for every focus node (tens of ms each with
    rdflib's grammar); the text is the same every time — ``$this`` is bound, not spliced
    — so the parsed query is reused. pyshacl runs *in place* on the view: no shape here
    has rules that would add triples, and the caller's graph is a fresh union anyway.
    """

    def __init__(self, store: Any, identifier: Any, namespace_manager: Any) -> None:
        super().__init__(store=store, identifier=identifier,
                         namespace_manager=namespace_manager)

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
              initNs: Any = None, initBindings: Any = None,
              use_store_provided: bool = True, **kwargs: Any) -> Any:
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


def validate_dataset(dataset: Dataset, shapes: Graph, *, ontology: Graph | None = None,
                     checks: Sequence[Path] = (), provenance: URIRef | None = None
                     ) -> ValidationResult:
    """Run the shapes on the merged data graph and the SPARQL checks on the dataset.

    *ontology*, if given, is added to the data graph (the build already holds it as a
    named graph). *provenance* is the provenance graph: left out of the shapes' data and
    bound as ``?provenanceGraph`` in the checks.
    """
    data = merged(dataset, exclude=[provenance] if provenance else [])
    if ontology is not None:
        for triple in ontology:
            data.add(triple)
    records = RecordIndex.of(dataset, provenance)
    shaped = validate_graph(data, shapes, records=records, dataset=dataset)
    bindings = {"provenanceGraph": provenance} if provenance is not None else {}
    findings = [*shaped.findings, *run_checks(dataset, checks, records, bindings=bindings)]
    return ValidationResult(tuple(_sorted(findings)), shaped.report)


def run_checks(dataset: Dataset, checks: Sequence[Path], records: RecordIndex | None = None,
               *, bindings: Mapping[str, URIRef] | None = None) -> list[Finding]:
    """Run each `*-violation.rq` on Oxigraph; every row is a Violation (first variable = focus).

    The dataset is copied into an in-memory Oxigraph store (through N-Quads, so no rdflib
    term reaches Oxigraph's engine): rdflib's evaluator took seconds per check here and
    keeps rows SPARQL drops. The ``# parameters:`` header lists the variables a check
    needs (``none`` for none); each must be in *bindings* (IRIs), else
    :class:`QueryError` names the check. They are substituted (SEP-0007), so a check
    projects them, after the focus; they are left out of the finding's detail.
    """
    if not checks:
        return []
    index = records or RecordIndex()
    given = dict(bindings or {})
    store = _store(dataset)
    findings: list[Finding] = []
    for path in checks:
        query = path.read_text(encoding="utf-8")
        message = _header_line(query, "message") or path.stem
        needed = re.findall(r"\?([A-Za-z_][A-Za-z0-9_]*)", _header_line(query, "parameters") or "")
        missing = [name for name in needed if name not in given]
        if missing:
            raise QueryError(f"{path}: check needs parameter(s) {', '.join(missing)} that were "
                             "not given; pass them as bindings (e.g. the provenance graph)")
        substitutions: dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple] = {
            ox.Variable(name): ox.NamedNode(str(given[name])) for name in needed}
        try:
            solutions = store.query(query, substitutions=substitutions)
        except (SyntaxError, RuntimeError) as exc:
            raise QueryError(f"{path}: {exc}; fix the check (parameters must be projected)"
                             ) from None
        rule = path.name.removesuffix("-violation.rq")
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for solution in solutions:  # type: ignore[union-attr]
            values = [_text(solution[name]) for name in names
                      if name not in needed and solution[name] is not None]
            focus = values[0] if values else ""
            detail = ", ".join(values[1:])
            # the record: of the focus (a graph or a defined node), else of another column
            nodes = [URIRef(v) for v in values if re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", v)]
            record = next((r for node in nodes
                           for r in (index.graphs.get(node), index.subjects.get(node)) if r),
                          None)
            findings.append(Finding("Violation", rule, focus, None, detail or None, message,
                                    record))
    return findings


def _store(dataset: Dataset) -> ox.Store:
    """The dataset in an Oxigraph store; default-graph triples stay in the default graph."""
    store = ox.Store()
    text = dataset.serialize(format="nquads")
    store.load(text.encode("utf-8") if isinstance(text, str) else text,
               format=ox.RdfFormat.N_QUADS)
    return store


def _text(term: object) -> str:
    """An Oxigraph term as the string a finding shows (IRI, literal's lexical form)."""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(getattr(term, "value", term))


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (_ORDER[f.severity], f.record or "", f.focus, f.rule,
                                           f.path or "", f.value or "", f.message))


def _header_line(query: str, key: str) -> str | None:
    for line in query.splitlines():
        text = line.strip()
        if text.startswith("#") and text[1:].strip().lower().startswith(key + ":"):
            return text[1:].strip()[len(key) + 1:].strip()
    return None


def _finding(report: Graph, result: Node, data: Graph, shapes: Graph, records: RecordIndex,
             dataset: Dataset | None) -> Finding:
    level = report.value(result, SH.resultSeverity)
    severity = SEVERITIES.get(level, "Violation") if isinstance(level, URIRef) else "Violation"
    shape = report.value(result, SH.sourceShape)
    rule = str(shape).rsplit("/", 1)[-1] if isinstance(shape, URIRef) else "shape"
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    constraint = report.value(result, SH.sourceConstraint)
    message = _english(list(report.objects(result, SH.resultMessage)),
                       [m for n in (constraint, shape) if n is not None
                        for m in shapes.objects(n, SH.message)])
    record = None
    if focus is not None:
        if value is not None and value != focus:
            record = records.stating(dataset, focus, path, value)
            if record is None and path is None:  # a per-plan check points at an element
                record = records.subjects.get(value)
        record = record or records.subjects.get(focus)
    return Finding(
        severity=severity, rule=rule, focus=str(focus),
        path=data.namespace_manager.normalizeUri(path) if isinstance(path, URIRef) else None,
        value=str(value) if value is not None else None,
        message=message, record=record,
    )


def _english(messages: Sequence[Node], templates: Sequence[Node]) -> str:
    """The English result message.

    pyshacl drops the language tag of a message once it fills in ``{?var}``
    placeholders, so an untagged message is matched back to its tagged template.

    >>> _english([Literal("Pla x: 3"), Literal("Plan x: 3")],
    ...          [Literal("Pla {$this}: {?n}", lang="ca"), Literal("Plan {$this}: {?n}", lang="en")])
    'Plan x: 3'
    """
    def language(message: Node) -> str | None:
        if isinstance(message, Literal) and message.language:
            return message.language
        matches = []
        for template in templates:
            if isinstance(template, Literal):
                parts = _PLACEHOLDER.split(str(template))
                pattern = ".*?".join(re.escape(p) for p in parts)
                if re.fullmatch(pattern, str(message), flags=re.DOTALL):
                    matches.append((sum(map(len, parts)), template.language or ""))
        return max(matches)[1] or None if matches else None

    texts = sorted((language(m) != "en", language(m) is None, str(m)) for m in messages)
    return texts[0][2] if texts else "does not conform"
