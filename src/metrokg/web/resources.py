"""What the graph says about one IRI: statements, incoming links, sources, ego network.

Read with the store's quad-pattern API (no query text is built from a request). The
:class:`Site` index — labels, types and the source of every named graph — is read once
when the server starts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ..namespaces import DCTERMS, OA, ORG, PROV, RDF, RDFS, SCHEMA, SKOS
from .i18n import FALLBACK

__all__ = [
    "Description", "EgoNetwork", "Site", "Source", "Statement", "describe", "ego_from_network",
    "ego_network",
    "load_site", "pick_label", "resource_triples",
]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_LABELS = (str(SKOS.prefLabel), str(RDFS.label), str(DCTERMS.title), str(SCHEMA.name),
           "http://xmlns.com/foaf/0.1/name")
_PREFERRED = ("en", "es", "ca")


@dataclass(frozen=True)
class Source:
    """Where the statements of one named graph come from."""

    graph: str
    quote: str | None = None
    document: str | None = None
    url: str | None = None
    citation: str | None = None
    language: str | None = None
    """The language of the document quoted (``dcterms:language``), if it says."""


@dataclass(frozen=True)
class Site:
    """Indexes read once from the store."""

    base: str
    labels: dict[str, dict[str, str]]
    acronyms: dict[str, str]
    types: dict[str, tuple[str, ...]]
    sources: dict[str, Source]
    graphs: frozenset[str]
    documents: frozenset[str] = field(default=frozenset())
    """Every IRI under the base that has its own page (subjects, graphs, objects)."""
    alt_names: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every other name (``skos:altLabel``) of each IRI, in any language: what search finds."""

    def is_local(self, iri: str) -> bool:
        return iri.startswith(self.base)

    def document_of(self, iri: str) -> str:
        """The page an IRI lives on (hash IRIs live on their document's page)."""
        return iri.split("#", 1)[0]


def _text(term: object) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else str(term)


def load_site(store: ox.Store, base: str) -> Site:
    """Build the :class:`Site` index of *store* for IRIs under *base*."""
    labels: dict[str, dict[str, str]] = defaultdict(dict)
    for predicate in _LABELS:  # in order: a skos:prefLabel wins over an rdfs:label …
        found: dict[tuple[str, str], str] = {}
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
                key = (quad.subject.value, quad.object.language or "")
                value, current = quad.object.value, found.get(key)
                # two names in one language: the longest (then the first in code-point
                # order), whatever order the store gives them in
                if current is None or (-len(value), value) < (-len(current), current):
                    found[key] = value
        for (iri, lang), value in found.items():
            labels[iri].setdefault(lang, value)
    alt: dict[str, set[tuple[int, bool, str]]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(SKOS.altLabel)), None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            value = quad.object.value
            alt[quad.subject.value].add((len(value), quad.object.language != "en", value))
    # the acronym shown: the shortest other name, English first on a tie, whatever order
    # the store gives them in (the on-disk store's is not the in-memory one's)
    acronyms = {iri: min(names)[2] for iri, names in alt.items()}
    alt_names = {iri: tuple(sorted({n[2] for n in names})) for iri, names in alt.items()}
    types: dict[str, set[str]] = defaultdict(set)
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
            types[quad.subject.value].add(quad.object.value)
    provenance = ox.NamedNode(base + "graph/provenance")
    sources = _load_sources(store, provenance, base)
    graphs = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    documents: set[str] = {g for g in graphs if g.startswith(base)}
    for quad in store:
        for term in (quad.subject, quad.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(base):
                documents.add(term.value.split("#", 1)[0])
    return Site(base, dict(labels), acronyms, {k: tuple(sorted(v)) for k, v in types.items()},
                sources, graphs, frozenset(documents), alt_names)


def _load_sources(store: ox.Store, provenance: ox.NamedNode, base: str
                  ) -> dict[str, Source]:
    def one(subject: ox.NamedNode | ox.BlankNode, predicate: str) -> Term | None:
        for quad in store.quads_for_pattern(subject, ox.NamedNode(predicate), None, provenance):
            return quad.object
        return None

    languages: dict[str, str] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(DCTERMS.language)), None, None):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            languages.setdefault(quad.subject.value, quad.object.value)
    sources: dict[str, Source] = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)),
                                        ox.NamedNode(str(PROV.Entity)), provenance):
        graph = quad.subject
        if not isinstance(graph, ox.NamedNode):
            continue
        quote = document = url = None
        derived = one(graph, str(PROV.wasDerivedFrom))
        if isinstance(derived, ox.NamedNode | ox.BlankNode):
            for sel in store.quads_for_pattern(derived, ox.NamedNode(str(OA.hasSelector)), None,
                                               provenance):
                exact = one(sel.object, str(OA.exact)) if isinstance(
                    sel.object, ox.NamedNode | ox.BlankNode) else None
                if isinstance(exact, ox.Literal):
                    quote = exact.value
            has_source = one(derived, str(OA.hasSource))
            if isinstance(has_source, ox.NamedNode):
                document = has_source.value
        source = one(graph, str(DCTERMS.source))
        if isinstance(source, ox.NamedNode):
            if document is None and not source.value.startswith(base):
                url = source.value
            elif document is None:
                document = source.value
        citation = one(graph, str(DCTERMS.bibliographicCitation))
        sources[graph.value] = Source(graph.value, quote, document, url,
                                      citation.value if isinstance(citation, ox.Literal) else None,
                                      languages.get(document) if document else None)
    return sources


