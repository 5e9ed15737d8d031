"""Content negotiation: the ``Accept`` and ``Accept-Language`` headers, and file suffixes.

Pure functions over header strings; no framework types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "LANGUAGES", "RDF_SUFFIXES", "RDF_TYPES", "MediaRange", "choose_language", "choose_media_type",
    "parse_accept",
]

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


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media_type: str) -> int:
        """How specifically this range matches *media_type*: 2 exact, 1 type/*, 0 */*, -1 no."""
        main, _, sub = media_type.partition("/")
        if self.type == main and self.subtype == sub:
            return 2
        if self.type == main and self.subtype == "*":
            return 1
        if self.type == "*" and self.subtype == "*":
            return 0
        return -1


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an ``Accept`` header; malformed entries are skipped, never fatal.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/html;q=0.5, text/turtle")]
    [('text', 'html', 0.5), ('text', 'turtle', 1.0)]
    >>> parse_accept("garbage;q=x, */*")[0].subtype
    '*'
    """
    ranges: list[MediaRange] = []
    for order, part in enumerate((header or "").split(",")[:64]):
        media, *params = (p.strip() for p in part.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append(MediaRange(main, sub, q, order))
    return ranges


def choose_media_type(header: str | None, offers: Sequence[str]) -> str | None:
    """The offer the client prefers most, the first offer if it states no preference.

    Returns ``None`` when nothing offered is acceptable (answer 406).

    >>> choose_media_type("text/html,application/xhtml+xml,*/*;q=0.8",
    ...                   ["text/turtle", "text/html"])
    'text/html'
    >>> choose_media_type(None, ["text/turtle", "text/html"])
    'text/turtle'
    >>> choose_media_type("image/png", ["text/turtle"]) is None
    True
    """
    ranges = parse_accept(header)
    if not ranges:
        return offers[0] if offers else None
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for index, offer in enumerate(offers):
        matching = [(r.matches(offer), r) for r in ranges if r.matches(offer) >= 0]
        if not matching:
            continue
        specificity, rng = max(matching, key=lambda m: m[0])
        if rng.q <= 0:
            continue
        key = (rng.q, specificity, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


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
