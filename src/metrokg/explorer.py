"""The network explorer: one self-contained, offline, safe HTML page.

Made with pyvis's copy of vis-network (``pyvis/lib/vis-9.1.2``), inlined into the page, so
it opens with no network at all. pyvis's own page is not used: it writes tooltips as HTML,
leaves its heading unescaped and builds edges in quadratic time. Here the vis-network
node and edge data are built in one pass and travel as JSON in a
``<script type="application/json">`` block (``<``, ``>`` and ``&`` escaped, so no
``</script>`` can end it); the page script (``data/explorer.js``) shows every label with
``textContent`` and links only http(s) IRIs. A Content-Security-Policy allows only the
page's own two scripts (by hash) and no requests at all.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
from importlib import resources
from typing import Any

import networkx as nx

from .analysis import MEASURES, Analysis
from .errors import InputError
from .network import LANGUAGES

__all__ = ["COLOUR_BY", "explorer_html"]

COLOUR_BY = ("type", "community")
VIS_VERSION = "9.1.2"


def _asset(package: str, *parts: str) -> str:
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def _json_for_script(value: Any) -> str:
    """JSON safe inside a <script> element.

    >>> _json_for_script({"a": "</script><b>&"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def explorer_data(graph: nx.Graph, analysis: Analysis, *, plans: dict[str, str] | None = None,
                  lang: str = "en", size_by: str = "pagerank", colour_by: str = "type",
                  iterations: int | None = None) -> dict[str, Any]:
    """The page's data: nodes, edges, filter choices and display settings (plain JSON)."""
    if lang not in LANGUAGES:
        raise InputError("--lang", f"unknown language {lang!r}", hint="use ca, es or en")
    if size_by not in MEASURES:
        raise InputError("--size-by", f"unknown measure {size_by!r}",
                         hint=f"use one of: {', '.join(MEASURES)}")
    if colour_by not in COLOUR_BY:
        raise InputError("--colour-by", f"unknown colouring {colour_by!r}",
                         hint="use type or community")
    scores = {s.iri: s for s in analysis.scores}
    nodes = []
    for node, attrs in graph.nodes(data=True):
        s = scores[str(node)]
        names = dict(attrs.get("names") or {})
        if not names:
            names = {"en": str(attrs.get("label", node))}
        nodes.append({
            "id": str(node), "names": names, "type": str(attrs.get("type") or ""),
            "community": s.community, "broker": s.broker,
            "scores": {m: getattr(s, m) for m in MEASURES},
            "plans": list(attrs.get("plans") or []), "goals": list(attrs.get("goals") or []),
        })
    edges = []
    relations: set[str] = set()
    for i, (a, b, attrs) in enumerate(graph.edges(data=True)):
        kinds, roles = list(attrs.get("kinds") or []), list(attrs.get("roles") or [])
        relations.update(kinds, roles)
        edges.append({
            "id": i, "from": str(a), "to": str(b), "weight": attrs.get("weight", 1),
            "kinds": kinds, "roles": roles, "plans": list(attrs.get("plans") or []),
            "goals": list(attrs.get("goals") or []),
            "stated": bool({"membership", "part-of"} & set(kinds)),
        })
    items: list[dict[str, Any]] = [*nodes, *edges]
    used_plans = sorted({str(p) for item in items for p in item["plans"]})
    goals = sorted({str(g) for item in items for g in item["goals"]}, key=int)
    n = len(nodes)
    return {
        "nodes": nodes, "edges": edges, "directed": graph.is_directed(),
        "plans": [{"id": p, "label": (plans or {}).get(p, p.rsplit("/", 1)[-1])}
                  for p in used_plans],
        "goals": goals, "relations": sorted(relations), "measures": list(MEASURES),
        "lang": lang, "sizeBy": size_by, "colourBy": colour_by, "view": analysis.view,
        "iterations": iterations if iterations is not None else _iterations(n),
    }


def _iterations(n: int) -> int:
    """Physics steps before the layout freezes: many for small views, few for large ones."""
    if n <= 200:
        return 400
    if n > 2000:  # ~0.12 s per step at 5,000 nodes on 2 cores: keep the page under 5 s
        return max(10, 100_000 // n)
    return max(40, min(300, int(60000 / n * math.log10(n))))


def explorer_html(graph: nx.Graph, analysis: Analysis, *, title: str = "metrokg network",
                  plans: dict[str, str] | None = None, lang: str = "en",
                  size_by: str = "pagerank", colour_by: str = "type",
                  iterations: int | None = None) -> str:
    """One offline HTML page exploring *graph* with the scores of *analysis*.

    *plans* maps plan IRIs to names for the plan filter; *lang* picks the names shown
    (ca/es/en, switchable in the page); nodes are sized by *size_by* (a measure) and
    coloured by *colour_by* (``type`` or ``community``).
    """
    data = explorer_data(graph, analysis, plans=plans, lang=lang, size_by=size_by,
                         colour_by=colour_by, iterations=iterations)
    vis_js = _asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.min.js")
    vis_css = _asset("pyvis", "lib", f"vis-{VIS_VERSION}", "vis-network.css")
    page_js = _asset("metrokg", "data", "explorer.js")
    page_css = _asset("metrokg", "data", "explorer.css")
    if "</script" in vis_js.lower() or "</style" in (vis_css + page_css).lower():
        raise RuntimeError("an inlined asset contains a closing tag")  # pragma: no cover
    csp = ("default-src 'none'; "
           f"script-src {_csp_hash(vis_js)} {_csp_hash(page_js)}; "
           "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
           "form-action 'none'; base-uri 'none'")
    safe_title = html.escape(title, quote=True)
    return f"""<!DOCTYPE html>
<html lang="{html.escape(lang)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{safe_title}</title>
<!-- generated by metrokg.explorer — do not edit; vis-network {VIS_VERSION} (MIT/Apache-2.0)
     inlined from the pyvis package -->
<style>
{vis_css}
</style>
<style>
{page_css}
</style>
</head>
<body>
<header>
<h1>{safe_title}</h1>
<div id="controls">
<label>search <input id="search" type="search" autocomplete="off"></label>
<span id="search-count"></span>
<label>plan <select id="plan"></select></label>
<label>SDG <select id="goal"></select></label>
<label>relation <select id="relation"></select></label>
<label>size <select id="size"></select></label>
<label>colour <select id="colour"></select></label>
<label>language <select id="lang"></select></label>
<span id="status"></span>
</div>
</header>
<main>
<div id="network"></div>
<aside><div id="legend"></div><div id="panel"></div></aside>
</main>
<div id="tooltip" hidden></div>
<script type="application/json" id="metrokg-data">{_json_for_script(data)}</script>
<script>{vis_js}</script>
<script>{page_js}</script>
</body>
</html>
"""
