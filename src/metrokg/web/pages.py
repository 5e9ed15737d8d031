"""HTML pages, rendered with Jinja2 autoescaping (every label and value is escaped).

Links are made by a :class:`Linker`: root-relative paths when served, relative
``.html`` paths in the static export. Only ``http(s)`` IRIs ever become links.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, select_autoescape

from ..namespaces import PREFIXES, RDF
from .conneg import LANGUAGES
from .resources import Description, EgoNetwork, Site, Statement, pick_label

__all__ = ["Linker", "embed_json", "page_context", "render", "render_resource"]

UI = {
    "en": {"statements": "Statements", "incoming": "Linked from", "sources": "Sources",
           "network": "Partnership network", "measures": "Network measures",
           "content": "Statements in this graph", "data": "Data", "query": "Query",
           "dataset": "Dataset", "ontology": "Ontology", "more": "more not shown"},
    "ca": {"statements": "Afirmacions", "incoming": "Enllaçat des de", "sources": "Fonts",
           "network": "Xarxa de col·laboració", "measures": "Mesures de xarxa",
           "content": "Afirmacions d'aquest graf", "data": "Dades", "query": "Consulta",
           "dataset": "Conjunt de dades", "ontology": "Ontologia", "more": "més no mostrats"},
    "es": {"statements": "Afirmaciones", "incoming": "Enlazado desde", "sources": "Fuentes",
           "network": "Red de colaboración", "measures": "Medidas de red",
           "content": "Afirmaciones de este grafo", "data": "Datos", "query": "Consulta",
           "dataset": "Conjunto de datos", "ontology": "Ontología", "more": "más no mostrados"},
}
_MEASURE = re.compile(r"centrality|pagerank|betweenness|eigenvector|closeness|degree|community|broker",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Linker:
    """Turns IRIs into hrefs: local IRIs to this site's pages, external http(s) as they are."""

    base: str
    static_from: str | None = None
    """In the static export: the path of the page being written (links become relative)."""

    def page_path(self, iri: str) -> str:
        """Path of the page of a local IRI, relative to the site root (no suffix)."""
        path = iri[len(self.base):].split("#", 1)[0]
        return path or "index"

    def href(self, iri: str) -> str | None:
        if iri.startswith(self.base):
            fragment = "#" + iri.split("#", 1)[1] if "#" in iri else ""
            return self.path(self.page_path(iri), ".html") + fragment
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def path(self, site_path: str, suffix: str = "") -> str:
        """A link to *site_path* (relative to the site root) from the current page."""
        if self.static_from is None:
            return "/" + site_path.lstrip("/")
        target = site_path.lstrip("/") + suffix
        start = posixpath.dirname(self.static_from)
        return posixpath.relpath(target, start or ".")


