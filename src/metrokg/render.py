"""Writing query results: terminal table, CSV, TSV, SPARQL JSON, Markdown; graphs as RDF.

``short`` is the one compact form of a term used by the table, the Markdown output and
the catalogue's expected-results files: an IRI under a known namespace as ``prefix:local``
(the project prefix map, plus ``id:`` and ``graph:``), a literal as its lexical form.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pyoxigraph

from .errors import QueryError
from .namespaces import DEFAULT_BASE, PREFIXES
from .sparql import AskResult, GraphResult, QueryResult, SelectResult, Term

__all__ = ["GRAPH_FORMATS", "TABLE_FORMATS", "render", "short"]

TABLE_FORMATS = ("table", "csv", "tsv", "json", "md")
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples")

_NAMESPACES = sorted(
    [*PREFIXES.items(), ("id", DEFAULT_BASE + "id/"), ("graph", DEFAULT_BASE + "graph/")],
    key=lambda item: -len(item[1]))


def short(term: Term | None) -> str:
    """The compact text of *term* ('' when unbound).

    >>> short(pyoxigraph.NamedNode("https://w3id.org/metrokg/id/org/amb"))
    'id:org/amb'
    >>> short(pyoxigraph.NamedNode("http://metadata.un.org/sdg/11"))
    'sdg:11'
    >>> short(pyoxigraph.Literal("49", datatype=pyoxigraph.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#integer")))
    '49'
    """
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.NamedNode):
        for prefix, ns in _NAMESPACES:
            if term.value.startswith(ns) and len(term.value) > len(ns):
                return f"{prefix}:{term.value[len(ns):]}"
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def render(result: QueryResult, format: str = "table") -> str:
    """*result* as text in *format* (one of TABLE_FORMATS, or GRAPH_FORMATS for graphs)."""
    if isinstance(result, GraphResult):
        if format not in GRAPH_FORMATS:
            raise QueryError(f"{result.name} returns a graph: write it as one of "
                             f"{', '.join(GRAPH_FORMATS)}, not {format!r}")
        return result.serialize(format)
    if format not in TABLE_FORMATS:
        raise QueryError(f"{result.name} returns solutions: write them as one of "
                         f"{', '.join(TABLE_FORMATS)}, not {format!r}")
    if isinstance(result, AskResult):
        if format == "json":
            return json.dumps({"head": {}, "boolean": result.value}) + "\n"
        return ("true" if result.value else "false") + "\n"
    writers: dict[str, Callable[[SelectResult], str]] = {
        "table": _table, "csv": _csv, "tsv": _tsv, "json": _json, "md": _markdown}
    return writers[format](result)


def _csv(result: SelectResult) -> str:
    """SPARQL 1.1 CSV results: IRIs in full, literals as lexical forms."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else t.value if not isinstance(t, pyoxigraph.BlankNode)
                         else f"_:{t.value}" for t in row])
    return out.getvalue()


def _tsv(result: SelectResult) -> str:
    """SPARQL 1.1 TSV results: terms in their N-Triples/Turtle form."""
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else _escape_tsv(str(t)) for t in row))
    return "\n".join(lines) + "\n"


def _escape_tsv(text: str) -> str:
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _json(result: SelectResult) -> str:
    """SPARQL 1.1 Query Results JSON."""
    bindings = []
    for row in result.rows:
        binding: dict[str, dict[str, str]] = {}
        for var, term in zip(result.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, pyoxigraph.NamedNode):
                binding[var] = {"type": "uri", "value": term.value}
            elif isinstance(term, pyoxigraph.BlankNode):
                binding[var] = {"type": "bnode", "value": term.value}
            else:
                item = {"type": "literal", "value": term.value}
                if term.language:
                    item["xml:lang"] = term.language
                elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    item["datatype"] = term.datatype.value
                binding[var] = item
        bindings.append(binding)
    return json.dumps({"head": {"vars": list(result.variables)},
                       "results": {"bindings": bindings}}, ensure_ascii=False, indent=1) + "\n"


def _cells(result: SelectResult) -> list[list[str]]:
    return [[short(t).replace("\n", " ") for t in row] for row in result.rows]


def _table(result: SelectResult) -> str:
    header = list(result.variables)
    cells = _cells(result)
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(header)]
    widths = [min(w, 60) for w in widths]

    def line(values: list[str]) -> str:
        return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w)
                         for v, w in zip(values, widths, strict=True)).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out) + "\n"


def _markdown(result: SelectResult) -> str:
    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    out = ["| " + " | ".join(result.variables) + " |",
           "|" + "|".join("---" for _ in result.variables) + "|"]
    out += ["| " + " | ".join(cell(c) for c in row) + " |" for row in _cells(result)]
    return "\n".join(out) + "\n"
