"""Deterministic serialisations: the same dataset always gives the same bytes."""

from __future__ import annotations

import json

from rdflib import Dataset, Graph, URIRef
from rdflib.plugins.serializers.nt import _nt_row

from .namespaces import PREFIXES, bind_prefixes

__all__ = ["to_jsonld", "to_nquads", "to_trig", "to_turtle"]


def to_nquads(dataset: Dataset) -> str:
    """N-Quads, one line per quad, sorted."""
    lines: set[str] = set()
    for graph in dataset.graphs():
        if not isinstance(graph.identifier, URIRef) or len(graph) == 0:
            continue
        ctx = graph.identifier.n3()
        for triple in graph:
            row: str = _nt_row(triple)  # "s p o .\n", escaped as N-Triples requires
            lines.add(row[: row.rstrip().rfind(" .")] + f" {ctx} .")
    return "".join(line + "\n" for line in sorted(lines))


def to_turtle(graph: Graph, *, base: str) -> str:
    """Turtle with the metrokg prefixes (rdflib sorts subjects and predicates)."""
    out = bind_prefixes(Graph(), base)
    for triple in graph:
        out.add(triple)
    return out.serialize(format="turtle")


def to_trig(dataset: Dataset, *, base: str) -> str:
    """TriG: every prefix any graph uses, once, then each named graph in IRI order."""
    prefix_lines: set[str] = set()
    blocks: list[str] = []
    names = bind_prefixes(Graph(), base).namespace_manager
    graphs = sorted((g for g in dataset.graphs()
                     if isinstance(g.identifier, URIRef) and len(g)), key=lambda g: str(g.identifier))
    for graph in graphs:
        body = to_turtle(graph, base=base)
        lines: list[str] = []
        for line in body.splitlines():
            if line.startswith("@prefix") and not lines:
                prefix_lines.add(line)
            else:
                lines.append(line)  # blank lines too: they may sit inside a literal
        name = names.normalizeUri(graph.identifier)
        if name.startswith("<") or ":" not in name:
            name = graph.identifier.n3()
        # no indentation: it would land inside multi-line literals
        blocks.append(f"{name} {{\n" + "\n".join(lines).strip("\n") + "\n}\n")
    graph_prefixes = {f"@prefix graph: <{base}graph/> ."}
    return "\n".join(["\n".join(sorted(prefix_lines | graph_prefixes)) + "\n", *blocks])


def to_jsonld(graph: Graph, *, base: str) -> str:
    """JSON-LD with the metrokg context; nodes sorted by @id, values sorted."""
    context = dict(sorted({**PREFIXES, "id": base + "id/", "graph": base + "graph/"}.items()))
    raw = graph.serialize(format="json-ld", context=context, auto_compact=True)
    doc = json.loads(raw)
    nodes = doc.get("@graph", [doc] if "@id" in doc else [])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda v: json.dumps(v, sort_keys=True,
                                                                   ensure_ascii=False))
    nodes.sort(key=lambda n: str(n.get("@id", "")))
    out = {"@context": context, "@graph": nodes}
    return json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
