"""Loading the built dataset into a triple store with the SPARQL 1.1 Graph Store Protocol.

Each named graph of the dump is sent with one ``PUT <store>?graph=<iri>`` (N-Triples),
which *replaces* that graph. Afterwards the store's graphs are listed through its query
endpoint and those under the dataset's graph namespace (its *scope*, e.g.
``https://w3id.org/metrokg/graph/``) that the dataset no longer has are deleted: a push
leaves the store's metrokg graphs equal to the dataset, and pushing again — also after a
push that was killed midway — gives the same content. Graphs outside the scope belong to
someone else (Virtuoso's own system graphs, other datasets) and are only counted.

The URL is the store's Graph Store Protocol endpoint: ``http://host:7878/store``
(Oxigraph server), ``http://host:3030/<dataset>/data`` (Fuseki),
``http://host:8890/sparql-graph-crud-auth`` (Virtuoso: ``graph_param="graph-uri"``, HTTP
digest). Credentials come from the environment or a netrc file (:func:`find_credentials`),
never from the command line. One HTTP client, httpx: no redirects followed, no proxy or
netrc picked up behind the user's back, a timeout per request and a cap on what is read.
"""

from __future__ import annotations

import json
import netrc
import os
import re
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx
import pyoxigraph

from ..errors import InputError, QueryError, StoreError

__all__ = ["AUTH_KINDS", "Credentials", "PushResult", "check_scope", "find_credentials",
           "push_dataset", "read_graphs", "scope_of"]

AUTH_KINDS = ("basic", "digest", "bearer")
"""HTTP authentication schemes `push` speaks (Virtuoso's ``/sparql-graph-crud-auth``: digest)."""

_ERROR_BYTES = 4096
_LISTING_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Credentials:
    """Who `push` authenticates as, and where that came from (for messages)."""

    origin: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PushResult:
    """What a push sent, and what it did with the graphs the dataset no longer has."""

    endpoint: str
    graphs: int
    triples: int
    scope: str | None = None
    removed: tuple[str, ...] = ()
    """Graphs under *scope* that the store had and the dataset has not: deleted."""
    outside: int = 0
    """Graphs of the store outside *scope*, left as they are (not metrokg's)."""
    unchecked: str | None = None
    """Why stale graphs were not looked for (no query endpoint, no scope), if they were not."""


def _noop(_: str) -> None:
    return None


def find_credentials(endpoint: str, *, environ: Mapping[str, str] | None = None,
                     netrc_file: Path | None = None) -> Credentials | None:
    """The credentials for *endpoint*: from the environment, else from a netrc file.

    ``METROKG_TOKEN`` (a bearer token), or ``METROKG_USER`` and ``METROKG_PASSWORD``; else
    the ``machine`` entry for the endpoint's host in *netrc_file* (default ``$NETRC``, else
    ``~/.netrc`` when it exists). ``None`` when there are none.

    >>> find_credentials("http://h/store", environ={"METROKG_TOKEN": "t"}).origin
    'METROKG_TOKEN'

    Raises:
        InputError: a password without a user, or a netrc file that is missing or malformed.
    """
    env = os.environ if environ is None else environ
    if env.get("METROKG_TOKEN"):
        return Credentials("METROKG_TOKEN", token=env["METROKG_TOKEN"])
    if env.get("METROKG_PASSWORD") is not None:
        if not env.get("METROKG_USER"):
            raise InputError("environment", "METROKG_PASSWORD is set but METROKG_USER is not",
                             hint="set METROKG_USER to the store's user name")
        return Credentials("METROKG_USER/METROKG_PASSWORD", user=env["METROKG_USER"],
                           password=env["METROKG_PASSWORD"])
    path = netrc_file or (Path(env["NETRC"]) if env.get("NETRC") else None)
    if path is None:
        home = Path(env.get("HOME") or Path.home())
        path = home / ".netrc"
        if not path.is_file():
            return None
    host = urllib.parse.urlsplit(endpoint).hostname or ""
    try:
        entry = netrc.netrc(str(path)).authenticators(host)
    except FileNotFoundError:
        raise InputError(str(path), "no such netrc file",
                         hint="give an existing file with --netrc, or unset NETRC") from None
    except netrc.NetrcParseError as exc:
        raise InputError(str(path), f"not a valid netrc file: {exc.msg}", line=exc.lineno,
                         hint="write lines like: machine HOST login USER password SECRET") \
            from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    if entry is None:
        return None
    login, _, password = entry
    return Credentials(f"{path} (machine {host})", user=login or None, password=password)


