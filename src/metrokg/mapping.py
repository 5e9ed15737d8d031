"""Records → RDF: one named graph per record, plus the provenance graph.

Two passes: the first registers what records define (organisations, plans, elements,
people, concepts) so references can be checked with a clear message; the second writes
each record's statements into its own named graph.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .namespaces import (
    ADMS,
    CV,
    DCTERMS,
    FOAF,
    MKG,
    OA,
    ORG,
    PROV,
    RDF,
    SCHEMA,
    SDG,
    SKOS,
    TIME,
    UNIT,
    XSD,
)
from .records import Record
from .sources import LANGUAGES, Document

__all__ = ["LEVELS", "Iris", "Vocabulary", "build_dataset"]

LEVELS: dict[str, URIRef] = {
    "area": MKG.Area, "action-line": MKG.ActionLine, "objective": MKG.Objective,
    "measure": MKG.Measure, "action": MKG.Action, "deliverable": MKG.Deliverable,
    "mission": MKG.Mission, "aim": MKG.Aim, "instrument": MKG.Instrument, "target": MKG.Target,
}
UNITS = {"percent": UNIT.PERCENT}
COMPARATORS = ("=", "<", "<=", ">", ">=")
SDG_SCHEME = URIRef("http://metadata.un.org/sdg")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.]*$")
_TARGET = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])$")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_FORMAL_TYPES = {"forum", "municipal-group", "initiative", "organisational-unit", "governance-body"}


@dataclass(frozen=True)
class Vocabulary:
    """The controlled values the ontology defines (slug → IRI)."""

    org_types: Mapping[str, URIRef]
    roles: Mapping[str, URIRef]
    statuses: Mapping[str, URIRef]
    bases: Mapping[str, URIRef]
    sdg_concepts: frozenset[URIRef] = frozenset()
    readings: Mapping[str, URIRef] = field(default_factory=dict)

    @classmethod
    def from_graphs(cls, ontology: Graph, sdg: Graph | None = None) -> Vocabulary:
        def scheme(s: URIRef) -> dict[str, URIRef]:
            return {str(n): c for c in ontology.subjects(SKOS.inScheme, s)
                    if isinstance(c, URIRef) for n in ontology.objects(c, SKOS.notation)}
        concepts = frozenset(c for c in (sdg.subjects(RDF.type, SKOS.Concept) if sdg else ())
                             if isinstance(c, URIRef))
        return cls(scheme(MKG.OrganisationTypes), scheme(MKG.Roles), scheme(MKG.Statuses),
                   scheme(MKG.StatusBases), concepts, scheme(MKG.Readings))


@dataclass(frozen=True)
class Iris:
    """Mints every instance IRI from a base and stable keys — never from counters."""

    base: str

    def _id(self, *parts: str) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(parts))

    def org(self, slug: str) -> URIRef:
        return self._id("org", slug)

    def plan(self, slug: str) -> URIRef:
        return self._id("plan", slug)

    def element(self, plan: str, level: str, key: str) -> URIRef:
        return self._id("plan", plan, level, key)

    def person(self, slug: str) -> URIRef:
        return self._id("person", slug)

    def document(self, doc_id: str) -> URIRef:
        return self._id("source", doc_id)

    def scheme(self, slug: str) -> URIRef:
        return self._id("scheme", slug)

    def concept(self, scheme: str, key: str) -> URIRef:
        return self._id("scheme", scheme, key)

    def relation(self, *parts: str) -> URIRef:
        return self._id("relation", *parts)

    def involvement(self, *parts: str) -> URIRef:
        return self._id("involvement", *parts)

    def graph(self, *parts: str) -> URIRef:
        return URIRef(self.base + "graph/" + "/".join(parts))

    @property
    def provenance_graph(self) -> URIRef:
        return self.graph("provenance")


@dataclass
class _Element:
    iri: URIRef
    plan: str
    level: str
    code: str | None
    parent: str | None
    record: Record


@dataclass
class _Registry:
    """What the records define, filled in by the first pass."""

    orgs: dict[str, Record] = field(default_factory=dict)
    plans: dict[str, Record] = field(default_factory=dict)
    elements: dict[tuple[str, str], _Element] = field(default_factory=dict)
    people: dict[str, Record] = field(default_factory=dict)
    concepts: dict[tuple[str, str], Record] = field(default_factory=dict)
    graph_keys: dict[str, Record] = field(default_factory=dict)
    pref_labels: dict[URIRef, dict[str, Literal]] = field(default_factory=dict)


def build_dataset(records: Sequence[Record], documents: Mapping[str, Document],
                  vocabulary: Vocabulary, *, base: str) -> Dataset:
    """Map *records* to a dataset: one named graph per record, plus provenance."""
    iris = Iris(base)
    registry = _register(records, iris)
    dataset = Dataset()
    provenance = dataset.graph(iris.provenance_graph)
    _describe_documents(provenance, documents, iris)
    writer = _Writer(dataset, registry, vocabulary, iris)
    for record in records:
        key = _graph_key(record)
        graph_iri = iris.graph(*key.split("/"))
        graph = dataset.graph(graph_iri)
        writer.write(record, graph)
        if len(graph) == 0:
            raise record.error("the record states nothing", hint="add the facts it supports")
        _describe_graph(provenance, graph_iri, record, iris)
        _describe_reading(provenance, graph_iri, record, vocabulary)
    return dataset


# ---------------------------------------------------------------- first pass


def _register(records: Iterable[Record], iris: Iris) -> _Registry:
    reg = _Registry()
    for record in records:
        key = _graph_key(record)
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
            reg.concepts[(_slug(record, "scheme"), _concept_key(record))] = record
        elif record.kind == "element":
            _register_element(record, reg, iris)
    for element in reg.elements.values():
        _check_parent(element, reg)
    return reg


def _define(table: dict[str, Record], record: Record, mint: Callable[[str], URIRef],
            what: str) -> None:
    """Register the one record that defines a thing, refusing a second definition."""
    slug = _slug(record, "id")
    if slug in table:
        other = table[slug]
        raise record.error(f"duplicate IRI {mint(slug)}: {what} {slug!r} is already defined at "
                           f"{other.file}:{other.line}", field="id",
                           hint="define it once; add facts to it with `kind: facts`")
    table[slug] = record


def _register_element(record: Record, reg: _Registry, iris: Iris) -> None:
    f = record.fields
    plan = _slug(record, "plan")
    level = f.get("level")
    if level not in LEVELS:
        raise record.error(f"unknown level {level!r}", field="level",
                           hint=f"use one of: {', '.join(LEVELS)}")
    code, slug = f.get("code"), f.get("slug")
    if (code is None) == (slug is None):
        raise record.error("an element has either a printed `code` or a `slug`", field="code")
    if code is not None:
        code = str(code)
        if not _CODE.match(code):
            raise record.error(f"malformed code {code!r}", field="code",
                               hint="copy the code as printed, e.g. 1.1.3 or L1M1D1")
    else:
        slug = _slug(record, "slug")
    key = str(code if code is not None else slug)
    if f.get("wording") is not None:
        if f["wording"] not in ("same", "variant"):
            raise record.error(f"wording must be `same` or `variant`, not {f['wording']!r}",
                               field="wording")
        return  # refers to an element defined by another record; checked in the second pass
    if (plan, key) in reg.elements:
        other = reg.elements[(plan, key)].record
        raise record.error(f"duplicate IRI {iris.element(plan, level, key)}: {plan}:{key} is "
                           f"already defined at {other.file}:{other.line}", field="code",
                           hint="use `wording: same|variant` to cite another source for it")
    parent = f.get("parent")
    reg.elements[(plan, key)] = _Element(iris.element(plan, level, key), plan, level,
                                         code, None if parent is None else str(parent), record)


def _check_parent(element: _Element, reg: _Registry) -> None:
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
            and not _nests(element.code, parent.code):
        raise record.error(f"code {element.code} does not fit its parent {parent.code}",
                           field="code", hint=f"a child of {parent.code} is coded "
                           f"{parent.code}<next part>; fix the code or the parent")


# ---------------------------------------------------------------- second pass


class _Writer:
    def __init__(self, dataset: Dataset, reg: _Registry, vocab: Vocabulary, iris: Iris) -> None:
        self.dataset, self.reg, self.vocab, self.iris = dataset, reg, vocab, iris

    # -- references, each failing with a located message
    def org(self, record: Record, value: Any, name: str) -> URIRef:
        slug = str(value)
        if slug not in self.reg.orgs:
            hint = _close(slug, self.reg.orgs)
            raise record.error(f"unknown organisation {slug!r}", field=name,
                               hint=hint or "define it with `kind: organisation`")
        return self.iris.org(slug)

    def plan(self, record: Record, value: Any, name: str) -> URIRef:
        slug = str(value)
        if slug not in self.reg.plans:
            raise record.error(f"unknown plan {slug!r}", field=name,
                               hint=_close(slug, self.reg.plans) or "define it with `kind: plan`")
        return self.iris.plan(slug)

    def target(self, record: Record, value: Any, name: str) -> URIRef:
        """A plan (`plan-id`), plan element (`plan-id:code`), SDG (`sdg:11`) or organisation."""
        text = str(value)
        if text.startswith("sdg:"):
            iri = SDG[text[4:]]
            if iri not in self.vocab.sdg_concepts:
                raise record.error(f"{text} is not a goal or target of the UN SDG scheme",
                                   field=name, hint="write goals as sdg:11, targets as sdg:11.3")
            return iri
        if ":" in text:
            plan, key = text.split(":", 1)
            element = self.reg.elements.get((plan, key))
            if element is None:
                raise record.error(f"unknown plan element {text!r}", field=name,
                                   hint="refer to it as plan-id:code")
            return element.iri
        if text in self.reg.plans:
            return self.iris.plan(text)
        if text in self.reg.orgs:
            return self.iris.org(text)
        raise record.error(f"unknown plan or organisation {text!r}", field=name)

    def concept(self, record: Record, table: Mapping[str, URIRef], value: Any,
                name: str) -> URIRef:
        if str(value) not in table:
            raise record.error(f"unknown {name} {value!r}", field=name,
                               hint=f"use one of: {', '.join(sorted(table))}")
        return table[str(value)]

    # -- dispatch
    def write(self, record: Record, g: Graph) -> None:
        getattr(self, "_" + record.kind.replace("-", "_"))(record, g)

    def _organisation(self, r: Record, g: Graph) -> None:
        f = r.fields
        s = self.iris.org(str(f["id"]))
        otype = self.concept(r, self.vocab.org_types, f.get("type"), "type")
        g.add((s, RDF.type, ORG.Organization))
        kind = str(f.get("type"))
        if kind in ("organisational-unit", "governance-body"):
            g.add((s, RDF.type, ORG.OrganizationalUnit))
        elif kind in _FORMAL_TYPES:
            g.add((s, RDF.type, ORG.OrganizationalCollaboration))
        else:
            g.add((s, RDF.type, ORG.FormalOrganization))
        g.add((s, ORG.classification, otype))
        if f.get("public") is True:
            g.add((s, RDF.type, CV.PublicOrganisation))
        if not f.get("name"):
            raise r.error("an organisation needs a `name`", field="name")
        self._labels(r, g, s, f.get("name"), "name", preferred=True)
        self._labels(r, g, s, f.get("alt"), "alt", preferred=False)
        if f.get("part_of") is not None:
            g.add((s, ORG.subOrganizationOf, self.org(r, f["part_of"], "part_of")))

    def _facts(self, r: Record, g: Graph) -> None:
        f = r.fields
        s = self.target(r, f.get("about"), "about")
        self._labels(r, g, s, f.get("name"), "name", preferred=True)
        self._labels(r, g, s, f.get("alt"), "alt", preferred=False)
        self._text(r, g, s, DCTERMS.description, f.get("description"), "description")
        self._text(r, g, s, SKOS.note, f.get("note"), "note")
        if f.get("homepage") is not None:
            g.add((s, FOAF.homepage, self._url(r, f["homepage"], "homepage")))
        if f.get("founded") is not None:
            g.add((s, SCHEMA.foundingDate, self._date(r, f["founded"], "founded")))
        if f.get("wikidata") is not None:
            qid = str(f["wikidata"])
            if not re.fullmatch(r"Q[1-9]\d*", qid):
                raise r.error(f"malformed Wikidata id {qid!r}", field="wikidata")
            g.add((s, SKOS.exactMatch, URIRef("http://www.wikidata.org/entity/" + qid)))
        if f.get("ror") is not None:
            ror = str(f["ror"])
            if not re.fullmatch(r"https://ror\.org/0[a-z0-9]{6}\d{2}", ror):
                raise r.error(f"malformed ROR IRI {ror!r}", field="ror")
            g.add((s, SKOS.exactMatch, URIRef(ror)))
        for ident in f.get("identifier") or []:
            if not isinstance(ident, dict) or not {"scheme", "value"} <= set(ident):
                raise r.error("an identifier is {scheme: …, value: …}", field="identifier")
            node = URIRef(f"{s}/identifier/{_slugify(str(ident['scheme']))}")
            g.add((s, ADMS.identifier, node))
            g.add((node, RDF.type, ADMS.Identifier))
            g.add((node, SKOS.notation, Literal(str(ident["value"]))))
            g.add((node, ADMS.schemeAgency, Literal(str(ident["scheme"]))))
        if f.get("address") is not None:
            g.add((s, SCHEMA.address, Literal(str(f["address"]))))
        if f.get("part_of") is not None:
            g.add((s, ORG.subOrganizationOf, self.org(r, f["part_of"], "part_of")))

    def _plan(self, r: Record, g: Graph) -> None:
        f = r.fields
        s = self.iris.plan(str(f["id"]))
        g.add((s, RDF.type, MKG.Plan))
        if not f.get("title"):
            raise r.error("a plan needs a `title`", field="title")
        self._labels(r, g, s, f.get("title"), "title", preferred=True)
        self._labels(r, g, s, f.get("alt"), "alt", preferred=False)
        self._text(r, g, s, DCTERMS.description, f.get("description"), "description")
        for org in _as_list(f.get("responsible")):
            g.add((s, MKG.responsible, self.org(r, org, "responsible")))
        if f.get("period") is not None:
            self._interval(r, g, s, DCTERMS.temporal, f["period"], "period")
        for name, prop in (("replaces", DCTERMS.replaces), ("replaced_by", DCTERMS.isReplacedBy)):
            for other in _as_list(f.get(name)):
                g.add((s, prop, self.plan(r, other, name)))
        marks = f.get("status_marks")
        if marks is not None:
            if not isinstance(marks, dict):
                raise r.error("status_marks maps a status to its printed marks",
                              field="status_marks")
            for status in marks:
                self.concept(r, self.vocab.statuses, status, "status_marks")

    def _element(self, r: Record, g: Graph) -> None:
        f = r.fields
        plan = str(f["plan"])
        key = str(f.get("code") if f.get("code") is not None else f.get("slug"))
        element = self.reg.elements.get((plan, key))
        if element is None:
            raise r.error(f"{plan}:{key} is not defined by any record", field="code",
                          hint="define the element once without `wording`")
        s = element.iri
        if f.get("wording") is not None:
            if element.record is r or str(f.get("level")) != element.level:
                raise r.error(f"level {f.get('level')!r} differs from the defining record's "
                              f"{element.level!r}", field="level")
            if not f.get("text"):
                raise r.error("a wording record needs `text`", field="text")
            self._labels(r, g, s, f["text"], "text", preferred=f["wording"] == "same")
            return
        g.add((s, RDF.type, LEVELS[element.level]))
        plan_iri = self.plan(r, plan, "plan")
        g.add((s, MKG.inPlan, plan_iri))
        parent = (self.reg.elements[(plan, element.parent)].iri
                  if element.parent is not None else plan_iri)
        g.add((s, DCTERMS.isPartOf, parent))
        if element.code is not None:
            g.add((s, SKOS.notation, Literal(element.code)))
        if f.get("text"):
            self._labels(r, g, s, f["text"], "text", preferred=True)
        else:
            g.add((s, MKG.textInSource, Literal(False)))
        self._text(r, g, s, SKOS.note, f.get("note"), "note")
        self._status(r, g, s, plan)
        if f.get("target") is not None:
            self._target(r, g, s, f["target"])

    def _status(self, r: Record, g: Graph, s: URIRef, plan: str) -> None:
        f = r.fields
        mark, status, basis = f.get("status_mark"), f.get("status"), f.get("status_basis")
        if mark is not None:
            g.add((s, MKG.printedStatusMark, Literal(str(mark))))
        if status is not None:
            if basis is None or not f.get("note"):
                raise r.error("a status not read from a printed mark needs `status_basis` "
                              "and a `note`", field="status",
                              hint="or give `status_mark` as printed")
            g.add((s, ADMS.status, self.concept(r, self.vocab.statuses, status, "status")))
            g.add((s, MKG.statusBasis, self.concept(r, self.vocab.bases, basis, "status_basis")))
        elif mark is not None:
            legend = self.reg.plans[plan].fields.get("status_marks") or {}
            read = [st for st, marks in legend.items() if str(mark) in [str(m) for m in marks]]
            if len(read) != 1:
                raise r.error(f"status mark {mark!r} is not in the legend of plan {plan}",
                              field="status_mark",
                              hint="add it to the plan's status_marks if the legend covers it, "
                                   "else give status + status_basis + note")
            g.add((s, ADMS.status, self.vocab.statuses[read[0]]))
            g.add((s, MKG.statusBasis, self.vocab.bases["printed-mark"]))

    def _target(self, r: Record, g: Graph, s: URIRef, target: Any) -> None:
        if not isinstance(target, dict) or "value" not in target:
            raise r.error("a target is {value: …, unit: …, comparator: …}", field="target")
        value = _decimal(r, target["value"], "target")
        g.add((s, MKG.targetValue, value))
        if target.get("unit") is not None:
            if target["unit"] not in UNITS:
                raise r.error(f"unknown unit {target['unit']!r}", field="target",
                              hint=f"use one of: {', '.join(UNITS)}")
            g.add((s, MKG.targetUnit, UNITS[target["unit"]]))
        comparator = str(target.get("comparator", "="))
        if comparator not in COMPARATORS:
            raise r.error(f"unknown comparator {comparator!r}", field="target")
        g.add((s, MKG.targetComparator, Literal(comparator)))
        self._text(r, g, s, MKG.targetOf, target.get("of"), "target")
        if target.get("year") is not None:
            g.add((s, MKG.targetYear, Literal(str(target["year"]), datatype=XSD.gYear)))

    def _relation(self, r: Record, g: Graph) -> None:
        f = r.fields
        subject = self.org(r, f.get("subject"), "subject")
        obj = self.org(r, f.get("object"), "object")
        role = self.concept(r, self.vocab.roles, f.get("role"), "role")
        s = self._relation_iri(r)
        g.add((s, RDF.type, ORG.Membership))
        g.add((s, ORG.member, subject))
        g.add((s, ORG.organization, obj))
        g.add((s, ORG.role, role))
        self._during(r, g, s, f.get("during"))
        self._text(r, g, s, SKOS.note, f.get("note"), "note")
        amount = f.get("amount")
        if amount is not None:
            if not isinstance(amount, dict) or not {"value", "currency"} <= set(amount):
                raise r.error("an amount is {value: …, currency: EUR}", field="amount")
            g.add((s, MKG.amount, _decimal(r, amount["value"], "amount")))
            g.add((s, MKG.currency, Literal(str(amount["currency"]))))

    def _relation_iri(self, r: Record) -> URIRef:
        f = r.fields
        if f.get("id") is not None:
            return self.iris.relation(_slug(r, "id"))
        parts = [str(f["subject"]), str(f["role"]), str(f["object"])]
        return self.iris.relation(*parts)

    def _involvement(self, r: Record, g: Graph) -> None:
        f = r.fields
        org = self.org(r, f.get("organisation"), "organisation")
        target = self.target(r, f.get("in"), "in")
        role = self.concept(r, self.vocab.roles, f.get("role"), "role")
        path = str(target)[len(self.iris.base + "id/"):]
        s = self.iris.involvement(str(f["organisation"]), str(f["role"]), *path.split("/"))
        g.add((s, RDF.type, MKG.Involvement))
        g.add((s, MKG.involvedOrganisation, org))
        g.add((s, MKG.involvedIn, target))
        g.add((s, ORG.role, role))
        self._text(r, g, s, SKOS.note, f.get("note"), "note")
        if f.get("role") == "reference-space":
            g.add((org, RDF.type, MKG.ReferenceSpace))

    def _sdg(self, r: Record, g: Graph) -> None:
        f = r.fields
        s = self.target(r, f.get("subject"), "subject")
        relation = f.get("relation")
        props = {"contributes": MKG.contributesToSDG, "aligned": MKG.alignedWithSDG}
        if relation not in props:
            raise r.error(f"relation must be `contributes` or `aligned`, not {relation!r}",
                          field="relation")
        prop = props[relation]
        objects: list[URIRef] = []
        for goal in _as_list(f.get("goals")):
            if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 17:
                raise r.error(f"SDG number {goal!r} is outside 1-17", field="goals",
                              hint="the Sustainable Development Goals are numbered 1 to 17")
            objects.append(SDG[str(goal)])
        for target in _as_list(f.get("targets")):
            match = _TARGET.match(str(target))
            if not match or not 1 <= int(match.group(1)) <= 17:
                raise r.error(f"malformed SDG target {target!r}", field="targets",
                              hint="write targets as goal.number or goal.letter, e.g. 11.3, 11.a")
            iri = SDG[str(target)]
            if self.vocab.sdg_concepts and iri not in self.vocab.sdg_concepts:
                raise r.error(f"SDG target {target} does not exist in the UN SDG scheme",
                              field="targets")
            objects.append(iri)
        if f.get("agenda") is True:
            objects.append(SDG_SCHEME)
        if not objects:
            raise r.error("an sdg record names goals, targets or `agenda: true`", field="goals")
        for obj in objects:
            g.add((s, prop, obj))

    def _stated_totals(self, r: Record, g: Graph) -> None:
        f = r.fields
        plan_slug = str(f.get("plan"))
        plan = self.plan(r, plan_slug, "plan")
        level = f.get("level")
        if level not in LEVELS:
            raise r.error(f"unknown level {level!r}", field="level")
        counts: list[tuple[str | None, Any]] = [(None, f.get("total"))]
        counts += list((f.get("by_status") or {}).items())
        for status, count in counts:
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise r.error(f"count {count!r} is not a whole number", field="by_status"
                              if status else "total")
            parts = ["plan", plan_slug, "stated-total", str(level)]
            if status is not None:
                parts.append(str(status))
            s = URIRef(self.iris.base + "id/" + "/".join(parts))
            g.add((s, RDF.type, MKG.StatedTotal))
            g.add((s, MKG.statedFor, plan))
            g.add((s, MKG.countedClass, LEVELS[str(level)]))
            g.add((s, MKG.statedCount, Literal(count, datatype=XSD.nonNegativeInteger)))
            if status is not None:
                g.add((s, MKG.countedStatus,
                       self.concept(r, self.vocab.statuses, status, "by_status")))

    def _person(self, r: Record, g: Graph) -> None:
        f = r.fields
        s = self.iris.person(_slug(r, "id"))
        g.add((s, RDF.type, FOAF.Person))
        if not f.get("name"):
            raise r.error("a person needs a `name`", field="name")
        g.add((s, FOAF.name, Literal(str(f["name"]))))
        g.add((s, SKOS.prefLabel, Literal(str(f["name"]))))
        post = f.get("post")
        if post is not None:
            if not isinstance(post, dict):
                raise r.error("a post is {organisation: …, role: …}", field="post")
            org = self.org(r, post.get("organisation"), "post")
            role = self.concept(r, self.vocab.roles, post.get("role"), "post")
            m = self.iris.relation(str(f["id"]), str(post["role"]), str(post["organisation"]))
            g.add((m, RDF.type, ORG.Membership))
            g.add((m, ORG.member, s))
            g.add((m, ORG.organization, org))
            g.add((m, ORG.role, role))

    def _concept(self, r: Record, g: Graph) -> None:
        f = r.fields
        scheme_slug = _slug(r, "scheme")
        scheme = self.iris.scheme(scheme_slug)
        key = _concept_key(r)
        s = self.iris.concept(scheme_slug, key)
        g.add((s, RDF.type, SKOS.Concept))
        g.add((s, SKOS.inScheme, scheme))
        if f.get("code") is not None:
            g.add((s, SKOS.notation, Literal(str(f["code"]))))
        if not f.get("label"):
            raise r.error("a concept needs a `label`", field="label")
        self._labels(r, g, s, f["label"], "label", preferred=True)
        broader = f.get("broader")
        if broader is not None:
            if (scheme_slug, str(broader)) not in self.reg.concepts:
                raise r.error(f"broader {broader!r} is not in scheme {scheme_slug}",
                              field="broader")
            g.add((s, SKOS.broader, self.iris.concept(scheme_slug, str(broader))))
        else:
            g.add((s, SKOS.topConceptOf, scheme))
        if f.get("scheme_title") is not None:
            g.add((scheme, RDF.type, SKOS.ConceptScheme))
            self._labels(r, g, scheme, f["scheme_title"], "scheme_title", preferred=True)
        if f.get("about") is not None:
            g.add((scheme, DCTERMS.subject, self.target(r, f["about"], "about")))

    # -- shared writers
    def _labels(self, r: Record, g: Graph, s: URIRef, value: Any, name: str, *,
                preferred: bool) -> None:
        """Names per language; a second preferred name in a language becomes an alt label."""
        if value is None:
            return
        if not isinstance(value, dict):
            raise r.error("expected a language map such as {ca: …, es: …}", field=name)
        preferred_by_lang = self.reg.pref_labels.setdefault(s, {})
        for lang, texts in sorted(value.items()):
            if lang not in LANGUAGES:
                raise r.error(f"language tag {lang!r} is not supported", field=name,
                              hint=f"use one of: {', '.join(LANGUAGES)}")
            for text in _as_list(texts):
                if not isinstance(text, str | int | float) or not str(text).strip():
                    raise r.error(f"empty or non-text name in {lang!r}", field=name)
                literal = Literal(" ".join(str(text).split()), lang=lang)
                current = preferred_by_lang.get(lang)
                if current is None and preferred:
                    preferred_by_lang[lang] = literal
                    g.add((s, SKOS.prefLabel, literal))
                elif current == literal:
                    g.add((s, SKOS.prefLabel, literal))  # same wording: a second source for it
                else:
                    g.add((s, SKOS.altLabel, literal))

    def _text(self, r: Record, g: Graph, s: Node, prop: URIRef, value: Any, name: str) -> None:
        if value is None:
            return
        if isinstance(value, str):
            g.add((s, prop, Literal(" ".join(value.split()), lang="en")))
            return
        if not isinstance(value, dict):
            raise r.error("expected text or a language map", field=name)
        for lang, text in sorted(value.items()):
            if lang not in LANGUAGES:
                raise r.error(f"language tag {lang!r} is not supported", field=name,
                              hint=f"use one of: {', '.join(LANGUAGES)}")
            g.add((s, prop, Literal(" ".join(str(text).split()), lang=lang)))

    def _url(self, r: Record, value: Any, name: str) -> URIRef:
        text = str(value)
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", text):
            raise r.error(f"not an http(s) URL: {text!r}", field=name)
        return URIRef(text)

    def _date(self, r: Record, value: Any, name: str) -> Literal:
        text = str(value)
        if not _DATE.match(text):
            raise r.error(f"malformed date {text!r}", field=name, hint="YYYY, YYYY-MM or YYYY-MM-DD")
        datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
        return Literal(text, datatype=datatype)

    def _interval(self, r: Record, g: Graph, s: URIRef, prop: URIRef, value: Any,
                  name: str) -> None:
        if isinstance(value, int | str):
            value = {"start": value, "end": value}
        if not isinstance(value, dict) or not set(value) <= {"start", "end"} or not value:
            raise r.error("a period is {start: YYYY, end: YYYY} or a single YYYY", field=name)
        interval = URIRef(f"{s}/period")
        g.add((s, prop, interval))
        g.add((interval, RDF.type, TIME.ProperInterval))
        for end, link in (("start", TIME.hasBeginning), ("end", TIME.hasEnd)):
            if value.get(end) is None:
                continue
            instant = URIRef(f"{interval}/{end}")
            g.add((interval, link, instant))
            g.add((instant, RDF.type, TIME.Instant))
            date = self._date(r, value[end], name)
            prop_in = {XSD.gYear: TIME.inXSDgYear, XSD.gYearMonth: TIME.inXSDgYearMonth,
                       XSD.date: TIME.inXSDDate}[date.datatype]  # type: ignore[index]
            g.add((instant, prop_in, date))

    def _during(self, r: Record, g: Graph, s: URIRef, value: Any) -> None:
        if value is None:
            return
        before = len(g)
        self._interval(r, g, s, ORG.memberDuring, value, "during")
        assert len(g) > before


# ---------------------------------------------------------------- provenance


def _describe_documents(g: Graph, documents: Mapping[str, Document], iris: Iris) -> None:
    for doc in documents.values():
        s = iris.document(doc.id)
        g.add((s, RDF.type, MKG.SourceDocument))
        for lang, title in sorted(doc.title.items()):
            g.add((s, DCTERMS.title, Literal(title, lang=lang)))
        g.add((s, DCTERMS.language, Literal(doc.language, datatype=XSD.language)))
        g.add((s, DCTERMS.identifier, Literal(doc.file.name)))
        g.add((s, MKG.sha256, Literal(doc.sha256, datatype=XSD.hexBinary)))
        if doc.publisher:
            g.add((s, DCTERMS.publisher, iris.org(doc.publisher)))
        if doc.genre:
            g.add((s, DCTERMS.type, Literal(doc.genre)))


def _describe_reading(g: Graph, graph_iri: URIRef, record: Record, vocab: Vocabulary) -> None:
    """How the record's statements were read (`reading`, default printed): mkg:reading."""
    if record.reading not in vocab.readings:
        raise record.error(f"unknown reading {record.reading!r}", field="reading",
                           hint=f"use one of: {', '.join(sorted(vocab.readings)) or 'printed'}")
    g.add((graph_iri, MKG.reading, vocab.readings[record.reading]))


