"""Validation on rdflib datasets — kept for callers not yet on the store (see ``checks``).

The validation itself lives in :mod:`metrokg.checks` (``validate_store`` on a pyoxigraph
store); these wrappers copy an rdflib dataset or graph into a store and call it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from ..namespaces import bind_prefixes
from . import Finding, Records, ValidationResult, load_shapes, validate_shapes, validate_store
from . import run_checks as _run_checks

__all__ = [
    "Finding", "ValidationResult", "load_shapes", "merged", "run_checks", "to_store",
    "validate_dataset", "validate_graph",
]


def merged(dataset: Dataset, *, exclude: Iterable[URIRef] = ()) -> Graph:
    """The union of the dataset's named graphs as one rdflib graph."""
    skip = set(exclude)
    out = bind_prefixes(Graph())
    for graph in dataset.graphs():
        if graph.identifier not in skip:
            for triple in graph:
                out.add(triple)
    return out


def to_store(data: Dataset | Graph) -> ox.Store:
    """An rdflib dataset (named graphs kept) or graph (default graph) in a new store."""
    store = ox.Store()
    if isinstance(data, Dataset):
        text = data.serialize(format="nquads")
        fmt = ox.RdfFormat.N_QUADS
    else:
        text = data.serialize(format="nt")
        fmt = ox.RdfFormat.N_TRIPLES
    store.load(text.encode("utf-8") if isinstance(text, str) else text, format=fmt)
    return store


def validate_graph(data: Graph, shapes: Graph, *, engine: str = "auto") -> ValidationResult:
    """Run the shapes on one data graph (no inference, no records to name).

    >>> shapes = Graph().parse(format="turtle", data='''
    ...     @prefix sh: <http://www.w3.org/ns/shacl#> .
    ...     <https://example.org/S1> a sh:PropertyShape ; sh:targetNode <https://example.org/a> ;
    ...         sh:path <https://example.org/p> ; sh:minCount 1 ; sh:message "needs p"@en .''')
    >>> [f.line() for f in validate_graph(Graph(), shapes).findings]
    ['Violation [S1] https://example.org/a, property <https://example.org/p>: needs p']
    """
    return validate_shapes(to_store(data), shapes, engine=engine)


def validate_dataset(dataset: Dataset, shapes: Graph, *, ontology: Graph | None = None,
                     checks: Sequence[Path] = (), provenance: URIRef | None = None,
                     engine: str = "auto") -> ValidationResult:
    """Run the shapes on the dataset's graphs except provenance, then the checks."""
    if ontology is not None:
        raise ValueError("validate_dataset: put the ontology in the dataset as a named graph")
    store = to_store(dataset)
    if provenance is None:
        return validate_shapes(store, shapes, engine=engine)
    return validate_store(store, shapes=shapes, checks=checks, provenance=str(provenance),
                          engine=engine)


def run_checks(dataset: Dataset, checks: Sequence[Path], *,
               provenance: URIRef | None = None,
               bindings: Mapping[str, URIRef] | None = None) -> list[Finding]:
    """Run the `*-violation.rq` checks on an rdflib dataset (copied into a store)."""
    store = to_store(dataset)
    records = Records(store, str(provenance) if provenance is not None else None)
    return _run_checks(store, checks, records,
                       bindings={k: str(v) for k, v in (bindings or {}).items()})
