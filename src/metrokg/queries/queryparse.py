"""What a SPARQL text is, decided by parsing it (never by keywords), without running it.

pyoxigraph has no parse-only call (``Store.query`` parses *and* evaluates, and would
follow ``SERVICE``), so the shape of a query comes from rdflib's SPARQL 1.1 parser.
Codepoint escapes (``\\u0022``) are decoded first, once, exactly as SPARQL 1.1
section 19.2 says; the decoded text is then the only text any parser or engine sees.
Used by ``metrokg query`` (:func:`metrokg.queries.sparql.prepare`) and the endpoint's policy.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..errors import QueryError

__all__ = ["QueryRefused", "QueryShape", "decode_escapes", "nesting_depth", "parse_query"]

Kind = Literal["escape", "syntax", "depth", "update", "service"]


class QueryRefused(QueryError):
    """A text that is not a runnable query; ``kind`` says why."""

    def __init__(self, kind: Kind, message: str) -> None:
        super().__init__(message)
        self.kind: Kind = kind
        self.message = message


@dataclass(frozen=True)
class QueryShape:
    """What parsing told us about a query."""

    form: str
    """``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``."""
    from_graphs: tuple[str, ...] = ()
    from_named: tuple[str, ...] = ()
    service: bool = False
    """The query holds a ``SERVICE`` pattern (a request to another endpoint)."""


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
    ... except QueryRefused as refused:
    ...     print(refused.kind)
    escape
    """

    def one(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QueryRefused("escape", f"the query escapes U+{code:04X}, which is not a "
                                         "character (SPARQL 1.1, section 19.2)")
        return chr(code)

    decoded = _UNICODE_ESCAPE.sub(one, text)
    if decoded != text and _UNICODE_ESCAPE.search(decoded):
        raise QueryRefused("escape", "the query holds an escape that decodes to another "
                                     "escape (\\u005C followed by u…); write the character "
                                     "itself")
    return decoded


def _lenient(text: str) -> str:
    try:
        return decode_escapes(text)
    except QueryRefused:
        return text


def nesting_depth(text: str) -> int:
    """Deepest nesting of ``{`` ``(`` ``[`` in *text* (conservative: counts inside strings too).

    >>> nesting_depth("SELECT * WHERE { { ?s ?p (1) } }")
    3
    >>> nesting_depth(r"SELECT * WHERE \\u007B ?s ?p ?o }")
    1
    """
    depth = deepest = 0
    for char in _lenient(text):
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(depth - 1, 0)
    return deepest


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


_PARSE_RECURSION = 20_000
"""Python frames rdflib's parser may use: a catalogue query with eleven nested REPLACE
calls needs about 900, more than is left under the default limit of 1000 when the
caller's own stack is deep. Bracket nesting is capped before parsing (32 on the
endpoint, 64 in the CLI), so the parser never goes near this."""

_FORMS = {"SelectQuery": "SELECT", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE",
          "AskQuery": "ASK"}


@lru_cache(maxsize=1024)
def parse_query(text: str) -> QueryShape:
    """Parse *text* (escapes already decoded) as a SPARQL 1.1 query; never runs it.

    Raises :class:`QueryRefused`: ``syntax`` (with line and column), ``update`` (a SPARQL
    Update, however spelled), ``depth`` (too deeply nested for the parser).

    >>> parse_query("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }").service
    True
    >>> parse_query("ASK FROM <urn:g> {}").from_graphs
    ('urn:g',)
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _PARSE_RECURSION))  # pyparsing recurses per operator
    try:
        tree = parseQuery(text)
    except RecursionError:
        raise QueryRefused("depth", "the query is too deeply nested to parse") from None
    except ParseException as exc:
        try:
            parseUpdate(text)
        except (ParseException, RecursionError, ValueError, TypeError):
            raise QueryRefused("syntax", f"line {exc.lineno}, column {exc.col}: "
                                         f"{exc.msg}") from None
        raise QueryRefused("update", "this is a SPARQL update; only SELECT, ASK, CONSTRUCT "
                                     "and DESCRIBE queries are run") from None
    except (ValueError, TypeError, KeyError) as exc:  # rdflib's parse actions raise these
        raise QueryRefused("syntax", str(exc)) from None
    finally:
        sys.setrecursionlimit(limit)
    names = _walk_names(tree)
    form = next((name for name, _ in names if name in _FORMS), None)
    if form is None:  # pragma: no cover - parseQuery only returns the four forms
        raise QueryRefused("syntax", "the text is not a SPARQL query")
    default: list[str] = []
    named: list[str] = []
    for name, node in names:
        if name == "DatasetClause":
            clause: dict[str, object] = node  # type: ignore[assignment]
            if "default" in clause:
                default.append(str(clause["default"]))
            if "named" in clause:
                named.append(str(clause["named"]))
    service = any(name == "ServiceGraphPattern" for name, _ in names)
    return QueryShape(_FORMS[form], tuple(default), tuple(named), service)
