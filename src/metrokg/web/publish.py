"""The static export: the whole site as files, for plain static hosting.

Every page and every resource's RDF (``.html``, ``.ttl``, ``.jsonld``, ``.nt``), the
dumps, VoID/DCAT, the ontology documentation, the explorer if built, and the
content-negotiation rules for Apache (``.htaccess``) and nginx (``nginx.conf``) from
:mod:`.rules`. Written
to a temporary folder beside the target and renamed into place only when complete.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..namespaces import SKOS
from ..paths import OUTPUT_FILES
from .conneg import LANGUAGES, RDF_TYPES
from .linkeddata import graph_bytes
from .pages import Linker, sdg_page_path
from .policy import Limits
from .rules import APACHE_RULES, NGINX_RULES
from .sdgs import SDG_SCHEME
from .state import (
    Published,
    dataset_html,
    index_html,
    ontology_html,
    prefixes,
    query_html,
    resource_html,
    resource_rdf,
)
from .views import error_page, sdg_index_page, sdg_page, search_index, search_page

__all__ = ["APACHE_RULES", "NGINX_RULES", "PublishResult", "publish_site"]

@dataclass(frozen=True)
class PublishResult:
    """What the export wrote."""

    out: Path
    pages: int
    files: int
    bytes: int


def _write(root: Path, rel: str, data: str | bytes) -> int:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target.write_bytes(payload)
    return len(payload)


def publish_site(pub: Published, out: Path, *, lang: str = "en", site_root: str | None = None,
                 progress: Callable[[str], None] = lambda _m: None) -> PublishResult:
    """Export the site of *pub* into *out*, atomically (temp folder, then rename).

    Pages are written in *lang* at the root and in the other two languages under ``ca/``,
    ``es/`` or ``en/``; each page's language links lead to the same page in the others.

    *site_root* is the public address of the site (defaults to the IRI base), used in
    VoID/DCAT for download and endpoint addresses.
    """
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise InputError(str(out), "exists and is not a folder", hint="choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        result = _export(pub, staging, lang=lang, site_root=site_root or pub.base,
                         progress=progress)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PublishResult(out, result[0], result[1], result[2])


def _swap(staging: Path, out: Path) -> None:
    os.chmod(staging, 0o755)
    if not out.exists():
        staging.rename(out)
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    out.rename(old)
    try:
        staging.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _export(pub: Published, root: Path, *, lang: str, site_root: str,
            progress: Callable[[str], None]) -> tuple[int, int, int]:
    pages = files_written = size = 0

    def put(rel: str, data: str | bytes) -> None:
        nonlocal files_written, size
        size += _write(root, rel, data)
        files_written += 1

    documents = sorted(pub.site.documents)
    sdgs = sorted({q.subject.value for q in pub.store.quads_for_pattern(
        None, ox.NamedNode(str(SKOS.inScheme)), ox.NamedNode(SDG_SCHEME), None)
        if isinstance(q.subject, ox.NamedNode) and sdg_page_path(q.subject.value)})
    progress(f"writing {len(documents)} resources and {len(sdgs)} SDG pages in "
             f"{len(LANGUAGES)} languages")
    plain = Linker(pub.base)
    for iri in documents:
        rel = plain.page_path(iri)
        if rel == "def":
            continue  # the ontology IRI: documentation page below
        for media, suffix in RDF_TYPES.items():
            data = resource_rdf(pub, iri, media)
            if data is not None:
                put(f"{rel}.{suffix}", data)
    for code in (lang, *(c for c in LANGUAGES if c != lang)):
        tree = "" if code == lang else code + "/"

        def linker(page: str, tree: str = tree) -> Linker:
            return Linker(pub.base, static_from=tree + page, tree=tree, root_lang=lang)

        for iri in documents:
            rel = plain.page_path(iri)
            if rel == "def":
                continue
            static = linker(rel + ".html")
            alternates = {m: static.path(rel, "." + s) for m, s in RDF_TYPES.items()}
            html = resource_html(pub, iri, lang=code, linker=static, alternates=alternates)
            if html is None:
                continue
            put(tree + rel + ".html", html)
            pages += 1
        for iri in sdgs:
            rel = plain.page_path(iri)
            html = sdg_page(pub.store, pub.site, iri, lang=code, linker=linker(rel + ".html"))
            if html is not None:
                put(tree + rel + ".html", html)
                pages += 1
        put(tree + "sdg.html", sdg_index_page(pub.store, pub.site, lang=code,
                                              linker=linker("sdg.html")))
        put(tree + "index.html", index_html(pub, lang=code, linker=linker("index.html")))
        put(tree + "query.html", query_html(pub, lang=code, linker=linker("query.html"),
                                            endpoint=site_root + "sparql", limits=Limits()))
        put(tree + "dataset.html", dataset_html(pub, lang=code, linker=linker("dataset.html"),
                                                endpoint=None))
        put(tree + "def.html", ontology_html(pub, lang=code, linker=linker("def.html")))
        put(tree + "404.html", error_page(404, "", lang=code, linker=linker("404.html")))
        put(tree + "search.html", search_page(pub.site, "", lang=code,
                                              linker=linker("search.html")))
        pages += 7
    progress("writing dumps and metadata")
    put("search-index.json", json.dumps(search_index(pub.site), ensure_ascii=False,
                                        separators=(",", ":")))
    ontology = pub.output / OUTPUT_FILES["ontology"]
    if ontology.is_file():
        put("def.ttl", ontology.read_bytes())
        for media, suffix in RDF_TYPES.items():
            if suffix != "ttl":
                put(f"def.{suffix}", graph_bytes(pub.ontology, media, prefixes(pub.base)))
    dataset = pub.dataset(site_root)
    put("dataset.ttl", dataset.serialize(format="turtle", encoding="utf-8"))
    put("dataset.jsonld", dataset.serialize(format="json-ld", encoding="utf-8"))
    put("dataset.nt", dataset.serialize(format="nt", encoding="utf-8"))
    put(".well-known/void", dataset.serialize(format="turtle", encoding="utf-8"))
    for dump in pub.dumps:
        put("dumps/" + dump.name, dump.path.read_bytes())
    if pub.explorer is not None:
        put("explorer.html", pub.explorer.read_bytes())
    # The notebooks, executed on this build, as offline HTML (skipped without the extra).
    from ..queries.notebook import publish_pages

    for name, page in publish_pages(pub.output, progress=progress).items():
        put("notebooks/" + name, page)
    static_dir = Path(str(files("metrokg.web") / "static"))
    for entry in sorted(static_dir.rglob("*")):
        if entry.is_file():
            put("static/" + entry.relative_to(static_dir).as_posix(), entry.read_bytes())
    put(".htaccess", APACHE_RULES)
    put("nginx.conf", NGINX_RULES)
    with contextlib.suppress(OSError):
        put("robots.txt", "User-agent: *\nAllow: /\n")
    return pages, files_written, size
