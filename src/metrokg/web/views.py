"""The pages people read: a plan as a tree, an element in its place, an organisation as a
profile, an SDG as a hub, search, and HTML error pages.

Each view turns what :mod:`.plans`, :mod:`.profiles` and :mod:`.sdgs` read from the store
into template data; :func:`resource_page` picks the views that fit a resource.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import MKG, ORG, SKOS
from .i18n import FALLBACK, UI
from .pages import (
    Linker,
    label_of,
    page_context,
    render,
    render_resource,
    sdg_page_path,
    term_label,
    term_value,
)
from .plans import Branch, PlanTree, code_key, element_place, plan_of, plan_tree, subtree_progress
from .profiles import Tie, profile
from .resources import Description, EgoNetwork, Site, pick_label
from .sdgs import SDG_SCHEME, sdg_hub, used_sdgs

__all__ = ["error_page", "resource_page", "sdg_index_page", "sdg_page", "search_index",
           "search_page"]


class _Notes:
    """Footnote numbers for source graphs, shared by a view and the statements below it."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.numbers: dict[str, int] = {}

    def __call__(self, graphs: tuple[str, ...] | list[str] | str | None) -> list[int]:
        if graphs is None:
            return []
        items = [graphs] if isinstance(graphs, str) else list(graphs)
        return [self.numbers.setdefault(g, len(self.numbers) + 1) for g in items
                if g in self.site.sources]


def _link(site: Site, iri: str, lang: str, linker: Linker) -> dict[str, object]:
    return {"href": linker.href(iri), **label_of(site, iri, lang), "iri": iri}


def _plan_view(store: ox.Store, site: Site, tree: PlanTree, lang: str, linker: Linker,
               notes: _Notes) -> dict[str, object]:
    statuses = sorted({s for b in tree.all_branches() for s in b.progress()}
                      | {t.status for t in tree.stated if t.status},
                      key=lambda s: ("achieved" not in s, "progress" not in s, s))

    def branch(b: object, depth: int) -> dict[str, object]:
        assert isinstance(b, Branch)
        progress = b.progress()
        counted = sum(progress.values())
        bars: list[dict[str, object]] = []
        offset = 0.0
        for s in statuses:
            if progress.get(s):
                share = round(100 * progress[s] / counted, 2)
                bars.append({"status": s, "slug": s.rsplit("/", 1)[-1], "count": progress[s],
                             "share": share, "offset": round(offset, 2),
                             "label": pick_label(site, s, lang)})
                offset += share
        levels: dict[str, int] = {}
        for node in b.walk()[1:]:
            levels[node.level] = levels.get(node.level, 0) + 1
        return {
            "iri": b.iri, "href": linker.href(b.iri), "code": b.code, "depth": depth,
            **label_of(site, b.iri, lang), "level": term_label(site, b.level, lang),
            "level_slug": b.level.rsplit("/", 1)[-1],
            "status": ({"label": pick_label(site, b.status, lang),
                        "slug": b.status.rsplit("/", 1)[-1]} if b.status else None),
            "inferred": bool(b.basis and not b.basis.endswith("/printed-mark")),
            "bars": bars, "counted": counted,
            "counts": [{"level": term_label(site, lv, lang), "slug": lv.rsplit("/", 1)[-1],
                        "count": n}
                       for lv, n in sorted(levels.items(), key=lambda kv: kv[0])],
            "children": [branch(c, depth + 1) for c in b.children],
        }

    roots = [branch(r, 0) for r in tree.roots]
    totals = []
    for stated in tree.stated:
        itemised = tree.itemised.get((stated.level, stated.status), 0)
        totals.append({
            "level": term_label(site, stated.level, lang),
            "status": ({"label": pick_label(site, stated.status, lang),
                        "slug": stated.status.rsplit("/", 1)[-1]} if stated.status else None),
            "stated": stated.count, "itemised": itemised, "agree": itemised == stated.count,
            "notes": notes(stated.graph), "href": linker.href(stated.iri)})
    reconciliation = [{"text": text, "lang": note_lang or None,
                       "elements": [_link(site, e, lang, linker) | {
                           "code": e.rsplit("/", 1)[-1]} for e in elements]}
                      for text, note_lang, elements in tree.notes]
    sdgs = {key: [{"sdg": _link(site, sdg, lang, linker) | {"code": sdg.rsplit("/", 1)[-1]},
                   "via": (_link(site, el, lang, linker) | {"code": el.rsplit("/", 1)[-1]}
                           if el != tree.plan else None)} for sdg, el in pairs]
            for key, pairs in tree.sdgs.items()}
    people: dict[str, dict[str, object]] = {}
    for inv in tree.involved:
        entry = people.setdefault(inv.organisation, {**_link(site, inv.organisation, lang,
                                                             linker), "roles": []})
        roles = entry["roles"]
        assert isinstance(roles, list)
        roles.append({"role": UI[lang]["responsible"] if inv.how == "responsible"
                      else pick_label(site, inv.how, lang) if inv.how else "",
                      "element": (_link(site, inv.element, lang, linker) | {
                          "code": inv.element.rsplit("/", 1)[-1]}
                          if inv.element != tree.plan else None),
                      "notes": notes(inv.graph)})
    return {"plan_view": {"roots": roots, "totals": totals, "reconciliation": reconciliation,
                          "sdgs": sdgs, "organisations": sorted(
                              people.values(), key=lambda p: str(p["text"]).lower()),
                          "period": _period_text(store, tree.plan)}}


