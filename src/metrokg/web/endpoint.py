"""The SPARQL 1.1 Protocol (query operation only) over a :class:`QueryPool`.

GET ``?query=``, POST ``application/x-www-form-urlencoded`` and POST
``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri`` limited to the
dataset's graphs. Updates are refused whatever their shape (read-only endpoint). A GET
with no query answers the service description (Turtle).
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import parse_qsl

from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response

from ..errors import RequestRefused
from .conneg import choose_media_type
from .policy import Limits, precheck
from .results import BOOLEAN_TYPES, GRAPH_TYPES, SOLUTION_TYPES
from .sandbox import Job, QueryPool, Reply

__all__ = ["decode_request", "service_description", "sparql"]

_GRAPH_PARAMS = ("default-graph-uri", "named-graph-uri")
_UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")


def refusal(exc: RequestRefused) -> Response:
    """The response for a refusal: the status and a one-line plain-text reason."""
    headers = {"Allow": "GET, POST"} if exc.status == 405 else None
    return Response(f"{exc.status}: {exc.message}\n", status_code=exc.status,
                    media_type="text/plain; charset=utf-8", headers=headers)


async def _body(request: Request, limits: Limits) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limits.max_body_bytes:
                raise RequestRefused(413, f"the request body is {int(declared)} bytes; this "
                                          f"endpoint accepts at most {limits.max_body_bytes}")
        except ValueError:
            raise RequestRefused(400, "Content-Length is not a number") from None
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(limits.request_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limits.max_body_bytes:
                    raise RequestRefused(413, f"the request body exceeds "
                                              f"{limits.max_body_bytes} bytes, this endpoint's "
                                              "limit")
                chunks.append(chunk)
    except TimeoutError:
        raise RequestRefused(408, f"the request body did not arrive within "
                                  f"{limits.request_timeout:g} s") from None
    except ClientDisconnect:
        raise RequestRefused(400, "the client closed the connection before the body "
                                  "was complete") from None
    return b"".join(chunks)


def _utf8(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise RequestRefused(400, f"the {what} is not valid UTF-8 (SPARQL requests must be "
                                  "UTF-8)") from None


def _form(text: str) -> list[tuple[str, str]]:
    try:
        return parse_qsl(text, keep_blank_values=True, strict_parsing=False,
                         encoding="utf-8", errors="strict", max_num_fields=256)
    except (UnicodeDecodeError, ValueError) as exc:
        raise RequestRefused(400, f"the form data cannot be decoded: {exc}") from None


async def decode_request(request: Request, limits: Limits, endpoint: str) -> Job | None:
    """Turn a protocol request into a :class:`Job`; ``None`` means "no query" (GET only).

    *endpoint* is the endpoint's public address (the base of relative IRIs).
    """
    if request.method not in ("GET", "POST"):
        raise RequestRefused(405, f"{request.method} is not a SPARQL query operation; use GET "
                                  "or POST")
    url_params = _form(request.scope.get("query_string", b"").decode("latin-1"))
    params = list(url_params)
    direct: str | None = None
    if request.method == "POST":
        media, _, rest = request.headers.get("content-type", "").partition(";")
        media = media.strip().lower()
        charset = ""
        for param in rest.split(";"):
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset":
                charset = value.strip().strip('"').lower()
        if charset and charset not in ("utf-8", "utf8"):
            raise RequestRefused(415, f"charset {charset} is not accepted; send UTF-8")
        if media == "application/sparql-update":
            raise RequestRefused(403, "this endpoint is read-only: SPARQL Update is refused")
        body = await _body(request, limits)
        if media == "application/x-www-form-urlencoded":
            params += _form(_utf8(body, "form body"))
        elif media == "application/sparql-query":
            direct = _utf8(body, "query")
        elif not media:
            raise RequestRefused(415, "a POST needs Content-Type application/sparql-query or "
                                      "application/x-www-form-urlencoded")
        else:
            raise RequestRefused(415, f"Content-Type {media} is not a SPARQL query request; use "
                                      "application/sparql-query or "
                                      "application/x-www-form-urlencoded")
    names = [name for name, _ in params]
    if any(name in _UPDATE_PARAMS for name in names):
        raise RequestRefused(403, "this endpoint is read-only: SPARQL Update is refused")
    queries = [value for name, value in params if name == "query"]
    if direct is not None:
        queries.append(direct)
    if len(queries) > 1:
        raise RequestRefused(400, "the request carries more than one query; send exactly one")
    if not queries:
        if request.method == "POST":
            raise RequestRefused(400, "the request carries no query")
        return None
    query = precheck(queries[0], limits)
    return Job(
        query=query,
        accept=request.headers.get("accept"),
        default_graphs=tuple(v for n, v in params if n == "default-graph-uri"),
        named_graphs=tuple(v for n, v in params if n == "named-graph-uri"),
        base_iri=endpoint,
    )


def service_description(endpoint: str, limits: Limits, dataset: str,
                        isolation: str = "unknown") -> str:
    """The SPARQL 1.1 Service Description of the endpoint, in Turtle."""
    results = sorted({*SOLUTION_TYPES, *BOOLEAN_TYPES, *GRAPH_TYPES})
    formats = {
        "application/sparql-results+json": "http://www.w3.org/ns/formats/SPARQL_Results_JSON",
        "application/sparql-results+xml": "http://www.w3.org/ns/formats/SPARQL_Results_XML",
        "text/csv": "http://www.w3.org/ns/formats/SPARQL_Results_CSV",
        "text/tab-separated-values": "http://www.w3.org/ns/formats/SPARQL_Results_TSV",
        "text/turtle": "http://www.w3.org/ns/formats/Turtle",
        "application/n-triples": "http://www.w3.org/ns/formats/N-Triples",
        "application/ld+json": "http://www.w3.org/ns/formats/JSON-LD",
        "application/rdf+xml": "http://www.w3.org/ns/formats/RDF_XML",
    }
    listed = ", ".join(f"<{formats[m]}>" for m in results if m in formats)
    note = (f"Read-only SPARQL 1.1 query endpoint. Limits: query {limits.max_query_bytes} "
            f"bytes, nesting depth {limits.max_depth}, request body {limits.max_body_bytes} "
            f"bytes sent within {limits.request_timeout:g} s, {limits.timeout:g} s per query "
            f"(the query is stopped, answer 422), {limits.max_memory_mb} MiB of memory per "
            f"query (answer 422), {limits.max_rows} rows per result (header "
            f"MetroKG-Truncated: true when cut), {limits.max_response_bytes} bytes per "
            f"answer (answer 422), {limits.workers} queries at once and "
            f"{limits.client_budget} per client (answer 429 with Retry-After). The default "
            "graph is the union of the named graphs unless the request names graphs "
            "(FROM, FROM NAMED, default-graph-uri, named-graph-uri). SERVICE, and graphs "
            "outside the dataset, are refused; the query workers cannot open network "
            f"connections (isolation: {isolation}); nothing is ever fetched.")
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix void: <http://rdfs.org/ns/void#> .

<{endpoint}> a sd:Service ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat {listed} ;
    sd:feature sd:EmptyGraphs, sd:UnionDefaultGraph ;
    sd:defaultDataset [ a sd:Dataset ; void:inDataset <{dataset}> ] ;
    rdfs:comment {_turtle_string(note)} .
"""