class _Bearer(httpx.Auth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def _auth(kind: str | None, credentials: Credentials | None) -> httpx.Auth | None:
    """The httpx authentication for *kind*; ``None`` chooses from what *credentials* hold."""
    if kind is None:
        if credentials is None:
            return None
        kind = "bearer" if credentials.token else "digest"
    if kind not in AUTH_KINDS:
        raise InputError("--auth", f"unknown authentication {kind!r}",
                         hint="use one of: " + ", ".join(AUTH_KINDS))
    where = "set METROKG_USER and METROKG_PASSWORD, or add a netrc line " \
            "`machine HOST login USER password SECRET`"
    if kind == "bearer":
        if credentials is None or not credentials.token:
            raise InputError("--auth bearer", "no token", hint="set METROKG_TOKEN")
        return _Bearer(credentials.token)
    if credentials is None or credentials.user is None or credentials.password is None:
        raise InputError(f"--auth {kind}", "no user name and password", hint=where)
    if kind == "basic":
        return httpx.BasicAuth(credentials.user, credentials.password)
    return httpx.DigestAuth(credentials.user, credentials.password)


def read_graphs(dump: Path) -> dict[str, list[pyoxigraph.Triple]]:
    """The triples of each graph of the N-Quads *dump*, terms as written (``""``: default graph).

    The dump is parsed, not loaded into a store: a store would normalise literals
    (``"01"^^xsd:nonNegativeInteger`` becomes ``"1"^^xsd:integer``) and push something
    other than the dataset.

    Raises:
        StoreError: the dump is missing, unreadable or not N-Quads.
    """
    if not dump.is_file():
        raise StoreError(f"no built dataset at {dump}: run `metrokg build` first")
    graphs: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
    try:
        for quad in pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS):
            key = "" if isinstance(quad.graph_name, pyoxigraph.DefaultGraph) \
                else quad.graph_name.value
            graphs[key].append(quad.triple)
    except (OSError, SyntaxError, ValueError) as exc:
        raise StoreError(f"cannot read {dump}: {exc}") from None
    return dict(graphs)


def scope_of(graphs: list[str]) -> str | None:
    """The namespace shared by *graphs*: their common prefix, cut after its last ``/``.

    ``None`` when that is no deeper than ``scheme://host/`` — too wide to delete under.

    >>> scope_of(["https://w3id.org/metrokg/graph/a/1", "https://w3id.org/metrokg/graph/b"])
    'https://w3id.org/metrokg/graph/'
    >>> scope_of(["https://a.org/x", "https://b.org/y"]) is None
    True
    """
    if not graphs:
        return None
    prefix = os.path.commonprefix(graphs)  # noqa: RUF071 (IRIs, cut at a '/' below)
    prefix = prefix[:prefix.rfind("/") + 1]
    return prefix if _narrow(prefix) else None


def _narrow(prefix: str) -> bool:
    parts = urllib.parse.urlsplit(prefix)
    return bool(parts.scheme and parts.netloc and parts.path.strip("/"))


def check_scope(scope: str) -> str:
    """*scope* if it is narrower than a whole site, else :class:`InputError`."""
    if not _narrow(scope):
        raise InputError("--scope", f"{scope!r} is too wide: it would claim every graph of "
                         "a site as metrokg's", hint="give the namespace of metrokg's graphs, "
                         "e.g. https://w3id.org/metrokg/graph/")
    return scope


