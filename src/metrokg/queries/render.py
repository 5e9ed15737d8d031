"""Writing query results: terminal table, CSV, TSV, SPARQL JSON and XML, Markdown; graphs.

The SPARQL results formats (JSON, XML, CSV, TSV) are written by pyoxigraph's own
serialisers, for ``metrokg query`` and the endpoint alike: :func:`write_solutions`
takes rows of terms (already capped by the caller), hands them to pyoxigraph as SPARQL
TSV (each term in pyoxigraph's own N-Triples form) and lets it write the format asked
for. Two things are added on top, both documented in docs/querying.md:

* CSV and TSV cells a spreadsheet would run as a formula are neutralised
  (:func:`metrokg.safetext.neutralise_cell`);
* XML results that would carry a character XML 1.0 forbids (U+0001, U+FFFE…) are
  refused with :class:`~metrokg.errors.QueryError` rather than written invalid.

``short`` is the one compact form of a term used by the table, the Markdown output and
the catalogue's expected-results files: an IRI under a known namespace as ``prefix:local``
(the project prefix map, plus ``id:`` and ``graph:``), a literal as its lexical form.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph

from ..errors import QueryError
from ..namespaces import DEFAULT_BASE, PREFIXES
from ..safetext import neutralise_cell, printable
from .sparql import AskResult, GraphResult, QueryResult, SelectResult, Term

__all__ = ["GRAPH_FORMATS", "TABLE_FORMATS", "XmlCharacterError", "render", "short",
           "write_boolean", "write_solutions"]

TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml", "md")
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples")

_RESULTS = {"json": pyoxigraph.QueryResultsFormat.JSON, "xml": pyoxigraph.QueryResultsFormat.XML,
            "csv": pyoxigraph.QueryResultsFormat.CSV, "tsv": pyoxigraph.QueryResultsFormat.TSV}
_NOT_XML = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")



def _namespaces(base: str) -> list[tuple[str, str]]:
    """The prefixes of compact names, longest namespace first; ``id:``/``graph:`` under *base*."""
    return sorted([*PREFIXES.items(), ("id", base + "id/"), ("graph", base + "graph/")],
                  key=lambda item: -len(item[1]))


_NAMESPACES = _namespaces(DEFAULT_BASE)


class XmlCharacterError(QueryError):
    """A result holds a character XML 1.0 cannot carry (SPARQL XML results are XML 1.0)."""


class _Capped(io.RawIOBase):
    """A binary sink that refuses to grow beyond *limit* bytes."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        if self.limit is not None and self.buffer.tell() + len(data) > self.limit:
            raise OverflowError(f"the answer exceeds {self.limit} bytes")
        return self.buffer.write(data)


Cell = Term | pyoxigraph.Triple
"""One value of a solution (RDF 1.2 triple terms included)."""


def _safe(term: Cell | None) -> Cell | None:
    if isinstance(term, pyoxigraph.Literal):
        cell = neutralise_cell(term.value)
        if cell != term.value:
            if term.language:
                return pyoxigraph.Literal(cell, language=term.language)
            return pyoxigraph.Literal(cell, datatype=term.datatype)
    return term


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence[Cell | None]],
                    format: str, *, max_bytes: int | None = None) -> bytes:
    """SELECT results as ``json``, ``xml``, ``csv`` or ``tsv``, written by pyoxigraph.

    Raises ``OverflowError`` past *max_bytes*, :class:`XmlCharacterError` for XML that
    would be invalid.

    >>> row = [pyoxigraph.NamedNode("http://x/a"), pyoxigraph.Literal("=1+1", language="en")]
    >>> write_solutions(["s", "l"], [row], "csv")
    b"s,l\\r\\nhttp://x/a,'=1+1\\r\\n"
    >>> write_solutions(["s", "l"], [row], "tsv")
    b'?s\\t?l\\n<http://x/a>\\t"\\\'=1+1"@en\\n'
    """
    neutralise = format in ("csv", "tsv")
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join("" if t is None else str(_safe(t) if neutralise else t)
                               for t in row))
    solutions = pyoxigraph.parse_query_results("\n".join(lines) + "\n",
                                               pyoxigraph.QueryResultsFormat.TSV)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    return _serialize(solutions, format, max_bytes)