def _describe_graph(g: Graph, graph_iri: URIRef, record: Record, iris: Iris) -> None:
    g.add((graph_iri, RDF.type, PROV.Entity))
    g.add((graph_iri, MKG.recordKey, Literal(f"{record.file}#{_graph_key(record)}")))
    if record.url is not None:
        url = URIRef(record.url)
        g.add((graph_iri, PROV.wasDerivedFrom, url))
        g.add((graph_iri, DCTERMS.source, url))
        if record.as_of:
            dtype = XSD.gYearMonth if len(record.as_of) == 7 else XSD.date
            g.add((graph_iri, MKG.asOf, Literal(record.as_of, datatype=dtype)))
        return
    assert record.document is not None and record.quote is not None
    doc = iris.document(record.document.id)
    passage = URIRef(f"{graph_iri}#passage")
    quote, position = URIRef(f"{graph_iri}#quote"), URIRef(f"{graph_iri}#position")
    g.add((graph_iri, PROV.wasDerivedFrom, passage))
    g.add((graph_iri, DCTERMS.source, doc))
    g.add((passage, RDF.type, OA.SpecificResource))
    g.add((passage, OA.hasSource, doc))
    g.add((passage, OA.hasSelector, quote))
    g.add((passage, OA.hasSelector, position))
    g.add((quote, RDF.type, OA.TextQuoteSelector))
    g.add((quote, OA.exact, Literal(record.quote.exact)))
    g.add((position, RDF.type, OA.TextPositionSelector))
    g.add((position, OA.start, Literal(record.quote.start, datatype=XSD.nonNegativeInteger)))
    g.add((position, OA.end, Literal(record.quote.end, datatype=XSD.nonNegativeInteger)))


