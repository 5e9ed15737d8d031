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
from .i18n import FALLBACK, TERMS
from .i18n import UI as _UI
from .resources import Description, EgoNetwork, Site, Statement, pick_label

__all__ = ["Linker", "embed_json", "page_context", "render", "render_resource"]

UI = _UI
_MEASURE = re.compile(r"centrality|pagerank|betweenness|eigenvector|closeness|degree|community|broker",
                      re.IGNORECASE)


_SDG_IRI = re.compile(r"^http://metadata\.un\.org/sdg(/[0-9]{1,2}(\.[0-9a-z]{1,2})?)?$")


def sdg_page_path(iri: str) -> str | None:
    """The site path of the page of a UN SDG goal or target IRI (``sdg/11``), or ``None``.

    >>> sdg_page_path("http://metadata.un.org/sdg/11.3"), sdg_page_path("http://example.org/")
    ('sdg/11.3', None)
    """
    if not _SDG_IRI.match(iri):
        return None
    return "sdg" + iri[len("http://metadata.un.org/sdg"):]


@dataclass(frozen=True)
class Linker:
    """Turns IRIs into hrefs: local IRIs (and UN SDG IRIs) to this site's pages, other
    http(s) IRIs as they are."""

    base: str
    static_from: str | None = None
    """In the static export: the path of the page being written (links become relative)."""
    lang: str | None = None
    """When served: a language chosen with ``?lang=``, carried on every page link."""
    tree: str = ""
    """In the static export: the language folder of the page being written (``ca/``)."""
    root_lang: str = "en"
    """In the static export: the language written at the root (no folder)."""

    def page_path(self, iri: str) -> str:
        """Path of the page of a local IRI, relative to the site root (no suffix)."""
        if not iri.startswith(self.base):
            sdg = sdg_page_path(iri)
            if sdg is not None:
                return sdg
        path = iri[len(self.base):].split("#", 1)[0]
        return path or "index"

    def href(self, iri: str) -> str | None:
        if iri.startswith(self.base) or sdg_page_path(iri) is not None:
            fragment = "#" + iri.split("#", 1)[1] if "#" in iri else ""
            return self.page(self.page_path(iri)) + fragment
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def page(self, site_path: str, *, lang: str | None = None) -> str:
        """A link to the page at *site_path* (``id/org/amb``, ``index``), in *lang* if given
        (the static export's language folders, or ``?lang=`` when served)."""
        if self.static_from is None:
            chosen = lang or self.lang
            target = "/" if site_path == "index" else "/" + site_path.lstrip("/")
            return target + (f"?lang={chosen}" if chosen else "")
        tree = self.tree if lang is None else ("" if lang == self.root_lang else lang + "/")
        return self._relative(tree + site_path.lstrip("/") + ".html")

    def path(self, site_path: str, suffix: str = "") -> str:
        """A link to a file at *site_path* (relative to the site root) from the current page."""
        if self.static_from is None:
            return "/" + site_path.lstrip("/")
        return self._relative(site_path.lstrip("/") + suffix)

    def _relative(self, target: str) -> str:
        assert self.static_from is not None
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


def term_label(site: Site, iri: str, lang: str) -> str:
    """The name of a vocabulary term in *lang*: the ontology's label, a reused term's
    name from :data:`~metrokg.web.i18n.TERMS`, else its CURIE."""
    if iri in site.labels:
        return pick_label(site, iri, lang)
    names = TERMS.get(iri)
    if names:
        return names.get(lang, names["en"])
    return _curie(iri)


def label_of(site: Site, iri: str, lang: str) -> dict[str, str | None]:
    """``{"text", "lang"}``: the label of *iri* in *lang*, or in the first fallback language
    that has one (``lang`` tells which, so the page can mark it)."""
    found = site.labels.get(iri)
    if found:
        for candidate in (*FALLBACK.get(lang, FALLBACK["en"]), ""):
            if candidate in found:
                return {"text": found[candidate], "lang": candidate or None}
        code, text = next(iter(found.items()))
        return {"text": text, "lang": code or None}
    return {"text": pick_label(site, iri, lang), "lang": None}


def page_context(lang: str, linker: Linker, title: str, path: str) -> dict[str, object]:
    """What every page needs: language, UI strings, navigation links."""
    server = linker.static_from is None
    return {
        "lang": lang, "ui": UI[lang], "title": title, "languages": LANGUAGES,
        "lang_links": {code: (f"?lang={code}" if server else linker.page(path, lang=code))
                       for code in LANGUAGES},
        "fallback": [code for code in FALLBACK[lang][1:]],
        "nav": {"home": linker.page("index"), "query": linker.page("query"),
                "dataset": linker.page("dataset"), "ontology": linker.page("def"),
                "sdgs": linker.page("sdg"), "search": linker.page("search"),
                "explorer": linker.path("explorer.html"),
                "css": linker.path("static/site.css"),
                "site_js": linker.path("static/site.js")},
        "static": not server, "path": path,
    }