def pick_label(site: Site, iri: str, lang: str) -> str:
    """The best name of *iri* in *lang* (falling back in the order of
    :data:`~metrokg.web.i18n.FALLBACK`, then any language, then the local name)."""
    found = site.labels.get(iri)
    if found:
        for candidate in (*FALLBACK.get(lang, (lang, *_PREFERRED)), ""):
            if candidate in found:
                return found[candidate]
        return next(iter(found.values()))
    tail = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return tail or iri


@dataclass(frozen=True)
class Statement:
    """One statement on a page: subject (the IRI or one of its hash IRIs), predicate,
    value, and the named graph that holds it."""

    subject: str
    predicate: str
    value: Term
    graph: str | None


@dataclass(frozen=True)
class Description:
    """Everything a resource page shows."""

    iri: str
    statements: tuple[Statement, ...]
    incoming: tuple[Statement, ...]
    incoming_total: int
    graph_content: tuple[Statement, ...] = ()
    incoming_counts: dict[str, int] = field(default_factory=dict)
    """Incoming links per property (all of them, also those not listed)."""


def _graph_name(g: object) -> str | None:
    return g.value if isinstance(g, ox.NamedNode) else None


def describe(store: ox.Store, iri: str, *, max_incoming: int | None = 100,
             max_content: int | None = 2000) -> Description:
    """Statements about *iri* and its hash IRIs, links to it (up to *max_incoming* per
    property, all counted), and, for a graph, its content."""
    statements: list[Statement] = []
    subjects: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
    seen = {iri}
    index = 0
    while index < len(subjects):  # the IRI, then hash IRIs and blank nodes it points to
        subject = subjects[index]
        index += 1
        for quad in store.quads_for_pattern(subject, None, None, None):
            statements.append(Statement(_text(subject), quad.predicate.value, quad.object,
                                        _graph_name(quad.graph_name)))
            obj = quad.object
            if (isinstance(obj, ox.NamedNode) and obj.value.startswith(iri + "#")
                    and obj.value not in seen) or (isinstance(obj, ox.BlankNode)
                                                   and obj.value not in seen):
                seen.add(obj.value)
                subjects.append(obj)
    incoming: list[Statement] = []
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for quad in store.quads_for_pattern(None, None, ox.NamedNode(iri), None):
        total += 1
        predicate = quad.predicate.value
        counts[predicate] += 1
        if max_incoming is None or counts[predicate] <= max_incoming:
            incoming.append(Statement(_text(quad.subject), predicate, quad.subject,
                                      _graph_name(quad.graph_name)))
    content: list[Statement] = []
    if store.contains_named_graph(ox.NamedNode(iri)):
        for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(iri)):
            if max_content is not None and len(content) >= max_content:
                break
            content.append(Statement(_text(quad.subject), quad.predicate.value, quad.object, iri))
    return Description(iri, tuple(statements), tuple(incoming), total, tuple(content),
                       dict(counts))


