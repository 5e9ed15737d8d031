"""An organisation as people read it: names, type, memberships, members, plans, identifiers.

Read from the store's quad patterns around one ``org:Organization``: the
``org:Membership`` nodes on either side of it (role, period, source graph), the plans it
is responsible for, the plan elements it is involved in, and its external identifiers.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..namespaces import FOAF, ORG, SCHEMA, SKOS

__all__ = ["Involvement", "Profile", "Tie", "profile"]

_TIME = "http://www.w3.org/2006/time#"
_SAME = ("http://www.w3.org/2002/07/owl#sameAs", str(SKOS.exactMatch))


def _nn(iri: object) -> ox.NamedNode:
    return ox.NamedNode(iri.value if isinstance(iri, ox.NamedNode) else str(iri))


def _graph(quad: ox.Quad) -> str | None:
    return quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else None


def _objects(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str
             ) -> list[ox.NamedNode | ox.Literal]:
    return [q.object for q in store.quads_for_pattern(subject, _nn(predicate), None, None)
            if isinstance(q.object, ox.NamedNode | ox.Literal)]


def _first_iri(store: ox.Store, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> str | None:
    for obj in _objects(store, subject, predicate):
        if isinstance(obj, ox.NamedNode):
            return obj.value
    return None


@dataclass(frozen=True)
class Tie:
    """One membership seen from the page's organisation: the other side, role and period."""

    node: str
    """The ``org:Membership`` IRI."""
    other: str
    role: str | None
    start: str | None
    end: str | None
    graphs: tuple[str, ...]
    note: str | None = None
    note_lang: str | None = None


@dataclass(frozen=True)
class Involvement:
    """An organisation named in a plan: responsible for it, or involved in an element."""

    plan: str | None
    element: str
    role: str | None
    graph: str | None