# ---------------------------------------------------------------- keys and helpers


def _graph_key(record: Record) -> str:
    """The stable key of a record's named graph: data file stem / kind / natural key."""
    f = record.fields
    stem = record.file.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".csv")
    kind = record.kind
    if kind in ("organisation", "plan", "person"):
        natural = str(f.get("id"))
    elif kind == "element":
        natural = f"{f.get('plan')}/{f.get('code') if f.get('code') is not None else f.get('slug')}"
    elif kind == "relation":
        natural = str(f["id"]) if f.get("id") is not None else \
            f"{f.get('subject')}/{f.get('role')}/{f.get('object')}"
        if f.get("during") is not None and f.get("id") is None:
            during = f["during"]
            natural += "/" + (f"{during.get('start', '')}-{during.get('end', '')}"
                              if isinstance(during, dict) else str(during))
    elif kind == "involvement":
        natural = f"{f.get('organisation')}/{f.get('role')}/{str(f.get('in')).replace(':', '/')}"
    elif kind == "sdg":
        natural = f"{str(f.get('subject')).replace(':', '/')}/{f.get('relation')}"
    elif kind == "stated-totals":
        natural = f"{f.get('plan')}/{f.get('level')}"
    elif kind == "concept":
        natural = f"{f.get('scheme')}/{_concept_key(record)}"
    else:  # facts: several records may add facts about one subject
        source = record.url or (record.quote.exact if record.quote else "")
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
        natural = f"{f.get('about')}/{digest}"
    key = f"{stem}/{kind}/{natural}"
    return re.sub(r"[^A-Za-z0-9./_-]", "-", key)


