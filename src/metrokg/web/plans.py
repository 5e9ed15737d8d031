"""A plan as people read it: a tree of its elements with statuses and progress.

Read from the store's quad patterns: the elements of a plan (``mkg:inPlan``), their
parent (``dcterms:isPartOf``), code (``skos:notation``) and status (``adms:status``); the
plan's stated totals (``mkg:StatedTotal``), SDGs and the organisations involved.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import ADMS, DCTERMS, MKG, RDF, SKOS

__all__ = ["Branch", "Involved", "PlanTree", "StatedTotal", "code_key", "element_place", "plan_of",
           "plan_tree", "subtree_progress"]


def _nn(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def code_key(code: str) -> tuple[object, ...]:
    """Sort key for printed codes: ``L1M2`` before ``L1M10``, ``1.2`` before ``1.10``."""
    out: list[object] = []
    number = ""
    for char in code:
        if char.isdigit():
            number += char
            continue
        if number:
            out.append(int(number))
            number = ""
        out.append(char)
    if number:
        out.append(int(number))
    return tuple((0, p) if isinstance(p, int) else (1, p) for p in out)


@dataclass(frozen=True)
class Branch:
    """One element of a plan and the elements under it."""

    iri: str
    level: str
    """The element's class (``mkg:ActionLine``, ``mkg:Deliverable`` …)."""
    code: str
    status: str | None
    basis: str | None
    children: tuple[Branch, ...] = ()

    def leaves(self) -> list[Branch]:
        """The elements at the bottom of this branch (itself if it has no children)."""
        if not self.children:
            return [self]
        out: list[Branch] = []
        for child in self.children:
            out.extend(child.leaves())
        return out

    def progress(self) -> dict[str, int]:
        """How many elements with a status under this branch (itself included) have each."""
        counts: Counter[str] = Counter()
        stack = [self]
        while stack:
            node = stack.pop()
            if node.status:
                counts[node.status] += 1
            stack.extend(node.children)
        return dict(counts)

    def count(self, level: str) -> int:
        """Elements of class *level* in this branch, itself included."""
        return sum(1 for _ in self.walk() if _.level == level)

    def walk(self) -> list[Branch]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


@dataclass(frozen=True)
class StatedTotal:
    """A total the report states (``65 deliverables``, ``49 achieved``)."""

    iri: str
    level: str
    status: str | None
    count: int
    graph: str | None


@dataclass(frozen=True)
class Involved:
    """An organisation named for the plan or one of its elements, and how."""

    organisation: str
    how: str
    """``responsible`` or the IRI of the involvement's role."""
    element: str
    graph: str | None


@dataclass(frozen=True)
class PlanTree:
    """A plan with its elements as a tree, its totals, SDGs and organisations."""

    plan: str
    roots: tuple[Branch, ...]
    stated: tuple[StatedTotal, ...]
    itemised: dict[tuple[str, str | None], int]
    """(class, status or None for all) → how many elements the graph itemises."""
    notes: tuple[tuple[str, str, tuple[str, ...]], ...]
    """(note, language, elements) explaining statuses not read from a printed mark."""
    sdgs: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    """``contributes``/``aligned`` → (SDG IRI, element IRI) pairs."""
    involved: tuple[Involved, ...] = ()

    def all_branches(self) -> list[Branch]:
        out: list[Branch] = []
        for root in self.roots:
            out.extend(root.walk())
        return out


def _one(store: ox.Store, subject: ox.NamedNode, predicate: str) -> ox.NamedNode | ox.Literal | None:
    for quad in store.quads_for_pattern(subject, _nn(predicate), None, None):
        if isinstance(quad.object, ox.NamedNode | ox.Literal):
            return quad.object
    return None


def plan_of(store: ox.Store, iri: str, base: str) -> str | None:
    """The plan an element belongs to (``mkg:inPlan``), or ``None``."""
    found = _one(store, _nn(iri), str(MKG) + "inPlan")
    return found.value if isinstance(found, ox.NamedNode) else None