def term_value(term: object, site: Site, lang: str, linker: Linker) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        if site.is_local(term.value) or term.value in site.labels:
            label = label_of(site, term.value, lang)
            text, value_lang = label["text"], label["lang"]
        else:
            text, value_lang = _curie(term.value), None
        return {"text": text, "lang": value_lang, "href": linker.href(term.value),
                "iri": term.value}
    if isinstance(term, ox.Literal):
        note = term.language or ("" if term.datatype.value.endswith("#string")
                                 else _curie(term.datatype.value))
        return {"text": term.value, "href": None, "note": note, "literal": True,
                "lang": term.language or None}
    if isinstance(term, ox.BlankNode):
        return {"text": "_:" + term.value, "href": None}
    return {"text": str(term), "href": None}


def _ego_svg(ego: EgoNetwork, site: Site, lang: str, linker: Linker) -> dict[str, object] | None:
    """The ring drawing of an organisation's links: labels outside the ring, anchored away
    from the centre (so they do not overlap the lines or each other on the left/right)."""
    if not ego.neighbours:
        return None
    width, height, radius = 820, 500, 200
    cx, cy = width / 2, height / 2
    nodes = [{"x": cx, "y": cy, "label": pick_label(site, ego.center, lang),
              "href": linker.href(ego.center), "centre": True, "lx": cx,
              "ly": cy - 14, "anchor": "middle"}]
    position = {ego.center: (cx, cy)}
    for index, iri in enumerate(ego.neighbours):
        angle = 2 * math.pi * index / len(ego.neighbours) - math.pi / 2
        cos, sin = math.cos(angle), math.sin(angle)
        x, y = cx + radius * cos, cy + radius * sin
        position[iri] = (x, y)
        anchor = "start" if cos >= 0 else "end"
        nodes.append({"x": round(x, 1), "y": round(y, 1), "label": pick_label(site, iri, lang),
                      "href": linker.href(iri), "centre": False,
                      "lx": round(x + 10 * cos, 1), "ly": round(y + 10 * sin + 4, 1),
                      "anchor": anchor})
    edges = [{"x1": position[a][0], "y1": position[a][1], "x2": position[b][0],
              "y2": position[b][1],
              "role": (pick_label(site, role, lang) if role.startswith("http") else role)
              if role else ""}
             for a, b, role in ego.edges if a in position and b in position]
    slug = ego.center.rstrip("/").rsplit("/", 1)[-1]
    explorer = linker.path("explorer.html") + f"#focus={slug}&lang={lang}" \
        if ego.in_network else None
    return {"width": width, "height": height, "nodes": nodes, "edges": edges,
            "degree": ego.degree,
            "shown": len(ego.neighbours), "explorer": explorer}


INCOMING_PER_PROPERTY = 60
"""How many incoming links of one property a page lists (the rest: on the next pages)."""


