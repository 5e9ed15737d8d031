"""Comparing a catalogue query's answer with its expected file, as RDF terms.

Expected files (``queries/expected/``) are written from the source documents, never
recorded from a run. Three forms:

* ``ID.srj`` (SPARQL 1.1 results JSON), when present, wins: every cell is a full RDF
  term (IRI, literal with its datatype or language tag), compared exactly as terms.
* ``ID.csv``: one header row (the variables), then rows of cells read into terms by
  :func:`cell_term` (explicit rules: prefixed names and IRIs, integers, decimals,
  ``text@lang``, strings) and compared with the answer's terms exactly.
* The queries in :data:`LEXICAL` answer with terms a plain CSV cell cannot say
  (``xsd:gYear`` years, ``xsd:decimal`` amounts written as integers, language-tagged
  labels): until their ``.srj`` is written they are compared by lexical form, both
  sides read from compact text — the datatypes and languages are then NOT checked.
* ``ID.ttl`` (graphs, isomorphism) and ``ID.json`` (ASK).

Every IRI written under the default base is re-based (:func:`metrokg.queries.catalogue.rebase`)
when the build under test used another base, so the same files check any base.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from metrokg.namespaces import DEFAULT_BASE, PREFIXES
from metrokg.queries.catalogue import CatalogueEntry, rebase
from metrokg.queries.render import short
from metrokg.queries.sparql import AskResult, GraphResult, QueryResult, SelectResult

Row = tuple[ox.NamedNode | ox.Literal | ox.BlankNode | None, ...]

_XSD = PREFIXES["xsd"]
_INTEGER = re.compile(r"^-?[0-9]+$")
_DECIMAL = re.compile(r"^-?[0-9]*\.[0-9]+$")
_LANGUAGE = re.compile(r"^(.*)@([a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)$", re.DOTALL)
_ABSOLUTE = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$")


LEXICAL: dict[str, str] = {
    "labels-with-fallback": "labels carry their language tags",
    "missions-and-reference-spaces": "mission names carry their language tags",
}
"""Catalogue ids compared by lexical form, and the terms their CSV cannot say."""


def _prefixes(base: str) -> dict[str, str]:
    return {**PREFIXES, "id": base + "id/", "graph": base + "graph/"}


def cell_term(text: str, base: str = DEFAULT_BASE) -> ox.NamedNode | ox.Literal | None:
    """The RDF term an expected CSV cell stands for.

    Rules, in order: an empty cell is unbound; ``prefix:local`` with a metrokg prefix
    (``id:`` and ``graph:`` under *base*) and an absolute ``scheme://`` IRI are IRIs;
    ``-?[0-9]+`` is an ``xsd:integer`` and ``-?[0-9]*.[0-9]+`` an ``xsd:decimal``;
    ``text@ca`` (a BCP 47 tag after the last ``@``) is a language-tagged literal;
    anything else is an ``xsd:string``.

    >>> cell_term("id:org/amb").value
    'https://w3id.org/metrokg/id/org/amb'
    >>> cell_term("36").datatype.value
    'http://www.w3.org/2001/XMLSchema#integer'
    >>> cell_term("Àrea Metropolitana de Barcelona@ca").language
    'ca'
    """
    if text == "":
        return None
    prefix, sep, local = text.partition(":")
    names = _prefixes(base)
    if sep and prefix in names and " " not in local:
        return ox.NamedNode(names[prefix] + local)
    if _ABSOLUTE.match(text):
        return ox.NamedNode(rebase(text, base))
    if _INTEGER.match(text):
        return ox.Literal(text, datatype=ox.NamedNode(_XSD + "integer"))
    if _DECIMAL.match(text):
        return ox.Literal(text, datatype=ox.NamedNode(_XSD + "decimal"))
    match = _LANGUAGE.match(text)
    if match:
        return ox.Literal(match.group(1), language=match.group(2))
    return ox.Literal(text)


def _rebased(term: ox.NamedNode | ox.Literal | ox.BlankNode | None,
             base: str) -> ox.NamedNode | ox.Literal | ox.BlankNode | None:
    return ox.NamedNode(rebase(term.value, base)) if isinstance(term, ox.NamedNode) else term


def expected_srj(path: Path, base: str = DEFAULT_BASE) -> tuple[list[str], Counter[Row]]:
    """The variables and rows of a SPARQL results JSON file, IRIs re-based under *base*."""
    solutions = ox.parse_query_results(path.read_bytes(), ox.QueryResultsFormat.JSON)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    rows: Counter[Row] = Counter(
        tuple(_rebased(s[v], base) for v in variables) for s in solutions)  # type: ignore[misc]
    return variables, rows


def expected_csv(path: Path, base: str = DEFAULT_BASE) -> tuple[list[str], Counter[Row]]:
    """The header and rows of an expected CSV file, each cell read by :func:`cell_term`."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], Counter(tuple(cell_term(c, base) for c in row) for row in rows[1:])


