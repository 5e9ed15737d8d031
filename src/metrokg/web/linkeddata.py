"""RDF of a page in each offered format; JSON-LD compacted with an inline ``@context``.

The context is built from the project's prefix map and written inline (never a remote
context: clients need not fetch anything, and nothing here fetches either).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph

from .results import write_graph

__all__ = ["compact_jsonld", "graph_bytes", "rdf_bytes"]

_JSONLD = "application/ld+json"


def _compact(iri: str, prefixes: list[tuple[str, str]], used: set[str]) -> str:
    for prefix, ns in prefixes:
        if iri.startswith(ns) and len(iri) > len(ns):
            rest = iri[len(ns):]
            if "/" not in rest and "#" not in rest and not rest.startswith("_"):
                used.add(prefix)
                return f"{prefix}:{rest}"
    return iri


def compact_jsonld(expanded: object, prefixes: dict[str, str]) -> object:
    """Expanded JSON-LD (a list of node objects) as ``{"@context", "@graph"}`` with keys,
    types and ``@id`` values written as CURIEs of *prefixes*.

    >>> compact_jsonld([{"@id": "http://x/a", "http://x/p": [{"@id": "http://x/b"}]}],
    ...                {"x": "http://x/"})
    {'@context': {'x': 'http://x/'}, '@graph': [{'@id': 'x:a', 'x:p': [{'@id': 'x:b'}]}]}
    """
    order = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
    used: set[str] = set()

    def value(item: object) -> object:
        if isinstance(item, dict):
            out: dict[str, object] = {}
            for key, inner in item.items():
                if key in ("@id", "@type") and isinstance(inner, str):
                    out[key] = _compact(inner, order, used)
                elif key == "@type" and isinstance(inner, list):
                    out[key] = [_compact(t, order, used) if isinstance(t, str) else t
                                for t in inner]
                elif key.startswith("@"):
                    out[key] = value(inner)
                else:
                    out[_compact(key, order, used)] = value(inner)
            return out
        if isinstance(item, list):
            return [value(x) for x in item]
        return item

    nodes = expanded if isinstance(expanded, list) else [expanded]
    graph = [value(node) for node in nodes]
    context = {prefix: ns for prefix, ns in sorted(prefixes.items()) if prefix in used}
    return {"@context": context, "@graph": graph}


def rdf_bytes(triples: Iterable[ox.Triple], media: str, prefixes: dict[str, str]) -> bytes:
    """*triples* in *media*; JSON-LD compacted with an inline ``@context``."""
    if media != _JSONLD:
        return write_graph(triples, media, prefixes=prefixes)
    expanded = json.loads(write_graph(triples, _JSONLD) or b"[]")
    return json.dumps(compact_jsonld(expanded, prefixes), ensure_ascii=False,
                      indent=1).encode("utf-8")


def graph_bytes(graph: Graph, media: str, prefixes: dict[str, str]) -> bytes:
    """An rdflib graph (the ontology) in *media*, through the same writers."""
    data = graph.serialize(format="nt", encoding="utf-8")
    triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]
    return rdf_bytes(triples, media, prefixes)
