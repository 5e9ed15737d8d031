"""The network explorer: one self-contained, offline, safe HTML page.

Drawn with pyvis's copy of vis-network (``pyvis/lib/vis-9.1.2``), inlined into the page,
so it opens with no network at all. pyvis's own page is not used: it writes tooltips as
HTML, leaves its heading unescaped and builds edges in quadratic time. Here the data is
built in one pass and travels as JSON in a ``<script type="application/json">`` block
(``<``, ``>`` and ``&`` escaped, so no ``</script>`` can end it); the page script
(``data/explorer.js``) shows every label with ``textContent`` and links only http(s)
IRIs and relative paths of the site. A Content-Security-Policy allows only the page's own
two scripts (by hash) and no requests at all.

The layout is computed here, ahead of time (igraph's grid Fruchterman–Reingold, seeded),
so the page draws at once instead of running a physics simulation. Views above
:data:`OVERVIEW` organisations — where a force layout stops being readable
(docs/benchmarks.md) — open on an overview: one node per community, sized by its members,
each expandable; communities get their own region of the plane so an expanded one does not
fall into the others. Above :data:`LIMIT` organisations the page is refused.
"""

from __future__ import annotations

import base64
import hashlib
import html
import importlib.util
import json
import math
import random
import re
from collections import defaultdict
from collections.abc import Hashable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ..analysis.measures import MEASURES, Analysis
from ..analysis.network import KINDS, LANGUAGES
from ..analysis.nogc import paused
from ..errors import InputError
from ..namespaces import DEFAULT_BASE

__all__ = ["COLOUR_BY", "LIMIT", "OVERVIEW", "explorer_data", "explorer_html", "layout",
           "pyvis_network", "pyvis_page"]

COLOUR_BY = ("type", "community")
VIS_VERSION = "9.1.2"
OVERVIEW = 250
"""Above this many organisations the page opens on the community overview: measured
(scripts/bench_explorer.py), a whole force drawing of 250 organisations with mean degree 8
already has over 90 % of its nodes on top of others; the real graph (84) has none."""
LIMIT = 60_000
"""Above this many organisations no page is written: the 50,000-organisation page is 36 MB
and opens in ~2 s, but its JSON alone grows past what a phone's browser holds (measured in
docs/benchmarks.md); a view that large belongs in Gephi (the GEXF of ``metrokg network``)."""
SPACING = 40.0
"""Mean distance, in page pixels, between neighbouring nodes of the precomputed layout."""


def _asset(package: str, *parts: str) -> str:
    """A file shipped inside *package*, found without importing it (``import pyvis``
    imports IPython: over a second for two files)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {package} is not installed")
    for folder in spec.submodule_search_locations:
        path = Path(folder).joinpath(*parts)
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def _json_for_script(value: Any) -> str:
    """JSON safe inside a <script> element.

    >>> _json_for_script({"a": "</script><b>&"})
    '{"a":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


# ---------------------------------------------------------------- layout