def plan_tree(store: ox.Store, plan: str, base: str) -> PlanTree:
    """The elements of *plan* as a tree (one pass over the plan's elements)."""
    mkg = str(MKG)
    node = _nn(plan)
    elements: dict[str, dict[str, object]] = {}
    for quad in store.quads_for_pattern(None, _nn(mkg + "inPlan"), node, None):
        if isinstance(quad.subject, ox.NamedNode):
            elements.setdefault(quad.subject.value, {})
    parent_of: dict[str, str] = {}
    notes_of: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for iri, info in elements.items():
        subject = _nn(iri)
        for quad in store.quads_for_pattern(subject, None, None, None):
            p, o = quad.predicate.value, quad.object
            if p == str(RDF.type) and isinstance(o, ox.NamedNode) and o.value.startswith(mkg):
                if o.value != mkg + "PlanElement":
                    info["level"] = o.value
            elif p == str(SKOS.notation) and isinstance(o, ox.Literal):
                info["code"] = o.value
            elif p == str(ADMS.status) and isinstance(o, ox.NamedNode):
                info["status"] = o.value
            elif p == mkg + "statusBasis" and isinstance(o, ox.NamedNode):
                info["basis"] = o.value
            elif p == str(DCTERMS.isPartOf) and isinstance(o, ox.NamedNode):
                if o.value in elements:
                    parent_of[iri] = o.value
            elif p == str(SKOS.note) and isinstance(o, ox.Literal):
                notes_of[iri].append((o.value, o.language or ""))
    children: dict[str | None, list[str]] = defaultdict(list)
    for iri in elements:
        children[parent_of.get(iri)].append(iri)

    def build(iri: str, depth: int = 0) -> Branch:
        info = elements[iri]
        kids = sorted(children.get(iri, ()), key=lambda k: code_key(str(elements[k].get("code", k))))
        return Branch(iri, str(info.get("level", mkg + "PlanElement")), str(info.get("code", "")),
                      info.get("status") if isinstance(info.get("status"), str) else None,  # type: ignore[arg-type]
                      info.get("basis") if isinstance(info.get("basis"), str) else None,  # type: ignore[arg-type]
                      tuple(build(k, depth + 1) for k in kids) if depth < 12 else ())

    roots = tuple(build(i) for i in sorted(children.get(None, ()),
                                           key=lambda k: code_key(str(elements[k].get("code", k)))))
    itemised: Counter[tuple[str, str | None]] = Counter()
    notes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for iri, info in elements.items():
        level = str(info.get("level", ""))
        itemised[(level, None)] += 1
        if isinstance(info.get("status"), str):
            itemised[(level, str(info["status"]))] += 1
        basis = info.get("basis")
        if isinstance(basis, str) and not basis.endswith("/printed-mark"):
            for text, lang in notes_of.get(iri, ()):
                notes[(text, lang)].append(iri)
    return PlanTree(plan, roots, _stated(store, node, mkg), dict(itemised),
                    tuple((text, lang, tuple(sorted(its, key=code_key)))
                          for (text, lang), its in sorted(notes.items())),
                    _sdgs(store, [plan, *elements], mkg), _involved(store, plan, elements, mkg))


def _stated(store: ox.Store, plan: ox.NamedNode, mkg: str) -> tuple[StatedTotal, ...]:
    out: list[StatedTotal] = []
    for quad in store.quads_for_pattern(None, _nn(mkg + "statedFor"), plan, None):
        total = quad.subject
        if not isinstance(total, ox.NamedNode):
            continue
        level = _one(store, total, mkg + "countedClass")
        status = _one(store, total, mkg + "countedStatus")
        count = _one(store, total, mkg + "statedCount")
        if not isinstance(level, ox.NamedNode) or not isinstance(count, ox.Literal):
            continue
        try:
            number = int(count.value)
        except ValueError:
            continue
        graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
        out.append(StatedTotal(total.value, level.value,
                               status.value if isinstance(status, ox.NamedNode) else None,
                               number, graph))
    return tuple(sorted(out, key=lambda t: (t.level, t.status is not None, t.status or "")))