def check(entry: CatalogueEntry, result: QueryResult, base: str = DEFAULT_BASE) -> None:
    """Fail unless *result* is the entry's expected answer (for a build under *base*)."""
    assert entry.expected is not None and entry.expected.is_file(), \
        f"{entry.id}: no expected-results file"
    if isinstance(result, SelectResult):
        srj = entry.expected.with_suffix(".srj")
        if srj.is_file():
            header, expected = expected_srj(srj, base)
            actual: Counter[Row] = Counter(tuple(row) for row in result.rows)  # type: ignore[misc]
        else:
            header, expected = expected_csv(entry.expected, base)
            if entry.id in LEXICAL:
                actual = Counter(tuple(cell_term(short(t, base), base) for t in row)
                                 for row in result.rows)
            else:
                actual = Counter(tuple(row) for row in result.rows)  # type: ignore[misc]
        assert list(result.variables) == header, f"{entry.id}: columns differ"
        assert expected, f"{entry.id}: the expected file has no rows"
        missing, extra = expected - actual, actual - expected
        assert not missing and not extra, (
            f"{entry.id}: missing rows {_rows(missing)}; unexpected rows {_rows(extra)}")
    elif isinstance(result, AskResult):
        assert result.value is json.loads(entry.expected.read_text())["boolean"]
    else:
        assert isinstance(result, GraphResult)
        expected_graph = _rebased_graph(Graph().parse(entry.expected, format="turtle"), base)
        assert len(expected_graph) > 0
        actual_graph = result.to_rdflib()
        if not isomorphic(expected_graph, actual_graph):
            _, only_expected, only_actual = graph_diff(to_isomorphic(expected_graph),
                                                       to_isomorphic(actual_graph))
            pytest.fail(f"{entry.id}: graphs differ\nonly expected:\n"
                        f"{only_expected.serialize(format='nt')}\nonly actual:\n"
                        f"{only_actual.serialize(format='nt')}")


def _rows(rows: Counter[Row]) -> list[str]:
    """Rows as N-Triples terms (UNDEF when unbound), for failure messages."""
    return sorted(" ".join("UNDEF" if t is None else str(t) for t in row) for row in rows)


def _rebased_graph(graph: Graph, base: str) -> Graph:
    if base == DEFAULT_BASE:
        return graph
    out = Graph()
    for triple in graph:
        out.add(tuple(URIRef(rebase(str(t), base)) if isinstance(t, URIRef) else t  # type: ignore[arg-type]
                      for t in triple))
    return out


def comparable(result: QueryResult) -> object:
    """A result in a form two engines' answers can be compared by (``==``): rows as a
    multiset of term texts, a boolean, or a multiset of triples."""
    if isinstance(result, SelectResult):
        return result.variables, Counter(tuple(map(str, row)) for row in result.rows)
    if isinstance(result, AskResult):
        return result.value
    assert isinstance(result, GraphResult)
    return Counter(str(t) for t in result.triples)
