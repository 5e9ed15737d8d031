"""The ASGI application: SPARQL endpoint, resource pages, dataset, query page, dumps.

``create_app(config)`` returns a Starlette app; the build is loaded and the query
workers are started in its lifespan, so importing this module does nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
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

from ..errors import MetrokgError, RequestRefused, StoreError
from ..namespaces import DEFAULT_BASE
from ..outputs.summary import recorded_base
from ..paths import STORE_DIR
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

__all__ = ["ServeConfig", "create_app", "start"]

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
    follow: Path | None = None
    """The link ``metrokg build`` swaps (``dist/graph``): serve each build published there."""
    poll: float = 2.0
    """Seconds between two looks at *follow*."""


def _text(status: int, message: str) -> Response:
    return refusal(RequestRefused(status, message))


def _static_dir() -> Path:
    return Path(str(files("metrokg.web") / "static"))


@dataclass(frozen=True)
class _Build:
    """One published build being served: its pages' state and its query workers."""

    pub: Published
    pool: QueryPool
    target: Path
    """The build folder itself (what the followed link pointed at)."""


class _App:
    """The per-process state of a running server (real state: the store and workers).

    With ``config.follow`` (the ``dist/graph`` link that ``metrokg build`` swaps), a
    watcher looks at the link every ``config.poll`` seconds; when it points at another
    build, that build is opened beside the running one (pages and a new set of workers)
    and swapped in at once, and the old workers stop when the queries they were given
    have their answers. Each request is answered from one build from start to end. A
    new build that cannot be opened is reported on stderr and the running one stays.
    """

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.current: _Build | None = None
        self.reloads = 0

    async def start(self) -> None:
        """Open the build and start its workers (once); :class:`StoreError` if they cannot."""
        if self.current is None:
            self.current = await self._open(self.config.output, self.config.base)

    async def _open(self, output: Path, base: str) -> _Build:
        """The pages' state and a started pool of workers for the build in *output* (the
        workers start while the pages' index is read)."""
        config = self.config

        async def pages() -> Published:
            try:
                return await run_in_threadpool(load_published, output, base=base,
                                               queries=config.queries)
            except (OSError, RuntimeError, ValueError) as exc:  # pyoxigraph: RuntimeError on corruption
                raise StoreError(f"cannot read the build in {output}: "
                                 f"{' '.join(str(exc).split())}; run `metrokg build` again") from None

        pool = QueryPool(output / STORE_DIR, config.limits)
        pub, started = await asyncio.gather(pages(), pool.start(), return_exceptions=True)
        failure = next((r for r in (pub, started) if isinstance(r, BaseException)), None)
        if failure is None and pool.isolation == "none" and config.isolation_required:
            failure = StoreError("the query workers cannot be cut off the network here (no "
                                 "seccomp, no network namespace): listen on 127.0.0.1 only, "
                                 "or see docs/publishing.md")
        if failure is not None:
            await pool.close()
            raise failure
        assert isinstance(pub, Published)
        return _Build(pub, pool, output)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Starlette) -> AsyncIterator[None]:
        config = self.config
        await self.start()
        assert self.current is not None
        watcher = None
        if config.follow is not None:
            watcher = asyncio.get_running_loop().create_task(self._follow(config.follow))
        try:
            yield
        finally:
            if watcher is not None:
                watcher.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watcher
            await self.current.pool.close()

    async def _follow(self, link: Path) -> None:
        """Swap in each build published at *link* (the old workers retire)."""
        refused: Path | None = None
        retiring: set[asyncio.Task[None]] = set()
        try:
            while True:
                await asyncio.sleep(self.config.poll)
                assert self.current is not None
                try:
                    target = link.resolve(strict=True)
                except (OSError, RuntimeError):
                    continue  # the link is being swapped, or was removed: keep serving
                if target in (self.current.target, refused):
                    continue
                try:
                    build = await self._open(target, recorded_base(target))
                except (MetrokgError, OSError) as exc:
                    refused = target
                    print(f"metrokg serve: the new build {target} cannot be served ({exc}); "
                          f"still serving {self.current.target}", file=sys.stderr, flush=True)
                    continue
                old, self.current = self.current, build
                self.reloads += 1
                print(f"metrokg serve: now serving {target}", file=sys.stderr, flush=True)
                task = asyncio.get_running_loop().create_task(
                    old.pool.retire(self.config.limits.timeout + 1, successor=build.pool))
                retiring.add(task)
                task.add_done_callback(retiring.discard)
        finally:
            for task in retiring:
                task.cancel()

    # -- helpers ---------------------------------------------------------------------
    def _pub(self) -> Published:
        assert self.current is not None, "the app is used outside its lifespan"
        return self.current.pub

    def _lang(self, request: Request) -> str:
        return choose_language(request.headers.get("accept-language"),
                               request.query_params.get("lang"))

    def _linker(self, request: Request, pub: Published | None = None) -> Linker:
        """The linker of this request: a ``?lang=`` choice is carried on every page link."""
        chosen = request.query_params.get("lang")
        return Linker((pub or self._pub()).base, lang=chosen if chosen in LANGUAGES else None)

    def _refuse(self, request: Request, status: int, message: str) -> Response:
        """A 4xx as an HTML page with navigation for browsers, as plain text otherwise."""
        if choose_media_type(request.headers.get("accept"), ["text/plain", "text/html"]) \
                != "text/html" or self.current is None:
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
        assert self.current is not None
        build = self.current
        return await sparql(request, build.pool, self.config.limits,
                            build.pub.base + "id/dataset", self.config.public_url + "sparql")

    async def index(self, request: Request) -> Response:
        pub = self._pub()
        return self._html(index_html(pub, lang=self._lang(request),
                                     linker=self._linker(request, pub)))

    async def query_page(self, request: Request) -> Response:
        pub = self._pub()
        return self._html(query_html(pub, lang=self._lang(request), linker=self._linker(request, pub),
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
            return self._html(dataset_html(pub, lang=self._lang(request), linker=self._linker(request, pub),
                                           endpoint="/sparql"))
        root = self.config.public_url
        body = pub.dataset(root).serialize(format=_DATASET_TYPES[media], encoding="utf-8")
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    async def dump(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in DUMP_TYPES:
            return _text(404, f"no dump named {name!r}; see /dataset for the list")
        path = self._pub().output / name
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
        pub = self._pub()
        if media != "text/html":
            if not len(pub.ontology):
                return self._refuse(request, 404, "this build has no ontology.ttl")
            body = await run_in_threadpool(graph_bytes, pub.ontology, media, prefixes(pub.base))
            return Response(body, media_type=media, headers={"Vary": "Accept"})
        response = self._html(await run_in_threadpool(ontology_html, pub,
                                                       lang=self._lang(request),
                                                       linker=self._linker(request, pub)))
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
        iri = pub.base + path
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
                                           linker=self._linker(request, pub), alternates=alternates,
                                           page=int(page))
            assert body is not None
            return self._html(body)
        data = await run_in_threadpool(resource_rdf, pub, iri, media)
        return Response(data, media_type=media, headers={"Vary": "Accept",
                                                         "Link": f'<{iri}>; rel="describedby"'})

    async def sdg(self, request: Request) -> Response:
        code = request.path_params.get("code")
        pub = self._pub()
        lang, linker = self._lang(request), self._linker(request, pub)
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
                                      lang=self._lang(request), linker=self._linker(request, pub)))

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
    app = Starlette(routes=routes, lifespan=state.lifespan, middleware=middleware)
    app.state.metrokg = state
    return app


async def start(app: Starlette) -> None:
    """Open the build of an app made by :func:`create_app` and start its query workers
    before it serves (else its lifespan does): a build that cannot be opened raises
    :class:`StoreError` here, not inside the server."""
    state = app.state.metrokg
    assert isinstance(state, _App)
    await state.start()


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

