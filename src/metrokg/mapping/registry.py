"""First pass: what the records define (organisations, plans, elements, people, concepts).

References are checked against it in the second pass, each with a located message.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..records import Record
from .iris import Iris
from .keys import concept_key, graph_key, nests, slug
from .terms import LEVELS

__all__ = ["Element", "Registry", "register"]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.]*$")


@dataclass
class Element:
    """A plan element as its defining record gives it."""

    iri: ox.NamedNode
    plan: str
    level: str
    code: str | None
    parent: str | None
    record: Record


@dataclass
class Registry:
    """What the records define, filled in by :func:`register`."""

    orgs: dict[str, Record] = field(default_factory=dict)
    plans: dict[str, Record] = field(default_factory=dict)
    elements: dict[tuple[str, str], Element] = field(default_factory=dict)
    people: dict[str, Record] = field(default_factory=dict)
    concepts: dict[tuple[str, str], Record] = field(default_factory=dict)
    graph_keys: dict[str, Record] = field(default_factory=dict)
    pref_labels: dict[ox.NamedNode, dict[str, ox.Literal]] = field(default_factory=dict)


def register(records: Iterable[Record], iris: Iris) -> Registry:
    """Register every definition; refuse duplicates and dangling parents."""
    reg = Registry()
    for record in records:
        key = graph_key(record)
        if key in reg.graph_keys:
            other = reg.graph_keys[key]
            raise record.error(f"duplicate record: {other.file}:{other.line} states the same "
                               f"({key})", hint="merge the two records, or give one an `id`")
        reg.graph_keys[key] = record
        if record.kind == "organisation":
            _define(reg.orgs, record, iris.org, "organisation")
        elif record.kind == "plan":
            _define(reg.plans, record, iris.plan, "plan")
        elif record.kind == "person":
            _define(reg.people, record, iris.person, "person")
        elif record.kind == "concept":
            reg.concepts[(slug(record, "scheme"), concept_key(record))] = record
        elif record.kind == "element":
            _register_element(record, reg, iris)
    for element in reg.elements.values():
        _check_parent(element, reg)
    return reg


def _define(table: dict[str, Record], record: Record, mint: Callable[[str], ox.NamedNode],
            what: str) -> None:
    """Register the one record that defines a thing, refusing a second definition."""
    name = slug(record, "id")
    if name in table:
        other = table[name]
        raise record.error(f"duplicate IRI {mint(name).value}: {what} {name!r} is already "
                           f"defined at {other.file}:{other.line}", field="id",
                           hint="define it once; add facts to it with `kind: facts`")
    table[name] = record


def _register_element(record: Record, reg: Registry, iris: Iris) -> None:
    f = record.fields
    plan = slug(record, "plan")
    level = f.get("level")
    if level not in LEVELS:
        raise record.error(f"unknown level {level!r}", field="level",
                           hint=f"use one of: {', '.join(LEVELS)}")
    code, key_slug = f.get("code"), f.get("slug")
    if (code is None) == (key_slug is None):
        raise record.error("an element has either a printed `code` or a `slug`", field="code")
    if code is not None:
        code = str(code)
        if not _CODE.match(code):
            raise record.error(f"malformed code {code!r}", field="code",
                               hint="copy the code as printed, e.g. 1.1.3 or L1M1D1")
    else:
        key_slug = slug(record, "slug")
    key = str(code if code is not None else key_slug)
    if f.get("wording") is not None:
        if f["wording"] not in ("same", "variant"):
            raise record.error(f"wording must be `same` or `variant`, not {f['wording']!r}",
                               field="wording")
        return  # refers to an element defined by another record; checked in the second pass
    if (plan, key) in reg.elements:
        other = reg.elements[(plan, key)].record
        raise record.error(f"duplicate IRI {iris.element(plan, level, key).value}: {plan}:{key} "
                           f"is already defined at {other.file}:{other.line}", field="code",
                           hint="use `wording: same|variant` to cite another source for it")
    parent = f.get("parent")
    reg.elements[(plan, key)] = Element(iris.element(plan, level, key), plan, level,
                                        code, None if parent is None else str(parent), record)


def _check_parent(element: Element, reg: Registry) -> None:
    record = element.record
    if element.plan not in reg.plans:
        raise record.error(f"unknown plan {element.plan!r}", field="plan",
                           hint="define it with `kind: plan`")
    if element.parent is None:
        return
    parent = reg.elements.get((element.plan, element.parent))
    if parent is None:
        raise record.error(f"parent {element.parent!r} is not an element of plan "
                           f"{element.plan}", field="parent")
    if element.code is not None and parent.code is not None \
            and not nests(element.code, parent.code):
        raise record.error(f"code {element.code} does not fit its parent {parent.code}",
                           field="code", hint=f"a child of {parent.code} is coded "
                           f"{parent.code}<next part>; fix the code or the parent")