def _period_text(store: ox.Store, iri: str) -> str | None:
    """``2018–2020`` from ``dcterms:temporal`` → ``time:hasBeginning/hasEnd`` years."""
    time = "http://www.w3.org/2006/time#"

    def first(subject: ox.NamedNode, predicate: str) -> ox.NamedNode | ox.Literal | None:
        for quad in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None):
            if isinstance(quad.object, ox.NamedNode | ox.Literal):
                return quad.object
        return None

    period = first(ox.NamedNode(iri), "http://purl.org/dc/terms/temporal")
    if not isinstance(period, ox.NamedNode):
        return None
    ends = []
    for edge in ("hasBeginning", "hasEnd"):
        instant = first(period, time + edge)
        year = None
        if isinstance(instant, ox.NamedNode):
            for p in ("inXSDgYear", "inXSDDate", "inXSDgYearMonth"):
                found = first(instant, time + p)
                if isinstance(found, ox.Literal):
                    year = found.value
                    break
        ends.append(year or "…")
    return "–".join(ends)


def _element_view(store: ox.Store, site: Site, iri: str, plan: str, lang: str,
                  linker: Linker) -> dict[str, object]:
    crumbs, siblings = element_place(store, iri, site.base)
    if not crumbs or crumbs[0] != plan:
        crumbs = [plan, *crumbs]
    children = [q.subject.value for q in store.quads_for_pattern(
        None, ox.NamedNode("http://purl.org/dc/terms/isPartOf"), ox.NamedNode(iri), None)
        if isinstance(q.subject, ox.NamedNode)]
    status, progress = subtree_progress(store, iri)
    def code(e: str) -> str:
        return e.rsplit("/", 1)[-1] if e != plan else ""

    return {"element_view": {
        "crumbs": [_link(site, c, lang, linker) | {"code": code(c)} for c in crumbs],
        "siblings": [_link(site, s, lang, linker) | {"code": code(s), "current": s == iri}
                     for s in siblings],
        "children": [_link(site, c, lang, linker) | {"code": code(c)}
                     for c in sorted(children, key=lambda c: code_key(code(c)))],
        "status": ({"label": pick_label(site, status, lang),
                    "slug": status.rsplit("/", 1)[-1]} if status else None),
        "progress": [{"label": pick_label(site, s, lang), "slug": s.rsplit("/", 1)[-1],
                      "count": n} for s, n in sorted(progress.items())] if children else [],
    }}