def _fr(graph: nx.Graph, seed: int, iterations: int | None,
        small: bool = True) -> dict[Hashable, tuple[float, float]]:
    """Force-layout positions of *graph* (igraph), seeded: Kamada–Kawai up to 300 nodes
    when *small*, else Fruchterman–Reingold (grid variant above 300 nodes)."""
    # sorted: a subgraph view iterates its nodes in the order of a set of them, which
    # changes with the hash seed (a community's layout would change from run to run)
    nodes = sorted(graph.nodes(), key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    import igraph as ig

    index = {v: i for i, v in enumerate(nodes)}
    g = ig.Graph(n=n, edges=sorted(tuple(sorted((index[a], index[b])))
                                   for a, b in graph.edges()))
    rng = random.Random(seed)
    start = [[rng.uniform(-1, 1) * math.sqrt(n), rng.uniform(-1, 1) * math.sqrt(n)]
             for _ in range(n)]
    steps = iterations if iterations is not None else (500 if n <= 2000 else 150)
    ig.set_random_number_generator(random.Random(seed))
    try:
        if small and n <= 300:  # Kamada–Kawai spreads hubs' leaves evenly (the 36 of AMB)
            coords = g.layout_kamada_kawai(seed=start, maxiter=50 * n)
        else:
            coords = g.layout_fruchterman_reingold(niter=steps, seed=start, grid=n > 300)
    finally:
        ig.set_random_number_generator(random)
    return {v: (float(x), float(y)) for v, (x, y) in zip(nodes, coords, strict=True)}


def _scaled(pos: dict[Hashable, tuple[float, float]], graph: nx.Graph,
            spacing: float) -> dict[Hashable, tuple[float, float]]:
    """*pos* scaled so that linked nodes sit *spacing* apart on average (centred on 0)."""
    if not pos:
        return pos
    cx = sum(x for x, _ in pos.values()) / len(pos)
    cy = sum(y for _, y in pos.values()) / len(pos)
    lengths = [math.dist(pos[a], pos[b]) for a, b in graph.edges() if a != b]
    mean = sum(lengths) / len(lengths) if lengths else 1.0
    f = spacing / mean if mean > 0 else 1.0
    return {v: ((x - cx) * f, (y - cy) * f) for v, (x, y) in pos.items()}


def _spread(centres: Mapping[int, tuple[float, float]], radius: Mapping[int, float]) -> float:
    """The factor that moves *centres* apart until no two discs overlap, checking each
    centre's 12 nearest others (a k-d tree: no pass over all pairs)."""
    if len(centres) < 2:
        return 1.0
    import numpy as np
    from scipy.spatial import cKDTree  # type: ignore[import-untyped]

    keys = list(centres)
    xy = np.array([centres[k] for k in keys], dtype=float)
    r = np.array([radius[k] for k in keys], dtype=float)
    k = min(13, len(keys))
    dist, idx = cKDTree(xy).query(xy, k=k)
    need = (r[:, None] + r[idx[:, 1:]]) / np.maximum(dist[:, 1:], 1e-9)
    return float(need.max())


def layout(graph: nx.Graph, analysis: Analysis, *, seed: int = 7,
           iterations: int | None = None) -> dict[str, tuple[float, float]]:
    """Page coordinates of every organisation, deterministic for a given *seed*.

    Up to :data:`OVERVIEW` nodes: one force layout of the whole (undirected) view. Above:
    the communities are laid out as a weighted graph of their own, each then lays out its
    members inside a disc whose area grows with its size — so the overview and every
    expanded community are readable.
    """
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    n = undirected.number_of_nodes()
    if n <= OVERVIEW:
        pos = _scaled(_fr(undirected, seed, iterations), undirected, SPACING * 4)
        return {str(v): (round(x, 1), round(y, 1)) for v, (x, y) in pos.items()}
    community_of = {s.iri: s.community for s in analysis.scores}
    members: dict[int, list[Hashable]] = defaultdict(list)
    for v in undirected:
        members[community_of[str(v)]].append(v)
    between: dict[tuple[int, int], int] = defaultdict(int)
    for a, b in undirected.edges():
        ca, cb = community_of[str(a)], community_of[str(b)]
        if ca != cb:
            between[min(ca, cb), max(ca, cb)] += 1
    meta = nx.Graph()
    meta.add_nodes_from(sorted(members))
    meta.add_edges_from(between)
    radius = {c: SPACING * 0.6 * math.sqrt(len(m)) for c, m in members.items()}
    main = max(nx.connected_components(meta), key=lambda c: (sum(len(members[x]) for x in c),
                                                            -min(c)))
    raw = _fr(meta.subgraph(main), seed, iterations)
    need = _spread({int(c): xy for c, xy in raw.items()}, radius)  # type: ignore[call-overload]
    centres = {int(c): (x * need * 1.1, y * need * 1.1)  # type: ignore[call-overload]
               for c, (x, y) in raw.items()}
    # communities unlinked to the main group (isolated organisations …) go in rows below it,
    # rather than being flung far out by the force layout
    rest = sorted((c for c in members if c not in main), key=lambda c: (-len(members[c]), c))
    if rest:
        left = min(x - radius[c] for c, (x, _) in centres.items())
        right = max(x + radius[c] for c, (x, _) in centres.items())
        y = max(y + radius[c] for c, (_, y) in centres.items()) + 3 * SPACING
        x, row = left, 0.0
        for c in rest:
            r = radius[c]
            if x + 2 * r > right and x > left:
                x, y, row = left, y + row + SPACING, 0.0
            centres[c] = (x + r, y + r)
            x, row = x + 2 * r + SPACING, max(row, 2 * r)
    out: dict[str, tuple[float, float]] = {}
    for c, group in members.items():
        cx, cy = centres[c]
        local = _fr(undirected.subgraph(group), seed + c, iterations or 200, small=False)
        if len(local) > 1:
            xs = [x for x, _ in local.values()]
            ys = [y for _, y in local.values()]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            extent = max(math.hypot(x - mx, y - my) for x, y in local.values()) or 1.0
            f = radius[c] / extent
            local = {v: ((x - mx) * f, (y - my) * f) for v, (x, y) in local.items()}
        for v, (x, y) in local.items():
            out[str(v)] = (round(cx + x, 1), round(cy + y, 1))
    return out


# ---------------------------------------------------------------- page data


def _local(iri: str, base: str) -> str:
    """The site-relative path of a minted IRI (``id/org/amb``), else empty."""
    return iri[len(base):] if iri.startswith(base) and not iri[len(base):].startswith("/") else ""


def explorer_data(graph: nx.Graph, analysis: Analysis, *, plans: dict[str, str] | None = None,
                  lang: str = "en", size_by: str = "pagerank", colour_by: str = "type",
                  iterations: int | None = None, base: str = DEFAULT_BASE,
                  overview: int | None = None) -> dict[str, Any]:
    """The page's data: nodes (with positions), edges (with evidence), filter choices,
    names of types and roles per language, and display settings (plain JSON)."""
    if lang not in LANGUAGES:
        raise InputError("--lang", f"unknown language {lang!r}", hint="use ca, es or en")
    if size_by not in MEASURES:
        raise InputError("--size-by", f"unknown measure {size_by!r}",
                         hint=f"use one of: {', '.join(MEASURES)}")
    if colour_by not in COLOUR_BY:
        raise InputError("--colour-by", f"unknown colouring {colour_by!r}",
                         hint="use type or community")
    n = graph.number_of_nodes()
    if n > LIMIT:
        raise InputError("explorer", f"{n} organisations are too many for one page "
                         f"(the limit is {LIMIT})",
                         hint="explore a smaller view (--view plan:… or sdg:…), or open the "
                              "GEXF of `metrokg network --out` in Gephi")
    with paused():
        return _data(graph, analysis, plans or {}, lang, size_by, colour_by, iterations, base,
                     OVERVIEW if overview is None else overview)


def _data(graph: nx.Graph, analysis: Analysis, plans: Mapping[str, str], lang: str,
          size_by: str, colour_by: str, iterations: int | None, base: str,
          overview: int) -> dict[str, Any]:
    scores = {s.iri: s for s in analysis.scores}
    pos = layout(graph, analysis, iterations=iterations)
    index = {str(v): i for i, v in enumerate(graph.nodes())}
    plan_ids = sorted({str(p) for _, _, d in graph.edges(data=True) for p in d.get("plans") or ()}
                      | {str(p) for _, d in graph.nodes(data=True) for p in d.get("plans") or ()})
    plan_index = {p: i for i, p in enumerate(plan_ids)}
    nodes = []
    for node, attrs in graph.nodes(data=True):
        iri = str(node)
        s = scores[iri]
        names = dict(attrs.get("names") or {}) or {"en": str(attrs.get("label", node))}
        x, y = pos[iri]
        item: dict[str, Any] = {
            "id": iri, "names": names, "type": str(attrs.get("type") or ""),
            "community": s.community, "broker": s.broker, "x": x, "y": y,
            "scores": {m: getattr(s, m) for m in MEASURES},
            "plans": [plan_index[str(p)] for p in attrs.get("plans") or ()],
            "goals": list(attrs.get("goals") or []),
        }
        page = _local(iri, base)
        if page:
            item["page"] = page
        nodes.append(item)
    edges = []
    relations: set[str] = set()
    used_roles: set[str] = set()
    years: set[int] = set()
    for a, b, attrs in graph.edges(data=True):
        kinds, roles = list(attrs.get("kinds") or []), list(attrs.get("roles") or [])
        relations.update(kinds, roles)
        edge: dict[str, Any] = {
            "s": index[str(a)], "t": index[str(b)], "w": attrs.get("weight", 1),
            "kinds": kinds, "roles": roles,
            "plans": [plan_index[str(p)] for p in attrs.get("plans") or ()],
            "goals": list(attrs.get("goals") or []),
        }
        items = [_item(i, index, plan_index, base) for i in attrs.get("items") or ()]
        if items:
            edge["items"] = items
            used_roles.update(r for i in items for _, rs in i.get("roles", ()) for r in rs)
            span = [int(y) for i in items for y in i.get("years", ())]
            if span:
                edge["years"] = [min(span), max(span)]
                years.update(span)
        edges.append(edge)
    goals = sorted({str(g) for item in [*nodes, *edges] for g in item["goals"]}, key=int)
    type_names = graph.graph.get("type_names") or {}
    role_names = graph.graph.get("role_names") or {}
    return {
        "nodes": nodes, "edges": edges, "directed": graph.is_directed(),
        "plans": [{"id": p, "label": plans.get(p, p.rsplit("/", 1)[-1]),
                   "page": _local(p, base)} for p in plan_ids],
        "goals": goals, "relations": sorted(relations, key=lambda r: (r not in KINDS, r)),
        "kinds": list(KINDS), "measures": list(MEASURES),
        "types": {t: dict(type_names.get(t, {})) for t in sorted({n["type"] for n in nodes})},
        "roles": {r: dict(v) for r, v in sorted(role_names.items())
                  if r in relations or r in used_roles},
        "years": [min(years), max(years)] if years else [],
        "lang": lang, "sizeBy": size_by, "colourBy": colour_by, "view": analysis.view,
        "overview": overview,
    }


def _item(item: Mapping[str, Any], index: Mapping[str, int], plan_index: Mapping[str, int],
          base: str) -> dict[str, Any]:
    """One evidence item for the page: organisations by index, local pages, years."""
    out: dict[str, Any] = {"kind": item["kind"], "a": index.get(item["from"], -1),
                           "b": index.get(item["to"], -1), "subject": item["subject"]}
    page = _local(item["subject"], base)
    if page:
        out["page"] = page
    for key in ("role", "notation", "level", "names"):
        if item.get(key):
            out[key] = item[key]
    if item.get("plan"):
        out["plan"] = plan_index.get(item["plan"], -1)
    if item.get("roles"):
        out["roles"] = [[index.get(org, -1), roles] for org, roles in item["roles"].items()]
    period = str(item.get("period") or "")
    if period:
        out["period"] = period
        out["years"] = sorted({int(y) for y in period.replace("–", " ").split() if y.isdigit()})
    sources = []
    for source in item.get("sources") or ():
        url = str(source["source"])
        entry = {"quote": source["quote"]} if source["quote"] else {}
        if url.startswith(base) and "#" in url:
            entry["passage"] = url  # a passage of a document: shown as text, not followed
        else:
            entry["url"] = url
        sources.append(entry)
    if sources:
        out["sources"] = sources
    return out


# ---------------------------------------------------------------- the page

CONTROLS = """<header>
<h1>{title}</h1>
<details id="controls-box" open>
<summary data-t="controls"></summary>
<div id="controls">
<label><span data-t="search"></span> <input id="search" type="search" autocomplete="off"></label>
<span id="search-count" aria-live="polite"></span>
<label><span data-t="plan"></span> <select id="plan"></select></label>
<label><span data-t="goal"></span> <select id="goal"></select></label>
<label><span data-t="relation"></span> <select id="relation"></select></label>
<label><span data-t="minDegree"></span> <input id="min-degree"
 type="number" min="0" step="1" value="0"></label>
<label><span data-t="minWeight"></span> <input id="min-weight"
 type="number" min="1" step="1" value="1"></label>
<label><span data-t="years"></span> <input id="year-from" type="number" step="1">
 – <input id="year-to" type="number" step="1"></label>
<label><span data-t="focus"></span> <select id="depth"></select></label>
<label><span data-t="size"></span> <select id="size"></select></label>
<label><span data-t="colour"></span> <select id="colour"></select></label>
<label><span data-t="language"></span> <select id="lang"></select></label>
<button id="overview-toggle" type="button"></button>
<button id="reset" type="button" data-t="reset"></button>
<button id="table-toggle" type="button" data-t="table" aria-controls="table-box"
 aria-expanded="false"></button>
<span class="exports"><span data-t="export"></span>
<button id="export-png" type="button">PNG</button>
<button id="export-svg" type="button">SVG</button>
<button id="export-csv" type="button">CSV</button>
<button id="export-csv-links" type="button"></button>
<button id="export-gexf" type="button">GEXF</button></span>
</div>
</details>
<p id="status" role="status" aria-live="polite"></p>
</header>"""


def explorer_html(graph: nx.Graph, analysis: Analysis, *, title: str = "metrokg network",
                  plans: dict[str, str] | None = None, lang: str = "en",
                  size_by: str = "pagerank", colour_by: str = "type",
                  iterations: int | None = None, base: str = DEFAULT_BASE,
                  overview: int | None = None) -> str:
    """One offline HTML page exploring *graph* with the scores of *analysis*.

    *plans* maps plan IRIs to names for the plan filter; *lang* picks the language of
    names and controls (ca/es/en, switchable in the page); nodes are sized by *size_by*
    (a measure) and coloured by *colour_by* (``type`` or ``community``). *iterations*
    sets the steps of the precomputed layout; *base* the IRIs that have a page on the
    site (linked relatively, ``id/org/amb``); *overview* the size above which the page
    opens on the community overview (default :data:`OVERVIEW`).
    """
    data = explorer_data(graph, analysis, plans=plans, lang=lang, size_by=size_by,
                         colour_by=colour_by, iterations=iterations, base=base,
                         overview=overview)
    vis_js = _asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.min.js")
    vis_css = _asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.css")
    page_js = _asset("metrokg", "data", "explorer.js")
    page_css = _asset("metrokg", "data", "explorer.css")
    if "</script" in vis_js.lower() or "</style" in (vis_css + page_css).lower():
        raise RuntimeError("an inlined asset contains a closing tag")  # pragma: no cover
    csp = ("default-src 'none'; "
           f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}; "
           "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
           "connect-src 'none'; form-action 'none'; base-uri 'none'")
    safe_title = html.escape(title, quote=True)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{safe_title}</title>
