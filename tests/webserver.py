"""Helpers for the web tests: real `metrokg serve` processes on loopback, started once.

Not a test module. Servers are cached per process and stopped at exit.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
W3C = ROOT.parent / "shared" / "w3c-rdf-tests" / "sparql" / "sparql11"
BASE = "https://w3id.org/metrokg/"

_servers: dict[str, Server] = {}

SERVER_LIMITS = ("--timeout", "2", "--max-rows", "5", "--max-waiting", "4", "--max-memory",
                 "512", "--max-response", "1", "--request-timeout", "2")
"""The limits of the shared "testdata" server (hostile and protocol tests alike)."""


@dataclass(frozen=True)
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(name: str, graph: Path, *extra: str) -> Server:
    """Start (once) `metrokg serve --graph GRAPH` on a free loopback port."""
    if name in _servers:
        return _servers[name]
    port = free_port()
    log = graph.parent / f"serve-{name}.log"
    cmd = [sys.executable, "-m", "metrokg", "serve", "--graph", str(graph), "--port", str(port),
           "--project", str(ROOT), *extra]
    stream = log.open("wb")
    process = subprocess.Popen(cmd, stdout=stream, stderr=subprocess.STDOUT, cwd=ROOT,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"metrokg serve exited: {log.read_text(errors='replace')}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url + "/sparql", timeout=2).status_code == 200:
                break
        time.sleep(0.3)
    else:
        process.kill()
        raise RuntimeError(f"metrokg serve did not start: {log.read_text(errors='replace')}")
    server = Server(url, process, log)
    _servers[name] = server
    return server


@atexit.register
def _stop_all() -> None:
    for server in _servers.values():
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()


EVIL = BASE + "id/org/evil"
EVIL_LABEL = '</script><script>alert("label")</script>'
EVIL_QUOTE = "<img src=x onerror=alert(1)> quoted"


def make_test_dataset(folder: Path) -> Path:
    """A build folder (dump and store) with the W3C protocol data and one hostile resource.

    The W3C protocol manifest loads data1-3.nt as graphs named by their rdfs:label; five
    tests also name ``data0.rdf`` in default-graph-uri without giving it data (kasei.us
    served it). This endpoint accepts only dataset graphs there, so the fixture holds
    data0.rdf as a graph with one marker triple; no test's expected answer depends on it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    kasei = "http://kasei.us/2009/09/sparql/data/"
    for n in (1, 2, 3):
        for line in (W3C / "protocol" / f"data{n}.nt").read_text().splitlines():
            if line.strip():
                lines.append(line.rstrip().removesuffix(".").rstrip() + f" <{kasei}data{n}.rdf> .")
    lines.append(f"<{kasei}data0.rdf> <urn:x-test:marker> \"data0\" <{kasei}data0.rdf> .")
    g = f"<{BASE}graph/evil>"
    esc = EVIL_LABEL.replace('"', '\\"')
    lines += [
        f"<{EVIL}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        f"<http://www.w3.org/ns/org#Organization> {g} .",
        f"<{EVIL}> <http://www.w3.org/2004/02/skos/core#prefLabel> \"{esc}\"@en {g} .",
        f"<{EVIL}> <http://xmlns.com/foaf/0.1/homepage> <javascript:alert(1)> {g} .",
        f"<{EVIL}> <http://www.w3.org/2000/01/rdf-schema#comment> \"a & b < c\" {g} .",
        f"<{BASE}graph/evil> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        f"<http://www.w3.org/ns/prov#Entity> <{BASE}graph/provenance> .",
        f"<{BASE}graph/evil> <http://www.w3.org/ns/prov#wasDerivedFrom> <{BASE}graph/evil#passage>"
        f" <{BASE}graph/provenance> .",
        f"<{BASE}graph/evil#passage> <http://www.w3.org/ns/oa#hasSelector> <{BASE}graph/evil#q>"
        f" <{BASE}graph/provenance> .",
        f"<{BASE}graph/evil#q> <http://www.w3.org/ns/oa#exact> \"{EVIL_QUOTE}\""
        f" <{BASE}graph/provenance> .",
    ]
    (folder / "metrokg.nq").write_text("\n".join(lines) + "\n", encoding="utf-8")
    write_store(folder)
    return folder


def write_store(folder: Path) -> None:
    """The on-disk store of a build folder made by hand, from its metrokg.nq (as
    `metrokg build` writes it beside the dumps)."""
    import pyoxigraph as ox

    store = ox.Store(str(folder / "store"))
    store.bulk_load(path=str(folder / "metrokg.nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store  # closed before any server opens it read-only
