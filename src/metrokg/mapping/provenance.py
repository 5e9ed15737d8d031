"""The provenance graph: the source documents, and where each record's graph comes from."""

from __future__ import annotations

from collections.abc import Mapping

import pyoxigraph as ox

from ..records import Record
from ..records.sources import Document
from .context import Sink
from .iris import Iris
from .keys import graph_key
from .terms import DCTERMS, MKG, OA, PROV, RDF, XSD, lang, plain, typed
from .vocabulary import Vocabulary

__all__ = ["describe_documents", "describe_graph", "describe_reading"]


def describe_documents(g: Sink, documents: Mapping[str, Document], iris: Iris) -> None:
    """One mkg:SourceDocument per document, with its title, language, file and digest."""
    for doc in documents.values():
        s = iris.document(doc.id)
        g.add(s, RDF.type, MKG.SourceDocument)
        for tag, title in sorted(doc.title.items()):
            g.add(s, DCTERMS.title, lang(title, tag))
        g.add(s, DCTERMS.language, typed(doc.language, XSD.language))
        g.add(s, DCTERMS.identifier, plain(doc.file.name))
        g.add(s, MKG.sha256, typed(doc.sha256, XSD.hexBinary))
        if doc.publisher:
            g.add(s, DCTERMS.publisher, iris.org(doc.publisher))
        if doc.genre:
            g.add(s, DCTERMS.type, plain(doc.genre))


def describe_reading(g: Sink, graph_iri: ox.NamedNode, record: Record, vocab: Vocabulary) -> None:
    """How the record's statements were read (`reading`, default printed): mkg:reading."""
    if record.reading not in vocab.readings:
        raise record.error(f"unknown reading {record.reading!r}", field="reading",
                           hint=f"use one of: {', '.join(sorted(vocab.readings)) or 'printed'}")
    g.add(graph_iri, MKG.reading, vocab.readings[record.reading])


def describe_graph(g: Sink, graph_iri: ox.NamedNode, record: Record, iris: Iris) -> None:
    """The record's graph is a prov:Entity derived from its URL or its quoted passage."""
    g.add(graph_iri, RDF.type, PROV.Entity)
    g.add(graph_iri, MKG.recordKey, plain(f"{record.file}#{graph_key(record)}"))
    if record.url is not None:
        url = ox.NamedNode(record.url)
        g.add(graph_iri, PROV.wasDerivedFrom, url)
        g.add(graph_iri, DCTERMS.source, url)
        if record.as_of:
            dtype = XSD.gYearMonth if len(record.as_of) == 7 else XSD.date
            g.add(graph_iri, MKG.asOf, typed(record.as_of, dtype))
        return
    assert record.document is not None and record.quote is not None
    doc = iris.document(record.document.id)
    base = graph_iri.value
    passage = ox.NamedNode(f"{base}#passage")
    quote, position = ox.NamedNode(f"{base}#quote"), ox.NamedNode(f"{base}#position")
    g.add(graph_iri, PROV.wasDerivedFrom, passage)
    g.add(graph_iri, DCTERMS.source, doc)
    g.add(passage, RDF.type, OA.SpecificResource)
    g.add(passage, OA.hasSource, doc)
    g.add(passage, OA.hasSelector, quote)
    g.add(passage, OA.hasSelector, position)
    g.add(quote, RDF.type, OA.TextQuoteSelector)
    g.add(quote, OA.exact, plain(record.quote.exact))
    g.add(position, RDF.type, OA.TextPositionSelector)
    # xsd:integer (≥ 0 is checked in the shapes): Oxigraph keeps it as written, while
    # xsd:nonNegativeInteger would come back from the store as xsd:integer
    g.add(position, OA.start, typed(str(record.quote.start), XSD.integer))
    g.add(position, OA.end, typed(str(record.quote.end), XSD.integer))