def _profile_view(store: ox.Store, site: Site, iri: str, lang: str, linker: Linker,
                  notes: _Notes) -> dict[str, object]:
    p = profile(store, iri, site.base)
    ui = UI[lang]

    def tie(t: object) -> dict[str, object]:
        assert isinstance(t, Tie)
        return {**_link(site, t.other, lang, linker),
                "role": pick_label(site, t.role, lang) if t.role else "",
                "start": t.start, "end": t.end, "notes": notes(t.graphs), "note": t.note,
                "note_lang": t.note_lang}

    memberships = [tie(t) for t in p.memberships]  # numbered first: they come first
    members = [{"role": pick_label(site, role, lang) if role else "",
                "count": len(ties), "ties": [tie(t) for t in sorted(
                    ties, key=lambda t: pick_label(site, t.other, lang).lower())]}
               for role, ties in p.members.items()]
    plans: dict[str, dict[str, object]] = {}
    for inv in p.plans:
        key = inv.plan or inv.element
        entry = plans.setdefault(key, {**_link(site, key, lang, linker), "items": []})
        items = entry["items"]
        assert isinstance(items, list)
        item = {"element": (_link(site, inv.element, lang, linker) | {
            "code": inv.element.rsplit("/", 1)[-1]}) if inv.element != key else None,
            "role": ui["responsible"] if inv.role is None else pick_label(site, inv.role, lang)}
        same = next((i for i in items if i["element"] == item["element"]
                     and i["role"] == item["role"]), None)
        if same is None:  # the same involvement stated in several graphs: one entry
            items.append(same := {**item, "notes": []})
        same["notes"] += [n for n in notes(inv.graph) if n not in same["notes"]]
    position = None
    if "degree" in p.measures:
        position = ui["position_text"].format(
            degree=p.measures.get("degree", "?"),
            betweenness=_round(p.measures.get("betweenness")),
            pagerank=_round(p.measures.get("pageRank")))
        if p.measures.get("isBroker") == "true":
            position += " " + ui["broker"]
    identifiers = [{"href": i, "text": _identifier(i)} for i in p.identifiers]
    return {"profile": {
        "names": [{"lang": code or None, "values": list(values)}
                  for code, values in sorted(p.names.items())],
        "kinds": [_link(site, k, lang, linker) for k in p.kinds],
        "homepage": p.homepage, "founded": p.founded, "identifiers": identifiers,
        "memberships": memberships, "members": members,
        "parents": [_link(site, x, lang, linker) for x in p.parents],
        "units": [_link(site, x, lang, linker) for x in p.units],
        "plans": sorted(plans.values(), key=lambda x: str(x["text"]).lower()),
        "partners": sorted(({**_link(site, o, lang, linker), "evidence": [
            _link(site, e, lang, linker) | {"code": e.rsplit("/", 1)[-1]} for e in elements]}
            for o, elements in p.partners.items()), key=lambda x: str(x["text"]).lower()),
        "position": position,
    }}


def _round(value: str | None) -> str:
    try:
        return f"{float(value or ''):.2f}"
    except ValueError:
        return "?"


def _identifier(iri: str) -> str:
    if iri.startswith("http://www.wikidata.org/entity/"):
        return "Wikidata " + iri.rsplit("/", 1)[-1]
    if iri.startswith("https://ror.org/"):
        return "ROR " + iri.rsplit("/", 1)[-1]
    return iri


def _inline(store: ox.Store, site: Site, description: Description, lang: str,
            linker: Linker) -> dict[str, list[dict[str, object]]]:
    """The statements of the n-ary nodes linking here (memberships, involvements: nodes
    without a name), shown inline like Wikidata's qualifiers instead of their slugs."""
    out: dict[str, list[dict[str, object]]] = {}
    here = ox.NamedNode(description.iri)
    skip = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type"}
    for st in description.incoming:
        if st.subject in out or st.subject in site.labels or not st.subject.startswith(
                ("http://", "https://")):
            continue
        rows: list[dict[str, object]] = []
        for quad in store.quads_for_pattern(ox.NamedNode(st.subject), None, None, None):
            if quad.predicate.value in skip or quad.object == here or len(rows) >= 6:
                continue
            value = term_value(quad.object, site, lang, linker)
            row: dict[str, object] = {"predicate": term_label(site, quad.predicate.value, lang),
                                      "value": value}
            if row not in rows:
                rows.append(row)
        out[st.subject] = rows
    return out


def resource_page(store: ox.Store, site: Site, description: Description, *, lang: str,
                  linker: Linker, jsonld: str, ego: EgoNetwork | None,
                  alternates: dict[str, str], page: int = 1) -> str:
    """The page of one resource, with the views that fit its kind above its statements."""
    iri = description.iri
    types = site.types.get(iri, ())
    mkg = str(MKG)
    notes = _Notes(site)
    extra: dict[str, object] = {"inline": _inline(store, site, description, lang, linker)}
    if mkg + "Plan" in types:
        extra.update(_plan_view(store, site, plan_tree(store, iri, site.base), lang, linker,
                                notes))
    plan = plan_of(store, iri, site.base)
    if plan is not None:
        extra.update(_element_view(store, site, iri, plan, lang, linker))
    if str(ORG.Organization) in types:
        extra.update(_profile_view(store, site, iri, lang, linker, notes))
    return render_resource(site, description, lang=lang, linker=linker, jsonld=jsonld, ego=ego,
                           alternates=alternates, extra=extra, notes=notes.numbers, page=page)