def _turtle_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


async def _disconnected(request: Request) -> None:
    """Return when the client closes the connection (the request is fully read)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


async def _run_unless_gone(request: Request, pool: QueryPool, job: Job) -> Reply | None:
    """Run *job*; ``None`` if the client went away first (the query is then killed)."""
    client = request.client.host if request.client else ""
    running = asyncio.ensure_future(pool.run(job, client))
    gone = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({running, gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        gone.cancel()
        if not running.done():
            running.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await running
    return None if running.cancelled() else running.result()


async def sparql(request: Request, pool: QueryPool, limits: Limits, dataset: str,
                 endpoint: str) -> Response:
    """Answer one SPARQL protocol request; *endpoint* is the public URL of the endpoint."""
    try:
        job = await decode_request(request, limits, endpoint)
    except RequestRefused as exc:
        return refusal(exc)
    if job is None:
        accept = request.headers.get("accept")
        if choose_media_type(accept, ["text/turtle", "text/html"]) == "text/html":
            return RedirectResponse("/query", status_code=303)
        return Response(service_description(endpoint, limits, dataset, pool.isolation),
                        media_type="text/turtle; charset=utf-8", headers={"Vary": "Accept"})
    reply = await _run_unless_gone(request, pool, job)
    if reply is None:  # nobody to answer; the worker was replaced
        return Response(status_code=499)
    headers = dict(reply.headers)
    headers["Vary"] = "Accept"
    media = reply.media_type
    if media.startswith("text/") and "charset" not in media:
        media += "; charset=utf-8"
    return Response(reply.body, status_code=reply.status, media_type=media, headers=headers)
