"""Ontology documentation generated from the built ontology (one HTML page, per-term anchors).

Each term also has its own resource page (``/def/Term``); this page lists them all.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .i18n import UI
from .pages import Linker, page_context, render

__all__ = ["render_ontology"]

_KINDS = (
    ("classes", (OWL.Class, RDFS.Class)),
    ("object_properties", (OWL.ObjectProperty,)),
    ("datatype_properties", (OWL.DatatypeProperty,)),
    ("other_properties", (OWL.AnnotationProperty, RDF.Property)),
    ("concept_schemes", (SKOS.ConceptScheme,)),
    ("concepts", (SKOS.Concept,)),
)


def _text(graph: Graph, term: URIRef, predicates: tuple[URIRef, ...], lang: str) -> str | None:
    for predicate in predicates:
        values = list(graph.objects(term, predicate))
        for value in values:
            if getattr(value, "language", None) == lang:
                return str(value)
        for value in values:
            if getattr(value, "language", None) in (None, "en"):
                return str(value)
        if values:
            return str(values[0])
    return None


def _ref(ontology: Graph, term: URIRef, lang: str, linker: Linker) -> dict[str, str | None]:
    label = _text(ontology, term, (SKOS.prefLabel, RDFS.label), lang)
    tail = str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return {"text": label or tail, "href": linker.href(str(term)), "iri": str(term)}


def render_ontology(ontology: Graph, base: str, *, lang: str, linker: Linker) -> str:
    """The ontology documentation page (``/def``)."""
    vocab = base + "def/"
    seen: set[URIRef] = set()
    sections = []
    for key, types in _KINDS:
        title = UI[lang][key]
        terms = sorted({s for t in types for s in ontology.subjects(RDF.type, t)
                        if isinstance(s, URIRef) and str(s).startswith(vocab) and s not in seen})
        seen.update(terms)
        rows = []
        for term in terms:
            rows.append({
                "iri": str(term), "href": linker.href(str(term)),
                "anchor": str(term)[len(vocab):].replace("/", "-"),
                "label": _text(ontology, term, (SKOS.prefLabel, RDFS.label), lang)
                or str(term)[len(vocab):],
                "comment": _text(ontology, term, (RDFS.comment, SKOS.definition), lang),
                "parents": [{"text": str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1],
                             "href": linker.href(str(p))}
                            for p in ontology.objects(term, RDFS.subClassOf)
                            if isinstance(p, URIRef)],
                "domain": [_ref(ontology, x, lang, linker) for x in ontology.objects(term, RDFS.domain)
                           if isinstance(x, URIRef)],
                "range": [_ref(ontology, x, lang, linker) for x in ontology.objects(term, RDFS.range)
                          if isinstance(x, URIRef)],
                "used_in": [_ref(ontology, x, lang, linker) for x in sorted(
                    set(ontology.subjects(RDFS.domain, term)) | set(ontology.subjects(RDFS.range, term)))
                    if isinstance(x, URIRef)],
            })
        if rows:
            sections.append({"title": title, "key": key, "rows": rows})
    ontology_iri = URIRef(base + "def")
    context = page_context(lang, linker, _text(ontology, ontology_iri, (RDFS.label,
                                                                        URIRef(str(DCT) + "title")),
                                               lang) or "metrokg ontology", "def")
    context.update(sections=sections, iri=str(ontology_iri),
                   version=_text(ontology, ontology_iri, (OWL.versionInfo,), lang),
                   comment=_text(ontology, ontology_iri, (RDFS.comment,
                                                          URIRef(str(DCT) + "description")), lang),
                   turtle=linker.path("def.ttl"))
    return render("ontology.html", **context)


DCT = "http://purl.org/dc/terms/"
