"""Second pass: one small writer per record kind, behind one registry (:data:`WRITERS`).

A writer gets the shared :class:`~metrokg.mapping.context.Context`, the record and the
:class:`~metrokg.mapping.context.Sink` of the record's named graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from ..records import Record
from .context import Context, Sink, decimal
from .keys import as_list, concept_key, slug, slugify
from .terms import (
    ADMS,
    CV,
    DCTERMS,
    FOAF,
    LEVELS,
    MKG,
    ORG,
    RDF,
    SCHEMA,
    SDG,
    SDG_SCHEME,
    SKOS,
    UNIT,
    XSD,
    plain,
    typed,
)

__all__ = ["WRITERS", "Writer"]

Writer = Callable[[Context, Record, Sink], None]
WRITERS: dict[str, Writer] = {}

UNITS = {"percent": UNIT.PERCENT}
COMPARATORS = ("=", "<", "<=", ">", ">=")
_TARGET = re.compile(r"^(\d{1,2})\.(\d{1,2}|[a-z])$")
_FORMAL_TYPES = {"forum", "municipal-group", "initiative", "organisational-unit", "governance-body"}
_FALSE = typed("false", XSD.boolean)


def writes(kind: str) -> Callable[[Writer], Writer]:
    """Register the decorated function as the writer of records of *kind*."""
    def add(fn: Writer) -> Writer:
        WRITERS[kind] = fn
        return fn
    return add


@writes("organisation")
def organisation(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    s = c.iris.org(str(f["id"]))
    otype = c.concept(r, c.vocab.org_types, f.get("type"), "type")
    g.add(s, RDF.type, ORG.Organization)
    kind = str(f.get("type"))
    if kind in ("organisational-unit", "governance-body"):
        g.add(s, RDF.type, ORG.OrganizationalUnit)
    elif kind in _FORMAL_TYPES:
        g.add(s, RDF.type, ORG.OrganizationalCollaboration)
    else:
        g.add(s, RDF.type, ORG.FormalOrganization)
    g.add(s, ORG.classification, otype)
    if f.get("public") is True:
        g.add(s, RDF.type, CV.PublicOrganisation)
    if not f.get("name"):
        raise r.error("an organisation needs a `name`", field="name")
    c.labels(r, g, s, f.get("name"), "name", preferred=True)
    c.labels(r, g, s, f.get("alt"), "alt", preferred=False)
    if f.get("part_of") is not None:
        g.add(s, ORG.subOrganizationOf, c.org(r, f["part_of"], "part_of"))


@writes("facts")
def facts(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    s = c.target(r, f.get("about"), "about")
    c.labels(r, g, s, f.get("name"), "name", preferred=True)
    c.labels(r, g, s, f.get("alt"), "alt", preferred=False)
    c.text(r, g, s, DCTERMS.description, f.get("description"), "description")
    c.text(r, g, s, SKOS.note, f.get("note"), "note")
    if f.get("homepage") is not None:
        g.add(s, FOAF.homepage, c.url(r, f["homepage"], "homepage"))
    if f.get("founded") is not None:
        g.add(s, SCHEMA.foundingDate, c.date(r, f["founded"], "founded"))
    if f.get("wikidata") is not None:
        qid = str(f["wikidata"])
        if not re.fullmatch(r"Q[1-9]\d*", qid):
            raise r.error(f"malformed Wikidata id {qid!r}", field="wikidata")
        g.add(s, SKOS.exactMatch, ox.NamedNode("http://www.wikidata.org/entity/" + qid))
    if f.get("ror") is not None:
        ror = str(f["ror"])
        if not re.fullmatch(r"https://ror\.org/0[a-z0-9]{6}\d{2}", ror):
            raise r.error(f"malformed ROR IRI {ror!r}", field="ror")
        g.add(s, SKOS.exactMatch, ox.NamedNode(ror))
    for ident in f.get("identifier") or []:
        if not isinstance(ident, dict) or not {"scheme", "value"} <= set(ident):
            raise r.error("an identifier is {scheme: …, value: …}", field="identifier")
        node = ox.NamedNode(f"{s.value}/identifier/{slugify(str(ident['scheme']))}")
        g.add(s, ADMS.identifier, node)
        g.add(node, RDF.type, ADMS.Identifier)
        g.add(node, SKOS.notation, plain(str(ident["value"])))
        g.add(node, ADMS.schemeAgency, plain(str(ident["scheme"])))
    if f.get("address") is not None:
        g.add(s, SCHEMA.address, plain(str(f["address"])))
    if f.get("part_of") is not None:
        g.add(s, ORG.subOrganizationOf, c.org(r, f["part_of"], "part_of"))


@writes("plan")
def plan(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    s = c.iris.plan(str(f["id"]))
    g.add(s, RDF.type, MKG.Plan)
    if not f.get("title"):
        raise r.error("a plan needs a `title`", field="title")
    c.labels(r, g, s, f.get("title"), "title", preferred=True)
    c.labels(r, g, s, f.get("alt"), "alt", preferred=False)
    c.text(r, g, s, DCTERMS.description, f.get("description"), "description")
    for org in as_list(f.get("responsible")):
        g.add(s, MKG.responsible, c.org(r, org, "responsible"))
    if f.get("period") is not None:
        c.interval(r, g, s, DCTERMS.temporal, f["period"], "period")
    for name, prop in (("replaces", DCTERMS.replaces), ("replaced_by", DCTERMS.isReplacedBy)):
        for other in as_list(f.get(name)):
            g.add(s, prop, c.plan(r, other, name))
    marks = f.get("status_marks")
    if marks is not None:
        if not isinstance(marks, dict):
            raise r.error("status_marks maps a status to its printed marks",
                          field="status_marks")
        for status in marks:
            c.concept(r, c.vocab.statuses, status, "status_marks")


@writes("element")
def element(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    plan_slug = str(f["plan"])
    key = str(f.get("code") if f.get("code") is not None else f.get("slug"))
    defined = c.reg.elements.get((plan_slug, key))
    if defined is None:
        raise r.error(f"{plan_slug}:{key} is not defined by any record", field="code",
                      hint="define the element once without `wording`")
    s = defined.iri
    if f.get("wording") is not None:
        if defined.record is r or str(f.get("level")) != defined.level:
            raise r.error(f"level {f.get('level')!r} differs from the defining record's "
                          f"{defined.level!r}", field="level")
        if not f.get("text"):
            raise r.error("a wording record needs `text`", field="text")
        c.labels(r, g, s, f["text"], "text", preferred=f["wording"] == "same")
        return
    g.add(s, RDF.type, LEVELS[defined.level])
    plan_iri = c.plan(r, plan_slug, "plan")
    g.add(s, MKG.inPlan, plan_iri)
    parent = (c.reg.elements[(plan_slug, defined.parent)].iri
              if defined.parent is not None else plan_iri)
    g.add(s, DCTERMS.isPartOf, parent)
    if defined.code is not None:
        g.add(s, SKOS.notation, plain(defined.code))
    if f.get("text"):
        c.labels(r, g, s, f["text"], "text", preferred=True)
    else:
        g.add(s, MKG.textInSource, _FALSE)
    c.text(r, g, s, SKOS.note, f.get("note"), "note")
    _status(c, r, g, s, plan_slug)
    if f.get("target") is not None:
        _target(c, r, g, s, f["target"])


def _status(c: Context, r: Record, g: Sink, s: ox.NamedNode, plan_slug: str) -> None:
    f = r.fields
    mark, status, basis = f.get("status_mark"), f.get("status"), f.get("status_basis")
    if mark is not None:
        g.add(s, MKG.printedStatusMark, plain(str(mark)))
    if status is not None:
        if basis is None or not f.get("note"):
            raise r.error("a status not read from a printed mark needs `status_basis` "
                          "and a `note`", field="status",
                          hint="or give `status_mark` as printed")
        g.add(s, ADMS.status, c.concept(r, c.vocab.statuses, status, "status"))
        g.add(s, MKG.statusBasis, c.concept(r, c.vocab.bases, basis, "status_basis"))
    elif mark is not None:
        legend = c.reg.plans[plan_slug].fields.get("status_marks") or {}
        read = [st for st, marks in legend.items() if str(mark) in [str(m) for m in marks]]
        if len(read) != 1:
            raise r.error(f"status mark {mark!r} is not in the legend of plan {plan_slug}",
                          field="status_mark",
                          hint="add it to the plan's status_marks if the legend covers it, "
                               "else give status + status_basis + note")
        g.add(s, ADMS.status, c.vocab.statuses[read[0]])
        g.add(s, MKG.statusBasis, c.vocab.bases["printed-mark"])


def _target(c: Context, r: Record, g: Sink, s: ox.NamedNode, target: Any) -> None:
    if not isinstance(target, dict) or "value" not in target:
        raise r.error("a target is {value: …, unit: …, comparator: …}", field="target")
    g.add(s, MKG.targetValue, decimal(r, target["value"], "target"))
    if target.get("unit") is not None:
        if target["unit"] not in UNITS:
            raise r.error(f"unknown unit {target['unit']!r}", field="target",
                          hint=f"use one of: {', '.join(UNITS)}")
        g.add(s, MKG.targetUnit, UNITS[target["unit"]])
    comparator = str(target.get("comparator", "="))
    if comparator not in COMPARATORS:
        raise r.error(f"unknown comparator {comparator!r}", field="target")
    g.add(s, MKG.targetComparator, plain(comparator))
    c.text(r, g, s, MKG.targetOf, target.get("of"), "target")
    if target.get("year") is not None:
        g.add(s, MKG.targetYear, typed(str(target["year"]), XSD.gYear))


@writes("relation")
def relation(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    subject = c.org(r, f.get("subject"), "subject")
    obj = c.org(r, f.get("object"), "object")
    role = c.concept(r, c.vocab.roles, f.get("role"), "role")
    if f.get("id") is not None:
        s = c.iris.relation(slug(r, "id"))
    else:
        s = c.iris.relation(str(f["subject"]), str(f["role"]), str(f["object"]))
    g.add(s, RDF.type, ORG.Membership)
    g.add(s, ORG.member, subject)
    g.add(s, ORG.organization, obj)
    g.add(s, ORG.role, role)
    if f.get("during") is not None:
        c.interval(r, g, s, ORG.memberDuring, f["during"], "during")
    c.text(r, g, s, SKOS.note, f.get("note"), "note")
    amount = f.get("amount")
    if amount is not None:
        if not isinstance(amount, dict) or not {"value", "currency"} <= set(amount):
            raise r.error("an amount is {value: …, currency: EUR}", field="amount")
        g.add(s, MKG.amount, decimal(r, amount["value"], "amount"))
        g.add(s, MKG.currency, plain(str(amount["currency"])))


@writes("involvement")
def involvement(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    org = c.org(r, f.get("organisation"), "organisation")
    target = c.target(r, f.get("in"), "in")
    role = c.concept(r, c.vocab.roles, f.get("role"), "role")
    path = target.value[len(c.iris.base + "id/"):]
    s = c.iris.involvement(str(f["organisation"]), str(f["role"]), *path.split("/"))
    g.add(s, RDF.type, MKG.Involvement)
    g.add(s, MKG.involvedOrganisation, org)
    g.add(s, MKG.involvedIn, target)
    g.add(s, ORG.role, role)
    c.text(r, g, s, SKOS.note, f.get("note"), "note")
    if f.get("role") == "reference-space":
        g.add(org, RDF.type, MKG.ReferenceSpace)


@writes("sdg")
def sdg(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    s = c.target(r, f.get("subject"), "subject")
    props = {"contributes": MKG.contributesToSDG, "aligned": MKG.alignedWithSDG}
    rel = f.get("relation")
    if rel not in props:
        raise r.error(f"relation must be `contributes` or `aligned`, not {rel!r}",
                      field="relation")
    objects: list[ox.NamedNode] = []
    for goal in as_list(f.get("goals")):
        if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 17:
            raise r.error(f"SDG number {goal!r} is outside 1-17", field="goals",
                          hint="the Sustainable Development Goals are numbered 1 to 17")
        objects.append(SDG[str(goal)])
    for target in as_list(f.get("targets")):
        match = _TARGET.match(str(target))
        if not match or not 1 <= int(match.group(1)) <= 17:
            raise r.error(f"malformed SDG target {target!r}", field="targets",
                          hint="write targets as goal.number or goal.letter, e.g. 11.3, 11.a")
        iri = SDG[str(target)]
        if c.vocab.sdg_concepts and iri not in c.vocab.sdg_concepts:
            raise r.error(f"SDG target {target} does not exist in the UN SDG scheme",
                          field="targets")
        objects.append(iri)
    if f.get("agenda") is True:
        objects.append(SDG_SCHEME)
    if not objects:
        raise r.error("an sdg record names goals, targets or `agenda: true`", field="goals")
    for obj in objects:
        g.add(s, props[rel], obj)


@writes("stated-totals")
def stated_totals(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    plan_slug = str(f.get("plan"))
    plan_iri = c.plan(r, plan_slug, "plan")
    level = f.get("level")
    if level not in LEVELS:
        raise r.error(f"unknown level {level!r}", field="level")
    counts: list[tuple[str | None, Any]] = [(None, f.get("total"))]
    counts += list((f.get("by_status") or {}).items())
    for status, count in counts:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise r.error(f"count {count!r} is not a whole number",
                          field="by_status" if status else "total")
        parts = [plan_slug, "stated-total", str(level)]
        if status is not None:
            parts.append(str(status))
        s = c.iris.stated_total(*parts)
        g.add(s, RDF.type, MKG.StatedTotal)
        g.add(s, MKG.statedFor, plan_iri)
        g.add(s, MKG.countedClass, LEVELS[str(level)])
        g.add(s, MKG.statedCount, typed(str(count), XSD.integer))  # ≥ 0: checked in the shapes
        if status is not None:
            g.add(s, MKG.countedStatus, c.concept(r, c.vocab.statuses, status, "by_status"))


@writes("person")
def person(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    s = c.iris.person(slug(r, "id"))
    g.add(s, RDF.type, FOAF.Person)
    if not f.get("name"):
        raise r.error("a person needs a `name`", field="name")
    g.add(s, FOAF.name, plain(str(f["name"])))
    g.add(s, SKOS.prefLabel, plain(str(f["name"])))
    post = f.get("post")
    if post is not None:
        if not isinstance(post, dict):
            raise r.error("a post is {organisation: …, role: …}", field="post")
        org = c.org(r, post.get("organisation"), "post")
        role = c.concept(r, c.vocab.roles, post.get("role"), "post")
        m = c.iris.relation(str(f["id"]), str(post["role"]), str(post["organisation"]))
        g.add(m, RDF.type, ORG.Membership)
        g.add(m, ORG.member, s)
        g.add(m, ORG.organization, org)
        g.add(m, ORG.role, role)


@writes("concept")
def concept(c: Context, r: Record, g: Sink) -> None:
    f = r.fields
    scheme_slug = slug(r, "scheme")
    scheme = c.iris.scheme(scheme_slug)
    s = c.iris.concept(scheme_slug, concept_key(r))
    g.add(s, RDF.type, SKOS.Concept)
    g.add(s, SKOS.inScheme, scheme)
    if f.get("code") is not None:
        g.add(s, SKOS.notation, plain(str(f["code"])))
    if not f.get("label"):
        raise r.error("a concept needs a `label`", field="label")
    c.labels(r, g, s, f["label"], "label", preferred=True)
    broader = f.get("broader")
    if broader is not None:
        if (scheme_slug, str(broader)) not in c.reg.concepts:
            raise r.error(f"broader {broader!r} is not in scheme {scheme_slug}", field="broader")
        g.add(s, SKOS.broader, c.iris.concept(scheme_slug, str(broader)))
    else:
        g.add(s, SKOS.topConceptOf, scheme)
    if f.get("scheme_title") is not None:
        g.add(scheme, RDF.type, SKOS.ConceptScheme)
        c.labels(r, g, scheme, f["scheme_title"], "scheme_title", preferred=True)
    if f.get("about") is not None:
        g.add(scheme, DCTERMS.subject, c.target(r, f["about"], "about"))

