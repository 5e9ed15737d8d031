"""What validation reports: findings (one problem each) and the result of a run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Graph

__all__ = ["Finding", "ValidationResult", "sort_findings"]

_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


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

    def key(self) -> tuple[str, str, str]:
        """What two engines must agree on: (focus node, shape id, severity)."""
        return (self.focus, self.rule, self.severity)


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of validating a dataset; ``conforms`` is false if any Violation.

    ``report`` is the SHACL validation report of the shapes (the engine's own graph).
    """

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


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Violations first, then by record, focus, rule and the rest (a stable report)."""
    return sorted(findings, key=lambda f: (_ORDER[f.severity], f.record or "", f.focus, f.rule,
                                           f.path or "", f.value or "", f.message))
