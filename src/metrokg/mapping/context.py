"""What a record writer needs: its graph, the registry, references and value writers."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from ..records import Record
from ..records.sources import LANGUAGES
from .iris import Iris
from .keys import as_list, close
from .registry import Registry
from .terms import SDG, SKOS, TIME, XSD, lang, typed
from .vocabulary import Vocabulary

__all__ = ["Context", "Sink", "decimal"]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_URL = re.compile(r"https?://[^\s<>\"{}|\\^`]+")

Subject = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Sink:
    """The quads of one named graph, appended to a shared list."""

    __slots__ = ("graph", "quads", "start")

    def __init__(self, graph: ox.NamedNode, quads: list[ox.Quad]) -> None:
        self.graph, self.quads, self.start = graph, quads, len(quads)

    def add(self, s: Subject, p: ox.NamedNode, o: Term) -> None:
        self.quads.append(ox.Quad(s, p, o, self.graph))

    def __len__(self) -> int:
        return len(self.quads) - self.start


@dataclass(frozen=True)
class Context:
    """References (each failing with a located message) and shared value writers."""

    reg: Registry
    vocab: Vocabulary
    iris: Iris

    # -- references
    def org(self, record: Record, value: Any, name: str) -> ox.NamedNode:
        slug = str(value)
        if slug not in self.reg.orgs:
            raise record.error(f"unknown organisation {slug!r}", field=name,
                               hint=close(slug, self.reg.orgs)
                               or "define it with `kind: organisation`")
        return self.iris.org(slug)

    def plan(self, record: Record, value: Any, name: str) -> ox.NamedNode:
        slug = str(value)
        if slug not in self.reg.plans:
            raise record.error(f"unknown plan {slug!r}", field=name,
                               hint=close(slug, self.reg.plans) or "define it with `kind: plan`")
        return self.iris.plan(slug)

    def target(self, record: Record, value: Any, name: str) -> ox.NamedNode:
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

    def concept(self, record: Record, table: Mapping[str, ox.NamedNode], value: Any,
                name: str) -> ox.NamedNode:
        if str(value) not in table:
            raise record.error(f"unknown {name} {value!r}", field=name,
                               hint=f"use one of: {', '.join(sorted(table))}")
        return table[str(value)]

    # -- values
    def labels(self, r: Record, g: Sink, s: ox.NamedNode, value: Any, name: str, *,
               preferred: bool) -> None:
        """Names per language; a second preferred name in a language becomes an alt label."""
        if value is None:
            return
        if not isinstance(value, dict):
            raise r.error("expected a language map such as {ca: …, es: …}", field=name)
        preferred_by_lang = self.reg.pref_labels.setdefault(s, {})
        for tag, texts in sorted(value.items()):
            if tag not in LANGUAGES:
                raise r.error(f"language tag {tag!r} is not supported", field=name,
                              hint=f"use one of: {', '.join(LANGUAGES)}")
            for text in as_list(texts):
                if not isinstance(text, str | int | float) or not str(text).strip():
                    raise r.error(f"empty or non-text name in {tag!r}", field=name)
                literal = lang(" ".join(str(text).split()), tag)
                current = preferred_by_lang.get(tag)
                if current is None and preferred:
                    preferred_by_lang[tag] = literal
                    g.add(s, SKOS.prefLabel, literal)
                elif current == literal:
                    g.add(s, SKOS.prefLabel, literal)  # same wording: a second source for it
                else:
                    g.add(s, SKOS.altLabel, literal)

    def text(self, r: Record, g: Sink, s: Subject, prop: ox.NamedNode, value: Any,
             name: str) -> None:
        """Text in English (a plain string) or per language."""
        if value is None:
            return
        if isinstance(value, str):
            g.add(s, prop, lang(" ".join(value.split()), "en"))
            return
        if not isinstance(value, dict):
            raise r.error("expected text or a language map", field=name)
        for tag, text in sorted(value.items()):
            if tag not in LANGUAGES:
                raise r.error(f"language tag {tag!r} is not supported", field=name,
                              hint=f"use one of: {', '.join(LANGUAGES)}")
            g.add(s, prop, lang(" ".join(str(text).split()), tag))

    @staticmethod
    def url(r: Record, value: Any, name: str) -> ox.NamedNode:
        text = str(value)
        if not _URL.fullmatch(text):
            raise r.error(f"not an http(s) URL: {text!r}", field=name)
        return ox.NamedNode(text)

    @staticmethod
    def date(r: Record, value: Any, name: str) -> ox.Literal:
        text = str(value)
        if not _DATE.match(text):
            raise r.error(f"malformed date {text!r}", field=name, hint="YYYY, YYYY-MM or YYYY-MM-DD")
        datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
        return typed(text, datatype)

    def interval(self, r: Record, g: Sink, s: ox.NamedNode, prop: ox.NamedNode, value: Any,
                 name: str) -> None:
        """A period: a time:ProperInterval with its beginning and end instants."""
        if isinstance(value, int | str):
            value = {"start": value, "end": value}
        if not isinstance(value, dict) or not set(value) <= {"start", "end"} or not value:
            raise r.error("a period is {start: YYYY, end: YYYY} or a single YYYY", field=name)
        interval = ox.NamedNode(f"{s.value}/period")
        g.add(s, prop, interval)
        g.add(interval, _RDF_TYPE, TIME.ProperInterval)
        for end, link in (("start", TIME.hasBeginning), ("end", TIME.hasEnd)):
            if value.get(end) is None:
                continue
            instant = ox.NamedNode(f"{interval.value}/{end}")
            g.add(interval, link, instant)
            g.add(instant, _RDF_TYPE, TIME.Instant)
            date = self.date(r, value[end], name)
            g.add(instant, _IN_XSD[date.datatype.value], date)


def decimal(record: Record, value: Any, name: str) -> ox.Literal:
    """An xsd:decimal in the canonical form Oxigraph stores (no trailing zeros: 0.7, 290000).

    >>> decimal(None, 290000, "amount").value, decimal(None, "0.70", "x").value  # type: ignore[arg-type]
    ('290000', '0.7')
    """
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise record.error(f"{value!r} is not a number", field=name) from None
    if isinstance(value, bool) or not number.is_finite():
        raise record.error(f"{value!r} is not a number", field=name)
    text = format(number.normalize(), "f")
    return typed("0" if text in ("-0", "") else text, XSD.decimal)


_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_IN_XSD = {XSD.gYear.value: TIME.inXSDgYear, XSD.gYearMonth.value: TIME.inXSDgYearMonth,
           XSD.date.value: TIME.inXSDDate}
