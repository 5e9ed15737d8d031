"""Field types: each checks one value strictly and says, in one line, what is wrong.

A type's ``check(value, path)`` yields :class:`Problem` s (never raises); its ``doc`` is
the phrase graph/README.md prints in the field tables. Types are small frozen values so a
schema reads as a table.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from .limits import MAX_ITEMS
from .sources import LANGUAGES

__all__ = [
    "URL", "Bool", "Count", "Date", "Enum", "Goal", "Lang", "ListOf", "MapOf", "Number",
    "Pattern", "Period", "Problem", "Struct", "Text", "TextOrLang", "Type", "Year", "show",
]

# C0 controls but TAB, LF, CR; DEL; C1 controls; lone surrogates
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one field: where (a dotted path), what, and what to do."""

    path: str
    message: str
    hint: str | None = None


class Type(Protocol):
    """What every field type offers."""

    @property
    def doc(self) -> str:
        """How graph/README.md describes the values it accepts."""
        ...

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        """The problems of *value* (none if it is valid)."""
        ...


def show(value: Any, width: int = 60) -> str:
    """A value for a message: quoted and escaped (control characters visible), one line,
    cut to *width* characters.

    >>> show("a\\nb\\x07"), show(True), show("x" * 100, 10)
    ("'a\\\\nb\\\\x07'", 'True', "'xxxxxxxx…")
    """
    text = repr(value[:width + 1] if isinstance(value, str) else value)
    return text if len(text) <= width else text[:width - 1] + "…"


def _kind(value: Any) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "text",
             list: "a list", dict: "a mapping", type(None): "empty",
             datetime.date: "a date", datetime.datetime: "a date and time"}
    return names.get(type(value), type(value).__name__)


def _text_problem(value: str, path: str, max_chars: int) -> Problem | None:
    if len(value) > max_chars:
        return Problem(path, f"{len(value):,} characters; at most {max_chars:,}",
                       "shorten it: a record holds one passage")
    bad = _CONTROL.search(value)
    if bad:
        return Problem(path, f"control character {show(bad.group())} at position {bad.start()}",
                       "remove it: copy the text without terminal or control codes")
    if not value.strip():
        return Problem(path, "empty text", "give the text, or leave the field out")
    return None


@dataclass(frozen=True)
class Text:
    """Free text (a name, a passage), at most *max_chars* characters, no control characters."""

    max_chars: int = 1_000

    @property
    def doc(self) -> str:
        return f"text (≤ {self.max_chars:,} characters)"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if not isinstance(value, str):
            yield Problem(path, f"expected text, not {_kind(value)} {show(value)}",
                          "put the text in quotes")
            return
        problem = _text_problem(value, path, self.max_chars)
        if problem:
            yield problem


@dataclass(frozen=True)
class Pattern:
    """An identifier or reference: text matching *regex* in full, at most *max_chars*.

    Whole numbers are accepted where *numbers* is set (a code printed as ``3``).
    """

    regex: str
    what: str
    example: str
    max_chars: int = 100
    numbers: bool = False
    bad: str = "{value} is not {what}"
    rule: str = ""

    @property
    def _hint(self) -> str:
        return f"{self.rule}, e.g. {self.example}" if self.rule else f"e.g. {self.example}"

    @property
    def doc(self) -> str:
        return self.what.split(" ", 1)[1]

    @property
    def rule_doc(self) -> str:
        """The full rule, for the README's table of value types."""
        rule = f"{self.rule}; " if self.rule else ""
        numbers = "whole numbers accepted; " if self.numbers else ""
        return f"{rule}{numbers}at most {self.max_chars:,} characters; e.g. `{self.example}`"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if self.numbers and type(value) is int and value >= 0:
            value = str(value)
        if not isinstance(value, str):
            hint = "put it in quotes: YAML reads 1.10 as the number 1.1" \
                if isinstance(value, float) else self._hint
            yield Problem(path, f"expected {self.what}, not {_kind(value)} {show(value)}", hint)
        elif len(value) > self.max_chars:
            yield Problem(path, f"{len(value):,} characters; {self.what} has at most "
                                f"{self.max_chars}", self._hint)
        elif not re.fullmatch(self.regex, value):
            yield Problem(path, self.bad.format(value=show(value), what=self.what), self._hint)


@dataclass(frozen=True)
class Enum:
    """One of a few fixed words."""

    values: tuple[str, ...]

    @property
    def doc(self) -> str:
        return " or ".join(f"`{v}`" for v in self.values)

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if value not in self.values or not isinstance(value, str):
            yield Problem(path, f"must be {' or '.join(self.values)}, not {show(value)}")


