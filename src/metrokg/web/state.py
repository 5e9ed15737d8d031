"""What the server and the static export share: the loaded build and its page renderers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import StoreError
from ..mapping.ontology import version as package_version
from ..namespaces import ORG, PREFIXES
from ..outputs.store import open_store
from ..paths import OUTPUT_FILES
from .dataset import LICENCE, Dump, dataset_graph, list_dumps
from .i18n import UI
from .linkeddata import rdf_bytes
from .ontodoc import render_ontology
from .pages import INCOMING_PER_PROPERTY, Linker, compact_json, embed_json, page_context, render
from .policy import Limits
from .resources import (
    Site,
    describe,
    ego_from_network,
    ego_network,
    load_site,
    pick_label,
    resource_triples,
)
from .views import resource_page

__all__ = ["Example", "Published", "load_examples", "load_published"]


@dataclass(frozen=True)
class Example:
    """A catalogue query offered on the query page."""

    name: str
    title: str
    query: str


def load_examples(queries: Path | None) -> list[Example]:
    """The top-level ``queries/*.rq`` (the catalogue), titled by their first comment line."""
    if queries is None or not queries.is_dir():
        return []
    examples = []
    for path in sorted(queries.glob("*.rq")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        comments = [line.lstrip("#").strip() for line in text.splitlines()
                    if line.startswith("#") and line.lstrip("#").strip()]
        english = [c[3:].strip() for c in comments if c.startswith("en:")]
        title = english[0] if english else (comments[0] if comments else "")
        examples.append(Example(path.stem, title, text))
    return examples


@dataclass(frozen=True)
class Published:
    """A loaded build, ready to be served or exported (read-only)."""

    output: Path
    base: str
    store: ox.Store
    site: Site
    dumps: tuple[Dump, ...]
    ontology: Graph
    examples: tuple[Example, ...]
    version: str
    network: Any = None
    """The whole partnership network view (a NetworkX graph), when its queries are at hand."""

    @property
    def explorer(self) -> Path | None:
        path = self.output / "explorer.html"
        return path if path.is_file() else None

    def dataset(self, site_root: str | None = None) -> Graph:
        return dataset_graph(self.base, self.output, list(self.dumps), version=self.version,
                             site=site_root, triples=len(self.store), store=self.store)


def load_published(output: Path, *, base: str, queries: Path | None = None) -> Published:
    """Open the build in *output*: its on-disk store read-only (else ``metrokg.nq``, loaded
    into memory, for a folder without one); the rest is optional."""
    store = open_store(output=output)
    with ThreadPoolExecutor(1) as beside:  # the store's reads run outside the GIL in part
        network = beside.submit(_whole_network, store, queries)
        site = load_site(store, base)
        ontology = Graph()
        ontology_file = output / OUTPUT_FILES["ontology"]
        if ontology_file.is_file():
            try:
                ontology.parse(ontology_file, format="turtle")
            except Exception as exc:  # rdflib raises many unrelated types on bad input
                raise StoreError(f"cannot read {ontology_file}: {exc}") from None
        whole = network.result()
    return Published(output, base, store, site, tuple(list_dumps(output)), ontology,
                     tuple(load_examples(queries)), package_version(), whole)


def _whole_network(store: ox.Store, queries: Path | None) -> Any:
    """The partnership network of the whole graph (the explorer's and ``metrokg network``'s
    edges), for the small drawing on organisation pages; ``None`` without its queries."""
    if queries is None or not (queries / "network").is_dir():
        return None
    from ..analysis.network import View, load_projection, network_view

    return network_view(load_projection(store, queries / "network"), View(), evidence=False)


def prefixes(base: str) -> dict[str, str]:
    """The prefix map of served RDF: the project's, plus this site's ``id:`` and ``graph:``."""
    return {**PREFIXES, "id": base + "id/", "graph": base + "graph/"}


def resource_rdf(pub: Published, iri: str, media: str) -> bytes | None:
    """The RDF of one resource in *media*, or ``None`` if the IRI is unknown."""
    if iri not in pub.site.documents:
        return None
    description = describe(pub.store, iri, max_content=None, max_incoming=None)
    return rdf_bytes(resource_triples(description, pub.store), media, prefixes(pub.base))


def resource_html(pub: Published, iri: str, *, lang: str, linker: Linker,
                  alternates: dict[str, str], page: int = 1) -> str | None:
    """The HTML page of one resource (its incoming links' *page*), or ``None`` if the IRI
    is unknown."""
    if iri not in pub.site.documents:
        return None
    description = describe(pub.store, iri, max_incoming=INCOMING_PER_PROPERTY * page)
    jsonld = rdf_bytes(resource_triples(description), "application/ld+json",
                       prefixes(pub.base)).decode()
    is_org = str(ORG.Organization) in pub.site.types.get(iri, ())
    ego = None
    if is_org:
        ego = (ego_from_network(pub.network, iri) if pub.network is not None else None) \
            or ego_network(pub.store, iri)
    return resource_page(pub.store, pub.site, description, lang=lang, linker=linker,
                         jsonld=jsonld, ego=ego, alternates=alternates, page=page)


def ontology_html(pub: Published, *, lang: str, linker: Linker) -> str:
    return render_ontology(pub.ontology, pub.base, lang=lang, linker=linker)


def dataset_html(pub: Published, *, lang: str, linker: Linker, endpoint: str | None) -> str:
    context = page_context(lang, linker, "metrokg dataset", "dataset")
    validation = pub.output / OUTPUT_FILES["validation_text"]
    context.update(
        iri=pub.base + "id/dataset", version=pub.version, licence=LICENCE, endpoint=endpoint,
        description="Metropolitan networks and actors, their plans and the UN SDGs; every "
                    "statement cites its source.",
        void_ttl=linker.path("dataset.ttl"),
        explorer=linker.path("explorer.html") if pub.explorer else None,
        dumps=[{"name": d.name, "href": linker.path("dumps/" + d.name), "media_type":
                d.media_type, "size": d.size, "sha256": d.sha256} for d in pub.dumps],
        validation=validation.read_text(encoding="utf-8", errors="replace")
        if validation.is_file() else None,
    )
    return render("dataset.html", **context)


def query_html(pub: Published, *, lang: str, linker: Linker, endpoint: str,
               limits: Limits) -> str:
    context = page_context(lang, linker, UI[lang]["query"], "query")
    examples = [{"name": e.name, "title": e.title, "query": e.query} for e in pub.examples]
    titles = [_title_in(e, lang) for e in pub.examples]
    default = (pub.examples[0].query if pub.examples else
               "PREFIX org: <http://www.w3.org/ns/org#>\n"
               "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
               "SELECT ?org ?name WHERE {\n  GRAPH ?g { ?org a org:Organization ; "
               "skos:prefLabel ?name }\n} ORDER BY ?name LIMIT 50\n")
    context.update(endpoint=endpoint, examples=titles, examples_json=compact_json(examples),
                   base=pub.base, editor={
                       "js": linker.path("static/vendor/codemirror/codemirror.js"),
                       "css": linker.path("static/vendor/codemirror/codemirror.css"),
                       "sparql": linker.path("static/vendor/codemirror/sparql.js")},
                   default_query=default, limits=limits, script=linker.path("static/query.js"))
    return render("query.html", **context)


def _title_in(example: Example, lang: str) -> dict[str, str | None]:
    """The example's name and its question in *lang* (its ``# ca:``/``# es:`` line), else
    in English (marked with its language)."""
    for line in example.query.splitlines():
        if line.startswith(f"# {lang}:"):
            return {"name": example.name, "title": line.split(":", 1)[1].strip(), "lang": None}
    return {"name": example.name, "title": example.title, "lang": "en" if lang != "en" else None}


def _by_text(entry: dict[str, str | None]) -> str:
    return (entry.get("text") or "").lower()


def index_html(pub: Published, *, lang: str, linker: Linker) -> str:
    context = page_context(lang, linker, "metrokg", "index")
    groups: dict[str, list[dict[str, str | None]]] = {}
    titles = {"org": UI[lang]["organisations_group"], "plan": UI[lang]["plans_group"]}
    for iri in sorted(pub.site.documents):
        rest = iri[len(pub.base):]
        parts = rest.split("/")
        if len(parts) == 3 and parts[0] == "id" and parts[1] in titles:
            groups.setdefault(titles[parts[1]], []).append(
                {"href": linker.href(iri), "text": pick_label(pub.site, iri, lang)})
    context.update(groups=[{"title": t, "entries": sorted(i, key=_by_text)}  # type: ignore[arg-type]
                           for t, i in groups.items()], explorer=pub.explorer is not None)
    return render("index.html", **context)


__all__ += ["dataset_html", "embed_json", "index_html", "ontology_html", "query_html",
            "resource_html", "resource_rdf"]
