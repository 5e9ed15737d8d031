"""A UN SDG goal or target as a hub: what in the graph contributes to it, and what is
merely aligned with it (kept apart: ``mkg:contributesToSDG`` vs ``mkg:alignedWithSDG``).

The goals and targets are the UN's own IRIs (``http://metadata.un.org/sdg/11``); their
labels come from the UN SDG KOS copy the graph holds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from ..namespaces import MKG, SKOS

__all__ = ["SDG_SCHEME", "SdgHub", "sdg_hub", "used_sdgs"]

SDG_SCHEME = "http://metadata.un.org/sdg"
_RELATIONS = ("contributesToSDG", "alignedWithSDG")


def _code_key(iri: str) -> tuple[object, ...]:
    parts = iri.rsplit("/", 1)[-1].split(".")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


@dataclass(frozen=True)
class SdgHub:
    """One goal or target and what refers to it."""

    iri: str
    code: str
    goal: str | None
    """For a target: its goal."""
    targets: tuple[str, ...]
    """For a goal: its targets (all of them, in code order)."""
    used_targets: frozenset[str]
    contributes: tuple[tuple[str, str], ...]
    """(subject, goal or target) pairs, the target ones when the page is a goal's."""
    aligned: tuple[tuple[str, str], ...]
    plans: tuple[tuple[str, tuple[str, ...]], ...]
    """Plans serving it (directly or through an element), with ``contributes``/``aligned``."""


def _subjects(store: ox.Store, predicate: ox.NamedNode, sdg: str) -> list[str]:
    return [q.subject.value for q in store.quads_for_pattern(None, predicate, ox.NamedNode(sdg),
                                                             None)
            if isinstance(q.subject, ox.NamedNode)]


def sdg_hub(store: ox.Store, iri: str, base: str) -> SdgHub | None:
    """The hub of *iri*, or ``None`` if the graph holds no such SDG concept."""
    node = ox.NamedNode(iri)
    notation = next((q.object.value for q in store.quads_for_pattern(
        node, ox.NamedNode(str(SKOS.notation)), None, None) if isinstance(q.object, ox.Literal)),
        None)
    if notation is None:
        return None
    goal = next((q.object.value for q in store.quads_for_pattern(
        node, ox.NamedNode(str(SKOS.broader)), None, None) if isinstance(q.object, ox.NamedNode)
        and q.object.value != SDG_SCHEME), None)
    targets = sorted({q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode(str(SKOS.broader)), node, None) if isinstance(q.subject, ox.NamedNode)},
        key=_code_key)
    mkg = str(MKG)
    found: dict[str, list[tuple[str, str]]] = {}
    used: set[str] = set()
    for relation in _RELATIONS:
        predicate = ox.NamedNode(mkg + relation)
        pairs = [(s, iri) for s in _subjects(store, predicate, iri)]
        for target in targets:
            here = [(s, target) for s in _subjects(store, predicate, target)]
            if here:
                used.add(target)
            pairs += here
        found[relation] = sorted(set(pairs), key=lambda p: (_code_key(p[1]), p[0]))
    in_plan = ox.NamedNode(mkg + "inPlan")
    plan_type = ox.NamedNode(mkg + "Plan")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    plans: dict[str, dict[str, None]] = {}
    for relation, key in zip(_RELATIONS, ("contributes", "aligned"), strict=True):
        for subject, _ in found[relation]:
            node_s = ox.NamedNode(subject)
            plan = next((q.object.value for q in store.quads_for_pattern(node_s, in_plan, None, None)
                         if isinstance(q.object, ox.NamedNode)), None)
            if plan is None and any(True for _ in store.quads_for_pattern(node_s, rdf_type,
                                                                          plan_type, None)):
                plan = subject
            if plan is not None:
                plans.setdefault(plan, {})[key] = None
    return SdgHub(iri, notation, goal, tuple(targets), frozenset(used),
                  tuple(found["contributesToSDG"]), tuple(found["alignedWithSDG"]),
                  tuple(sorted((p, tuple(h)) for p, h in plans.items())))


def used_sdgs(store: ox.Store, base: str) -> dict[str, int]:
    """Goals and targets the graph refers to, with how many statements refer to each, in
    code order (a goal is listed when only its targets are referred to, with 0)."""
    counts: Counter[str] = Counter()
    mkg = str(MKG)
    for relation in _RELATIONS:
        for quad in store.quads_for_pattern(None, ox.NamedNode(mkg + relation), None, None):
            if isinstance(quad.object, ox.NamedNode):
                counts[quad.object.value] += 1
    for iri in list(counts):
        for quad in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(SKOS.broader)),
                                            None, None):
            if isinstance(quad.object, ox.NamedNode) and quad.object.value != SDG_SCHEME:
                counts.setdefault(quad.object.value, 0)
    return {iri: counts[iri] for iri in sorted(counts, key=_code_key)}
