"""Source documents: the verbatim texts every quote is checked against."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import InputError, QuoteNotFound

__all__ = ["Document", "QuoteLocation", "load_documents", "locate_quote", "normalise_space"]

LANGUAGES = ("ca", "es", "en")

_SPACE = re.compile(r"\s+")


def normalise_space(text: str) -> str:
    """Collapse every run of white space to one space and strip the ends.

    >>> normalise_space("  a\\n\\t b  ")
    'a b'
    """
    return _SPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote sits in a document: character offsets into the verbatim text."""

    start: int
    end: int
    exact: str


@dataclass(frozen=True)
class Document:
    """One source document, read and checked."""

    id: str
    file: Path
    title: dict[str, str]
    language: str
    publisher: str
    genre: str
    sha256: str
    text: str


def locate_quote(text: str, quote: str) -> QuoteLocation | None:
    """Find *quote* in *text*, tolerating differences in white space only.

    The first occurrence, as a regular expression joining the words with ``\\s+`` would
    find it; the text is normalised once per document, so each quote costs one search.

    >>> locate_quote("Hola,\\n  món!", "Hola, món")
    QuoteLocation(start=0, end=11, exact='Hola,\\n  món')
    >>> locate_quote("abc", "abd") is None
    True
    """
    wanted = normalise_space(quote)
    if not wanted:
        return None
    flat, starts, origins = _flattened(text)
    at = flat.find(wanted)
    if at < 0:
        return None
    start = _original(at, starts, origins)
    end = _original(at + len(wanted) - 1, starts, origins) + 1
    return QuoteLocation(start, end, text[start:end])


@lru_cache(maxsize=64)
def _flattened(text: str) -> tuple[str, list[int], list[int]]:
    """*text* with each run of white space as one space, and where its pieces come from.

    Piece *i* starts at ``starts[i]`` in the flat text and ``origins[i]`` in *text*;
    within a piece the offsets advance together.
    """
    pieces: list[str] = []
    starts: list[int] = [0]
    origins: list[int] = [0]
    flat_at = last = 0
    for run in _SPACE.finditer(text):
        pieces.append(text[last:run.start()])
        pieces.append(" ")
        flat_at += run.start() - last + 1
        last = run.end()
        starts.append(flat_at)
        origins.append(last)
    pieces.append(text[last:])
    return "".join(pieces), starts, origins


def _original(flat_at: int, starts: list[int], origins: list[int]) -> int:
    piece = bisect_right(starts, flat_at) - 1
    return origins[piece] + flat_at - starts[piece]


def _read_text(path: Path, where: str) -> str:
    if not path.is_file():
        raise InputError(where, f"source file {path} is missing",
                         hint="restore it, or fix `file:` in graph/sources/documents.yaml")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte {exc.start})",
                         hint="re-save the document as UTF-8") from None


def load_documents(index: Path) -> dict[str, Document]:
    """Read the document index and every document it lists, checking files and digests."""
    where = str(index)
    if not index.is_file():
        raise InputError(where, "document index is missing")
    from .load import parse_yaml, read_text  # records imports this module

    entries = parse_yaml(read_text(index.read_bytes(), where), where)  # limits, no aliases
    if not isinstance(entries, list):
        raise InputError(where, "expected a list of documents")
    documents: dict[str, Document] = {}
    for entry in entries:
        if not isinstance(entry, dict) or "id" not in entry or "file" not in entry:
            raise InputError(where, f"each document needs `id` and `file`: {str(entry)[:60]!r}")
        doc_id = str(entry["id"])
        if doc_id in documents:
            raise InputError(where, f"document id {doc_id!r} is listed twice")
        path = index.parent / str(entry["file"])
        text = _read_text(path, f"{where}: document {doc_id}")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        expected = entry.get("sha256")
        if expected and expected != digest:
            raise InputError(where, f"document {doc_id}: {path.name} has changed (sha256 {digest})",
                             hint="sources are kept verbatim; if the change is intended, "
                                  "update sha256 and re-check every quote")
        language = str(entry.get("language", ""))
        if language not in LANGUAGES:
            raise InputError(where, f"document {doc_id}: language {language!r} is not supported",
                             hint=f"use one of {', '.join(LANGUAGES)}")
        documents[doc_id] = Document(
            id=doc_id, file=path, title=dict(entry.get("title") or {}), language=language,
            publisher=str(entry.get("publisher", "")), genre=str(entry.get("genre", "")),
            sha256=digest, text=text,
        )
    return documents


def require_quote(document: Document, quote: str, where: str, record: str) -> QuoteLocation:
    """Locate *quote* in *document* or raise :class:`QuoteNotFound` naming the record."""
    location = locate_quote(document.text, quote)
    if location is None:
        raise QuoteNotFound(where, f"quote not found in {document.file.name}: {quote[:80]!r}",
                            record=record, field="quote",
                            hint="copy the passage exactly from the source document")
    return location
