"""SPARQL results as the endpoint serves them: which media types, written by whom.

Solutions and booleans are written by :mod:`metrokg.queries.render` (pyoxigraph's SPARQL results
serialisers, the same as ``metrokg query``); graphs by pyoxigraph's RDF writers. The
formats follow the W3C recommendations "SPARQL 1.1 Query Results JSON Format",
"... XML Format" and "... CSV and TSV Formats".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from ..queries.render import write_boolean as _write_boolean
from ..queries.render import write_solutions as _write_solutions

__all__ = [
    "BOOLEAN_TYPES", "GRAPH_TYPES", "SOLUTION_TYPES", "write_boolean", "write_graph",
    "write_solutions",
]

SOLUTION_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/json",
    "application/xml",
)
"""Media types offered for SELECT results, the default first."""

BOOLEAN_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "application/json",
    "application/xml",
)
"""Media types offered for ASK results (CSV/TSV define no boolean form)."""

GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
"""Media types offered for CONSTRUCT and DESCRIBE results, the default first."""

_FORMATS = {"text/csv": "csv", "text/tab-separated-values": "tsv"}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _format(media_type: str) -> str:
    return _FORMATS.get(media_type, "xml" if media_type.endswith("xml") else "json")


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence[Term | None]],
                    media_type: str, *, max_bytes: int | None = None) -> bytes:
    """Serialise SELECT results (already capped by the caller) as *media_type*.

    >>> row = [ox.NamedNode("http://x/a"), ox.Literal("a,b", language="en")]
    >>> write_solutions(["s", "l"], [row], "text/csv")
    b's,l\\r\\nhttp://x/a,"a,b"\\r\\n'
    >>> write_solutions(["s", "l"], [row], "text/tab-separated-values")
    b'?s\\t?l\\n<http://x/a>\\t"a,b"@en\\n'
    """
    return _write_solutions(variables, rows, _format(media_type), max_bytes=max_bytes)


def write_boolean(value: bool, media_type: str) -> bytes:
    """Serialise an ASK result.

    >>> write_boolean(True, "application/sparql-results+json")
    b'{"head":{},"boolean":true}'
    """
    return _write_boolean(value, _format(media_type))


def write_graph(triples: Iterable[ox.Triple], media_type: str,
                prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise triples with Oxigraph's writers (JSON-LD is written, never fetched).

    >>> t = ox.Triple(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1"))
    >>> write_graph([t], "application/n-triples")
    b'<http://x/a> <http://x/p> "1" .\\n'
    """
    fmt = GRAPH_TYPES[media_type]
    kwargs: dict[str, object] = {}
    if prefixes and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        kwargs["prefixes"] = prefixes
    out = ox.serialize(triples, format=fmt, **kwargs)  # type: ignore[arg-type]
    return out if isinstance(out, bytes) else b""