def embed_json(text: str) -> str:
    """JSON made safe inside ``<script>``: ``<``, ``>`` and ``&`` as JSON escapes.

    >>> embed_json('{"a": "</script><b>"}')
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("metrokg.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True)
    return env


def render(template: str, **context: object) -> str:
    """Render one template of ``metrokg/web/templates`` (autoescaped)."""
    return _environment().get_template(template).render(**context)


def _curie(iri: str) -> str:
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def page_context(lang: str, linker: Linker, title: str, path: str) -> dict[str, object]:
    """What every page needs: language, UI strings, navigation links."""
    return {
        "lang": lang, "ui": UI[lang], "title": title, "languages": LANGUAGES,
        "nav": {"home": linker.path("index", ".html"), "query": linker.path("query", ".html"),
                "dataset": linker.path("dataset", ".html"), "ontology": linker.path("def", ".html"),
                "explorer": linker.path("explorer.html"),
                "css": linker.path("static/site.css")},
        "static": linker.static_from is not None, "path": path,
    }


def _value(term: object, site: Site, lang: str, linker: Linker) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"text": pick_label(site, term.value, lang) if site.is_local(term.value)
                or term.value in site.labels else _curie(term.value),
                "href": linker.href(term.value), "iri": term.value}
    if isinstance(term, ox.Literal):
        note = term.language or ("" if term.datatype.value.endswith("#string")
                                 else _curie(term.datatype.value))
        return {"text": term.value, "href": None, "note": note, "literal": True}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value, "href": None}
    return {"text": str(term), "href": None}


def _ego_svg(ego: EgoNetwork, site: Site, lang: str, linker: Linker) -> dict[str, object] | None:
    if not ego.neighbours:
        return None
    size, radius = 560, 210
    centre = size / 2
    nodes = [{"x": centre, "y": centre, "label": pick_label(site, ego.center, lang),
              "href": linker.href(ego.center), "centre": True}]
    position = {ego.center: (centre, centre)}
    for index, iri in enumerate(ego.neighbours):
        angle = 2 * math.pi * index / len(ego.neighbours)
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        position[iri] = (x, y)
        nodes.append({"x": round(x, 1), "y": round(y, 1), "label": pick_label(site, iri, lang),
                      "href": linker.href(iri), "centre": False})
    edges = [{"x1": position[a][0], "y1": position[a][1], "x2": position[b][0],
              "y2": position[b][1], "role": pick_label(site, role, lang) if role else ""}
             for a, b, role in ego.edges if a in position and b in position]
    return {"size": size, "nodes": nodes, "edges": edges}


def render_resource(site: Site, description: Description, *, lang: str, linker: Linker,
                    jsonld: str, ego: EgoNetwork | None, alternates: dict[str, str]) -> str:
    """The HTML page of one resource."""
    iri = description.iri
    footnotes: dict[str, int] = {}

    def note(graph: str | None) -> int | None:
        if graph is None or graph not in site.sources:
            return None
        return footnotes.setdefault(graph, len(footnotes) + 1)

    def rows(statements: tuple[Statement, ...]) -> list[dict[str, object]]:
        out: list[dict[str, object]] = []
        for st in sorted(statements, key=lambda s: (s.subject != iri, s.subject,
                                                    s.predicate != str(RDF.type), s.predicate)):
            out.append({"subject": st.subject if st.subject != iri else "",
                        "subject_href": linker.href(st.subject) if st.subject != iri else None,
                        "predicate": _curie(st.predicate), "predicate_href":
                        linker.href(st.predicate),
                        "value": _value(st.value, site, lang, linker), "note": note(st.graph)})
        return out

    statements = rows(description.statements)
    measures = [row for row, st in zip(statements, sorted(
        description.statements, key=lambda s: (s.subject != iri, s.subject,
                                               s.predicate != str(RDF.type), s.predicate)),
        strict=True) if _MEASURE.search(st.predicate.rsplit("/", 1)[-1])]
    incoming = [{"href": linker.href(st.subject), "text": pick_label(site, st.subject, lang),
                 "predicate": _curie(st.predicate), "note": note(st.graph)}
                for st in description.incoming]
    content = rows(description.graph_content)
    sources = []
    for graph, number in footnotes.items():
        src = site.sources[graph]
        sources.append({"number": number, "quote": src.quote, "url": src.url,
                        "citation": src.citation, "graph_href": linker.href(graph),
                        "document": ({"text": pick_label(site, src.document, lang),
                                      "href": linker.href(src.document)}
                                     if src.document else None)})
    title = pick_label(site, iri, lang)
    acronym = site.acronyms.get(iri)
    context = page_context(lang, linker, title, linker.page_path(iri))
    context.update(
        iri=iri, acronym=acronym if acronym != title else None,
        types=[_value(ox.NamedNode(t), site, lang, linker) for t in site.types.get(iri, ())],
        names={code: site.labels.get(iri, {}).get(code) for code in LANGUAGES},
        statements=statements, incoming=incoming, incoming_total=description.incoming_total,
        content=content, sources=sources, measures=measures, jsonld=embed_json(jsonld),
        ego=_ego_svg(ego, site, lang, linker) if ego else None, alternates=alternates,
    )
    return render("resource.html", **context)


def compact_json(data: object) -> str:
    """JSON for embedding (compact, UTF-8, escaped for ``<script>``)."""
    return embed_json(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


LinkFn = Callable[[str], str | None]