def query_url_for(endpoint: str) -> str | None:
    """The query endpoint beside a known store's Graph Store endpoint, else ``None``.

    >>> query_url_for("http://127.0.0.1:8890/sparql-graph-crud-auth")
    'http://127.0.0.1:8890/sparql'
    >>> query_url_for("http://127.0.0.1:7878/store")
    'http://127.0.0.1:7878/query'
    """
    base = endpoint.partition("?")[0]
    for tail, other in (("/sparql-graph-crud-auth", "/sparql"), ("/sparql-graph-crud", "/sparql"),
                        ("/store", "/query"), ("/data", "/query")):
        if base.endswith(tail):
            return base[: -len(tail)] + other
    return None


def _check_url(url: str, what: str) -> None:
    if not re.match(r"^https?://[^/?#\s]+", url):
        raise QueryError(f"{what} {url!r} is not an http(s) URL "
                         "(e.g. http://127.0.0.1:7878/store)")


def push_dataset(dump: Path, endpoint: str, *, timeout: float = 60.0,
                 graph_param: str = "graph", auth: str | None = None,
                 credentials: Credentials | None = None, query_endpoint: str | None = None,
                 scope: str | None = None, remove_stale: bool = True,
                 progress: Callable[[str], None] = _noop) -> PushResult:
    """PUT every named graph of the N-Quads *dump* to the Graph Store at *endpoint*.

    Then, unless *remove_stale* is false, deletes the graphs under *scope* (default: the
    dataset's graph namespace, :func:`scope_of`) that the store holds and the dataset does
    not, listing them through *query_endpoint* (default: :func:`query_url_for`).

    Args:
        auth: ``basic``, ``digest`` or ``bearer``; ``None`` picks ``bearer`` for a token,
            ``digest`` for a user and password, nothing without credentials.
        credentials: from :func:`find_credentials`.
        progress: called with a line now and then.

    Raises:
        StoreError: the dump is missing or unreadable.
        InputError: the authentication asked for has no credentials.
        QueryError: (one line) the store is unreachable, too slow or refuses.
    """
    _check_url(endpoint, "endpoint")
    if timeout <= 0:
        raise QueryError(f"timeout must be positive, not {timeout}")
    method = _auth(auth, credentials)
    graphs = read_graphs(dump)
    named = sorted(g for g in graphs if g)
    scope = check_scope(scope) if scope else scope_of(named)
    listing = query_endpoint or query_url_for(endpoint)
    if listing is not None:
        _check_url(listing, "query endpoint")
    with _client(method, timeout) as client:
        triples = 0
        started = last = time.monotonic()
        for number, (graph, content) in enumerate(sorted(graphs.items()), start=1):
            target = "default" if graph == "" else urllib.parse.urlencode({graph_param: graph})
            url = endpoint + ("&" if "?" in endpoint else "?") + target
            body = pyoxigraph.serialize(content, format=pyoxigraph.RdfFormat.N_TRIPLES)
            _send(client, "PUT", url, f"push to {endpoint} (graph {graph or 'default'})",
                  timeout, body)
            triples += len(content)
            now = time.monotonic()
            if now - last >= 2 or number == len(graphs):
                progress(f"{number}/{len(graphs)} graphs, {triples} triples sent "
                         f"({now - started:.1f} s)")
                last = now
        result = PushResult(endpoint, len(graphs), triples, scope)
        if not remove_stale:
            return replace(result, unchecked="--keep-stale: graphs no longer in the dataset "
                                              "were not looked for")
        if scope is None:
            return replace(result, unchecked="the dataset's graphs share no namespace to "
                                              "clean up under: give --scope IRI")
        if listing is None:
            return replace(result, unchecked="no query endpoint known for this store to list "
                                              "its graphs: give --query-endpoint URL")
        if _origin(listing) == _origin(endpoint):
            present = _list_graphs(client, listing, timeout)
        else:  # the credentials are the Graph Store's: not sent to another host
            with _client(None, timeout) as other:
                present = _list_graphs(other, listing, timeout)
        ours = {g for g in present if g.startswith(scope)}
        stale = sorted(ours - set(named))
        for graph in stale:
            url = endpoint + ("&" if "?" in endpoint else "?") + \
                urllib.parse.urlencode({graph_param: graph})
            _send(client, "DELETE", url, f"delete stale graph {graph} at {endpoint}", timeout)
        if stale:
            progress(f"{len(stale)} graphs no longer in the dataset deleted")
        return replace(result, removed=tuple(stale), outside=len(present - ours))


