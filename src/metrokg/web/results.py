"""SPARQL results written out: JSON, XML, CSV and TSV for solutions; RDF formats for graphs.

Written here (not with pyoxigraph's serialisers) so that a row cap can cut the stream
after *n* rows and still produce a complete, well-formed document. The formats follow
the W3C recommendations "SPARQL 1.1 Query Results JSON Format", "... XML Format" and
"... CSV and TSV Formats".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

__all__ = [
    "BOOLEAN_TYPES", "GRAPH_TYPES", "SOLUTION_TYPES", "write_boolean", "write_graph",
    "write_solutions",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

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

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _json_term(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{xml_escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return (f"<literal datatype={quoteattr(term.datatype.value)}>"
                    f"{xml_escape(term.value)}</literal>")
        return f"<literal>{xml_escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
            f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}"
            "</object></triple>")


def _csv_field(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        text = "_:" + term.value
    elif isinstance(term, ox.NamedNode | ox.Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in ',"\r\n'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _tsv_field(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        lexical = (term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
                   .replace("\r", "\\r").replace("\t", "\\t"))
        if term.language:
            return f'"{lexical}"@{term.language}'
        if term.datatype.value == XSD_STRING:
            return f'"{lexical}"'
        return f'"{lexical}"^^<{term.datatype.value}>'
    return str(term)  # <iri>, _:b, << triple >> in N-Triples syntax


def write_solutions(variables: Sequence[str], rows: Iterable[Sequence[Term | None]],
                    media_type: str) -> bytes:
    """Serialise SELECT results (already capped by the caller) as *media_type*.

    >>> row = [ox.NamedNode("http://x/a"), ox.Literal("a,b", language="en")]
    >>> write_solutions(["s", "l"], [row], "text/csv")
    b's,l\\r\\nhttp://x/a,"a,b"\\r\\n'
    >>> write_solutions(["s", "l"], [row], "text/tab-separated-values")
    b'?s\\t?l\\n<http://x/a>\\t"a,b"@en\\n'
    """
    if media_type in ("text/csv",):
        lines = [",".join(_csv_field(None if v is None else ox.Literal(v)) for v in variables)]
        lines += [",".join(_csv_field(t) for t in row) for row in rows]
        return ("\r\n".join(lines) + "\r\n").encode()
    if media_type == "text/tab-separated-values":
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join(_tsv_field(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode()
    if media_type.endswith("xml"):
        parts = ['<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f"<variable name={quoteattr(v)}/>" for v in variables]
        parts.append("</head><results>")
        for row in rows:
            parts.append("<result>")
            parts += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                      for v, t in zip(variables, row, strict=True) if t is not None]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode()
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows]
    return json.dumps({"head": {"vars": list(variables)}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode()


def write_boolean(value: bool, media_type: str) -> bytes:
    """Serialise an ASK result.

    >>> write_boolean(True, "application/sparql-results+json")
    b'{"head": {}, "boolean": true}'
    """
    if media_type.endswith("xml"):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/'
                f'sparql-results#"><head/><boolean>{str(value).lower()}</boolean></sparql>\n'
                ).encode()
    return json.dumps({"head": {}, "boolean": value}).encode()


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
