"""What data a shape can read, and shapes grouped so each run reads a slice of the data.

A shape's result depends only on the data triples it can reach (SHACL 1.0 §2–§4, §5):

- core constraints follow property paths, whose predicates the shapes graph names
  (``sh:path``, ``sh:inversePath``, ``sh:equals``, ``sh:targetSubjectsOf``…), and class
  membership, which is ``rdf:type`` and ``rdfs:subClassOf`` (§3.1, ``sh:class``);
- ``sh:node``, ``sh:property``, ``sh:and``/``or``/``not``/``xone`` and qualified value
  shapes only add the shapes they name, whose reach is collected the same way;
- a SPARQL constraint reads the triples its patterns match: when every pattern and path
  has IRI predicates, the query gives the same rows on the data restricted to those
  predicates (each pattern matches the same triples there, so OPTIONAL, MINUS, NOT EXISTS
  and aggregates see the same solutions).

So a shape's *reach* is every IRI in the shapes-graph closure of its node (a superset of
the predicates it follows: extra IRIs only add data) and the IRI predicates of its SPARQL,
plus ``rdf:type`` and ``rdfs:subClassOf``. Anything that could read any predicate —
``sh:closed``, a variable or negated predicate, a ``GRAPH`` or ``SERVICE`` pattern, a query
rdflib cannot parse — makes the reach unbounded (``None``): such a shape sees all data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.paths import NegatedPath, Path
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, Variable

from ..namespaces import RDF, RDFS, SH
from .shapes import prefix_header

__all__ = ["TARGETS", "Group", "group_shapes", "only_targets", "reach", "targeted"]

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
ALWAYS = frozenset({URIRef(str(RDF.type)), URIRef(str(RDFS.subClassOf))})
_QUERIES = (SH.select, SH.ask)


@dataclass(frozen=True)
class Group:
    """Shapes validated together, and the predicates they can read (None: any)."""

    shapes: tuple[Node, ...]
    predicates: frozenset[URIRef] | None


def targeted(shapes: Graph) -> list[Node]:
    """The shapes that select focus nodes themselves (targets, or an implicit class)."""
    nodes = {s for p in TARGETS for s in shapes.subjects(p, None)}
    nodes |= {s for s in shapes.subjects(RDF.type, RDFS.Class)
              if (s, RDF.type, SH.NodeShape) in shapes or (s, RDF.type, SH.PropertyShape)
              in shapes}
    return sorted(nodes, key=str)


def reach(shapes: Graph, shape: Node) -> frozenset[URIRef] | None:
    """The IRIs whose triples *shape* can read (see the module text), or None for any."""
    seen: set[Node] = set()
    found: set[URIRef] = set(ALWAYS)
    todo = [shape]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        if isinstance(node, URIRef):
            found.add(node)
        for predicate, value in shapes.predicate_objects(node):
            if predicate == SH.closed and value == Literal(True):
                return None
            if predicate in _QUERIES:
                iris = _query_predicates(prefix_header(shapes, node) + str(value))
                if iris is None:
                    return None
                found |= iris
            elif isinstance(value, BNode | URIRef):
                todo.append(value)
    return frozenset(found)


@lru_cache(maxsize=256)
def _query_predicates(text: str) -> frozenset[URIRef] | None:
    """The IRI predicates of a query's patterns and paths, None if any can be any IRI."""
    try:
        algebra = prepareQuery(text).algebra
    except Exception:  # rdflib raises several unrelated types for a query it cannot read
        return None
    found: set[URIRef] = set()
    todo: list[object] = [algebra]
    while todo:
        part = todo.pop()
        if isinstance(part, CompValue):
            if part.name in ("Graph", "ServiceGraphPattern", "DescribeQuery"):
                return None
            if part.name in ("BGP", "TriplesBlock"):  # TriplesBlock: EXISTS, untranslated
                triples = list(part["triples"] or [])
                if not all(isinstance(t, list | tuple) and len(t) % 3 == 0 for t in triples):
                    return None
                if not all(_add_predicate(t[i], found) for t in triples
                           for i in range(1, len(t), 3)):
                    return None
            todo.extend(part.values())
        elif isinstance(part, dict):
            todo.extend(part.values())
        elif isinstance(part, list | tuple):
            if len(part) == 3 and isinstance(part[1], Path) \
                    and not _add_predicate(part[1], found):
                return None
            todo.extend(part)
    return frozenset(found)


