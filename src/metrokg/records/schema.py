"""One declarative schema per record kind: the fields it may carry, their types, which are
required. The same table checks every record and prints graph/README.md's field tables
(``markdown()``; ``scripts/record_tables.py`` writes them, a test keeps them in step).

Adding a field to a kind is one line in its ``Kind(...)`` below, e.g.::

    F("status_date", Date(), "when the status was reported"),

The mapping step receives it in ``Record.fields`` like every other field. A field every
record may carry goes in ``SOURCE`` instead (as ``reading`` does); source fields are not in
``Record.fields``: ``read._sourced`` hands them to ``Record`` attributes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .types import (
    URL,
    Bool,
    Count,
    Date,
    Enum,
    Goal,
    Lang,
    ListOf,
    MapOf,
    Number,
    Pattern,
    Period,
    Problem,
    Struct,
    Text,
    TextOrLang,
    Type,
    Year,
    show,
)

__all__ = ["KINDS", "SCHEMAS", "SOURCE", "SOURCE_FIELDS", "F", "Kind", "check", "label",
           "markdown"]


@dataclass(frozen=True)
class F:
    """One field: its name, type, meaning (for the README) and whether it is required."""

    name: str
    type: Type
    doc: str
    required: bool = False


@dataclass(frozen=True)
class Kind:
    """A record kind: its fields, and groups of which at least one field must be given."""

    name: str
    doc: str
    fields: tuple[F, ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    note: str = ""

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# ---------------------------------------------------------------- value types

SLUG = Pattern(r"[a-z0-9][a-z0-9-]*", "an id", "metropolis",
               rule="lowercase letters, digits and hyphens")
CODE = Pattern(r"[A-Za-z0-9][A-Za-z0-9.]*", "a printed code", "L1M1D1", 40, numbers=True)
KEY = Pattern(r"[A-Za-z0-9][A-Za-z0-9.-]*", "a code or slug", "1.1.3", 100, numbers=True)
REF = Pattern(r"[A-Za-z0-9][A-Za-z0-9._-]*(?::[A-Za-z0-9][A-Za-z0-9._-]*)?",
              "a reference", "amb-pam-2015-2019:1.1.5", 250,
              rule="org-id, plan-id, plan-id:code or sdg:11")
MARK = Pattern(r"[^\s\x00-\x1f\x7f-\x9f]{1,10}", "a printed mark", "V", 10, numbers=True)
SDG_TARGET = Pattern(r"(?:[1-9]|1[0-7])\.(?:\d{1,2}|[a-z])", "an SDG target", "11.3", 5,
                     bad="malformed SDG target {value}", rule="goal.number or goal.letter")
WIKIDATA = Pattern(r"Q[1-9]\d{0,11}", "a Wikidata id", "Q458", 13)
ROR = Pattern(r"https://ror\.org/0[a-z0-9]{6}\d{2}", "a ROR IRI", "https://ror.org/021018s57",
              25)
NAMES = Lang(Text(1_000))
ALT = Lang(Text(1_000), many=True)
TEXT = Lang(Text(20_000))
NOTE = TextOrLang(20_000)

# ---------------------------------------------------------------- the source of a record

SOURCE = (
    F("kind", Enum(()), "the record kind (below)", required=True),
    F("quote", Text(5_000), "text copied from the record's document; the build checks it "
      "occurs there after collapsing runs of white space. Short, but enough to support every "
      "fact in the record"),
    F("document", SLUG, "a document id, overriding the file's `document:` for this record"),
    F("url", URL, "for facts from outside the documents: the page that states the fact"),
    F("as_of", Date((7, 10)), "with `url`: the month it was checked (`2026-11`)"),
    F("reading", SLUG, "how its statements were read: `printed` (default), `ocr-variant`, "
      "`inferred`, `identified`, `paraphrased`, `extraction-note` (a concept of "
      "`mkg:Readings`; see \"How a statement was read\")"),
)
SOURCE_FIELDS = tuple(f.name for f in SOURCE)

# ---------------------------------------------------------------- the kinds

_PERIOD = Period()
_TARGET = Struct({"value": (Number(), True), "unit": (Enum(("percent",)), False),
                  "comparator": (Enum(("=", "<", "<=", ">", ">=")), False),
                  "of": (TEXT, False), "year": (Year(), False)},
                 "{value: 0.7, unit: percent, comparator: \"=\", of: {ca: …}, year: 2030}")
_AMOUNT = Struct({"value": (Number(), True), "currency": (Pattern(r"[A-Z]{3}", "a currency "
                  "code", "EUR", 3), True)}, "{value: 290000, currency: EUR}")
_IDENTIFIER = Struct({"scheme": (Text(100), True), "value": (Text(200), True)},
                     "{scheme: NIF, value: G-60489937}")
_POST = Struct({"organisation": (SLUG, True), "role": (SLUG, True)},
               "{organisation: pemb, role: general-coordinator}")

SCHEMAS: dict[str, Kind] = {k.name: k for k in (
    Kind("organisation", "defines one institution (once across all files)", (
        F("id", SLUG, "slug; the IRI is `<base>id/org/<id>`", required=True),
        F("type", SLUG, "organisation-type slug (`city-network`, `metropolitan-authority`, …)",
          required=True),
        F("name", NAMES, "preferred name per language (one per language)", required=True),
        F("alt", ALT, "other names and acronyms per language: `{es: [CGLU], en: [UCLG]}`"),
        F("part_of", SLUG, "id of the organisation it is a unit of (`org:subOrganizationOf`)"),
        F("public", Bool(), "`true` for public bodies (adds `cv:PublicOrganisation`)"),
    )),
    Kind("facts", "adds facts about an existing organisation or plan", (
        F("about", REF, "organisation, plan, plan element or SDG reference", required=True),
        F("name", NAMES, "more names (a language that already has a preferred name goes to "
          "`alt`)"),
        F("alt", ALT, "more alternative names"),
        F("homepage", URL, "its web site"),
        F("founded", Date(), "founding date"),
        F("wikidata", WIKIDATA, "a verified Wikidata id"),
        F("ror", ROR, "a verified ROR IRI"),
        F("identifier", ListOf(_IDENTIFIER), "identifiers it is registered under"),
        F("address", Text(1_000), "postal address as printed"),
        F("part_of", SLUG, "id of a parent organisation"),
        F("description", NOTE, "text per language"),
        F("note", NOTE, "a curator's note per language (`skos:note`): why a name is "
          "identified, what the source lost"),
    )),
    Kind("plan", "defines a plan, programme or strategy", (
        F("id", SLUG, "slug; the IRI is `<base>id/plan/<id>`", required=True),
        F("title", NAMES, "title per language", required=True),
        F("alt", ALT, "other titles and acronyms"),
        F("responsible", ListOf(SLUG), "organisation ids"),
        F("period", _PERIOD, "the years it covers"),
        F("description", NOTE, "text per language"),
        F("replaces", ListOf(SLUG), "plan ids it replaces"),
        F("replaced_by", ListOf(SLUG), "plan ids that replace it"),
        F("status_marks", MapOf(SLUG, ListOf(MARK, single=False),
                                "{achieved: [V, v], in-progress: [\"0\"]}"),
          "how its printed status marks read (see Statuses below)"),
    )),
    Kind("element", "one part of a plan", (
        F("plan", SLUG, "plan id", required=True),
        F("level", SLUG, "`action-line`, `objective`, `measure`, `action`, `deliverable`, "
          "`mission`, `aim`, `instrument`, `target`, `area`", required=True),
        F("code", CODE, "the code as printed (`1.1.3`, `L1M1D1`; quote codes such as "
          "`\"1.10\"`)"),
        F("slug", SLUG, "for an element the source prints without a code"),
        F("parent", KEY, "code/slug of the parent element in the same plan; omit for a "
          "top-level element"),
        F("text", TEXT, "the element's text as printed, per language. Omit it when the source "
          "does not give the text (the element is flagged as having no text in the source)"),
        F("wording", Enum(("same", "variant")), "`variant` when this record's text is another "
          "wording of an element defined elsewhere; `same` when it repeats it"),
        F("status_mark", MARK, "the status mark as printed (`V`, `0`, `×` …), read through the "
          "plan's `status_marks`"),
        F("status", SLUG, "a status not readable from a printed mark (`not-developed`), with "
          "`status_basis` and a `note` saying why"),
        F("status_basis", SLUG, "how `status` was established "
          "(`inferred-from-stated-totals`)"),
        F("note", NOTE, "a note per language"),
        F("target", _TARGET, "a quantified target"),
    ), one_of=(("code", "slug"),),
         note="The first record for a `plan:code` defines the element; others must say "
              "`wording:`."),
    Kind("relation", "a stated relation between two organisations: read it as \"*subject* "
         "is *role* of/in *object*\"", (
        F("subject", SLUG, "organisation id", required=True),
        F("role", SLUG, "role slug: `member`, `founding-member`, `co-president`, "
          "`secretariat-host`, `funder`, `partner`, …", required=True),
        F("object", SLUG, "organisation id", required=True),
        F("during", _PERIOD, "when"),
        F("amount", _AMOUNT, "an amount of money"),
        F("id", SLUG, "only when two relations would otherwise share an IRI"),
        F("note", NOTE, "a note"),
    )),
    Kind("involvement", "an organisation named in a plan or plan element", (
        F("organisation", SLUG, "organisation id", required=True),
        F("in", REF, "plan or element reference", required=True),
        F("role", SLUG, "`partner`, `network`, `counterpart`, `collaborator`, `beneficiary`, "
          "`funder`, `reference-space`, `participant`, `responsible`, …", required=True),
        F("note", NOTE, "a note"),
    )),
    Kind("sdg", "a stated contribution to or alignment with the SDGs", (
        F("subject", REF, "plan, element or organisation reference", required=True),
        F("relation", Enum(("contributes", "aligned")), "how the source links it",
          required=True),
        F("goals", ListOf(Goal()), "goal numbers: `[3, 5, 11]`"),
        F("targets", ListOf(SDG_TARGET), "targets: `[\"11.3\", \"11.a\"]`"),
        F("agenda", Bool(), "`true` when the source names the 2030 Agenda / the SDGs as a "
          "whole"),
    ), one_of=(("goals", "targets", "agenda"),),
         note="Numbers outside 1–17 and targets not of the form `N.M` / `N.x` are refused."),
    Kind("stated-totals", "a report's own totals, kept apart from the itemised statuses", (
        F("plan", SLUG, "plan id", required=True),
        F("level", SLUG, "what is counted, e.g. `deliverable`", required=True),
        F("total", Count(), "the total as printed", required=True),
        F("by_status", MapOf(SLUG, Count(), "{achieved: 49, in-progress: 10}"),
          "counts per status"),
    )),
    Kind("person", "a named person and their post", (
        F("id", SLUG, "slug; the IRI is `<base>id/person/<id>`", required=True),
        F("name", Text(1_000), "the name as printed", required=True),
        F("post", _POST, "their post"),
    )),
    Kind("concept", "an item of a list the source gives that is not a plan element", (
        F("scheme", SLUG, "the list's slug (the scheme is created on first use)",
          required=True),
        F("slug", SLUG, "the item's slug"),
        F("code", CODE, "or its printed code"),
        F("label", NAMES, "its label per language", required=True),
        F("broader", KEY, "slug/code of the parent item"),
        F("scheme_title", NAMES, "the list's title (on its first item)"),
        F("about", REF, "plan/element reference the list belongs to"),
    ), one_of=(("slug", "code"),)),
)}

KINDS: dict[str, tuple[str, ...]] = {name: kind.names for name, kind in SCHEMAS.items()}
"""kind → the fields it may carry (besides the source fields)."""

_SOURCE = {f.name: f for f in SOURCE}


# ---------------------------------------------------------------- checking


def check(raw: Mapping[str, Any]) -> Iterator[Problem]:
    """Every problem of one record's fields (source fields included), most useful first.

    >>> [p.message for p in check({"kind": "organisation", "id": "x", "type": "city-network",
    ...                            "name": {"en": "X"}, "public": "yes", "url": "https://x.org",
    ...                            "as_of": "2026-13"})]
    ["must be true or false, not 'yes'", "malformed date '2026-13': month 13 does not exist"]
    """
    name = raw.get("kind")
    kind = SCHEMAS.get(name) if isinstance(name, str) else None
    if kind is None:
        yield Problem("kind", f"unknown kind {show(name)}", f"use one of: {', '.join(SCHEMAS)}")
        return
    known = {f.name: f for f in kind.fields}
    missing = [f.name for f in kind.fields if f.required and raw.get(f.name) is None]
    misspelt: set[str] = set()
    for key in raw:
        if key not in known and key not in _SOURCE:
            close = difflib.get_close_matches(str(key), missing, n=1)
            misspelt.update(close)
            yield Problem(str(key) if isinstance(key, str) and key.isprintable() else show(key),
                          f"unknown field {show(key)} for kind {kind.name}",
                          f"did you mean `{close[0]}`?" if close
                          else f"allowed: {', '.join(kind.names)}")
    for f in kind.fields:
        value = raw.get(f.name)
        if value is None:
            if f.required and f.name not in misspelt:
                yield Problem(f.name, f"missing `{f.name}`",
                              f"add it: see `{kind.name}` in graph/README.md")
            continue
        yield from f.type.check(value, f.name)
    for group in kind.one_of:
        given = [g for g in group if raw.get(g) is not None]
        if not given:
            yield Problem(group[0], f"give one of {', '.join(f'`{g}`' for g in group)}")
        elif len(group) == 2 and len(given) == 2:
            yield Problem(group[1], f"give `{group[0]}` or `{group[1]}`, not both")
    for f in SOURCE[1:]:
        if raw.get(f.name) is not None:
            yield from f.type.check(raw[f.name], f.name)


def label(raw: Mapping[str, Any]) -> str:
    """A human handle for a record in messages: kind plus its most telling field.

    Only clean, short values are shown as they are; anything else is escaped and cut.

    >>> label({"kind": "element", "plan": "p", "code": "L1"}), label({"kind": "person",
    ...                                                               "id": "a\\x1bb" * 40})
    ('element L1', "person 'a\\\\x1bba\\\\x1bba\\\\x1bba\\\\x1bba\\\\x1bba\\\\x1bba\\\\…")
    """
    kind = _clean(raw.get("kind", "?"))
    for key in ("id", "about", "code", "slug", "subject", "organisation", "plan"):
        if raw.get(key) is not None:
            extra = f"/{_clean(raw['code'])}" if key == "plan" and "code" in raw else ""
            return f"{kind} {_clean(raw[key])}{extra}"
    return kind


def _clean(value: Any) -> str:
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if text is not None and len(text) <= 80 and text.isprintable() and " " not in text:
        return text
    return show(value, 40)


# ---------------------------------------------------------------- the README tables


def markdown() -> str:
    """The field tables of graph/README.md ("Record kinds"), generated from the schemas."""
    out = ["<!-- generated from src/metrokg/records/schema.py by scripts/record_tables.py: "
           "do not edit by hand -->", ""]
    for kind in SCHEMAS.values():
        out += [f"### `{kind.name}` — {kind.doc}", "",
                "| field | required | value | meaning |", "|---|---|---|---|"]
        for f in kind.fields:
            out.append(f"| `{f.name}` | {'yes' if f.required else ''} | {f.type.doc} | "
                       f"{f.doc} |")
        rules = ["Give " + (" or ".join(f"`{g}`" for g in group) if len(group) == 2
                            else "at least one of " + ", ".join(f"`{g}`" for g in group)) + "."
                 for group in kind.one_of]
        if rules or kind.note:
            out += ["", " ".join([*rules, kind.note]).strip()]
        out.append("")
    out += ["### Value types", "", "| value | rule |", "|---|---|"]
    for pattern in (SLUG, CODE, KEY, REF, MARK, SDG_TARGET, WIKIDATA, ROR, URL):
        out.append(f"| {pattern.doc} | {pattern.rule_doc} |")
    out += ["", "<!-- end of generated tables -->"]
    return "\n".join(out) + "\n"


