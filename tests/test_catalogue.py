"""Every catalogue query answers its competency question as the source documents say.

Expected results (``queries/expected/``) were written from the source documents and
REFERENCE-FACTS, never recorded from a run. Rows are compared as multisets, ignoring
order; graphs by isomorphism.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from metrokg.build import BuildResult
from metrokg.catalogue import CatalogueEntry, load_catalogue
from metrokg.render import short
from metrokg.sparql import AskResult, GraphResult, SelectResult, query
from metrokg.store import open_store

QUERIES = Path(__file__).resolve().parents[1] / "queries"
CATALOGUE = load_catalogue(QUERIES)

KNOWN_GAPS: dict[str, str] = {}  # catalogue id → why the data cannot answer it yet


@pytest.fixture(scope="module")
def store(built: BuildResult) -> pyoxigraph.Store:
    return open_store(dump=built.files["dataset_nquads"])


def read_expected_rows(path: Path) -> Counter[tuple[str, ...]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return Counter(tuple(row) for row in rows[1:])


def select_rows(result: SelectResult) -> Counter[tuple[str, ...]]:
    return Counter(tuple(short(t) for t in row) for row in result.rows)


def check(entry: CatalogueEntry, store: pyoxigraph.Store) -> None:
    assert entry.expected is not None and entry.expected.is_file(), \
        f"{entry.id}: no expected-results file"
    result = query(entry.id, store=store)
    if isinstance(result, SelectResult):
        with open(entry.expected, encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert list(result.variables) == header, f"{entry.id}: columns differ"
        expected, actual = read_expected_rows(entry.expected), select_rows(result)
        assert expected, f"{entry.id}: the expected file has no rows"
        missing, extra = expected - actual, actual - expected
        assert not missing and not extra, (
            f"{entry.id}: missing rows {sorted(missing)}; unexpected rows {sorted(extra)}")
    elif isinstance(result, AskResult):
        assert result.value is json.loads(entry.expected.read_text())["boolean"]
    else:
        assert isinstance(result, GraphResult)
        expected_graph = Graph().parse(entry.expected, format="turtle")
        assert len(expected_graph) > 0
        actual_graph = result.to_rdflib()
        if not isomorphic(expected_graph, actual_graph):
            _, only_expected, only_actual = graph_diff(to_isomorphic(expected_graph),
                                                       to_isomorphic(actual_graph))
            pytest.fail(f"{entry.id}: graphs differ\nonly expected:\n"
                        f"{only_expected.serialize(format='nt')}\nonly actual:\n"
                        f"{only_actual.serialize(format='nt')}")


def params() -> list[object]:
    out: list[object] = []
    for name in sorted(CATALOGUE):
        marks = [pytest.mark.xfail(reason=KNOWN_GAPS[name], strict=True)] \
            if name in KNOWN_GAPS else []
        out.append(pytest.param(CATALOGUE[name], id=name, marks=marks))
    return out


def test_catalogue_is_large_enough() -> None:
    assert len(CATALOGUE) >= 25


@pytest.mark.parametrize("entry", params())
def test_catalogue_query_answers_as_the_documents_say(entry: CatalogueEntry,
                                                      store: pyoxigraph.Store) -> None:
    check(entry, store)