def _add_predicate(predicate: object, found: set[URIRef]) -> bool:
    """Add the IRIs of a pattern's predicate; False if it can match any predicate."""
    if isinstance(predicate, URIRef):
        found.add(predicate)
        return True
    if isinstance(predicate, Variable | NegatedPath) or not isinstance(predicate, Path):
        return False
    parts = getattr(predicate, "args", None) or [getattr(predicate, "arg", None)
                                                 or getattr(predicate, "path", None)]
    return all(_add_predicate(p, found) for p in parts)


def group_shapes(shapes: Graph, count: int, weight: Mapping[URIRef, int],
                 reaches: Mapping[Node, frozenset[URIRef] | None] | None = None
                 ) -> list[Group]:
    """The targeted shapes in at most *count* groups that read little data each.

    *weight* is the number of data triples of each predicate; *reaches*, each targeted
    shape's :func:`reach` if already known. Shapes of unbounded reach form one group of
    their own (all data). The others start one group per shape and the two groups whose
    union adds the fewest triples are merged until *count* remain, so shapes that read
    the same predicates share a run. Deterministic: ties go by shape IRI.
    """
    known = reaches if reaches is not None else {s: reach(shapes, s) for s in targeted(shapes)}
    unbounded = tuple(s for s in targeted(shapes) if known[s] is None)
    groups: list[tuple[tuple[Node, ...], frozenset[URIRef]]] = [
        ((s,), r) for s in targeted(shapes) if (r := known[s]) is not None]
    bounded = max(1, count - bool(unbounded))
    sizes: dict[frozenset[URIRef], int] = {}

    def size(predicates: frozenset[URIRef]) -> int:
        if predicates not in sizes:
            sizes[predicates] = sum(weight.get(p, 0) for p in predicates)
        return sizes[predicates]

    while len(groups) > bounded:
        best: tuple[int, int, int] | None = None
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                union = groups[i][1] | groups[j][1]
                added = size(union) - max(size(groups[i][1]), size(groups[j][1]))
                if best is None or added < best[0]:
                    best = (added, i, j)
        assert best is not None
        _, i, j = best
        merged = (groups[i][0] + groups[j][0], groups[i][1] | groups[j][1])
        groups = [g for k, g in enumerate(groups) if k not in (i, j)] + [merged]
    out = [Group(tuple(sorted(g[0], key=str)), g[1]) for g in groups]
    if unbounded:
        out.append(Group(unbounded, None))
    return sorted(out, key=lambda g: str(g.shapes[0]))


def only_targets(ntriples: str, keep: Sequence[Node]) -> str:
    """The N-Triples of a shapes graph where only the shapes in *keep* select focus nodes.

    The other shapes stay (a kept shape may name them with ``sh:node``…), without their
    targets; an implicit class target is dropped with the shape's ``rdf:type rdfs:Class``.
    *ntriples* is one line per triple, subject and predicate first (no spaces in either).
    """
    kept = {n.n3() for n in keep}
    targets = {URIRef(str(p)).n3() for p in TARGETS}
    implicit = f"{URIRef(str(RDF.type)).n3()} {URIRef(str(RDFS.Class)).n3()} ."
    out = []
    for line in ntriples.splitlines():
        subject, _, rest = line.partition(" ")
        if subject not in kept and (rest.split(" ", 1)[0] in targets
                                    or rest.strip() == implicit):
            continue
        out.append(line)
    return "\n".join(out) + "\n"
