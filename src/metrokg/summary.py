"""The build summary: counts by class, by source document and by status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, URIRef

from .namespaces import ADMS, DCTERMS, MKG, RDF, bind_prefixes

if TYPE_CHECKING:
    from .validate import ValidationResult

__all__ = ["Summary", "summarise"]


@dataclass(frozen=True)
class Summary:
    """Counts that describe a built dataset."""

    quads: int
    named_graphs: int
    by_class: dict[str, int]
    by_source: dict[str, int]
    by_status: dict[str, dict[str, int]]
    validation: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"quads": self.quads, "named_graphs": self.named_graphs,
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


def summarise(dataset: Dataset, *, base: str,
              validation: ValidationResult | None = None) -> Summary:
    """Count the dataset's contents (everything but the provenance graph for classes)."""
    nm = bind_prefixes(Graph(), base).namespace_manager
    provenance = URIRef(base + "graph/provenance")
    quads = 0
    typed: dict[str, set[Any]] = {}
    for graph in dataset.graphs():
        quads += len(graph)
        if graph.identifier == provenance:
            continue
        for s, o in graph.subject_objects(RDF.type):
            if isinstance(o, URIRef):
                typed.setdefault(nm.normalizeUri(o), set()).add(s)
    prov = dataset.graph(provenance)
    sources: Counter[str] = Counter()
    for _, src in prov.subject_objects(DCTERMS.source):
        label = str(src)
        prefix = base + "id/source/"
        sources[label[len(prefix):] if label.startswith(prefix) else label] += 1
    plan_of = {e: p for g in dataset.graphs() for e, p in g.subject_objects(MKG.inPlan)}
    statuses: dict[str, Counter[str]] = {}
    for graph in dataset.graphs():
        for element, status in graph.subject_objects(ADMS.status):
            plan = plan_of.get(element)
            name = str(plan).rsplit("/", 1)[-1] if plan else "?"
            statuses.setdefault(name, Counter())[str(status).rsplit("/", 1)[-1]] += 1
    graphs = sum(1 for g in dataset.graphs() if len(g) and isinstance(g.identifier, URIRef))
    counts = {"violations": validation.count("Violation"), "warnings": validation.count("Warning"),
              "info": validation.count("Info")} if validation else {}
    return Summary(quads, graphs, {k: len(v) for k, v in typed.items()}, dict(sources),
                   {k: dict(v) for k, v in statuses.items()}, counts)