@dataclass(frozen=True)
class Bool:
    """``true`` or ``false`` — nothing else (not ``"yes"``, not ``1``)."""

    doc: str = "`true` or `false`"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if not isinstance(value, bool):
            yield Problem(path, f"must be true or false, not {show(value)}",
                          "write true or false, without quotes")


@dataclass(frozen=True)
class Count:
    """A whole number from *low* to *high*."""

    low: int = 0
    high: int = 10**12
    what: str = "a whole number"

    @property
    def doc(self) -> str:
        return f"whole number {self.low}–{self.high:,}" if self.high < 10**6 \
            else f"whole number ≥ {self.low}"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if isinstance(value, bool) or not isinstance(value, int):
            yield Problem(path, f"count {show(value)} is not a whole number",
                          "write digits, without quotes")
        elif not self.low <= value <= self.high:
            yield Problem(path, f"{value} is outside {self.low}-{self.high:,}")


@dataclass(frozen=True)
class Goal:
    """A UN Sustainable Development Goal number, 1–17."""

    doc: str = "SDG number 1–17"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 17:
            yield Problem(path, f"SDG number {show(value)} is outside 1-17",
                          "the Sustainable Development Goals are numbered 1 to 17")


@dataclass(frozen=True)
class Number:
    """A decimal number: digits with an optional point, no exponent, |x| < 10^15."""

    doc: str = "number (`290000`, `0.7`; no exponent)"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        hint = "write digits with an optional point, e.g. 290000 or 0.7"
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            yield Problem(path, f"{show(value)} is not a number", hint)
        elif isinstance(value, str) and not _PLAIN_NUMBER.fullmatch(value):
            yield Problem(path, f"{show(value)} is not a plain decimal number", hint)
        elif isinstance(value, float) and not math.isfinite(value):
            yield Problem(path, f"{show(value)} is not a finite number", hint)
        elif abs(float(value)) >= 1e15:
            yield Problem(path, f"{show(value)} is too large (|x| < 10^15)", hint)


def _real_date(text: str) -> str | None:
    """Why *text* is not a date at the precision it is written in (None if it is one).

    >>> _real_date("2020"), _real_date("2020-13"), _real_date("2021-02-29"), _real_date("2020\\n")
    (None, 'month 13 does not exist', 'day is out of range for month', 'not YYYY, YYYY-MM or YYYY-MM-DD')
    """
    match = _DATE.fullmatch(text)
    if not match:
        return "not YYYY, YYYY-MM or YYYY-MM-DD"
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        return f"month {int(month)} does not exist"
    if day is not None:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError as exc:
            return str(exc)
    if int(year) == 0:
        return "year 0 does not exist"
    return None


@dataclass(frozen=True)
class Date:
    """A real date at the precision written: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    *precisions* limits which of the three are accepted (lengths 4, 7, 10).
    """

    precisions: tuple[int, ...] = (4, 7, 10)

    @property
    def doc(self) -> str:
        forms = {4: "`YYYY`", 7: "`YYYY-MM`", 10: "`YYYY-MM-DD`"}
        return "date: " + " or ".join(forms[p] for p in self.precisions)

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        forms = {4: "YYYY", 7: "YYYY-MM", 10: "YYYY-MM-DD"}
        hint = " or ".join(forms[p] for p in self.precisions)
        if type(value) is datetime.date or (type(value) is int and 1000 <= value <= 9999):
            text = str(value)
        elif isinstance(value, str):
            text = value
        else:
            yield Problem(path, f"malformed date {show(value)}", f"write {hint}")
            return
        why = _real_date(text)
        if why is None and len(text) not in self.precisions:
            why = "wrong precision"
        if why:
            detail = "" if why.startswith("not ") else f": {why}"
            yield Problem(path, f"malformed date {show(text)}{detail}", f"write {hint}")


@dataclass(frozen=True)
class Year:
    """A year: ``2030`` (a number or four digits in quotes)."""

    doc: str = "year `YYYY`"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        yield from Date((4,)).check(value, path)


@dataclass(frozen=True)
class ListOf:
    """A list of *item* (or, if *single*, one item on its own), at most MAX_ITEMS."""

    item: Type
    single: bool = True

    @property
    def doc(self) -> str:
        return f"list of {self.item.doc}"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if not isinstance(value, list):
            if self.single:
                yield from self.item.check(value, path)
            else:
                yield Problem(path, f"expected a list, not {_kind(value)} {show(value)}",
                              "write [a, b]")
            return
        if len(value) > MAX_ITEMS:
            yield Problem(path, f"{len(value):,} items; at most {MAX_ITEMS:,}")
            return
        for item in value:
            for problem in self.item.check(item, path):
                yield problem
                return  # one problem per field is enough to act on