def render_resource(site: Site, description: Description, *, lang: str, linker: Linker,
                    jsonld: str, ego: EgoNetwork | None, alternates: dict[str, str],
                    extra: dict[str, object] | None = None,
                    notes: dict[str, int] | None = None, page: int = 1) -> str:
    """The HTML page of one resource: statements grouped by property (with the statements
    of hash IRIs and blank nodes it points to inline, as qualifiers), incoming links grouped
    by property with counts, in pages of :data:`INCOMING_PER_PROPERTY` (*page*), sources
    as footnotes. *extra* adds a view above (plan tree, organisation profile …) and may map
    n-ary nodes linking here to their statements (``inline``); *notes* are footnotes that
    view already numbered."""
    iri = description.iri
    footnotes: dict[str, int] = dict(notes or {})

    def note(graph: str | None) -> int | None:
        if graph is None or graph not in site.sources:
            return None
        return footnotes.setdefault(graph, len(footnotes) + 1)

    by_subject: dict[str, list[Statement]] = {}
    for st in description.statements:
        by_subject.setdefault(st.subject, []).append(st)

    def groups(subject: str, depth: int = 0) -> list[dict[str, object]]:
        out: dict[str, dict[str, object]] = {}
        for st in sorted(by_subject.get(subject, ()), key=lambda s: (
                s.predicate != str(RDF.type), term_label(site, s.predicate, lang).lower())):
            group = out.setdefault(st.predicate, {
                "predicate": term_label(site, st.predicate, lang), "curie": _curie(st.predicate),
                "predicate_href": linker.href(st.predicate), "values": []})
            inner = _text_of(st.value)
            value = term_value(st.value, site, lang, linker)
            qualifiers = (groups(inner, depth + 1) if inner in by_subject and inner != subject
                          and depth < 3 else [])
            values = group["values"]
            assert isinstance(values, list)
            if any(v["value"] == value for v in values):
                continue
            values.append({"value": value, "note": note(st.graph), "qualifiers": qualifiers})
        return list(out.values())

    statements = groups(iri)
    measures = [g for g in statements if _MEASURE.search(str(g["curie"]).rsplit(":", 1)[-1])]
    inline = extra.get("inline", {}) if extra else {}
    assert isinstance(inline, dict)
    incoming_groups: dict[str, dict[str, object]] = {}
    first = (page - 1) * INCOMING_PER_PROPERTY
    for st in description.incoming:
        group = incoming_groups.setdefault(st.predicate, {
            "predicate": term_label(site, st.predicate, lang), "curie": _curie(st.predicate),
            "rows": [], "seen": 0, "count": description.incoming_counts.get(st.predicate, 0)})
        rows = group["rows"]
        assert isinstance(rows, list)
        subjects = group.setdefault("subjects", set())
        assert isinstance(subjects, set)
        if st.subject in subjects:  # the same link stated in another graph
            continue
        subjects.add(st.subject)
        seen = int(str(group["seen"]))
        group["seen"] = seen + 1
        if first <= seen < first + INCOMING_PER_PROPERTY:
            rows.append({"href": linker.href(st.subject), **label_of(site, st.subject, lang),
                         "note": note(st.graph), "inline": inline.get(st.subject)})
    for group in incoming_groups.values():
        rows = group["rows"]
        assert isinstance(rows, list)
        rows.sort(key=_row_key)
        group["first"] = first + 1 if rows else 0
        group["last"] = first + len(rows)
    pages = max((int(str(g["count"])) for g in incoming_groups.values()), default=0)
    pages = -(-pages // INCOMING_PER_PROPERTY)
    here = linker.page(linker.page_path(iri))
    joiner = "&" if "?" in here else "?"
    pager = None if linker.static_from is not None or pages <= 1 else {
        "page": page, "pages": pages,
        "previous": f"{here}{joiner}page={page - 1}" if page > 1 else None,
        "next": f"{here}{joiner}page={page + 1}" if page < pages else None}
    content = [{"subject": st.subject, "subject_href": linker.href(st.subject),
                "predicate": term_label(site, st.predicate, lang),
                "value": term_value(st.value, site, lang, linker)}
               for st in description.graph_content]
    title = pick_label(site, iri, lang)
    acronym = site.acronyms.get(iri)
    context = page_context(lang, linker, title, linker.page_path(iri))
    context.update(
        iri=iri, acronym=acronym if acronym != title else None,
        title_lang=label_of(site, iri, lang)["lang"],
        types=[{**term_value(ox.NamedNode(t), site, lang, linker),
                "text": term_label(site, t, lang)} for t in site.types.get(iri, ())],
        names={code: site.labels.get(iri, {}).get(code) for code in LANGUAGES},
        statements=statements, incoming=list(incoming_groups.values()), pager=pager,
        incoming_total=description.incoming_total,
        content=content, measures=measures, jsonld=embed_json(jsonld),
        ego=_ego_svg(ego, site, lang, linker) if ego else None, alternates=alternates,
        **(extra or {}),
    )
    context["sources"] = _sources(site, footnotes, lang, linker)
    return render("resource.html", **context)


def _row_key(row: dict[str, object]) -> str:
    """Incoming rows in name order; n-ary rows by the names of what they link."""
    inline = row.get("inline")
    if isinstance(inline, list) and inline:
        return " ".join(str(q["value"]["text"]) for q in inline
                        if isinstance(q, dict)).lower()
    return str(row["text"]).lower()


def _text_of(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode) else ""


def _sources(site: Site, footnotes: dict[str, int], lang: str, linker: Linker
             ) -> list[dict[str, object]]:
    sources: list[dict[str, object]] = []
    for graph, number in sorted(footnotes.items(), key=lambda kv: kv[1]):
        src = site.sources[graph]
        sources.append({"number": number, "quote": src.quote, "url": src.url,
                        "language": src.language, "citation": src.citation,
                        "graph_href": linker.href(graph),
                        "document": ({**label_of(site, src.document, lang),
                                      "href": linker.href(src.document)}
                                     if src.document else None)})
    return sources


def compact_json(data: object) -> str:
    """JSON for embedding (compact, UTF-8, escaped for ``<script>``)."""
    return embed_json(json.dumps(data, ensure_ascii=False, separators=(",", ":")))


LinkFn = Callable[[str], str | None]
