"""Every catalogue query answers its competency question as the source documents say.

Expected results (``queries/expected/``) were written from the source documents and
REFERENCE-FACTS, never recorded from a run. Rows are compared as multisets, ignoring
order, as RDF terms (tests/expected_results.py); graphs by isomorphism.
"""

from __future__ import annotations

from pathlib import Path

import expected_results
import pyoxigraph
import pytest

from metrokg.outputs.build import BuildResult
from metrokg.outputs.store import open_store
from metrokg.queries.catalogue import CatalogueEntry, load_catalogue
from metrokg.queries.sparql import query

QUERIES = Path(__file__).resolve().parents[1] / "queries"
CATALOGUE = load_catalogue(QUERIES)

KNOWN_GAPS: dict[str, str] = {}  # catalogue id → why the data cannot answer it yet


@pytest.fixture(scope="module")
def store(built: BuildResult) -> pyoxigraph.Store:
    return open_store(dump=built.files["dataset_nquads"])


def check(entry: CatalogueEntry, store: pyoxigraph.Store) -> None:
    expected_results.check(entry, query(entry.id, store=store))


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
