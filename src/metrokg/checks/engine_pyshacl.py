"""The reference engine: pyshacl on an rdflib graph (no inference, SHACL-SPARQL on)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pyshacl import validate as shacl_validate
from pyshacl.errors import ReportableRuntimeError
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query

from ..errors import InputError

__all__ = ["run_pyshacl"]


def run_pyshacl(data: Graph, shapes: Graph) -> Graph:
    """The SHACL report of *shapes* on *data* (validated in place: no shape adds triples)."""
    view = _PreparedQueries(data.store, data.identifier, data.namespace_manager)
    try:
        _, report, _ = shacl_validate(view, shacl_graph=shapes, inference="none",
                                      advanced=True, allow_warnings=True, inplace=True)
    except ReportableRuntimeError as exc:
        raise InputError("shapes", "a shape cannot be run: " + " ".join(str(exc).split()),
                         hint="fix the shape in shapes/*.ttl (SHACL / SHACL-SPARQL syntax)"
                         ) from None
    return report  # type: ignore[no-any-return]


class _PreparedQueries(Graph):
    """A view of a graph (same store) that parses each distinct SPARQL text once.

    pyshacl parses a SHACL-SPARQL query again for every focus node (tens of ms each with
    rdflib's grammar); the text is the same every time — ``$this`` is bound, not spliced
    — so the parsed query is reused.
    """

    def __init__(self, store: Any, identifier: Any, namespace_manager: Any) -> None:
        super().__init__(store=store, identifier=identifier,
                         namespace_manager=namespace_manager)

    def query(self, query_object: Any, processor: Any = "sparql", result: Any = "sparql",
              initNs: Any = None, initBindings: Any = None,
              use_store_provided: bool = True, **kwargs: Any) -> Any:
        if isinstance(query_object, str) and not initNs:
            query_object = _prepared(query_object)
        return super().query(query_object, processor, result, initNs, initBindings,
                             use_store_provided, **kwargs)


@lru_cache(maxsize=512)
def _prepared(text: str) -> Query:
    return prepareQuery(text)
