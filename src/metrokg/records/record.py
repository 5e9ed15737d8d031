"""The record: one passage of one source, with the facts it supports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from .sources import Document, QuoteLocation

__all__ = ["Record"]


@dataclass(frozen=True)
class Record:
    """One curated record, with its source resolved and checked."""

    file: str
    line: int
    kind: str
    fields: Mapping[str, Any]
    document: Document | None = None
    quote: QuoteLocation | None = None
    url: str | None = None
    as_of: str | None = None
    label: str = field(default="")
    reading: str = "printed"  # how its statements were read: a slug of mkg:Readings

    def error(self, message: str, field: str | None = None, hint: str | None = None) -> InputError:
        """An :class:`InputError` located at this record."""
        return InputError(self.file, message, record=self.label or self.kind, field=field,
                          hint=hint, line=self.line)
