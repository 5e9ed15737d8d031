"""The store beside the dumps: an on-disk Oxigraph store, opened read-only by the CLI.

``metrokg build`` writes it into the build folder (``store/``) and publishes it with the
dumps in one rename; ``metrokg query``, ``stats``, ``network``, ``explore`` and ``serve``
open it instead of reloading the N-Quads dump. A build folder without a store (made by
an older metrokg) still works: the dump is loaded into memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..paths import OUTPUT_FILES, STORE_DIR, ProjectPaths

__all__ = ["StoreStats", "open_read_only", "open_store", "store_stats"]


def open_read_only(folder: Path) -> ox.Store:
    """The on-disk store in *folder*, opened read-only (several processes may share it).

    Raises :class:`StoreError` when the folder holds no store or a damaged one.
    """
    if not (folder / "CURRENT").is_file():
        raise StoreError(f"no store at {folder}: run `metrokg build` (it writes the store "
                         "beside the dumps)")
    try:
        return ox.Store.read_only(str(folder))
    except (OSError, RuntimeError, ValueError, MemoryError) as exc:  # corruption: RuntimeError
        text = " ".join(str(exc).split())
        text = (text[:300] + "…") if len(text) > 300 else text or type(exc).__name__
        raise StoreError(f"cannot open the store {folder}: {text}; run `metrokg build` "
                         "again") from None


def open_store(paths: ProjectPaths | None = None, *, dump: Path | None = None,
               output: Path | None = None) -> ox.Store:
    """The built dataset in Oxigraph (named graphs kept).

    With *paths* or *output* (a build folder): the on-disk store of that build, opened
    read-only (else its dump, loaded into memory). With *dump*: that N-Quads file, loaded
    into an in-memory store. Raises :class:`StoreError` when nothing has been built.
    """
    if dump is None:
        if output is None:
            if paths is None:
                raise StoreError("open_store needs project paths, a build folder or a dump")
            output = paths.output
        on_disk = output / STORE_DIR
        if on_disk.is_dir():
            return open_read_only(on_disk)
        dump = output / OUTPUT_FILES["dataset_nquads"]
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
