"""The partnership network: projection queries → plain data → NetworkX views.

The network is never built by dumping triples into NetworkX. The projection queries in
``queries/network/*.rq`` ask the store who is linked to whom, by which relation and on
what evidence; this module keeps their rows as plain frozen data (:class:`Projection`)
and turns a chosen :class:`View` of them into a NetworkX graph.

Edge kinds (see docs/network.md):

- ``membership`` — a stated org:Membership, member → organisation, with its role;
- ``part-of`` — org:subOrganizationOf, unit → parent;
- ``plan-owner`` — an organisation named in a plan (element) → the plan's responsible
  organisation, with the role it is named in (partner, network, reference-space …);
- ``co-involvement`` — two organisations named in the same plan element (undirected).

Each link carries its evidence (the membership IRI, or the plan element); the weight of
an edge in a view is the number of distinct (kind, evidence) items between its two ends.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from ..errors import InputError, QueryError
from ..namespaces import MKG, SDG
from .nogc import paused

__all__ = [
    "KINDS", "LANGUAGES", "Element", "Evidence", "Link", "Organisation", "Projection", "View",
    "bipartite_view", "ego_edges", "ego_network", "evidence_item", "label_of",
    "load_projection", "network_view", "write_gexf", "write_graphml",
]

KINDS = ("membership", "part-of", "plan-owner", "co-involvement")
"""The edge kinds a projection produces."""
LANGUAGES = ("ca", "es", "en")
SCOPES = ("whole", "plan", "sdg", "relation")
_PROJECTIONS = ("organisations", "memberships", "sub-organisations", "involvements",
                "co-involvement", "plan-owners", "elements", "sdg-links", "responsible",
                "evidence", "concepts")
_GOAL = re.compile(r"^(?:sdg:?)?(\d{1,2})$")


@dataclass(frozen=True)
class Organisation:
    """A node: an organisation, its type slug and its preferred names per language."""

    iri: str
    type: str = ""
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Link:
    """One relation between two organisations, with the evidence it rests on."""

    source: str
    target: str
    kind: str
    role: str = ""
    evidence: str = ""
    plan: str = ""
    """The plan the evidence belongs to; empty for stated relations (membership, part-of)."""


@dataclass(frozen=True)
class Element:
    """A plan or plan element organisations can be named in."""

    iri: str
    plan: str
    level: str
    notation: str = ""
    parent: str = ""
    names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Involvement:
    """An organisation named in a plan or plan element, in a role."""

    org: str
    role: str
    target: str
    plan: str
    iri: str = ""
    """The mkg:Involvement itself (the key of its :class:`Evidence`)."""


@dataclass(frozen=True)
class Evidence:
    """Where a relation, involvement or plan is stated, and the years it covers."""

    source: str
    """The passage (``…#passage``) or URL the statement was derived from."""
    quote: str = ""
    """The passage's exact text; empty for URL-cited facts."""
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class Projection:
    """Everything the projection queries returned, as plain data."""

    organisations: Mapping[str, Organisation]
    links: tuple[Link, ...]
    involvements: tuple[Involvement, ...]
    elements: Mapping[str, Element]
    responsible: Mapping[str, tuple[str, ...]]
    """plan IRI → the organisations responsible for it."""
    goals: Mapping[str, frozenset[int]]
    """plan or element IRI → SDG numbers stated for it or for one of its ancestors."""
    evidence: Mapping[str, tuple[Evidence, ...]] = field(default_factory=dict)
    """relation, involvement or plan IRI → the sources stating it (sorted)."""
    type_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """organisation-type slug → its name per language."""
    role_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """role slug → its name per language."""

    def plans(self) -> list[str]:
        """The IRIs of the plans, sorted."""
        return sorted(e.iri for e in self.elements.values() if e.level == "plan")

    def goal_numbers(self) -> list[int]:
        """Every SDG number some plan element is linked to, sorted."""
        return sorted(set().union(*self.goals.values())) if self.goals else []

    def link_goals(self, link: Link) -> frozenset[int]:
        """The SDGs a link's evidence is linked to (empty for stated relations)."""
        return self.goals.get(link.evidence, frozenset()) if link.plan else frozenset()


@dataclass(frozen=True)
class View:
    """Which part of the network to look at, and whether edges keep their direction.

    >>> View.parse("plan:amb-pam-2015-2019").name
    'plan-amb-pam-2015-2019'
    >>> View.parse("sdg:11", directed=True).name
    'sdg-11-directed'
    >>> View.parse("whole").name
    'whole'
    """

    scope: str = "whole"
    value: str = ""
    directed: bool = False

    @classmethod
    def parse(cls, text: str, *, directed: bool = False) -> View:
        """Read ``whole``, ``plan:<plan-id>``, ``sdg:<1-17>`` or ``relation:<kind-or-role>``."""
        scope, _, value = text.partition(":")
        if scope not in SCOPES or (scope == "whole") != (value == ""):
            raise InputError("--view", f"unknown view {text!r}",
                             hint="use whole, plan:<plan-id>, sdg:<1-17> or "
                                  "relation:<kind or role>, e.g. relation:member")
        if scope == "sdg":
            match = _GOAL.match(value)
            if not match or not 1 <= int(match.group(1)) <= 17:
                raise InputError("--view", f"{value!r} is not an SDG number",
                                 hint="the goals are numbered 1 to 17, e.g. sdg:11")
            value = match.group(1)
        elif value and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
            raise InputError("--view", f"{value!r} is not a valid id",
                             hint="e.g. plan:amb-pam-2015-2019")
        return cls(scope, value, directed)

    @property
    def name(self) -> str:
        """A slug naming the view (used in file names and in the analysis graph IRI)."""
        name = self.scope if not self.value else f"{self.scope}-{self.value}"
        return name + ("-directed" if self.directed else "")

    @property
    def text(self) -> str:
        """The view as written on the command line, e.g. ``plan:amb-pam-2015-2019``."""
        return self.scope if not self.value else f"{self.scope}:{self.value}"


# ---------------------------------------------------------------- projection


def load_projection(store: ox.Store, queries: Path) -> Projection:
    """Run the projection queries in *queries* (``queries/network/``) on *store*."""
    with paused():
        return _load_projection(store, queries)


def _load_projection(store: ox.Store, queries: Path) -> Projection:
    rows = {name: _select(store, queries / f"{name}.rq") for name in _PROJECTIONS}
    orgs: dict[str, dict[str, Any]] = {}
    for r in rows["organisations"]:
        o = orgs.setdefault(r["org"], {"type": "", "names": {}})
        if r.get("typeCode"):
            o["type"] = r["typeCode"]
        _keep_name(o["names"], r)
    organisations = {iri: Organisation(iri, o["type"], dict(sorted(o["names"].items())))
                     for iri, o in sorted(orgs.items())}
    links: set[Link] = set()
    for r in rows["memberships"]:
        links.add(Link(r["member"], r["organisation"], "membership",
                       r.get("roleCode") or _tail(r["role"]), r["relation"]))
    for r in rows["sub-organisations"]:
        links.add(Link(r["unit"], r["parent"], "part-of", "", f"{r['unit']} {r['parent']}"))
    for r in rows["plan-owners"]:
        links.add(Link(r["org"], r["owner"], "plan-owner", r.get("roleCode") or "",
                       r["target"], r["plan"]))
    for r in rows["co-involvement"]:
        links.add(Link(r["a"], r["b"], "co-involvement", "", r["target"], r["plan"]))
    involvements = sorted({Involvement(r["org"], r.get("roleCode") or _tail(r["role"]),
                                       r["target"], r["plan"], r.get("involvement", ""))
                           for r in rows["involvements"]},
                          key=lambda i: (i.org, i.target, i.role, i.iri))
    evidence: dict[str, set[Evidence]] = defaultdict(set)
    for r in rows["evidence"]:
        evidence[r["subject"]].add(Evidence(r["derived"], r.get("quote", ""), r.get("start", ""),
                                            r.get("end", "")))
    concepts: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
    for r in rows["concepts"]:
        _keep_name(concepts[_tail(r["scheme"])].setdefault(r["code"], {}), r)
    elements: dict[str, dict[str, Any]] = {}
    for r in rows["elements"]:
        e = elements.setdefault(r["element"], {"plan": r["plan"], "level": "", "notation": "",
                                               "parent": "", "names": {}})
        e["level"] = _level(r["level"])
        e["notation"] = r.get("notation") or e["notation"]
        e["parent"] = r.get("parent") or e["parent"]
        _keep_name(e["names"], r)
    element_map = {iri: Element(iri, e["plan"], e["level"], e["notation"], e["parent"],
                                dict(sorted(e["names"].items())))
                   for iri, e in sorted(elements.items())}
    responsible: dict[str, list[str]] = defaultdict(list)
    for r in rows["responsible"]:
        responsible[r["plan"]].append(r["org"])
    stated: dict[str, set[int]] = defaultdict(set)
    for r in rows["sdg-links"]:
        stated[r["subject"]].add(int(r["goal"].removeprefix(str(SDG))))
    return Projection(
        organisations=organisations,
        links=tuple(sorted(links, key=lambda k: (k.kind, k.source, k.target, k.role, k.evidence))),
        involvements=tuple(involvements),
        elements=element_map,
        responsible={p: tuple(sorted(set(o))) for p, o in sorted(responsible.items())},
        goals=_inherit_goals(element_map, stated),
        evidence={k: tuple(sorted(v, key=lambda e: (e.source, e.quote)))
                  for k, v in sorted(evidence.items())},
        type_names={k: dict(sorted(v.items()))
                    for k, v in sorted(concepts["OrganisationTypes"].items())},
        role_names={k: dict(sorted(v.items())) for k, v in sorted(concepts["Roles"].items())},
    )


def _inherit_goals(elements: Mapping[str, Element],
                   stated: Mapping[str, set[int]]) -> dict[str, frozenset[int]]:
    """Each element's goals: its own, its ancestors' and its plan's."""
    out: dict[str, frozenset[int]] = {}
    for iri, element in elements.items():
        goals: set[int] = set(stated.get(iri, ()))
        seen = {iri}
        parent = element.parent
        while parent and parent not in seen:
            seen.add(parent)
            goals |= stated.get(parent, set())
            parent = elements[parent].parent if parent in elements else ""
        goals |= stated.get(element.plan, set())
        if goals:
            out[iri] = frozenset(goals)
    return out


def _select(store: ox.Store, path: Path) -> list[dict[str, str]]:
    """Rows of a SELECT query as dicts: IRIs and literal values as strings, ``x@`` = language."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"projection query {path} is missing (reinstall or restore "
                         "queries/network/ from the repository)") from None
    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise QueryError(f"{path}: {exc}") from None
    assert isinstance(solutions, ox.QuerySolutions), f"{path} is not a SELECT query"
    names = [v.value for v in solutions.variables]
    rows = []
    for solution in solutions:
        row: dict[str, str] = {}
        for name in names:
            term = solution[name]
            if term is None:
                continue
            row[name] = term.value
            if isinstance(term, ox.Literal) and term.language:
                row[name + "@"] = term.language
        rows.append(row)
    return rows


def _keep_name(names: dict[str, str], row: Mapping[str, str]) -> None:
    """Keep one name per language: the first in code-point order (stable across runs)."""
    lang = row.get("label@")
    if lang in LANGUAGES and (lang not in names or row["label"] < names[lang]):
        names[lang] = row["label"]


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _level(cls: str) -> str:
    """mkg:ActionLine → ``action-line``, mkg:Plan → ``plan``."""
    local = cls.removeprefix(str(MKG))
    return re.sub(r"(?<!^)([A-Z])", r"-\1", local).lower()


# ---------------------------------------------------------------- views


def label_of(names: Mapping[str, str], iri: str, lang: str = "en") -> str:
    """The name in *lang*, else en, es, ca, else the IRI's last segment.

    >>> label_of({"ca": "Àrea", "es": "Área"}, "https://x/id/org/amb", "en")
    'Área'
    >>> label_of({}, "https://x/id/org/amb")
    'amb'
    """
    for candidate in (lang, "en", "es", "ca"):
        if candidate in names:
            return names[candidate]
    return _tail(iri)


def select_links(projection: Projection, view: View) -> tuple[list[Link], set[str]]:
    """The links of *view* and the organisations it shows (also those with no link)."""
    links = projection.links
    if view.scope == "whole":
        return list(links), set(projection.organisations)
    if view.scope == "relation":
        chosen = [k for k in links if view.value in (k.kind, k.role)]
        if not chosen and view.value not in KINDS:
            known = sorted({k.role for k in links if k.role} | set(KINDS))
            raise InputError("--view", f"no relation of kind or role {view.value!r}",
                             hint=f"use one of: {', '.join(known)}")
        return chosen, {n for k in chosen for n in (k.source, k.target)}
    if view.scope == "plan":
        plan = next((p for p in projection.plans() if _tail(p) == view.value), None)
        if plan is None:
            raise InputError("--view", f"unknown plan {view.value!r}", hint="use one of: "
                             + ", ".join(_tail(p) for p in projection.plans()))
        targets = {e.iri for e in projection.elements.values() if e.plan == plan}
    else:
        goal = int(view.value)
        targets = {t for t, goals in projection.goals.items() if goal in goals}
    members = {i.org for i in projection.involvements if i.target in targets}
    members |= {o for t in targets if t in projection.responsible
                for o in projection.responsible[t]}
    members |= {o for i in projection.involvements if i.target in targets
                for o in projection.responsible.get(i.plan, ())}
    chosen = [k for k in links if (k.plan and k.evidence in targets)
              or (not k.plan and k.source in members and k.target in members)]
    return chosen, members | {n for k in chosen for n in (k.source, k.target)}


def participation(projection: Projection) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Which plans and SDGs each organisation takes part in (named in, or owner of).

    The same rule as the plan and SDG views of :func:`select_links`.
    """
    plans: dict[str, set[str]] = defaultdict(set)
    goals: dict[str, set[str]] = defaultdict(set)
    for inv in projection.involvements:
        target_goals = {str(g) for g in projection.goals.get(inv.target, ())}
        for org in (inv.org, *projection.responsible.get(inv.plan, ())):
            plans[org].add(inv.plan)
            goals[org] |= target_goals
    for plan, owners in projection.responsible.items():
        for org in owners:
            plans[org].add(plan)
            goals[org] |= {str(g) for g in projection.goals.get(plan, ())}
    return plans, goals


def network_view(projection: Projection, view: View, *, lang: str = "en",
                 evidence: bool = True) -> nx.Graph:
    """The organisation network of *view*: a ``Graph`` or, if ``view.directed``, a ``DiGraph``.

    Nodes carry ``label`` (in *lang*), ``type`` and ``names``; edges carry ``weight`` (the
    number of distinct pieces of evidence), ``kinds``, ``roles``, ``evidence``, ``plans``
    and ``goals`` (sorted lists). Undirected views merge both directions of a pair;
    directed views add co-involvement both ways. Nodes and edges are added in sorted
    order, so algorithms with a seed give the same result on every run.

    With *evidence* (the default), each edge also carries ``items``: one plain dict per
    relation or shared plan element behind it (:func:`evidence_item`), and the graph
    carries ``type_names`` and ``role_names`` (slug → names per language).
    """
    with paused():
        return _network_view(projection, view, lang, evidence)


def _network_view(projection: Projection, view: View, lang: str, evidence: bool) -> nx.Graph:
    links, nodes = select_links(projection, view)
    graph: nx.Graph = nx.DiGraph() if view.directed else nx.Graph()
    graph.graph.update(view=view.text, directed=view.directed, name=view.name)
    if evidence:
        graph.graph.update(type_names=projection.type_names, role_names=projection.role_names)
    plans, goals = participation(projection)
    roles_in = _roles_in(projection) if evidence else {}
    def ordered(values: set[str], key: Any = None) -> list[str]:
        return list(values) if len(values) < 2 else sorted(values, key=key)

    graph.add_nodes_from(
        (iri, {"label": label_of(org.names, iri, lang), "type": org.type,
               "names": dict(org.names), "plans": ordered(plans.get(iri, set())),
               "goals": ordered(goals.get(iri, set()), key=int)})
        for iri in sorted(nodes)
        for org in (projection.organisations.get(iri) or Organisation(iri),))
    pairs: dict[tuple[str, str], tuple[set[str], ...]] = {}
    found: dict[tuple[str, str], dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for link in links:
        ends = [(link.source, link.target)]
        if view.directed and link.kind == "co-involvement":
            ends.append((link.target, link.source))
        link_goals = projection.link_goals(link)
        for a, b in ends:
            key = (a, b) if view.directed or a < b else (b, a)
            data = pairs.get(key)
            if data is None:
                data = pairs[key] = (set(), set(), set(), set(), set(), set())
            items, kinds, roles, evidence_set, plan_set, goal_set = data
            if evidence and (link.kind, link.evidence) not in found[key]:
                found[key][link.kind, link.evidence] = evidence_item(projection, link, roles_in)
            items.add(f"{link.kind} {link.evidence}")
            kinds.add(link.kind)
            if link.role:
                roles.add(link.role)
            evidence_set.add(link.evidence)
            if link.plan:
                plan_set.add(link.plan)
            if link_goals:
                goal_set.update(str(g) for g in link_goals)
    for (a, b), (items, kinds, roles, evidence_set, plan_set, goal_set) in sorted(
            pairs.items()):
        attrs: dict[str, Any] = {
            "weight": len(items), "kinds": ordered(kinds), "roles": ordered(roles),
            "evidence": ordered(evidence_set), "plans": ordered(plan_set),
            "goals": ordered(goal_set, key=int)}
        if evidence:
            attrs["items"] = [found[a, b][k] for k in sorted(found[a, b])]
        graph.add_edge(a, b, **attrs)
    return graph


def _roles_in(projection: Projection) -> dict[tuple[str, str], list[Involvement]]:
    """(organisation, plan element) → the involvements naming it there."""
    out: dict[tuple[str, str], list[Involvement]] = defaultdict(list)
    for inv in projection.involvements:
        out[inv.org, inv.target].append(inv)
    return out


def _sources(projection: Projection, *subjects: str) -> list[dict[str, str]]:
    seen: dict[tuple[str, str], dict[str, str]] = {}
    for subject in subjects:
        for e in projection.evidence.get(subject, ()):
            seen.setdefault((e.source, e.quote), {"source": e.source, "quote": e.quote})
    return [seen[k] for k in sorted(seen)]


def _period(projection: Projection, subject: str) -> str:
    """``2015–2019``, ``2020``, ``2017–`` or empty: the years *subject*'s evidence states."""
    starts = sorted({e.start for e in projection.evidence.get(subject, ()) if e.start})
    ends = sorted({e.end for e in projection.evidence.get(subject, ()) if e.end})
    start, end = (starts[0] if starts else ""), (ends[-1] if ends else "")
    if not start and not end:
        return ""
    return start if start == end else f"{start}–{end}"


def evidence_item(projection: Projection, link: Link,
                  roles_in: Mapping[tuple[str, str], list[Involvement]]) -> dict[str, Any]:
    """Why *link* exists, as plain data: its kind, role, the relation or plan element it
    rests on (with its names, plan and period), the roles of both organisations in a
    shared element, and each source (the quoted passage or URL) stating it."""
    item: dict[str, Any] = {"kind": link.kind, "from": link.source, "to": link.target,
                            "subject": link.evidence}
    if link.role:
        item["role"] = link.role
    if link.kind == "membership":
        item["period"] = _period(projection, link.evidence)
        item["sources"] = _sources(projection, link.evidence)
        return item
    if not link.plan:  # part-of: the evidence is the pair itself
        item["subject"] = link.source
        return item
    element = projection.elements.get(link.evidence)
    item["plan"] = link.plan
    item["period"] = _period(projection, link.plan)
    if element is not None:
        item["names"] = dict(element.names)
        item["notation"] = element.notation
        item["level"] = element.level
    named = [*roles_in.get((link.source, link.evidence), ()),
             *roles_in.get((link.target, link.evidence), ())]
    item["roles"] = {org: sorted({i.role for i in named if i.org == org})
                     for org in (link.source, link.target)
                     if any(i.org == org for i in named)}
    if link.kind == "plan-owner":
        item["roles"].setdefault(link.target, ["responsible"])
    item["sources"] = _sources(projection, *sorted({i.iri for i in named if i.iri}))
    return item


def ego_edges(graph: nx.Graph, iri: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The edges of *iri* in a :func:`network_view` graph, sorted by the other end.

    The same edges (and so the same neighbour count, the degree ``metrokg network``
    reports) as the explorer's focus at depth 1; for the small drawing on an
    organisation's page. Each is ``(iri, neighbour, data)`` — ``data`` as in the view
    (``weight``, ``kinds``, ``roles``, ``items`` …); in a directed view both directions.

    >>> g = nx.Graph(); g.add_edge("a", "b", weight=2); g.add_edge("c", "a", weight=1)
    >>> [(n, d["weight"]) for _, n, d in ego_edges(g, "a")]
    [('b', 2), ('c', 1)]
    """
    if iri not in graph:
        raise InputError("organisation", f"{iri} is not in this network view",
                         hint="use an organisation IRI of the view (metrokg network)")
    if graph.is_directed():
        pairs = [(n, graph.edges[iri, n]) for n in graph.successors(iri)]
        pairs += [(n, graph.edges[n, iri]) for n in graph.predecessors(iri)]
    else:
        pairs = [(n, graph.edges[iri, n]) for n in graph.neighbors(iri)]
    return [(iri, n, dict(d)) for n, d in sorted(pairs, key=lambda p: p[0])]


def ego_network(graph: nx.Graph, iri: str, depth: int = 1) -> nx.Graph:
    """*iri*, the organisations within *depth* links of it, and every edge among them
    (the explorer's focus mode). Undirected reach, also in directed views."""
    if iri not in graph:
        raise InputError("organisation", f"{iri} is not in this network view",
                         hint="use an organisation IRI of the view (metrokg network)")
    return nx.ego_graph(graph, iri, radius=depth, undirected=True)


def bipartite_view(projection: Projection, view: View | None = None, *,
                   lang: str = "en") -> nx.Graph:
    """Organisations and the plans/elements they are named in or responsible for.

    Nodes have ``bipartite`` 0 (organisation) or 1 (plan or element) and a ``level``;
    edges carry the ``roles`` the organisation is named in. A plan or SDG *view*
    keeps only the elements of that plan or linked to that goal.
    """
    view = view or View()
    if view.scope == "relation":
        raise InputError("--view", "the bipartite view has no relation kinds",
                         hint="use whole, plan:<plan-id> or sdg:<1-17>")
    keep: set[str] | None = None
    if view.scope != "whole":
        select_links(projection, view)  # validates the view (unknown plan → InputError)
        if view.scope == "plan":
            plan = next(p for p in projection.plans() if _tail(p) == view.value)
            keep = {e.iri for e in projection.elements.values() if e.plan == plan}
        else:
            keep = {t for t, g in projection.goals.items() if int(view.value) in g}
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for inv in projection.involvements:
        roles[(inv.org, inv.target)].add(inv.role)
    for plan, owners in projection.responsible.items():
        for org in owners:
            roles[(org, plan)].add("responsible")
    graph = nx.Graph(view=view.text, name=f"bipartite-{view.name}")
    edges = sorted((k, v) for k, v in roles.items() if keep is None or k[1] in keep)
    for iri in sorted({o for (o, _), _ in edges}):
        node = projection.organisations.get(iri, Organisation(iri))
        graph.add_node(iri, bipartite=0, level="organisation", type=node.type,
                       label=label_of(node.names, iri, lang))
    for iri in sorted({t for (_, t), _ in edges}):
        element = projection.elements.get(iri, Element(iri, iri, ""))
        label = label_of(element.names, iri, lang)
        if element.notation:
            label = f"{element.notation} {label}"
        graph.add_node(iri, bipartite=1, level=element.level, type=element.level, label=label,
                       plan=element.plan)
    for (org, target), names in edges:
        graph.add_edge(org, target, roles=sorted(names), weight=len(names))
    return graph


# ---------------------------------------------------------------- exports


def _flat(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are strings or numbers (GEXF and GraphML need scalars)."""
    def scalar(value: Any) -> Any:
        if isinstance(value, list | tuple | set) and any(isinstance(v, Mapping) for v in value):
            return None  # evidence items: structured, they live in the explorer and the RDF
        if isinstance(value, list | tuple | set):
            return " ".join(str(v) for v in value)
        if isinstance(value, Mapping):
            return None
        return value

    out = graph.__class__()
    out.graph.update({k: v for k, v in graph.graph.items() if isinstance(v, str | int | float)})
    for node, data in graph.nodes(data=True):
        attrs = {k: scalar(v) for k, v in data.items() if scalar(v) is not None}
        for lang, name in dict(data.get("names") or {}).items():
            attrs[f"name_{lang}"] = name
        out.add_node(node, **attrs)
    for a, b, data in graph.edges(data=True):
        out.add_edge(a, b, **{k: scalar(v) for k, v in data.items() if scalar(v) is not None})
    return out


def write_gexf(graph: nx.Graph, path: Path) -> Path:
    """Write *graph* as GEXF (for Gephi); list attributes are joined with spaces."""
    nx.write_gexf(_flat(graph), path)
    return path


def write_graphml(graph: nx.Graph, path: Path) -> Path:
    """Write *graph* as GraphML; list attributes are joined with spaces."""
    nx.write_graphml(_flat(graph), path)
    return path
