"""The build summary: counts by class, by source document and by status, from the store.

One pass per predicate over the store's predicate index: the cost is linear in the
quads that carry the predicate, whatever the number of named graphs.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from ..errors import StoreError
from ..namespaces import DEFAULT_BASE, PREFIXES

if TYPE_CHECKING:
    from ..checks.graphs import ValidationResult

__all__ = ["Summary", "curie", "recorded_base", "summarise", "validation_counts"]

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_SOURCE = ox.NamedNode(PREFIXES["dcterms"] + "source")
_IN_PLAN = ox.NamedNode("https://w3id.org/metrokg/def/inPlan")
_STATUS = ox.NamedNode(PREFIXES["adms"] + "status")
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*(?<!\.)")


@dataclass(frozen=True)
class Summary:
    """Counts that describe a built dataset."""

    quads: int
    named_graphs: int
    by_class: dict[str, int]
    by_source: dict[str, int]
    by_status: dict[str, dict[str, int]]
    validation: dict[str, int] = field(default_factory=dict)
    base: str = DEFAULT_BASE

    def as_dict(self) -> dict[str, Any]:
        return {"base": self.base, "quads": self.quads, "named_graphs": self.named_graphs,
                "by_class": self.by_class, "by_source": self.by_source,
                "by_status": self.by_status, "validation": self.validation}

    def text(self) -> str:
        lines = [f"{self.quads} quads in {self.named_graphs} named graphs", "", "by class:"]
        lines += [f"  {n:6d}  {c}" for c, n in sorted(self.by_class.items(), key=_desc)]
        lines += ["", "named graphs by source:"]
        lines += [f"  {n:6d}  {s}" for s, n in sorted(self.by_source.items(), key=_desc)]
        lines += ["", "deliverable/element statuses by plan:"]
        for plan, counts in sorted(self.by_status.items()):
            parts = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            lines.append(f"  {plan}: {parts}")
        if self.validation:
            lines += ["", "validation: " + ", ".join(f"{k} {v}" for k, v in
                                                     sorted(self.validation.items()))]
        return "\n".join(lines) + "\n"


def _desc(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


def curie(iri: str, base: str) -> str:
    """*iri* as ``prefix:local`` with the metrokg prefixes, else ``<iri>``.

    >>> curie("http://www.w3.org/ns/org#Organization", "https://w3id.org/metrokg/")
    'org:Organization'
    >>> curie("http://example.org/x", "https://w3id.org/metrokg/")
    '<http://example.org/x>'
    """
    names = {**PREFIXES, "id": base + "id/", "graph": base + "graph/"}
    best = max(((p, ns) for p, ns in names.items() if iri.startswith(ns)),
               key=lambda item: len(item[1]), default=None)
    if best is not None and _LOCAL.fullmatch(iri[len(best[1]):]):
        return f"{best[0]}:{iri[len(best[1]):]}"
    return f"<{iri}>"


def summarise(store: ox.Store, *, base: str,
              validation: ValidationResult | None = None) -> Summary:
    """Count the store's contents (everything but the provenance graph for classes)."""
    provenance = ox.NamedNode(base + "graph/provenance")
    typed: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, _RDF_TYPE, None, None):
        if q.graph_name != provenance and isinstance(q.object, ox.NamedNode):
            typed.setdefault(q.object.value, set()).add(str(q.subject))
    sources: Counter[str] = Counter()
    prefix = base + "id/source/"
    for q in store.quads_for_pattern(None, _SOURCE, None, provenance):
        label = str(getattr(q.object, "value", q.object))
        sources[label.removeprefix(prefix)] += 1
    plan_of = {q.subject: str(getattr(q.object, "value", q.object))
               for q in store.quads_for_pattern(None, _IN_PLAN, None, None)}
    statuses: dict[str, Counter[str]] = {}
    for q in store.quads_for_pattern(None, _STATUS, None, None):
        plan = plan_of.get(q.subject)
        name = plan.rsplit("/", 1)[-1] if plan else "?"
        status = str(getattr(q.object, "value", q.object)).rsplit("/", 1)[-1]
        statuses.setdefault(name, Counter())[status] += 1
    graphs = sum(1 for _ in store.named_graphs())
    counts = validation_counts(validation) if validation else {}
    return Summary(len(store), graphs,
                   {curie(k, base): len(v) for k, v in sorted(typed.items())},
                   dict(sorted(sources.items())),
                   {k: dict(sorted(v.items())) for k, v in sorted(statuses.items())}, counts,
                   base)


def validation_counts(validation: ValidationResult) -> dict[str, int]:
    """The summary's ``validation`` counts: violations, warnings, info."""
    return {"violations": validation.count("Violation"), "warnings": validation.count("Warning"),
            "info": validation.count("Info")}


def recorded_base(folder: Path) -> str:
    """The base the build in *folder* minted its IRIs under (``base`` in its summary.json).

    Every command that reads a build takes the base from here, never from an option.
    A folder without a summary (a dataset made by hand) is taken as the default base.
    """
    path = folder / "summary.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return DEFAULT_BASE
    except (OSError, ValueError) as exc:
        raise StoreError(f"{path}: cannot read the build's summary ({exc}); "
                         "run `metrokg build` again") from None
    base = data.get("base", DEFAULT_BASE) if isinstance(data, dict) else None
    if not isinstance(base, str) or not base:
        raise StoreError(f"{path}: no base recorded; run `metrokg build` again")
    return base
