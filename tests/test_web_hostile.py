"""Hostile input against a real `metrokg serve`: every protection, over real HTTP.

Expected answers come from the protection's specification (the brief and DESIGN.md
"Public surfaces are hostile"): refusals are 4xx with a reason, nothing is fetched, the
data never changes, and a stopped query does not stop other clients.
"""

from __future__ import annotations

import concurrent.futures
import http.client
import json
import socket
import threading
import time
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph, URIRef
from webserver import EVIL_LABEL, EVIL_QUOTE, W3C, make_test_dataset, start

pytestmark = pytest.mark.server

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# 10^8 solutions from VALUES alone: slow whatever the data, so it must be stopped.
SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { "
        + " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(8)) + " }")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not (W3C / "protocol").is_dir():
        pytest.skip(f"W3C protocol data not found at {W3C}")
    folder = make_test_dataset(tmp_path_factory.mktemp("hostile") / "graph")
    return start("testdata", folder, "--timeout", "2", "--max-rows", "5",
                 "--max-waiting", "4").url


def ask(url: str, query: str, source: str | None = None, **headers: str) -> httpx.Response:
    """POST *query*; *source* is the loopback address to send from (another client)."""
    transport = httpx.HTTPTransport(local_address=source) if source else None
    with httpx.Client(transport=transport, timeout=15) as client:
        return client.post(url + "/sparql", content=query.encode(),
                           headers={"Content-Type": "application/sparql-query", **headers})


def count(url: str) -> int:
    response = ask(url, COUNT)
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


