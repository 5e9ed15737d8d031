"""Loading the built dataset into a triple store with the SPARQL 1.1 Graph Store Protocol.

Each named graph of the dump is sent with one ``PUT <store>?graph=<iri>`` (N-Triples),
which *replaces* that graph: pushing twice leaves the store with the same content.
Graphs the store holds that are not in the dataset are left alone. The URL is the store's
Graph Store Protocol endpoint: ``http://host:7878/store`` (Oxigraph server),
``http://host:3030/<dataset>/data`` (Fuseki), ``http://host:8890/sparql-graph-crud-auth``
(Virtuoso, with ``graph_param="graph-uri"`` and credentials).
"""

from __future__ import annotations

import base64
import re
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from .errors import QueryError, StoreError

__all__ = ["PushResult", "push_dataset"]


@dataclass(frozen=True)
class PushResult:
    """What a push sent: how many graphs and triples, to which store."""

    endpoint: str
    graphs: int
    triples: int


def _noop(_: str) -> None:
    return None


def push_dataset(dump: Path, endpoint: str, *, timeout: float = 60.0,
                 graph_param: str = "graph", user: str | None = None,
                 password: str | None = None,
                 progress: Callable[[str], None] = _noop) -> PushResult:
    """PUT every named graph of the N-Quads *dump* to the Graph Store at *endpoint*.

    Raises :class:`StoreError` when the dump is missing or unreadable, and
    :class:`QueryError` (one line) when the store is unreachable, too slow or refuses.
    """
    if not re.match(r"^https?://", endpoint):
        raise QueryError(f"endpoint {endpoint!r} is not an http(s) URL "
                         "(e.g. http://127.0.0.1:7878/store)")
    if timeout <= 0:
        raise QueryError(f"timeout must be positive, not {timeout}")
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
    headers = {"Content-Type": "application/n-triples; charset=utf-8"}
    if user is not None:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    triples = 0
    for number, (graph, content) in enumerate(sorted(graphs.items()), start=1):
        query = "default" if graph == "" else urllib.parse.urlencode({graph_param: graph})
        url = endpoint + ("&" if "?" in endpoint else "?") + query
        body = pyoxigraph.serialize(content, format=pyoxigraph.RdfFormat.N_TRIPLES)
        request = urllib.request.Request(url, data=body, method="PUT", headers=headers)
        _send(request, endpoint, graph or "the default graph", timeout)
        triples += len(content)
        if number % 100 == 0:
            progress(f"{number}/{len(graphs)} graphs sent")
    return PushResult(endpoint, len(graphs), triples)


def _send(request: urllib.request.Request, endpoint: str, graph: str, timeout: float) -> None:
    where = f"push to {endpoint} (graph {graph})"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
        hint = {401: "the store needs credentials: --user, password in METROKG_PASSWORD",
                403: "the store refuses writes: is it read-only?",
                404: "no Graph Store Protocol endpoint at this URL (Oxigraph: /store)",
                405: "this URL does not accept PUT (Oxigraph: /store)"}.get(exc.code)
        text = f"{where}: HTTP {exc.code} {exc.reason}"
        text += f": {detail[0]}" if detail else ""
        raise QueryError(text + (f" ({hint})" if hint else "")) from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise QueryError(f"{where}: no answer within {timeout:g} s (raise --timeout)") \
                from None
        raise QueryError(f"{where}: store unreachable: {exc.reason} (check the URL and "
                         "that the server runs)") from None
    except TimeoutError:
        raise QueryError(f"{where}: no answer within {timeout:g} s (raise --timeout)") from None
    except OSError as exc:
        raise QueryError(f"{where}: store unreachable: {exc}") from None
