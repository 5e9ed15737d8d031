"""Dataset checks: ``queries/checks/*-violation.rq`` on the Oxigraph store.

Each check must return no rows; every row is one Violation whose focus is the query's
first variable. A check's header gives its ``# message:`` and the ``# parameters:``
metrokg binds (IRIs, substituted by name — SEP-0007 — never spliced into the text);
Oxigraph requires substituted variables to be projected, so a check projects them after
the focus, and they are left out of the finding's detail.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from ..errors import QueryError
from .findings import Finding
from .records import Records

__all__ = ["run_checks"]

_VAR = re.compile(r"\?([A-Za-z_][A-Za-z0-9_]*)")


def run_checks(store: ox.Store, checks: Sequence[Path], records: Records | None = None,
               *, bindings: Mapping[str, str] | None = None) -> list[Finding]:
    """Run each check on *store*; a parameter missing from *bindings* is a QueryError."""
    index = records or Records(None, None)
    given = dict(bindings or {})
    findings: list[Finding] = []
    for path in checks:
        query = path.read_text(encoding="utf-8")
        message = header_line(query, "message") or path.stem
        needed = _VAR.findall(header_line(query, "parameters") or "")
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
            nodes = [v for v in values if re.fullmatch(r"[a-z][a-z0-9+.-]*:\S+", v)]
            record = next((r for node in nodes
                           for r in (index.graph(node), index.subject(node)) if r), None)
            findings.append(Finding("Violation", rule, focus, None, detail or None, message,
                                    record))
    return findings


def header_line(query: str, key: str) -> str | None:
    """The value of a ``# key: value`` header line of a query, if any."""
    for line in query.splitlines():
        text = line.strip()
        if text.startswith("#") and text[1:].strip().lower().startswith(key + ":"):
            return text[1:].strip()[len(key) + 1:].strip()
    return None


def _text(term: object) -> str:
    """An Oxigraph term as the string a finding shows (IRI, literal's lexical form)."""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return str(getattr(term, "value", term))
