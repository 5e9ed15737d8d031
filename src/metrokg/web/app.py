"""The ASGI application: SPARQL endpoint, resource pages, dataset, query page, dumps.

``create_app(config)`` returns a Starlette app; the build is loaded and the query
workers are started in its lifespan, so importing this module does nothing.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import RequestRefused, StoreError
from ..namespaces import DEFAULT_BASE
from ..paths import OUTPUT_FILES
from .conneg import LANGUAGES, RDF_SUFFIXES, RDF_TYPES, choose_language, choose_media_type
from .dataset import DUMP_TYPES
from .endpoint import refusal, sparql
from .linkeddata import graph_bytes
from .pages import Linker
from .policy import Limits
from .sandbox import QueryPool
from .sdgs import SDG_SCHEME
from .state import (
    Published,
    dataset_html,
    index_html,
    load_published,
    ontology_html,
    prefixes,
    query_html,
    resource_html,
    resource_rdf,
)
from .views import error_page, sdg_index_page, sdg_page, search_page

__all__ = ["ServeConfig", "create_app"]

_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~:@!$&'()*+,;=%-]+(/[A-Za-z0-9._~:@!$&'()*+,;=%-]+)*$")
_RDF_OFFERS = ["text/html", *RDF_TYPES]
_DATASET_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                  "application/n-triples": "nt"}


@dataclass(frozen=True)
class ServeConfig:
    """How to serve: which build, under which base, with which limits."""

    output: Path
    base: str = DEFAULT_BASE
    limits: Limits = field(default_factory=Limits)
    queries: Path | None = None
    public_url: str = "http://127.0.0.1:8000/"
    """Where clients reach the site (ends with ``/``): the only source of absolute links
    the server writes (dump URLs, the service description), never the ``Host`` header."""
    cors: bool = True
    """Let pages on other origins read the site and query the endpoint (read-only)."""
    isolation_required: bool = False
    """Refuse to start when the query workers cannot be cut off the network."""


def _text(status: int, message: str) -> Response:
    return refusal(RequestRefused(status, message))


def _static_dir() -> Path:
    return Path(str(files("metrokg.web") / "static"))


class _App:
    """The per-process state of a running server (real state: the store and workers)."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.pub: Published | None = None
        self.pool: QueryPool | None = None
        self.linker = Linker(config.base)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        config = self.config
        self.pub = await run_in_threadpool(load_published, config.output, base=config.base,
                                           queries=config.queries)
        self.pool = QueryPool(config.output / OUTPUT_FILES["dataset_nquads"], config.limits)
        await self.pool.start()
        if self.pool.isolation == "none" and config.isolation_required:
            await self.pool.close()
            raise StoreError("the query workers cannot be cut off the network here (no "
                             "seccomp, no network namespace): listen on 127.0.0.1 only, or "
                             "see docs/publishing.md")
        try:
            yield
        finally:
            await self.pool.close()

    # -- helpers ---------------------------------------------------------------------
    def _pub(self) -> Published:
        assert self.pub is not None, "the app is used outside its lifespan"
        return self.pub

    def _lang(self, request: Request) -> str:
        return choose_language(request.headers.get("accept-language"),
                               request.query_params.get("lang"))

    def _linker(self, request: Request) -> Linker:
        """The linker of this request: a ``?lang=`` choice is carried on every page link."""
        chosen = request.query_params.get("lang")
        return replace(self.linker, lang=chosen) if chosen in LANGUAGES else self.linker

    def _refuse(self, request: Request, status: int, message: str) -> Response:
        """A 4xx as an HTML page with navigation for browsers, as plain text otherwise."""
        if choose_media_type(request.headers.get("accept"), ["text/plain", "text/html"]) \
                != "text/html" or self.pub is None:
            return _text(status, message)
        body = error_page(status, message, lang=self._lang(request),
                          linker=self._linker(request))
        response = self._html(body)
        response.status_code = status
        return response

    def _html(self, body: str, *, vary: str = "Accept, Accept-Language") -> Response:
        return Response(body, media_type="text/html; charset=utf-8",
                        headers={"Vary": vary,
                                 "X-Content-Type-Options": "nosniff",
                                 "Content-Security-Policy":
                                 "default-src 'self'; style-src 'self'; img-src 'self' data:; "
                                 "script-src 'self'; connect-src 'self'; frame-ancestors 'none'"})

    # -- routes ----------------------------------------------------------------------
    async def sparql(self, request: Request) -> Response:
        assert self.pool is not None
        return await sparql(request, self.pool, self.config.limits,
                            self.config.base + "id/dataset", self.config.public_url + "sparql")

    async def index(self, request: Request) -> Response:
        return self._html(index_html(self._pub(), lang=self._lang(request), linker=self._linker(request)))

    async def query_page(self, request: Request) -> Response:
        return self._html(query_html(self._pub(), lang=self._lang(request), linker=self._linker(request),
                                     endpoint="/sparql", limits=self.config.limits))

    async def dataset(self, request: Request) -> Response:
        path = request.url.path
        suffix = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
        if path == "/.well-known/void":
            media: str | None = choose_media_type(request.headers.get("accept"),
                                                  list(_DATASET_TYPES))
        elif suffix:
            media = RDF_SUFFIXES.get(suffix, "text/html")
        else:
            media = choose_media_type(request.headers.get("accept"),
                                      ["text/html", *_DATASET_TYPES])
        if media is None:
            return _text(406, "the dataset description is available as text/html, "
                              + ", ".join(_DATASET_TYPES))
        pub = self._pub()
        if media == "text/html":
            return self._html(dataset_html(pub, lang=self._lang(request), linker=self._linker(request),
                                           endpoint="/sparql"))
        root = self.config.public_url
        body = pub.dataset(root).serialize(format=_DATASET_TYPES[media], encoding="utf-8")
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    async def dump(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in DUMP_TYPES:
            return _text(404, f"no dump named {name!r}; see /dataset for the list")
        path = self.config.output / name
        if not path.is_file():
            return _text(404, f"{name} was not produced by this build")
        return FileResponse(path, media_type=DUMP_TYPES[name])

    async def explorer(self, _request: Request) -> Response:
        path = self._pub().explorer
        if path is None:
            return _text(404, "the network explorer has not been built (see `metrokg --help`)")
        return FileResponse(path, media_type="text/html; charset=utf-8")

    async def static(self, request: Request) -> Response:
        rel = request.path_params["path"]
        if not _SAFE_PATH.match(rel) or any(p in ("..", ".") for p in rel.split("/")):
            return _text(400, "that path is not allowed")
        root = _static_dir().resolve()
        try:
            target = (root / rel).resolve()
            found = target.is_relative_to(root) and target.is_file()
        except (OSError, ValueError):  # a name too long for the file system, …
            found = False
        if not found:
            return _text(404, "no such static file")
        return FileResponse(target)

    async def ontology(self, request: Request) -> Response:
        path = request.url.path
        suffix = path.rsplit(".", 1)[-1] if path.startswith("/def.") else ""
        media = RDF_SUFFIXES.get(suffix, "text/html") if suffix else choose_media_type(
            request.headers.get("accept"), _RDF_OFFERS)
        if media is None:
            return self._refuse(request, 406, "the ontology is available as "
                                + ", ".join(_RDF_OFFERS))
        if media != "text/html":
            pub = self._pub()
            if not len(pub.ontology):
                return self._refuse(request, 404, "this build has no ontology.ttl")
            body = await run_in_threadpool(graph_bytes, pub.ontology, media,
                                           prefixes(self.config.base))
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        response = self._html(await run_in_threadpool(ontology_html, self._pub(),
                                                       lang=self._lang(request),
                                                       linker=self._linker(request)))
        return response

    async def resource(self, request: Request) -> Response:
        raw = request.scope.get("raw_path", b"").decode("latin-1").split("?", 1)[0]
        path = request.url.path.lstrip("/")
        if ".." in raw or "%2e%2e" in raw.lower() or "\x00" in path or "\\" in path:
            return _text(400, "path traversal is not allowed")
        if not path or not _SAFE_PATH.match(path):
            return self._refuse(request, 404, "no such resource")
        media: str | None = None
        stem, dot, suffix = path.rpartition(".")
        if dot and suffix in RDF_SUFFIXES:
            path, media = stem, RDF_SUFFIXES[suffix]
        elif dot and suffix == "html":
            path, media = stem, "text/html"
        pub = self._pub()
        iri = self.config.base + path
        if iri not in pub.site.documents:
            return self._refuse(request, 404, f"<{iri}> is not described in this dataset")
        if media is None:
            media = choose_media_type(request.headers.get("accept"), _RDF_OFFERS)
            if media is None:
                return self._refuse(request, 406, f"<{iri}> is available as {', '.join(_RDF_OFFERS)}")
        if media == "text/html":
            alternates = {m: f"/{path}.{s}" for m, s in RDF_TYPES.items()}
            page = request.query_params.get("page", "1")
            if not page.isdigit() or not 1 <= int(page) <= 1000:
                return self._refuse(request, 400, f"page {page[:20]!r} is not a page number "
                                                  "(1 to 1000)")
            body = await run_in_threadpool(resource_html, pub, iri, lang=self._lang(request),
                                           linker=self._linker(request), alternates=alternates,
                                           page=int(page))
            assert body is not None
            return self._html(body)
        data = await run_in_threadpool(resource_rdf, pub, iri, media)
        return Response(data, media_type=media, headers={"Vary": "Accept",
                                                         "Link": f'<{iri}>; rel="describedby"'})

    async def sdg(self, request: Request) -> Response:
        code = request.path_params.get("code")
        pub, lang, linker = self._pub(), self._lang(request), self._linker(request)
        if code is None:
            return self._html(await run_in_threadpool(sdg_index_page, pub.store, pub.site,
                                                      lang=lang, linker=linker))
        iri = SDG_SCHEME + "/" + code
        body = await run_in_threadpool(sdg_page, pub.store, pub.site, iri, lang=lang,
                                       linker=linker)
        if body is None:
            return self._refuse(request, 404, f"no goal or target {code!r} in the UN SDG list")
        return self._html(body)

    async def search(self, request: Request) -> Response:
        pub = self._pub()
        return self._html(search_page(pub.site, request.query_params.get("q", ""),
                                      lang=self._lang(request), linker=self._linker(request)))

    async def favicon(self, _request: Request) -> Response:
        return Response(status_code=204)


def create_app(config: ServeConfig) -> Starlette:
    """The ASGI app for *config* (load and start happen in the app's lifespan)."""
    state = _App(config)
    methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
    routes = [
        Route("/", state.index),
        Route("/index.html", state.index),
        Route("/index", state.index),
        Route("/sparql", state.sparql, methods=methods),
        Route("/sparql/", state.sparql, methods=methods),
        Route("/query", state.query_page),
        Route("/query.html", state.query_page),
        Route("/dataset", state.dataset),
        Route("/dataset.html", state.dataset),
        Route("/dataset.ttl", state.dataset),
        Route("/dataset.jsonld", state.dataset),
        Route("/dataset.nt", state.dataset),
        Route("/.well-known/void", state.dataset),
        Route("/id/dataset", lambda _r: RedirectResponse("/dataset", status_code=303)),
        Route("/dumps/{name}", state.dump),
        Route("/explorer.html", state.explorer),
        Route("/static/{path:path}", state.static),
        Route("/def", state.ontology),
        Route("/def.html", state.ontology),
        Route("/def.ttl", state.ontology),
        Route("/def.jsonld", state.ontology),
        Route("/def.nt", state.ontology),
        Route("/def.rdf", state.ontology),
        Route("/sdg", state.sdg),
        Route("/sdg/{code}", state.sdg),
        Route("/search", state.search),
        Route("/favicon.ico", state.favicon),
        Route("/{path:path}", state.resource),
    ]
    middleware = [Middleware(_Hardened)]
    if config.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=["*"],
                                     allow_methods=["GET", "POST", "HEAD"],
                                     allow_headers=["Accept", "Content-Type"],
                                     expose_headers=["MetroKG-Row-Cap", "MetroKG-Truncated",
                                                     "Retry-After"], max_age=86400))
    return Starlette(routes=routes, lifespan=state.lifespan, middleware=middleware)


class _Hardened:
    """ASGI middleware: ``nosniff`` on every response; a failure is a 4xx, never a 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def stamped(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
            await send(message)

        try:
            await self.app(scope, receive, stamped)
        except (OSError, ValueError, UnicodeError, RequestRefused) as exc:
            if started:
                raise
            status = exc.status if isinstance(exc, RequestRefused) else 400
            await _text(status, "this request cannot be answered: "
                                f"{type(exc).__name__}")(scope, receive, stamped)

