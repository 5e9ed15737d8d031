"""The shapes graph: loading ``shapes/*.ttl``, and what each engine can run of it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import InputError, QueryError
from ..namespaces import RDF, SH, bind_prefixes

__all__ = ["load_shapes", "prefix_header", "resolve_sparql_targets", "rudof_can_run"]

# SHACL features pyrudof does not run (SHACL-AF rules and custom target types, SHACL-SPARQL
# constraint components): shapes that use one are validated by pyshacl under "auto".
_UNSUPPORTED = (SH.rule, SH.targetType, SH.nodeValidator, SH.propertyValidator, SH.validator)


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


def rudof_can_run(shapes: Graph) -> bool:
    """Whether the shapes use only what pyrudof validates (SPARQL targets are resolved)."""
    return not any(True for p in _UNSUPPORTED for _ in shapes.triples((None, p, None))) \
        and (None, RDF.type, SH.ConstraintComponent) not in shapes


def prefix_header(shapes: Graph, node: Node) -> str:
    """``PREFIX`` lines of the ``sh:prefixes`` declarations of a SPARQL-based *node*."""
    lines = []
    for owner in shapes.objects(node, SH.prefixes):
        for decl in shapes.objects(owner, SH.declare):
            prefix, namespace = shapes.value(decl, SH.prefix), shapes.value(decl, SH.namespace)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix}: <{namespace}>")
    return "\n".join(sorted(set(lines))) + "\n"


def resolve_sparql_targets(shapes: Graph, store: ox.Store,
                           graphs: Sequence[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]
                           ) -> Graph:
    """A copy of *shapes* where each ``sh:target`` SPARQL target is its list of nodes.

    A SHACL-AF ``sh:SPARQLTarget`` (``sh:target [ sh:select … ]``) is evaluated once on
    the union of *graphs* in Oxigraph; the shape gets one ``sh:targetNode`` per node the
    query selects as ``?this``. Engines without SHACL-AF targets then see the same focus
    nodes.
    """
    targets = [(shape, target) for shape, target in shapes.subject_objects(SH.target)
               if shapes.value(target, SH.select) is not None]
    if not targets:
        return shapes
    out = bind_prefixes(Graph())
    for triple in shapes:
        out.add(triple)
    for shape, target in targets:
        out.remove((shape, SH.target, target))
        text = prefix_header(shapes, target) + str(shapes.value(target, SH.select))
        try:
            rows = store.query(text, default_graph=list(graphs))
        except (SyntaxError, RuntimeError) as exc:
            raise QueryError(f"shapes: the SPARQL target {target} does not run: {exc}; "
                             "fix its sh:select in shapes/*.ttl") from None
        for row in rows:  # type: ignore[union-attr]
            node = row["this"]
            if isinstance(node, ox.NamedNode):
                out.add((shape, SH.targetNode, URIRef(node.value)))
    return out
