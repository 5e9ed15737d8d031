"""Errors of metrokg.

    MetrokgError                 base of everything metrokg raises on purpose
    ├── InputError               bad input: names the file, record and field, says what to do
    │   ├── QuoteNotFound        a record's quote is not in its source document
    │   └── InputErrors          several of them, found in one run (one line each)
    ├── ValidationFailed         the graph breaks a blocking (Violation) rule
    ├── StoreError               the embedded store is missing or cannot be read
    ├── QueryError               a query is malformed, refused, or its endpoint failed
    └── RequestRefused           the public web endpoint refuses a request (an HTTP 4xx)

Library code raises; only the CLI turns an error into one line and an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "InputError", "InputErrors", "MetrokgError", "QueryError", "QuoteNotFound", "RequestRefused",
    "StoreError", "ValidationFailed",
]


class MetrokgError(Exception):
    """Base class of metrokg's errors. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


@dataclass
class InputError(MetrokgError):
    """Bad input, located as precisely as possible.

    >>> str(InputError("graph/data/x.yaml", "bad level", record="element/L1", field="level",
    ...                hint="use one of: action, deliverable"))
    'graph/data/x.yaml: record element/L1, field level: bad level (use one of: action, deliverable)'
    """

    file: str
    message: str
    record: str | None = None
    field: str | None = None
    hint: str | None = None
    line: int | None = None

    exit_code = 2

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        if self.record:
            where += f": record {self.record}"
        if self.field:
            where += f", field {self.field}"
        text = f"{where}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class QuoteNotFound(InputError):
    """A record's quote does not occur in its source document."""


@dataclass
class InputErrors(InputError):
    """Every bad-input problem one run found, reported together (one line each).

    >>> group = InputErrors.of([InputError("a.yaml", "bad date", line=3),
    ...                         InputError("a.yaml", "bad id", line=9)], total=5)
    >>> group.lines()
    ['a.yaml:3: bad date', 'a.yaml:9: bad id', '3 more problems not shown']
    """

    problems: tuple[InputError, ...] = ()
    total: int = 0

    @classmethod
    def of(cls, problems: list[InputError], *, total: int | None = None) -> InputErrors:
        """A group of *problems* (the first ones of *total*, default all)."""
        first = problems[0]
        return cls(first.file, first.message, record=first.record, field=first.field,
                   hint=first.hint, line=first.line, problems=tuple(problems),
                   total=len(problems) if total is None else total)

    def lines(self) -> list[str]:
        """One line per problem, then how many were left out."""
        lines = [str(p) for p in self.problems]
        if self.total > len(self.problems):
            lines.append(f"{self.total - len(self.problems)} more problems not shown")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


class ValidationFailed(MetrokgError):
    """The data breaks at least one rule of severity Violation."""

    exit_code = 3


class StoreError(MetrokgError):
    """The embedded store (the built dataset) is missing or unreadable."""

    exit_code = 4


class QueryError(MetrokgError):
    """A query could not be run: syntax, unknown name, bad parameter or endpoint failure."""

    exit_code = 5


class RequestRefused(MetrokgError):
    """The public web endpoint refuses a request; ``status`` is the HTTP 4xx to answer.

    >>> str(RequestRefused(413, "the body is too large"))
    '413: the body is too large'
    """

    exit_code = 6

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return f"{self.status}: {self.message}"