def _origin(url: str) -> tuple[str, str]:
    parts = urllib.parse.urlsplit(url)
    return parts.scheme, parts.netloc


def _client(auth: httpx.Auth | None, timeout: float) -> httpx.Client:
    # trust_env=False: no proxy and no ~/.netrc taken from the environment behind the
    # user's back; redirects are never followed (a PUT is not re-sent elsewhere)
    return httpx.Client(auth=auth, timeout=httpx.Timeout(timeout), follow_redirects=False,
                        trust_env=False, headers={"User-Agent": "metrokg-push"})


def _list_graphs(client: httpx.Client, url: str, timeout: float) -> set[str]:
    """Every named graph of the store, through its SPARQL query endpoint."""
    # GROUP BY, not DISTINCT: Virtuoso 7.2 times out on a DISTINCT ?g over every quad
    text = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    body = _send(client, "POST", url, f"list the graphs at {url}", timeout,
                 urllib.parse.urlencode({"query": text}).encode(),
                 {"Content-Type": "application/x-www-form-urlencoded",
                  "Accept": "application/sparql-results+json"}, limit=_LISTING_BYTES)
    try:
        rows = json.loads(body)["results"]["bindings"]
        return {row["g"]["value"] for row in rows if row.get("g", {}).get("type") == "uri"}
    except (ValueError, KeyError, TypeError):
        raise QueryError(f"list the graphs at {url}: not SPARQL JSON results "
                         f"({body[:80]!r}); give the store's query URL with --query-endpoint") \
            from None


_HINTS = {
    403: "the store refuses writes: is it read-only, or does the user lack write rights?",
    404: "no Graph Store Protocol endpoint at this URL (Oxigraph: /store)",
    405: "this URL does not accept the request (Oxigraph: /store)",
}


def _send(client: httpx.Client, method: str, url: str, where: str, timeout: float,
          body: bytes | None = None, headers: Mapping[str, str] | None = None,
          limit: int = _ERROR_BYTES) -> bytes:
    """Send one request; the response body (at most *limit* bytes) when it is a 2xx."""
    sent = {"Content-Type": "application/n-triples; charset=utf-8"} if body is not None else {}
    sent.update(headers or {})
    deadline = time.monotonic() + timeout
    try:
        with client.stream(method, url, content=body, headers=sent) as response:
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > limit:
                    if response.is_success:
                        raise QueryError(f"{where}: the answer is larger than {limit} bytes")
                    break
                if time.monotonic() > deadline:
                    raise QueryError(f"{where}: no complete answer within {timeout:g} s "
                                     "(raise --timeout)")
    except httpx.TimeoutException:
        raise QueryError(f"{where}: no answer within {timeout:g} s (raise --timeout)") from None
    except httpx.HTTPError as exc:
        raise QueryError(f"{where}: store unreachable: {exc or type(exc).__name__} (check "
                         "the URL and that the server runs)") from None
    if response.is_success:
        return bytes(data)
    text = f"{where}: HTTP {response.status_code} {response.reason_phrase}"
    if response.is_redirect:
        text += f" to {response.headers.get('Location', '?')} (not followed: give that URL)"
    lines = [line.strip() for line in data[:300].decode("utf-8", "replace").splitlines()
             if line.strip()]
    if lines and not lines[0].startswith("<"):
        text += f": {lines[0]}"
    hint = _HINTS.get(response.status_code)
    if response.status_code == 401:
        asked = response.headers.get("WWW-Authenticate", "").split(" ", 1)[0] or "?"
        hint = (f"the store asks for {asked} authentication; credentials from METROKG_USER/"
                "METROKG_PASSWORD, METROKG_TOKEN or --netrc, scheme with --auth")
    raise QueryError(text + (f" ({hint})" if hint else ""))
