"""Findings from a SHACL validation report (any engine's), named by record."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from ..namespaces import SH
from .findings import Finding
from .records import Records
from .terms import from_rdflib

__all__ = ["SEVERITIES", "english", "findings_of"]

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
_PLACEHOLDER = re.compile(r"\{[?$][A-Za-z_][A-Za-z0-9_]*\}")


def findings_of(report: Graph, shapes: Graph, records: Records,
                names: NamespaceManager) -> list[Finding]:
    """One finding per top-level ``sh:result`` of *report* (not the ``sh:detail`` ones).

    A result with a value names the record whose graph states ``focus path value``; a
    per-plan result (no path) the record of the element or total it points at;
    otherwise the record that typed the focus node.
    """
    return [_finding(report, result, shapes, records, names)
            for result in report.objects(None, SH.result)]


def _finding(report: Graph, result: Node, shapes: Graph, records: Records,
             names: NamespaceManager) -> Finding:
    level = report.value(result, SH.resultSeverity)
    severity = SEVERITIES.get(level, "Violation") if isinstance(level, URIRef) else "Violation"
    shape = report.value(result, SH.sourceShape)
    rule = str(shape).rsplit("/", 1)[-1] if isinstance(shape, URIRef) else "shape"
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    value = report.value(result, SH.value)
    constraint = report.value(result, SH.sourceConstraint)
    message = english(list(report.objects(result, SH.resultMessage)),
                      [m for n in (constraint, shape) if n is not None
                       for m in shapes.objects(n, SH.message)])
    iri_path = path if isinstance(path, URIRef) else None
    record = None
    if focus is not None and not isinstance(focus, Literal):
        if value is not None and value != focus:
            record = records.stating(from_rdflib(focus),  # type: ignore[arg-type]
                                     from_rdflib(iri_path) if iri_path else None,  # type: ignore[arg-type]
                                     from_rdflib(value))
            if record is None and path is None:  # a per-plan check points at an element
                record = records.subject(_text(value))
        record = record or records.subject(_text(focus))
    return Finding(
        severity=severity, rule=rule, focus=str(focus),
        path=names.normalizeUri(iri_path) if iri_path is not None else None,
        value=str(value) if value is not None else None,
        message=message, record=record,
    )


def _text(node: Node) -> str:
    return f"_:{node}" if not isinstance(node, (URIRef, Literal)) else str(node)


def english(messages: Sequence[Node], templates: Sequence[Node]) -> str:
    """The English result message.

    An engine may drop the language tag of a message once it fills in ``{?var}``
    placeholders (pyshacl does), so an untagged message is matched back to its tagged
    template.

    >>> english([Literal("Pla x: 3"), Literal("Plan x: 3")],
    ...         [Literal("Pla {$this}: {?n}", lang="ca"), Literal("Plan {$this}: {?n}", lang="en")])
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
