"""Content negotiation: the ``Accept`` and ``Accept-Language`` headers, and file suffixes.

Pure functions over header strings; no framework types. ``Accept`` is matched by
python-mimeparse; ``Accept-Language`` (three site languages, primary subtags only) is
read here — why: docs/decisions/0103-content-negotiation.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["LANGUAGES", "RDF_SUFFIXES", "RDF_TYPES", "choose_language", "choose_media_type"]

LANGUAGES = ("ca", "es", "en")
"""Languages of names on the site, in the order they are offered."""

RDF_TYPES = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdf",
}
"""RDF media types a resource is offered in, with the file suffix of each."""

RDF_SUFFIXES = {suffix: media for media, suffix in RDF_TYPES.items()}


_TOKEN = re.compile(r"^[a-z0-9!#$%&'*+.^_`|~-]+$")
"""An RFC 9110 token: what a media type and subtype are made of."""


def _ranges(header: str) -> str:
    """The header's media ranges that parse, lowercased (types are case-insensitive)."""
    import mimeparse

    kept = []
    for part in header.split(",")[:64]:
        try:
            main, sub, _params = mimeparse.parse_media_range(part.strip().lower())
        except (ValueError, IndexError):  # mimeparse.MimeTypeParseException is a ValueError
            continue
        if main and sub and _TOKEN.match(main) and _TOKEN.match(sub):
            kept.append(part.strip().lower())
    return ", ".join(kept)


def choose_media_type(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers most, the first offer if it states no preference.

    Matching and q-values are python-mimeparse's (RFC 9110, section 12.5.1); malformed
    entries are skipped, never fatal; between equally preferred offers, the first wins.
    Returns ``None`` when nothing offered is acceptable (answer 406).

    >>> choose_media_type("text/html,application/xhtml+xml,*/*;q=0.8",
    ...                   ["text/turtle", "text/html"])
    'text/html'
    >>> choose_media_type(None, ["text/turtle", "text/html"])
    'text/turtle'
    >>> choose_media_type("garbage;q=x, TEXT/Turtle", ["text/html", "text/turtle"])
    'text/turtle'
    >>> choose_media_type("image/png", ["text/turtle"]) is None
    True
    """
    import mimeparse

    ranges = _ranges(header or "")
    if not ranges:
        return offers[0] if offers else None
    best = mimeparse.best_match(list(reversed(offers)), ranges)  # ties: the last listed wins
    return best or None


def choose_language(header: str | None, override: str | None = None) -> str:
    """The site language: ``?lang=`` wins, then ``Accept-Language``, then English.

    >>> choose_language("es-ES,es;q=0.9,en;q=0.8")
    'es'
    >>> choose_language("fr, ca;q=0.5")
    'ca'
    >>> choose_language("es", override="ca")
    'ca'
    >>> choose_language(None, override="<script>")
    'en'
    """
    if override is not None and override in LANGUAGES:
        return override
    weighted: list[tuple[float, int, str]] = []
    for order, part in enumerate((header or "").split(",")[:32]):
        tag, *params = (p.strip() for p in part.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        primary = tag.lower().split("-")[0]
        if primary in LANGUAGES and q > 0:
            weighted.append((q, -order, primary))
    return max(weighted)[2] if weighted else "en"