def _sdgs(store: ox.Store, subjects: list[str], mkg: str) -> dict[str, tuple[tuple[str, str], ...]]:
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for key, predicate in (("contributes", "contributesToSDG"), ("aligned", "alignedWithSDG")):
        pairs: dict[tuple[str, str], None] = {}
        p = _nn(mkg + predicate)
        for iri in subjects:
            for quad in store.quads_for_pattern(_nn(iri), p, None, None):
                if isinstance(quad.object, ox.NamedNode):
                    pairs[(quad.object.value, iri)] = None
        out[key] = tuple(sorted(pairs, key=lambda pair: code_key(pair[0].rsplit("/", 1)[-1])))
    return out


def _involved(store: ox.Store, plan: str, elements: dict[str, dict[str, object]], mkg: str
              ) -> tuple[Involved, ...]:
    out: dict[Involved, None] = {}
    for iri in (plan, *elements):
        for quad in store.quads_for_pattern(_nn(iri), _nn(mkg + "responsible"), None, None):
            if isinstance(quad.object, ox.NamedNode):
                graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
                out[Involved(quad.object.value, "responsible", iri, graph)] = None
        for quad in store.quads_for_pattern(None, _nn(mkg + "involvedIn"), _nn(iri), None):
            inv = quad.subject
            if not isinstance(inv, ox.NamedNode | ox.BlankNode):
                continue
            role = _one(store, inv, "http://www.w3.org/ns/org#role")  # type: ignore[arg-type]
            graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None
            for q in store.quads_for_pattern(inv, _nn(mkg + "involvedOrganisation"), None, None):
                if isinstance(q.object, ox.NamedNode):
                    out[Involved(q.object.value, role.value if isinstance(role, ox.NamedNode)
                                 else "", iri, graph)] = None
    return tuple(out)


def element_place(store: ox.Store, iri: str, base: str) -> tuple[list[str], list[str]]:
    """(breadcrumb from the plan down to *iri*'s parent, siblings of *iri* in code order)."""
    part_of = _nn(DCTERMS.isPartOf)
    crumbs: list[str] = []
    current = _nn(iri)
    seen = {iri}
    parent: str | None = None
    while True:
        found = _one(store, current, part_of.value)
        if not isinstance(found, ox.NamedNode) or found.value in seen or len(crumbs) > 12:
            break
        if parent is None:
            parent = found.value
        crumbs.append(found.value)
        seen.add(found.value)
        current = found
    siblings: list[tuple[tuple[object, ...], str]] = []
    if parent is not None:
        for quad in store.quads_for_pattern(None, part_of, _nn(parent), None):
            if isinstance(quad.subject, ox.NamedNode):
                code = _one(store, quad.subject, str(SKOS.notation))
                key = code_key(code.value if isinstance(code, ox.Literal) else quad.subject.value)
                siblings.append((key, quad.subject.value))
    return list(reversed(crumbs)), [s for _, s in sorted(set(siblings))]


def subtree_progress(store: ox.Store, iri: str) -> tuple[str | None, dict[str, int]]:
    """(status of *iri*, statuses counted over the elements under it), walking its parts."""
    part_of, status = _nn(DCTERMS.isPartOf), str(ADMS.status)
    own = _one(store, _nn(iri), status)
    counts: Counter[str] = Counter()
    stack, seen = [iri], {iri}
    while stack:
        node = _nn(stack.pop())
        for quad in store.quads_for_pattern(None, part_of, node, None):
            child = quad.subject
            if isinstance(child, ox.NamedNode) and child.value not in seen:
                seen.add(child.value)
                stack.append(child.value)
                found = _one(store, child, status)
                if isinstance(found, ox.NamedNode):
                    counts[found.value] += 1
    return (own.value if isinstance(own, ox.NamedNode) else None), dict(counts)