class Listener:
    """A loopback TCP listener that records whether anything connected to it."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> object:
    ear = Listener()
    yield ear
    ear.close()


# -- read-only: decided by parsing ---------------------------------------------------------

UPDATES = {
    "delete-where": "DELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "escaped-delete": r"\u0044ELETE WHERE { GRAPH ?g { ?s ?p ?o } }",
    "escaped-drop": r"\u0044\u0052OP ALL",
    "insert-data": "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }",
    "clear-all": "CLEAR ALL",
    "load-file": "LOAD <file:///etc/passwd>",
    "query-then-update": "SELECT * WHERE { ?s ?p ?o } ; DROP ALL",
}


@pytest.mark.parametrize("text", UPDATES.values(), ids=UPDATES.keys())
def test_updates_are_refused_and_change_nothing(server: str, text: str) -> None:
    before = count(server)
    for response in (ask(server, text),
                     httpx.get(server + "/sparql", params={"query": text}, timeout=15),
                     httpx.post(server + "/sparql", data={"update": text}, timeout=15),
                     httpx.post(server + "/sparql", content=text.encode(), timeout=15,
                                headers={"Content-Type": "application/sparql-update"})):
        assert 400 <= response.status_code < 500, response.text
        assert "Traceback" not in response.text and response.text.strip()
    assert count(server) == before


def test_an_escaped_keyword_that_is_a_query_still_runs(server: str) -> None:
    # \u0053ELECT is SELECT (SPARQL 1.1, 19.2: escapes are decoded before the grammar, and
    # the endpoint hands the decoded text to both readers)
    response = ask(server, r"\u0053ELECT (1 AS ?one) WHERE {}")
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["one"]["value"] == "1"


# -- no outbound requests --------------------------------------------------------------------

def test_service_is_refused_and_nothing_connects(server: str, listener: Listener) -> None:
    target = f"http://127.0.0.1:{listener.port}/sparql"
    for text in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
                 "SELECT * WHERE { \\u0053ERVICE <" + target + "> { ?s ?p ?o } }"):
        response = ask(server, text)
        assert response.status_code == 400, response.text
        assert "SERVICE" in response.text
    time.sleep(0.3)
    assert listener.connections == 0


@pytest.mark.parametrize("clause", ["FROM <file:///etc/passwd>", "FROM NAMED <file:///etc/hosts>",
                                    "FROM <http://127.0.0.1:{port}/x>",
                                    "FROM NAMED <http://127.0.0.1:{port}/y>"])
def test_from_outside_the_dataset_is_refused(server: str, listener: Listener,
                                             clause: str) -> None:
    text = f"SELECT * {clause.format(port=listener.port)} WHERE {{ ?s ?p ?o }}"
    response = ask(server, text)
    assert response.status_code == 400, response.text
    assert "not a graph of this dataset" in response.text
    time.sleep(0.2)
    assert listener.connections == 0


def test_protocol_graph_outside_the_dataset_is_refused(server: str, listener: Listener) -> None:
    response = httpx.get(server + "/sparql", timeout=15, params={
        "query": "ASK {}", "default-graph-uri": f"http://127.0.0.1:{listener.port}/g"})
    assert response.status_code == 400
    assert listener.connections == 0


def test_from_a_dataset_graph_is_allowed(server: str) -> None:
    data1 = "http://kasei.us/2009/09/sparql/data/data1.rdf"
    response = ask(server, f"ASK FROM <{data1}> {{ <{data1}> a ?type }}")
    assert response.status_code == 200
    assert response.json()["boolean"] is True


def test_jsonld_bodies_are_not_parsed(server: str, listener: Listener) -> None:
    body = json.dumps({"@context": f"http://127.0.0.1:{listener.port}/ctx.jsonld", "@id": "urn:x"})
    response = httpx.post(server + "/sparql", content=body.encode(), timeout=15,
                          headers={"Content-Type": "application/ld+json"})
    assert response.status_code == 415
    time.sleep(0.2)
    assert listener.connections == 0


# -- limits ----------------------------------------------------------------------------------

def test_query_too_large_is_413(server: str) -> None:
    text = "SELECT * WHERE { ?s ?p ?o } # " + "x" * 40_000
    response = httpx.post(server + "/sparql", data={"query": text[:60_000]}, timeout=15)
    assert response.status_code == 413
    response = httpx.get(server + "/sparql", params={"query": text}, timeout=15)
    assert response.status_code == 413


def test_request_body_too_large_is_413(server: str) -> None:
    body = b"query=" + b"A" * 200_000
    response = httpx.post(server + "/sparql", content=body, timeout=15,
                          headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert "body" in response.text


@pytest.mark.parametrize("depth", [33, 200, 5000])
def test_nesting_too_deep_is_400(server: str, depth: int) -> None:
    text = "SELECT * WHERE " + "{ " * depth + "?s ?p ?o" + " }" * depth
    response = ask(server, text)
    assert response.status_code == 400
    assert "nests" in response.text


def test_nesting_hidden_by_escapes_is_counted(server: str) -> None:
    text = "SELECT * WHERE " + r"\u007B " * 100 + "?s ?p ?o" + " }" * 100
    assert ask(server, text).status_code == 400


def test_row_cap_is_announced(server: str) -> None:
    response = ask(server, "SELECT ?x WHERE { VALUES ?x { 1 2 3 4 5 6 7 } }")
    assert response.status_code == 200
    assert response.headers["MetroKG-Row-Cap"] == "5"
    assert response.headers["MetroKG-Truncated"] == "true"
    assert len(response.json()["results"]["bindings"]) == 5
    small = ask(server, "SELECT ?x WHERE { VALUES ?x { 1 2 } }")
    assert "MetroKG-Truncated" not in small.headers


def test_slow_query_is_stopped_while_others_are_answered(server: str) -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        started = time.monotonic()
        slow = pool.submit(ask, server, SLOW, "127.0.0.2")
        time.sleep(0.3)  # the slow query of another client holds one worker now
        quick: list[float] = []
        while not slow.done():
            t0 = time.monotonic()
            page = httpx.get(server + "/id/org/evil", timeout=10,
                             headers={"Accept": "text/turtle"})
            answer = ask(server, "ASK { }")
            quick.append(time.monotonic() - t0)
            assert page.status_code == 200 and answer.status_code == 200
        response = slow.result()
        elapsed = time.monotonic() - started
    assert response.status_code == 422, response.text
    assert "stopped after 2 s" in response.text
    assert elapsed < 6, "the query was not stopped near its 2 s limit"
    assert len(quick) >= 3 and max(quick) < 1.5, quick
    # the killed worker is replaced: both workers serve again
    results = [ask(server, "ASK { }").status_code for _ in range(6)]
    assert results == [200] * 6


def test_too_many_waiting_queries_get_429(server: str) -> None:
    with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
        futures = [pool.submit(ask, server, SLOW) for _ in range(9)]
        statuses = sorted(f.result().status_code for f in futures)
    assert 429 in statuses, statuses
    assert set(statuses) <= {422, 429}, statuses
    time.sleep(2.5)  # replacement workers start
    assert ask(server, "ASK { }").status_code == 200


# -- escaping --------------------------------------------------------------------------------

def test_labels_and_quotes_are_escaped_in_html(server: str) -> None:
    page = httpx.get(server + "/id/org/evil", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    html = page.text
    assert EVIL_LABEL not in html
    assert "&lt;/script&gt;&lt;script&gt;" in html  # shown, as text
    assert EVIL_QUOTE not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html
    assert "a &amp; b &lt; c" in html


def test_jsonld_in_script_tag_cannot_break_out(server: str) -> None:
    html = httpx.get(server + "/id/org/evil", headers={"Accept": "text/html"}, timeout=10).text
    start_tag = '<script type="application/ld+json">'
    block = html.split(start_tag, 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block
    json.loads(block)  # valid JSON once unescaped
    graph = Graph().parse(data=block, format="json-ld")  # compacted, with an inline @context
    labels = [str(o) for o in graph.objects(
        None, URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))]
    assert labels == [EVIL_LABEL]  # the label survives intact once parsed


# -- path traversal --------------------------------------------------------------------------

@pytest.mark.parametrize("path", [
    "/static/../../../../pyproject.toml",
    "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%2f..%2f..%2fpyproject.toml",
    "/dumps/..%2fmetrokg.nq",
    "/dumps/../../etc/passwd",
    "/id/../../../etc/passwd",
    "/id/%2e%2e/%2e%2e/etc/passwd",
    "/static//etc/passwd",
])
def test_path_traversal_is_refused(server: str, path: str) -> None:
    parts = urlsplit(server)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", path)  # http.client sends the path as written (no normalising)
    response = conn.getresponse()
    body = response.read().decode(errors="replace")
    conn.close()
    assert 400 <= response.status < 500, (path, response.status)
    assert "[build-system]" not in body and "root:" not in body
