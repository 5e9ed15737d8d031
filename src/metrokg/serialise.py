"""Deterministic serialisations: the same dataset always gives the same bytes."""

from __future__ import annotations

import json
from typing import Any

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
    """TriG: the prefixes once, then each named graph in IRI order."""
    header = bind_prefixes(Graph(), base)
    prefix_lines = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(header.namespaces())
                    if p and (p in PREFIXES or p in ("id", "graph"))]
    blocks = ["\n".join(prefix_lines) + "\n"]
    graphs = sorted((g for g in dataset.graphs()
                     if isinstance(g.identifier, URIRef) and len(g)), key=lambda g: str(g.identifier))
    for graph in graphs:
        body = to_turtle(graph, base=base)
        lines = [ln for ln in body.splitlines() if ln and not ln.startswith("@prefix")]
        name = header.namespace_manager.normalizeUri(graph.identifier)
        if name.startswith("<") or ":" not in name:
            name = graph.identifier.n3()
        blocks.append(f"{name} {{\n" + "\n".join("    " + ln for ln in lines) + "\n}\n")
    return "\n".join(blocks)


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
