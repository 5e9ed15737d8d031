"""What the public endpoint accepts: decided by parsing the query, never by keywords.

Two stages:

* :func:`precheck` runs in the server process on the raw text: size, codepoint escapes
  decoded once (:func:`metrokg.queries.queryparse.decode_escapes` — the decoded text is what the
  worker parses *and* runs) and bracket nesting depth (cheap, linear, before any parser
  sees the text);
* :func:`analyse` runs inside a query worker (so a parser that is slow or crashes on a
  hostile text is killed with the worker): the text must parse as a SPARQL 1.1 *query*
  (an update — however its keywords are spelled or escaped — does not), must not contain
  ``SERVICE``, and may name in ``FROM`` / ``FROM NAMED`` only graphs of the dataset.

Both raise :class:`~metrokg.errors.RequestRefused` with the HTTP status to answer. The
policy is one layer; the other does not depend on parsing at all: the workers cannot
open network connections (:mod:`metrokg.queries.isolation`).
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from ..errors import RequestRefused
from ..queries.queryparse import QueryRefused, QueryShape, decode_escapes, nesting_depth, parse_query

__all__ = ["Limits", "QueryShape", "analyse", "decode_escapes", "nesting_depth", "precheck"]


@dataclass(frozen=True)
class Limits:
    """The limits of one endpoint. Every one is announced in the service description."""

    max_query_bytes: int = 32_768
    max_depth: int = 32
    max_body_bytes: int = 65_536
    max_rows: int = 10_000
    timeout: float = 10.0
    workers: int = 2
    max_waiting: int = 32
    max_memory_mb: int = 1024
    """Address space of one query worker (``RLIMIT_AS``), in MiB."""
    max_response_bytes: int = 16 * 1024 * 1024
    """Size of one query's answer; a bigger one is refused (422), never cut mid-term."""
    per_client: int = 0
    """Queries one client may run or queue at once; 0 means ``max(1, workers - 1)``."""
    request_timeout: float = 10.0
    """Seconds a client may take to send its request body."""

    @property
    def client_budget(self) -> int:
        """Queries one client may have running or waiting at once."""
        return self.per_client or max(1, self.workers - 1)

    def check(self) -> None:
        """Raise ``ValueError`` naming the first limit that is not a finite positive number.

        >>> Limits(timeout=float("nan")).check()
        Traceback (most recent call last):
        ...
        ValueError: timeout must be a finite number > 0, not nan
        >>> Limits(max_waiting=-1).check()
        Traceback (most recent call last):
        ...
        ValueError: max_waiting must be a whole number >= 0, not -1
        """
        for name in ("timeout", "request_timeout"):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
                raise ValueError(f"{name} must be a finite number > 0, not {value}")
        for name in ("max_query_bytes", "max_depth", "max_body_bytes", "max_rows", "workers",
                     "max_memory_mb", "max_response_bytes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a whole number >= 1, not {value}")
        for name in ("max_waiting", "per_client"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, not {value}")
        if self.max_memory_mb < 256:
            raise ValueError(f"max_memory_mb must be at least 256 (a worker opens the "
                             f"store and runs the query), not {self.max_memory_mb}")


def precheck(query: str, limits: Limits) -> str:
    """Refuse a query text that is too large or too deeply nested to be worth parsing.

    Returns the text with its codepoint escapes decoded (:func:`decode_escapes`): the
    only text the policy and the engine ever see.
    """
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > limits.max_query_bytes:
        raise RequestRefused(413, f"the query is {size} bytes; this endpoint accepts at most "
                                  f"{limits.max_query_bytes} (download the dumps for bigger work)")
    if not query.strip():
        raise RequestRefused(400, "the query is empty")
    try:
        text = decode_escapes(query)
    except QueryRefused as exc:
        raise RequestRefused(400, exc.message) from None
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise RequestRefused(400, f"the query nests brackets {depth} deep; this endpoint "
                                  f"accepts at most {limits.max_depth} levels")
    return text


def analyse(query: str, graphs: Collection[str]) -> QueryShape:
    """Parse *query*; return its shape or raise :class:`RequestRefused`.

    >>> analyse("SELECT * WHERE { ?s ?p ?o }", graphs=[]).form
    'SELECT'
    >>> try:
    ...     analyse("DELETE WHERE { ?s ?p ?o }", graphs=[])
    ... except RequestRefused as refused:
    ...     print(refused.status)
    403
    """
    try:
        shape = parse_query(query)
    except QueryRefused as exc:
        if exc.kind == "update":
            raise RequestRefused(403, "this is a SPARQL Update; the endpoint is read-only and "
                                      "runs queries only") from None
        if exc.kind == "syntax":
            raise RequestRefused(400, f"the query does not parse as SPARQL 1.1: "
                                      f"{exc.message}") from None
        raise RequestRefused(400, exc.message) from None
    if shape.service:
        raise RequestRefused(400, "SERVICE is not allowed: this endpoint makes no outbound "
                                  "requests (federate from your own client instead)")
    unknown = [iri for iri in shape.from_graphs + shape.from_named if iri not in graphs]
    if unknown:
        raise RequestRefused(400, f"FROM / FROM NAMED <{unknown[0]}> is not a graph of this "
                                  "dataset; only the dataset's own named graphs may be named "
                                  "(nothing is ever fetched)")
    return shape
