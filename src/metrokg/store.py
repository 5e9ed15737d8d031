"""The embedded store: the built dataset loaded into Oxigraph (pyoxigraph).

Queries run on Oxigraph's engine, never on rdflib's evaluator; the store is loaded
from the built N-Quads dump with Oxigraph's own parser (no rdflib terms cross over).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .build import OUTPUT_FILES
from .errors import StoreError
from .paths import ProjectPaths

__all__ = ["StoreStats", "open_store", "store_stats"]


def open_store(paths: ProjectPaths | None = None, *, dump: Path | None = None) -> ox.Store:
    """An in-memory Oxigraph store holding the built dataset (named graphs kept).

    Raises :class:`StoreError` when the dataset has not been built yet.
    """
    if dump is None:
        if paths is None:
            raise StoreError("open_store needs project paths or a dump file")
        dump = paths.output / OUTPUT_FILES["dataset_nquads"]
    if not dump.is_file():
        raise StoreError(f"no built dataset at {dump}: run `metrokg build` first")
    store = ox.Store()
    try:
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot load {dump}: {exc}") from None
    return store


@dataclass(frozen=True)
class StoreStats:
    """Counts read from the store itself."""

    quads: int
    named_graphs: int
    organisations: int
    plans: int
    plan_elements: dict[str, int]
    relations: int
    involvements: int


_MKG = "https://w3id.org/metrokg/def/"


def store_stats(store: ox.Store) -> StoreStats:
    """Count quads, graphs, organisations, plans, elements per level, relations."""

    def one(query: str) -> int:
        for row in store.query(query):  # type: ignore[union-attr]
            return int(row[0].value)
        return 0

    levels: dict[str, int] = {}
    for row in store.query(  # type: ignore[union-attr]
        f"PREFIX mkg: <{_MKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?cls (COUNT(DISTINCT ?e) AS ?n) WHERE { "
        "GRAPH ?o { ?cls rdfs:subClassOf mkg:PlanElement } GRAPH ?g { ?e a ?cls } } GROUP BY ?cls"
    ):
        levels[str(row[0].value).removeprefix(_MKG)] = int(row[1].value)
    return StoreStats(
        quads=len(store),
        named_graphs=one("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"),
        organisations=one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { GRAPH ?g "
                          "{ ?o a <http://www.w3.org/ns/org#Organization> } }"),
        plans=one(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ GRAPH ?g {{ ?p a <{_MKG}Plan> }} }}"),
        plan_elements=dict(sorted(levels.items())),
        relations=one("SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { GRAPH ?g "
                      "{ ?m a <http://www.w3.org/ns/org#Membership> } }"),
        involvements=one(f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ GRAPH ?g "
                         f"{{ ?i a <{_MKG}Involvement> }} }}"),
    )