@dataclass(frozen=True)
class Lang:
    """A language map ``{ca: …, es: …, en: …}``; with *many*, each language may list several."""

    item: Type = Text()
    many: bool = False

    @property
    def doc(self) -> str:
        return "per language: `{ca: …, es: …, en: …}`" + (" (a text or a list)" if self.many
                                                           else "")

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if not isinstance(value, dict) or not value:
            yield Problem(path, f"expected a language map such as {{ca: …, es: …}}, not "
                                f"{_kind(value)} {show(value)}")
            return
        for lang, texts in value.items():
            if lang not in LANGUAGES or not isinstance(lang, str):
                yield Problem(path, f"language tag {show(lang)} is not supported",
                              f"use one of: {', '.join(LANGUAGES)}")
                return
            if self.many:
                yield from ListOf(self.item).check(texts, f"{path}.{lang}")
            else:
                if isinstance(texts, list):
                    yield Problem(f"{path}.{lang}", "one text per language here",
                                  "put other names in `alt`")
                    return
                yield from self.item.check(texts, f"{path}.{lang}")


@dataclass(frozen=True)
class TextOrLang:
    """Text (read as English) or a language map of texts."""

    max_chars: int = 20_000

    @property
    def doc(self) -> str:
        return "text or per-language texts"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if isinstance(value, str):
            yield from Text(self.max_chars).check(value, path)
        else:
            yield from Lang(Text(self.max_chars)).check(value, path)


@dataclass(frozen=True)
class Struct:
    """A small mapping with known keys: ``{name: (type, required)}``."""

    fields: Mapping[str, tuple[Type, bool]]
    example: str

    @property
    def doc(self) -> str:
        return f"`{self.example}`"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if not isinstance(value, dict):
            yield Problem(path, f"expected a mapping such as {self.example}, not "
                                f"{_kind(value)} {show(value)}")
            return
        for key in value:
            if key not in self.fields:
                yield Problem(path, f"unknown key {show(key)}",
                              f"allowed: {', '.join(self.fields)}")
                return
        for key, (kind, required) in self.fields.items():
            if key in value and value[key] is not None:
                yield from kind.check(value[key], f"{path}.{key}")
            elif required:
                yield Problem(path, f"missing `{key}`", f"write {self.example}")


@dataclass(frozen=True)
class MapOf:
    """A mapping from keys of one type to values of another."""

    key: Type
    value: Type
    example: str

    @property
    def doc(self) -> str:
        return f"`{self.example}`"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if not isinstance(value, dict) or not value:
            yield Problem(path, f"expected a mapping such as {self.example}, not "
                                f"{_kind(value)} {show(value)}")
            return
        if len(value) > MAX_ITEMS:
            yield Problem(path, f"{len(value):,} entries; at most {MAX_ITEMS:,}")
            return
        for key, item in value.items():
            for problem in (*self.key.check(key, path), *self.value.check(item, f"{path}.{key}")):
                yield problem
                return


@dataclass(frozen=True)
class Period:
    """``{start: …, end: …}`` (either may be left out) or one date for both."""

    @property
    def doc(self) -> str:
        return "`{start: YYYY, end: YYYY}` or a single `YYYY` (any date precision)"

    def check(self, value: Any, path: str) -> Iterator[Problem]:
        if not isinstance(value, dict):
            yield from Date().check(value, path)
            return
        struct = Struct({"start": (Date(), False), "end": (Date(), False)},
                        "{start: YYYY, end: YYYY}")
        problems = list(struct.check(value, path))
        if not problems and not value:
            problems.append(Problem(path, "an empty period", "give start, end or both"))
        yield from problems
        if problems or value.get("start") is None or value.get("end") is None:
            return
        start, end = str(value["start"]), str(value["end"])
        common = min(len(start), len(end))
        if start[:common] > end[:common]:
            yield Problem(path, f"ends ({end}) before it starts ({start})",
                          "swap start and end")


URL = Pattern(r"https?://[^\s<>\"{}|\\^`\x00-\x1f\x7f-\x9f/?#]+(?:[/?#][^\s<>\"{}|\\^`"
              r"\x00-\x1f\x7f-\x9f]*)?", "an http(s) URL", "https://www.amb.cat/", 2_000)
