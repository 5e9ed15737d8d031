"""Records → quads: one named graph per record, plus the provenance graph.

Two passes: :func:`~metrokg.mapping.registry.register` records what the records define
(organisations, plans, elements, people, concepts) so references can be checked with a
clear message; then each record's writer (one per kind, :data:`~metrokg.mapping.kinds.
WRITERS`) states its facts into the record's own named graph, as pyoxigraph quads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from ..records import Record
from ..sources import Document
from .context import Context, Sink
from .iris import Iris
from .keys import graph_key
from .kinds import WRITERS
from .provenance import describe_documents, describe_graph
from .registry import register
from .terms import LEVELS
from .vocabulary import Vocabulary

__all__ = ["LEVELS", "WRITERS", "Iris", "Vocabulary", "map_records"]


def map_records(records: Sequence[Record], documents: Mapping[str, Document],
                vocabulary: Vocabulary, *, base: str) -> list[ox.Quad]:
    """The quads of *records*: one named graph per record, plus provenance (unsorted)."""
    iris = Iris(base)
    context = Context(register(records, iris), vocabulary, iris)
    quads: list[ox.Quad] = []
    provenance: list[ox.Quad] = []
    prov = Sink(iris.provenance_graph, provenance)
    describe_documents(prov, documents, iris)
    for record in records:
        writer = WRITERS.get(record.kind)
        if writer is None:
            raise record.error(f"unknown record kind {record.kind!r}", field="kind",
                               hint=f"use one of: {', '.join(sorted(WRITERS))}")
        graph_iri = iris.graph(*graph_key(record).split("/"))
        sink = Sink(graph_iri, quads)
        writer(context, record, sink)
        if len(sink) == 0:
            raise record.error("the record states nothing", hint="add the facts it supports")
        describe_graph(prov, graph_iri, record, iris)
    quads.extend(provenance)
    return quads