@dataclass(frozen=True)
class Profile:
    """What an organisation page shows above its statements."""

    iri: str
    names: dict[str, tuple[str, ...]]
    """language → preferred then alternative names."""
    kinds: tuple[str, ...]
    """``org:classification`` concepts."""
    homepage: str | None
    founded: str | None
    identifiers: tuple[str, ...]
    memberships: tuple[Tie, ...]
    """Where this organisation is ``org:member``."""
    members: dict[str, tuple[Tie, ...]]
    """role → ties where this organisation is ``org:organization``."""
    parents: tuple[str, ...]
    units: tuple[str, ...]
    plans: tuple[Involvement, ...]
    measures: dict[str, str]
    """Network measures by local name (``degree``, ``betweenness`` …), as written."""
    partners: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Organisations named in the same plan elements → those elements (the evidence)."""


def _period(store: ox.Store, node: ox.NamedNode | ox.BlankNode) -> tuple[str | None, str | None]:
    interval = _first_iri(store, node, str(ORG.memberDuring))
    if interval is None:
        return None, None
    out: list[str | None] = []
    for edge in ("hasBeginning", "hasEnd"):
        instant = _first_iri(store, _nn(interval), _TIME + edge)
        value = None
        if instant is not None:
            for predicate in ("inXSDgYear", "inXSDgYearMonth", "inXSDDate", "inXSDDateTimeStamp"):
                found = _objects(store, _nn(instant), _TIME + predicate)
                if found:
                    value = found[0].value
                    break
        out.append(value)
    return out[0], out[1]


def _ties(store: ox.Store, iri: str, mine: str, theirs: str) -> list[Tie]:
    ties: dict[str, Tie] = {}
    for quad in store.quads_for_pattern(None, _nn(mine), _nn(iri), None):
        node = quad.subject
        if not isinstance(node, ox.NamedNode | ox.BlankNode):
            continue
        key = node.value
        graphs = {g for q in store.quads_for_pattern(node, None, None, None)
                  if (g := _graph(q)) is not None}
        others = [o.value for o in _objects(store, node, theirs) if isinstance(o, ox.NamedNode)]
        note_term = next((o for o in _objects(store, node, str(SKOS.note))
                          if isinstance(o, ox.Literal)), None)
        note = note_term.value if note_term is not None else None
        note_lang = note_term.language if note_term is not None else None
        start, end = _period(store, node)
        for other in others:
            ties[key + " " + other] = Tie(key, other, _first_iri(store, node, str(ORG.role)),
                                          start, end, tuple(sorted(graphs)), note, note_lang)
    return list(ties.values())


def profile(store: ox.Store, iri: str, base: str) -> Profile:
    """The profile of the organisation *iri* (cost: the quads around it)."""
    mkg = base + "def/"
    node = _nn(iri)
    names: dict[str, list[str]] = defaultdict(list)
    for predicate in (SKOS.prefLabel, SKOS.altLabel):
        for obj in _objects(store, node, str(predicate)):
            if isinstance(obj, ox.Literal) and obj.value not in names[obj.language or ""]:
                names[obj.language or ""].append(obj.value)
    kinds = tuple(dict.fromkeys(o.value for o in _objects(store, node, str(ORG.classification))
                                if isinstance(o, ox.NamedNode)))
    founded = next((o.value for o in _objects(store, node, str(SCHEMA.foundingDate))), None)
    identifiers = tuple(sorted({o.value for p in _SAME for o in _objects(store, node, p)
                                if isinstance(o, ox.NamedNode)}))
    memberships = sorted(_ties(store, iri, str(ORG.member), str(ORG.organization)),
                         key=lambda t: (t.other, t.role or ""))
    members: dict[str, list[Tie]] = defaultdict(list)
    for tie in _ties(store, iri, str(ORG.organization), str(ORG.member)):
        members[tie.role or ""].append(tie)
    parents = tuple(o.value for o in _objects(store, node, str(ORG.subOrganizationOf))
                    if isinstance(o, ox.NamedNode))
    units = tuple(sorted({q.subject.value for q in store.quads_for_pattern(
        None, _nn(ORG.subOrganizationOf), node, None) if isinstance(q.subject, ox.NamedNode)}))
    plans: dict[Involvement, None] = {}
    for quad in store.quads_for_pattern(None, _nn(mkg + "responsible"), node, None):
        if isinstance(quad.subject, ox.NamedNode):
            plan = _first_iri(store, quad.subject, mkg + "inPlan") or quad.subject.value
            plans[Involvement(plan, quad.subject.value, None, _graph(quad))] = None
    for quad in store.quads_for_pattern(None, _nn(mkg + "involvedOrganisation"), node, None):
        inv = quad.subject
        if not isinstance(inv, ox.NamedNode | ox.BlankNode):
            continue
        role = _first_iri(store, inv, str(ORG.role))
        for element in _objects(store, inv, mkg + "involvedIn"):
            if isinstance(element, ox.NamedNode):
                plans[Involvement(_first_iri(store, element, mkg + "inPlan") or element.value,
                                  element.value, role, _graph(quad))] = None
    partners: dict[str, dict[str, None]] = defaultdict(dict)
    involved_org = mkg + "involvedOrganisation"
    for entry in plans:
        if entry.role is None:
            continue
        for quad in store.quads_for_pattern(None, _nn(mkg + "involvedIn"), _nn(entry.element),
                                            None):
            if not isinstance(quad.subject, ox.NamedNode | ox.BlankNode):
                continue
            for other in _objects(store, quad.subject, involved_org):
                if isinstance(other, ox.NamedNode) and other.value != iri:
                    partners[other.value][entry.element] = None
    measures: dict[str, str] = {}
    for quad in store.quads_for_pattern(node, None, None, None):
        p = quad.predicate.value
        if p.startswith(mkg) and isinstance(quad.object, ox.Literal):
            measures.setdefault(p[len(mkg):], quad.object.value)
    homepage = _first_iri(store, node, str(FOAF.homepage))
    if homepage is not None and not homepage.startswith(("http://", "https://")):
        homepage = None
    return Profile(iri, {k: tuple(v) for k, v in names.items()}, kinds, homepage, founded,
                   identifiers, tuple(memberships),
                   {role: tuple(ties) for role, ties in sorted(members.items())},
                   parents, units, tuple(plans), measures,
                   {o: tuple(e) for o, e in sorted(partners.items())})
