"""Every catalogue query parses with room to spare on the call stack.

rdflib's SPARQL parser (the endpoint's and ``metrokg query``'s read-only policy) recurses
about 40 frames per nested function call; a query written as eleven nested ``REPLACE``
calls needed ~670 of Python's 1,000 frames and was refused as "too deeply nested to
parse" when called from a server's request handler. The catalogue's queries must parse
with 500 frames already in use.
"""

from __future__ import annotations

import pytest

from metrokg.paths import default_paths
from metrokg.queries.catalogue import load_catalogue
from metrokg.queries.queryparse import QueryRefused, parse_query
from metrokg.queries.sparql import prepare

USED = 500


def _at_depth(depth: int, text: str) -> str | None:
    if depth:
        return _at_depth(depth - 1, text)
    parse_query.cache_clear()
    try:
        parse_query(text)
    except QueryRefused as exc:
        return exc.message
    return None


@pytest.mark.parametrize("name", sorted(load_catalogue(default_paths().queries)))
def test_catalogue_query_parses_with_frames_in_use(name: str) -> None:
    assert _at_depth(USED, prepare(name).text) is None
