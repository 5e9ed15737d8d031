"""What the public endpoint accepts: decided by parsing the query, never by keywords.

Two stages:

* :func:`precheck` runs in the server process on the raw text: size and bracket nesting
  depth (cheap, linear, before any parser sees the text);
* :func:`analyse` runs inside a query worker (so a parser that is slow or crashes on a
  hostile text is killed with the worker): the text must parse as a SPARQL 1.1 *query*
  (an update — however its keywords are spelled or escaped — does not), must not contain
  ``SERVICE``, and may name in ``FROM`` / ``FROM NAMED`` only graphs of the dataset.

Both raise :class:`~metrokg.errors.RequestRefused` with the HTTP status to answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from ..errors import RequestRefused

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
            raise ValueError(f"max_memory_mb must be at least 256 (a worker loads the "
                             f"dataset), not {self.max_memory_mb}")


@dataclass(frozen=True)
class QueryShape:
    """What parsing told us about an accepted query."""

    form: str
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``."""
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    """Apply SPARQL's codepoint escapes once, before any grammar (SPARQL 1.1, 19.2).

    The result is what both the policy's parser and the query engine read, so they can
    never disagree about where a string ends: Oxigraph reads ``\\u0022`` inside a
    string as a quote character, the specification (and rdflib) as the end of the
    string. A text whose decoded form still holds an escape (``\\u005Cu0022``) would be
    read twice; it is refused, as is an escape of a surrogate or a code point beyond
    U+10FFFF.

    >>> decode_escapes(r"\\u0053ELECT ('\\u0027' AS ?q) {}")
    "SELECT (''' AS ?q) {}"
    >>> try:
    ...     decode_escapes(r"\\u005Cu0022")
    ... except RequestRefused as refused:
    ...     print(refused.status)
    400
    """

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise RequestRefused(400, f"the query escapes U+{code:04X}, which is not a "
                                      "character (SPARQL 1.1, section 19.2)")
        return chr(code)

    decoded = _UNICODE_ESCAPE.sub(one, text)
    if decoded != text and _UNICODE_ESCAPE.search(decoded):
        raise RequestRefused(400, "the query holds an escape that decodes to another escape "
                                  "(\\u005C followed by u…); write the character itself")
    return decoded


def _unescape(text: str) -> str:
    """Codepoint escapes applied leniently (for measuring only: never refuses)."""
    try:
        return decode_escapes(text)
    except RequestRefused:
        return text


def nesting_depth(text: str) -> int:
    """Deepest nesting of ``{`` ``(`` ``[`` in *text* (conservative: counts inside strings too).

    >>> nesting_depth("SELECT * WHERE { { ?s ?p (1) } }")
    3
    >>> nesting_depth(r"SELECT * WHERE \\u007B ?s ?p ?o }")
    1
    """
    depth = deepest = 0
    for char in _unescape(text):
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(depth - 1, 0)
    return deepest


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
    text = decode_escapes(query)
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise RequestRefused(400, f"the query nests brackets {depth} deep; this endpoint "
                                  f"accepts at most {limits.max_depth} levels")
    return text


def _walk_names(tree: object) -> list[tuple[str, object]]:
    """Every ``(name, node)`` of rdflib's parse tree, iteratively (no recursion)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    found: list[tuple[str, object]] = []
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            found.append((node.name, node))
            stack.extend(node.values())
        elif isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(list(node))  # type: ignore[call-overload]
    return found


def analyse(query: str, graphs: Collection[str]) -> QueryShape:
    """Parse *query*; return its shape or raise :class:`RequestRefused`.

    >>> analyse("SELECT * WHERE { ?s ?p ?o }", graphs=[]).form
    'SELECT'
    >>> try:
    ...     analyse(r"\\u0044ELETE WHERE { ?s ?p ?o }", graphs=[])
    ... except RequestRefused as refused:
    ...     print(refused.status)
    403
    """
    return _analyse_cached(query, frozenset(graphs))


@lru_cache(maxsize=1024)
def _analyse_cached(query: str, graphs: frozenset[str]) -> QueryShape:
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        tree = parseQuery(query)
    except RecursionError:
        raise RequestRefused(400, "the query is too deeply nested to parse") from None
    except ParseException as exc:
        try:
            parseUpdate(query)
        except (ParseException, RecursionError, ValueError, TypeError):
            raise RequestRefused(400, f"the query does not parse as SPARQL 1.1: "
                                      f"line {exc.lineno}, column {exc.col}: {exc.msg}") from None
        raise RequestRefused(403, "this is a SPARQL Update; the endpoint is read-only and runs "
                                  "queries only") from None
    except (ValueError, TypeError, KeyError) as exc:  # rdflib's parse actions raise these
        raise RequestRefused(400, f"the query does not parse as SPARQL 1.1: {exc}") from None
    names = _walk_names(tree)
    if any(name == "ServiceGraphPattern" for name, _ in names):
        raise RequestRefused(400, "SERVICE is not allowed: this endpoint makes no outbound "
                                  "requests (federate from your own client instead)")
    form = next((name for name, _ in names if name in _FORMS), None)
    if form is None:  # pragma: no cover - parseQuery only returns the four forms
        raise RequestRefused(400, "the text is not a SPARQL query")
    default: list[str] = []
    named: list[str] = []
    for name, node in names:
        if name == "DatasetClause":
            clause: dict[str, object] = node  # type: ignore[assignment]
            if "default" in clause:
                default.append(str(clause["default"]))
            if "named" in clause:
                named.append(str(clause["named"]))
    unknown = [iri for iri in default + named if iri not in graphs]
    if unknown:
        raise RequestRefused(400, f"FROM / FROM NAMED <{unknown[0]}> is not a graph of this "
                                  "dataset; only the dataset's own named graphs may be named "
                                  "(nothing is ever fetched)")
    return QueryShape(_FORMS[form], tuple(default), tuple(named))


_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE",
          "AskQuery": "ASK"}
