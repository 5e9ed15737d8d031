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

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from ..errors import RequestRefused

__all__ = ["Limits", "QueryShape", "analyse", "nesting_depth", "precheck"]


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


@dataclass(frozen=True)
class QueryShape:
    """What parsing told us about an accepted query."""

    form: str
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``."""
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()


_UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(text: str) -> str:
    """Apply SPARQL's codepoint escapes, as both parsers do before anything else."""

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else "\ufffd"

    return _UNICODE_ESCAPE.sub(one, text)


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


def precheck(query: str, limits: Limits) -> None:
    """Refuse a query text that is too large or too deeply nested to be worth parsing."""
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > limits.max_query_bytes:
        raise RequestRefused(413, f"the query is {size} bytes; this endpoint accepts at most "
                                  f"{limits.max_query_bytes} (download the dumps for bigger work)")
    if not query.strip():
        raise RequestRefused(400, "the query is empty")
    depth = nesting_depth(query)
    if depth > limits.max_depth:
        raise RequestRefused(400, f"the query nests brackets {depth} deep; this endpoint "
                                  f"accepts at most {limits.max_depth} levels")


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
