"""Records → quads: one named graph per record, plus the provenance graph.

Two passes: :func:`~metrokg.mapping.registry.register` records what the records define
(organisations, plans, elements, people, concepts) so references can be checked with a
clear message; then each record's writer (one per kind, :data:`~metrokg.mapping.kinds.
WRITERS`) states its facts into the record's own named graph, as pyoxigraph quads.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import pyoxigraph as ox

from ..records import Record
from ..records.sources import Document
from .context import Context, Sink
from .iris import Iris
from .keys import graph_key
from .kinds import WRITERS
from .provenance import describe_documents, describe_graph, describe_reading
from .registry import register
from .terms import LEVELS
from .vocabulary import Vocabulary

__all__ = ["LEVELS", "WRITERS", "Iris", "Vocabulary", "map_records"]


def map_records(records: Sequence[Record], documents: Mapping[str, Document],
                vocabulary: Vocabulary, *, base: str) -> Iterator[ox.Quad]:
    """The quads of *records*: one named graph per record, plus provenance.

    Streamed record by record (the caller feeds them to a store), so the mapping never
    holds more than one record's quads; bad input raises as soon as it is met.
    """
    iris = Iris(base)
    context = Context(register(records, iris), vocabulary, iris)
    buffer: list[ox.Quad] = []
    prov = iris.provenance_graph
    describe_documents(Sink(prov, buffer), documents, iris)
    yield from buffer
    for record in records:
        buffer.clear()
        writer = WRITERS.get(record.kind)
        if writer is None:
            raise record.error(f"unknown record kind {record.kind!r}", field="kind",
                               hint=f"use one of: {', '.join(sorted(WRITERS))}")
        graph_iri = iris.graph(*graph_key(record).split("/"))
        sink = Sink(graph_iri, buffer)
        writer(context, record, sink)
        if len(sink) == 0:
            raise record.error("the record states nothing", hint="add the facts it supports")
        provenance = Sink(prov, buffer)
        describe_graph(provenance, graph_iri, record, iris)
        describe_reading(provenance, graph_iri, record, vocabulary)
        yield from buffer