def _nests(child: str, parent: str) -> bool:
    """Whether *child* is coded as a direct part of *parent*, in the parent's own style.

    >>> _nests("1.1.3", "1.1"), _nests("1.10", "1.1"), _nests("L1M1D1", "L1M1"), _nests("L1M10", "L1M1")
    (True, False, True, False)
    """
    if not child.startswith(parent):
        return False
    rest = child[len(parent):]
    if re.search(r"[A-Za-z]", parent):  # L1M1 → L1M1D1: one letter and a number
        return re.fullmatch(r"[A-Za-z]\d+", rest) is not None
    return re.fullmatch(r"\.(\d+|[a-z])", rest) is not None  # 1.1 → 1.1.3


def _concept_key(record: Record) -> str:
    f = record.fields
    value = f.get("slug") if f.get("slug") is not None else f.get("code")
    if value is None:
        raise record.error("a concept needs a `slug` or `code`", field="slug")
    return str(value)


def _slug(record: Record, name: str) -> str:
    value = record.fields.get(name)
    if value is None:
        raise record.error(f"missing `{name}`", field=name)
    text = str(value)
    if not _SLUG.match(text):
        raise record.error(f"{text!r} is not a valid id", field=name,
                           hint="use lowercase ASCII letters, digits and hyphens")
    return text


def _slugify(text: str) -> str:
    """
    >>> _slugify("NIF G-60489937")
    'nif-g-60489937'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _decimal(record: Record, value: Any, name: str) -> Literal:
    """An xsd:decimal in canonical form (always a point: 0.7, 290000.0).

    >>> _decimal(None, 290000, "amount")  # doctest: +ELLIPSIS
    rdflib.term.Literal('290000.0', datatype=...)
    """
    from decimal import Decimal, InvalidOperation

    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise record.error(f"{value!r} is not a number", field=name) from None
    if isinstance(value, bool) or not number.is_finite():
        raise record.error(f"{value!r} is not a number", field=name)
    text = format(number.normalize(), "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _close(word: str, known: Iterable[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(word, list(known), n=3)
    return f"did you mean {', '.join(matches)}?" if matches else None