def write_boolean(value: bool, format: str) -> bytes:
    """An ASK result as ``json`` or ``xml``, written by pyoxigraph.

    >>> write_boolean(True, "json")
    b'{"head":{},"boolean":true}'
    """
    text = '{"head":{},"boolean":' + ("true" if value else "false") + "}"
    answer = pyoxigraph.parse_query_results(text, pyoxigraph.QueryResultsFormat.JSON)
    return _serialize(answer, format, None)


def _serialize(results: pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean, format: str,
               max_bytes: int | None) -> bytes:
    sink = _Capped(max_bytes)
    results.serialize(sink, format=_RESULTS[format])  # type: ignore[arg-type]
    data = sink.buffer.getvalue()
    if format == "xml":
        bad = _NOT_XML.search(data)
        if bad:
            char = bad.group().decode("utf-8")
            raise XmlCharacterError(f"the results hold U+{ord(char):04X}, which XML 1.0 cannot "
                                    "carry; ask for SPARQL JSON (or CSV/TSV) instead")
    return data


def short(term: Term | None, base: str = DEFAULT_BASE) -> str:
    """The compact text of *term* ('' when unbound); ``id:`` and ``graph:`` under *base*.

    >>> short(pyoxigraph.NamedNode("https://w3id.org/metrokg/id/org/amb"))
    'id:org/amb'
    >>> short(pyoxigraph.NamedNode("http://metadata.un.org/sdg/11"))
    'sdg:11'
    >>> short(pyoxigraph.Literal("49", datatype=pyoxigraph.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#integer")))
    '49'
    >>> short(pyoxigraph.NamedNode("https://example.org/kg/id/org/amb"), "https://example.org/kg/")
    'id:org/amb'
    """
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, ns in (_NAMESPACES if base == DEFAULT_BASE else _namespaces(base)):
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def render(result: QueryResult, format: str = "table", *, base: str = DEFAULT_BASE) -> str:
    """*result* as text in *format* (one of TABLE_FORMATS, or GRAPH_FORMATS for graphs).

    Tables and Markdown write compact names with ``id:`` and ``graph:`` under *base*.
    """
    if isinstance(result, GraphResult):
        if format not in GRAPH_FORMATS:
            raise QueryError(f"{result.name} returns a graph: write it as one of "
                             f"{', '.join(GRAPH_FORMATS)}, not {format!r}")
        return result.serialize(format)
    if format not in TABLE_FORMATS:
        raise QueryError(f"{result.name} returns solutions: write them as one of "
                         f"{', '.join(TABLE_FORMATS)}, not {format!r}")
    if isinstance(result, AskResult):
        if format in ("json", "xml"):
            return write_boolean(result.value, format).decode("utf-8") + "\n"
        return ("true" if result.value else "false") + "\n"
    if format in _RESULTS:
        text = write_solutions(result.variables, result.rows, format).decode("utf-8")
        return text if text.endswith("\n") else text + "\n"
    writers: dict[str, Callable[[SelectResult, str], str]] = {"table": _table, "md": _markdown}
    return writers[format](result, base)


def _cells(result: SelectResult, base: str) -> list[list[str]]:
    return [[printable(short(t, base).replace("\n", " ")) for t in row] for row in result.rows]


def _table(result: SelectResult, base: str) -> str:
    header = list(result.variables)
    cells = _cells(result, base)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    widths = [min(w, 60) for w in widths]

    def line(values: list[str]) -> str:
        return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                         for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _markdown(result: SelectResult, base: str) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(result.variables) + " |",
           "|" + "|".join("---" for _ in result.variables) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in _cells(result, base)]
    return "\n".join(out) + "\n"