def sdg_page(store: ox.Store, site: Site, iri: str, *, lang: str, linker: Linker) -> str | None:
    """The page of one UN SDG goal or target, or ``None`` if the graph does not hold it."""
    hub = sdg_hub(store, iri, site.base)
    if hub is None:
        return None
    ui = UI[lang]

    def refs(pairs: tuple[tuple[str, str], ...]) -> list[dict[str, object]]:
        return [_link(site, subject, lang, linker) | {
            "via": (_link(site, sdg, lang, linker) | {"code": sdg.rsplit("/", 1)[-1]}
                    if sdg != iri else None)} for subject, sdg in pairs]

    context = page_context(lang, linker, label_of(site, iri, lang)["text"] or iri,
                           sdg_page_path(iri) or "sdg")
    context.update(
        iri=iri, code=hub.code, kind=ui["sdg_target"] if hub.goal else ui["sdg_page"],
        names=[{"lang": code, "text": site.labels.get(iri, {}).get(code)}
               for code in ("ca", "es", "en") if site.labels.get(iri, {}).get(code)],
        short=_short_name(store, iri, lang),
        goal=_link(site, hub.goal, lang, linker) if hub.goal else None,
        targets=[_link(site, t, lang, linker) | {"code": t.rsplit("/", 1)[-1],
                                                  "used": t in hub.used_targets}
                 for t in hub.targets],
        plans=[_link(site, p, lang, linker) | {"how": [ui[h] for h in hows]}
               for p, hows in hub.plans],
        contributes=refs(hub.contributes), aligned=refs(hub.aligned),
    )
    return render("sdg.html", **context)


def _short_name(store: ox.Store, iri: str, lang: str) -> dict[str, str] | None:
    """The goal's short name (``skos:altLabel``, "Sustainable cities and communities") in
    the page's language, else in its fallback order."""
    found: dict[str, str] = {}
    for quad in store.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(SKOS.altLabel)),
                                        None, None):
        if isinstance(quad.object, ox.Literal) and quad.object.language:
            found.setdefault(quad.object.language, quad.object.value)
    for code in FALLBACK.get(lang, (lang,)):
        if code in found:
            return {"text": found[code], "lang": code}
    return None


def sdg_index_page(store: ox.Store, site: Site, *, lang: str, linker: Linker) -> str:
    """The goals and targets this graph refers to, with how many things refer to each."""
    context = page_context(lang, linker, UI[lang]["sdg_index"], "sdg")
    rows = [_link(site, iri, lang, linker) | {"code": iri.rsplit("/", 1)[-1], "count": n}
            for iri, n in used_sdgs(store, site.base).items() if iri != SDG_SCHEME]
    context.update(rows=rows)
    return render("sdg_index.html", **context)


def search_page(site: Site, query: str, *, lang: str, linker: Linker, limit: int = 100) -> str:
    """Resources whose names (in any language) contain every word of *query*."""
    words = [w for w in query.casefold().split() if w][:8]
    hits: list[dict[str, object]] = []
    if words:
        for iri, names in site.labels.items():
            if not (site.is_local(iri) or sdg_page_path(iri)):
                continue
            texts = [*names.values(), *site.alt_names.get(iri, ())]
            matched = next((t for t in texts if all(w in t.casefold() for w in words)), None)
            if matched is None:
                continue
            kinds = [term_label(site, t, lang) for t in site.types.get(iri, ())[:2]]
            hits.append(_link(site, iri, lang, linker) | {"matched": matched, "kinds": kinds})
            if len(hits) >= limit:
                break
    hits.sort(key=lambda h: str(h["text"]).lower())
    context = page_context(lang, linker, UI[lang]["search"], "search")
    context.update(query=query[:200], hits=hits, searched=bool(words),
                   index=linker.path("search-index.json"), script=linker.path("static/search.js"),
                   tree_root=linker.page("index")[:-len("index.html")]
                   if linker.static_from is not None else "")
    return render("search.html", **context)


def search_index(site: Site) -> list[dict[str, object]]:
    """What the static site's search reads: each page's path and its names in every
    language (the static counterpart of :func:`search_page`)."""
    plain = Linker(site.base)
    out: list[dict[str, object]] = []
    for iri, names in sorted(site.labels.items()):
        if not ((site.is_local(iri) and site.document_of(iri) in site.documents)
                or sdg_page_path(iri)) or "#" in iri:
            continue
        texts = sorted({*names.values(), *site.alt_names.get(iri, ())})
        out.append({"p": plain.page_path(iri), "n": texts})
    return out


def error_page(status: int, message: str, *, lang: str, linker: Linker) -> str:
    """An HTML error page (404, 406 …) with the site's navigation."""
    ui = UI[lang]
    title = {404: ui["not_found"], 406: ui["not_acceptable"]}.get(status, str(status))
    context = page_context(lang, linker, title, "index")
    context.update(status=status, message=message)
    return render("error.html", **context)
