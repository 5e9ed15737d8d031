"""Ontology documentation generated from the built ontology (one HTML page, per-term anchors).

Each term also has its own resource page (``/def/Term``); this page lists them all.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from .conneg import RDF_TYPES
from .i18n import FALLBACK, UI
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
    found = _text_lang(graph, term, predicates, lang)
    return found[0] if found else None


def _text_lang(graph: Graph, term: URIRef, predicates: tuple[URIRef, ...], lang: str
               ) -> tuple[str, str | None] | None:
    """The value in *lang*, else in the fallback order of the page's language, with the
    language it is in."""
    for predicate in predicates:
        values = list(graph.objects(term, predicate))
        for candidate in (*FALLBACK.get(lang, (lang,)), None):
            for value in values:
                if getattr(value, "language", None) == candidate:
                    return str(value), candidate
        if values:
            return str(values[0]), getattr(values[0], "language", None)
    return None


def _described(graph: Graph, term: URIRef, predicates: tuple[URIRef, ...], lang: str
               ) -> dict[str, str | None] | None:
    found = _text_lang(graph, term, predicates, lang)
    return {"text": found[0], "lang": found[1] if found[1] != lang else None} if found else None


def _ref(ontology: Graph, term: URIRef, lang: str, linker: Linker) -> dict[str, str | None]:
    label = _text(ontology, term, (SKOS.prefLabel, RDFS.label), lang)
    tail = str(term).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return {"text": label or tail, "href": linker.href(str(term)), "iri": str(term)}


def render_ontology(ontology: Graph, base: str, *, lang: str, linker: Linker) -> str:
    """The ontology documentation page (``/def``)."""
    vocab = base + "def/"
    seen: set[URIRef] = set()
    sections: list[dict[str, object]] = []
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
                "comment": _described(ontology, term, (RDFS.comment, SKOS.definition), lang),
                "parents": [_ref(ontology, p, lang, linker)
                            for p in ontology.objects(term, RDFS.subClassOf)
                            if isinstance(p, URIRef)],
                "domain": [_ref(ontology, x, lang, linker) for x in ontology.objects(term, RDFS.domain)
                           if isinstance(x, URIRef)],
                "range": [_ref(ontology, x, lang, linker) for x in ontology.objects(term, RDFS.range)
                          if isinstance(x, URIRef)],
                "used_in": [_ref(ontology, x, lang, linker) for x in sorted(
                    {x for p in (RDFS.domain, RDFS.range) for x in ontology.subjects(p, term)
                     if isinstance(x, URIRef)}, key=str)],
            })
        if rows:
            sections.append({"title": title, "key": key, "rows": rows})
    ontology_iri = URIRef(base + "def")
    dct = URIRef(DCT + "title"), URIRef(DCT + "description")
    context = page_context(lang, linker, _text(ontology, ontology_iri, (dct[0], RDFS.label),
                                               lang) or "metrokg ontology", "def")
    context.update(sections=sections, iri=str(ontology_iri),
                   version=_text(ontology, ontology_iri, (OWL.versionInfo,), lang),
                   comment=_text(ontology, ontology_iri, (dct[1], RDFS.comment), lang),
                   metadata=_metadata(ontology, ontology_iri, lang),
                   namespaces=_namespaces(ontology, sections),
                   schemes=_schemes(ontology, vocab, lang, linker),
                   formats={m: linker.path("def", "." + s) for m, s in RDF_TYPES.items()},
                   turtle=linker.path("def.ttl"))
    return render("ontology.html", **context)


def _metadata(ontology: Graph, iri: URIRef, lang: str) -> list[dict[str, object]]:
    """The metadata block: IRI, version IRI, version, licence, creator, preferred prefix."""
    vann = "http://purl.org/vocab/vann/"
    rows: list[dict[str, object]] = []
    for key, predicate in (("version_iri", OWL.versionIRI), ("version", OWL.versionInfo),
                           ("licence", URIRef(DCT + "license")),
                           ("creator", URIRef(DCT + "creator")),
                           ("prefix", URIRef(vann + "preferredNamespacePrefix")),
                           ("namespace", URIRef(vann + "preferredNamespaceUri"))):
        for value in ontology.objects(iri, predicate):
            rows.append({"key": UI[lang][key], "text": str(value),
                         "href": str(value) if isinstance(value, URIRef) else None})
    return rows


def _namespaces(ontology: Graph, sections: list[dict[str, object]]) -> list[tuple[str, str]]:
    """Prefixes of the namespaces the documented terms use (pyLODE's namespace table)."""
    used = {str(x["iri"]) for s in sections for r in s["rows"]  # type: ignore[attr-defined]
            for key in ("domain", "range", "parents") for x in r[key] if "iri" in x}
    used |= {str(r["iri"]) for s in sections for r in s["rows"]}  # type: ignore[attr-defined]
    out = []
    for prefix, ns in sorted(ontology.namespaces()):
        if prefix and any(u.startswith(str(ns)) for u in used):
            out.append((prefix, str(ns)))
    return out


def _schemes(ontology: Graph, vocab: str, lang: str, linker: Linker) -> list[dict[str, object]]:
    """Each concept scheme as a tree: top concepts, then narrower ones (skos:broader)."""
    out: list[dict[str, object]] = []
    for scheme in sorted(s for s in ontology.subjects(RDF.type, SKOS.ConceptScheme)
                         if isinstance(s, URIRef) and str(s).startswith(vocab)):
        members = {c for c in ontology.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef)}
        members |= {c for c in ontology.subjects(SKOS.topConceptOf, scheme)
                    if isinstance(c, URIRef)}
        children: dict[URIRef | None, list[URIRef]] = {}
        for concept in members:
            parent = next((b for b in ontology.objects(concept, SKOS.broader) if b in members),
                          None)
            children.setdefault(parent, []).append(concept)  # type: ignore[arg-type]

        def tree(node: URIRef | None, depth: int = 0,
                 children: dict[URIRef | None, list[URIRef]] = children
                 ) -> list[dict[str, object]]:
            kids = sorted(children.get(node, []), key=lambda c: (
                _text(ontology, c, (SKOS.prefLabel, RDFS.label), lang) or str(c)).lower())
            return [{**_ref(ontology, c, lang, linker),
                     "definition": _described(ontology, c, (SKOS.definition,), lang),
                     "children": tree(c, depth + 1) if depth < 8 else []} for c in kids]

        out.append({**_ref(ontology, scheme, lang, linker), "anchor":
                    "scheme-" + str(scheme)[len(vocab):].replace("/", "-"), "tree": tree(None)})
    return out


DCT = "http://purl.org/dc/terms/"
