"""Stable keys and small checks shared by both passes of the mapping."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from ..records import Record

__all__ = ["as_list", "close", "concept_key", "graph_key", "nests", "slug", "slugify"]

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def graph_key(record: Record) -> str:
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
        natural = f"{f.get('scheme')}/{concept_key(record)}"
    else:  # facts: several records may add facts about one subject
        source = record.url or (record.quote.exact if record.quote else "")
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:8]
        natural = f"{f.get('about')}/{digest}"
    key = f"{stem}/{kind}/{natural}"
    return re.sub(r"[^A-Za-z0-9./_-]", "-", key)


def nests(child: str, parent: str) -> bool:
    """Whether *child* is coded as a direct part of *parent*, in the parent's own style.

    >>> nests("1.1.3", "1.1"), nests("1.10", "1.1"), nests("L1M1D1", "L1M1"), nests("L1M10", "L1M1")
    (True, False, True, False)
    """
    if not child.startswith(parent):
        return False
    rest = child[len(parent):]
    if re.search(r"[A-Za-z]", parent):  # L1M1 → L1M1D1: one letter and a number
        return re.fullmatch(r"[A-Za-z]\d+", rest) is not None
    return re.fullmatch(r"\.(\d+|[a-z])", rest) is not None  # 1.1 → 1.1.3


def concept_key(record: Record) -> str:
    f = record.fields
    value = f.get("slug") if f.get("slug") is not None else f.get("code")
    if value is None:
        raise record.error("a concept needs a `slug` or `code`", field="slug")
    return str(value)


def slug(record: Record, name: str) -> str:
    """The record's field *name*, checked to be a slug."""
    value = record.fields.get(name)
    if value is None:
        raise record.error(f"missing `{name}`", field=name)
    text = str(value)
    if not _SLUG.match(text):
        raise record.error(f"{text!r} is not a valid id", field=name,
                           hint="use lowercase ASCII letters, digits and hyphens")
    return text


def slugify(text: str) -> str:
    """
    >>> slugify("NIF G-60489937")
    'nif-g-60489937'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def close(word: str, known: Iterable[str]) -> str | None:
    """A 'did you mean' hint, or None."""
    import difflib

    matches = difflib.get_close_matches(word, list(known), n=3)
    return f"did you mean {', '.join(matches)}?" if matches else None