<!-- generated by metrokg.outputs.explorer — do not edit; vis-network {VIS_VERSION} (MIT/Apache-2.0)
     inlined from the pyvis package -->
<style>
{vis_css}
</style>
<style>
{page_css}
</style>
</head>
<body>
{CONTROLS.format(title=safe_title)}
<main>
<div id="network" tabindex="0" role="img"></div>
<aside><div id="legend"></div><div id="panel" aria-live="polite"></div></aside>
</main>
<section id="table-box" hidden><table id="table"></table></section>
<div id="tooltip" hidden></div>
<script type="application/json" id="metrokg-data">{_json_for_script(data)}</script>
<script>{vis_js}</script>
<script>{page_js}</script>
</body>
</html>
"""


# ---------------------------------------------------------------- pyvis, for notebooks


def pyvis_network(graph: nx.Graph, analysis: Analysis | None = None, *, lang: str = "en",
                  size_by: str = "pagerank", notebook: bool = True, **options: Any) -> Any:
    """A ``pyvis.network.Network`` of a view, built in one pass, for notebook users.

    pyvis's ``from_nx`` and ``add_edge`` check every existing edge for a duplicate on each
    call (quadratic: minutes at 20,000 edges); a view has no duplicate edges, so the node
    and edge lists are set directly. Nodes carry the name in *lang* as label, the type and
    scores as a plain-text title, and a size from *size_by*; edges their weight and
    relation kinds. *options* go to ``Network`` (``height``, ``cdn_resources`` …). Draw
    it with ``net.show("view.html")`` or customise it first (``net.repulsion()``, …).
    """
    from pyvis.network import Network

    if size_by not in MEASURES:
        raise InputError("size_by", f"unknown measure {size_by!r}",
                         hint=f"use one of: {', '.join(MEASURES)}")
    net = Network(notebook=notebook, directed=graph.is_directed(), **options)
    scores = {s.iri: s for s in analysis.scores} if analysis is not None else {}
    top = max((getattr(s, size_by) for s in scores.values()), default=0.0) or 1.0
    for node, attrs in graph.nodes(data=True):
        names = dict(attrs.get("names") or {})
        label = next((names[k] for k in (lang, "en", "es", "ca") if k in names),
                     str(attrs.get("label", node)))
        s = scores.get(str(node))
        lines = [label, f"type: {attrs.get('type') or '—'}"]
        if s is not None:
            lines += [f"{m}: {getattr(s, m)}" for m in MEASURES] + [f"community: {s.community}"]
        item = {"id": str(node), "label": label, "shape": "dot", "title": "\n".join(lines),
                "size": 8 + 24 * math.sqrt(getattr(s, size_by) / top) if s else 10}
        if s is not None:
            item["group"] = s.community
        net.nodes.append(item)
        net.node_ids.append(str(node))
        net.node_map[str(node)] = item
    for a, b, attrs in graph.edges(data=True):
        kinds = ", ".join(attrs.get("kinds") or ())
        net.edges.append({"from": str(a), "to": str(b), "value": attrs.get("weight", 1),
                          "title": f"{kinds} (weight {attrs.get('weight', 1)})",
                          **({"arrows": "to"} if graph.is_directed() else {})})
    return net


_BOOTSTRAP = re.compile(r"<(?:link|script)\b[^>]*bootstrap[^>]*>(?:\s*</script>)?", re.IGNORECASE)


def pyvis_page(net: Any) -> str:
    """*net*'s pyvis page, offline: pyvis's template loads Bootstrap from a CDN (for its
    optional menus) even with ``cdn_resources="in_line"``; those two tags are dropped.

    >>> from pyvis.network import Network
    >>> page = pyvis_page(Network(cdn_resources="in_line"))
    >>> "bootstrap" in page.lower(), "vis-network" in page
    (False, True)
    """
    return _BOOTSTRAP.sub("", str(net.generate_html()))