def resource_triples(description: Description, store: ox.Store | None = None
                     ) -> list[ox.Triple]:
    """The RDF served for a resource (as Pubby and LodView serve it): its statements (and a
    graph's content), the statements that link to it, and, given the *store*, the labels of
    the resources it links to and is linked from; deduplicated."""
    out: dict[ox.Triple, None] = {}
    linked: dict[str, None] = {}
    here = ox.NamedNode(description.iri)
    rows = [(st, False) for st in (*description.statements, *description.graph_content)]
    rows += [(st, True) for st in description.incoming]
    incoming_subjects = {st.subject for st in description.incoming}
    for statement, incoming in rows:
        subject: ox.NamedNode | ox.BlankNode = (
            ox.BlankNode(statement.subject) if not statement.subject.startswith(("http:", "https:",
                                                                                  "urn:"))
            else ox.NamedNode(statement.subject))
        value = here if incoming else statement.value
        if incoming:
            linked[statement.subject] = None
        elif isinstance(value, ox.NamedNode):
            linked[value.value] = None
        out[ox.Triple(subject, ox.NamedNode(statement.predicate), value)] = None
    if store is not None:
        for iri in [i for i in linked if i in incoming_subjects]:
            node = ox.NamedNode(iri) if iri.startswith(("http:", "https:", "urn:")) else None
            if node is None or _has_label(store, node):
                continue
            # an n-ary node linking here (a membership, an involvement): its statements too
            for quad in store.quads_for_pattern(node, None, None, None):
                out[ox.Triple(node, quad.predicate, quad.object)] = None
                if isinstance(quad.object, ox.NamedNode):
                    linked.setdefault(quad.object.value, None)
        for iri in linked:
            node = ox.NamedNode(iri)
            for predicate in (str(SKOS.prefLabel), str(RDFS.label)):
                for quad in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
                    out[ox.Triple(node, quad.predicate, quad.object)] = None
    return list(out)


def _has_label(store: ox.Store, node: ox.NamedNode) -> bool:
    return any(True for predicate in (str(SKOS.prefLabel), str(RDFS.label))
               for _ in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None))


@dataclass(frozen=True)
class EgoNetwork:
    """An organisation and the organisations it is directly linked to."""

    center: str
    neighbours: tuple[str, ...]
    edges: tuple[tuple[str, str, str], ...]
    """(one end, other end, what links them: a role IRI or the link kinds) of each edge."""
    degree: int = 0
    """Neighbours in the partnership network (all of them, also those not drawn)."""
    in_network: bool = False
    """Whether the edges are the partnership network's (as in the explorer), not memberships."""


def ego_from_network(graph: Any, iri: str, *, limit: int = 40) -> EgoNetwork | None:
    """*iri*'s edges in the whole partnership network view (``network.ego_edges``): the
    same neighbours and degree as ``metrokg network`` and the explorer's focus at depth 1.
    ``None`` when *iri* is not in the network."""
    from ..analysis.network import ego_edges

    if iri not in graph:
        return None
    edges = ego_edges(graph, iri)
    neighbours = tuple(dict.fromkeys(other for _, other, _ in edges))
    kept = neighbours[:limit]
    drawn = tuple((iri, other, ", ".join(data.get("kinds") or data.get("roles") or ()))
                  for _, other, data in edges if other in kept)
    return EgoNetwork(iri, kept, drawn, degree=len(neighbours), in_network=True)


def ego_network(store: ox.Store, iri: str, *, limit: int = 40) -> EgoNetwork:
    """Memberships in which *iri* is member or organisation (``org:Membership``)."""
    node = ox.NamedNode(iri)
    member, organization, role = (ox.NamedNode(str(ORG.member)),
                                  ox.NamedNode(str(ORG.organization)), ox.NamedNode(str(ORG.role)))
    edges: dict[tuple[str, str, str], None] = {}
    for mine, theirs in ((member, organization), (organization, member)):
        for quad in store.quads_for_pattern(None, mine, node, None):
            membership = quad.subject
            if not isinstance(membership, ox.NamedNode | ox.BlankNode):
                continue
            others = [q.object for q in store.quads_for_pattern(membership, theirs, None, None)]
            roles = [q.object for q in store.quads_for_pattern(membership, role, None, None)]
            role_iri = roles[0].value if roles and isinstance(roles[0], ox.NamedNode) else ""
            for other in others:
                if isinstance(other, ox.NamedNode):
                    pair = (iri, other.value) if mine == member else (other.value, iri)
                    edges[(pair[0], pair[1], role_iri)] = None
    neighbours: dict[str, None] = {}
    for a, b, _ in edges:
        neighbours[b if a == iri else a] = None
    kept = tuple(list(neighbours)[:limit])
    return EgoNetwork(iri, kept, tuple(e for e in edges if e[0] in kept or e[1] in kept),
                      degree=len(neighbours))
