"""The whole catalogue on a real Oxigraph server gives the same answers as the embedded store.

A fixture starts ``oxigraph serve`` on a free loopback port, `metrokg push` loads the
built dataset into it (Graph Store Protocol), and every catalogue query runs remotely
through SPARQLWrapper; results are compared with the local ones as multisets.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from expected_results import comparable

from metrokg.cli import main
from metrokg.errors import QueryError
from metrokg.outputs.build import BuildResult
from metrokg.outputs.store import open_store
from metrokg.queries.catalogue import load_catalogue
from metrokg.queries.sparql import GraphResult, SelectResult, query

pytestmark = pytest.mark.server

QUERIES = Path(__file__).resolve().parents[1] / "queries"
CATALOGUE = load_catalogue(QUERIES)
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
    "oxigraph")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(location: Path) -> tuple[subprocess.Popen[bytes], str]:
    if OXIGRAPH is None:
        pytest.fail("the `oxigraph` server is not installed: pip install -e '.[dev]'")
    port = free_port()
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         "--timeout-s", "20"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"oxigraph exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1) as r:
                if r.status == 200:
                    return process, base
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("oxigraph did not answer within 30 s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def server(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A loaded Oxigraph server; yields its base URL."""
    process, base = start_server(tmp_path_factory.mktemp("oxigraph"))
    try:
        code = main(["push", "--endpoint", base + "/store",
                     "--dump", str(built.files["dataset_nquads"])])
        assert code == 0
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def store(built: BuildResult) -> pyoxigraph.Store:
    return open_store(dump=built.files["dataset_nquads"])


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_remote_answers_equal_local(name: str, server: str, store: pyoxigraph.Store) -> None:
    local = query(name, store=store)
    remote = query(name, endpoint=server + "/query", timeout=30)
    assert comparable(local) == comparable(remote)
    assert len(local.rows if isinstance(local, SelectResult) else
               local.triples if isinstance(local, GraphResult) else [local]) > 0


def test_push_twice_leaves_the_same_content(server: str, built: BuildResult,
                                           store: pyoxigraph.Store) -> None:
    assert main(["push", "--endpoint", server + "/store",
                 "--dump", str(built.files["dataset_nquads"])]) == 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    remote = query(count, endpoint=server + "/query")
    local = query(count, store=store)
    assert isinstance(remote, SelectResult) and isinstance(local, SelectResult)
    assert remote.rows == local.rows
    assert int(remote.rows[0][0].value) == len(store)  # type: ignore[union-attr]


def test_parameters_bound_the_same_remotely(server: str, store: pyoxigraph.Store) -> None:
    local = query("actions-involving", params={"org": "metropolis"}, store=store)
    remote = query("actions-involving", params={"org": "metropolis"},
                   endpoint=server + "/query")
    assert comparable(local) == comparable(remote)
    # the AMB plan names Metropolis in actions 1.1.5, 1.3.1 and 1.3.2 (source 001)
    code = list(remote.variables).index("code")  # after ?plan and its label column
    assert {("1.1.5",), ("1.3.1",), ("1.3.2",)} <= {(r[code].value,) for r in remote.rows
                                                     if r[code] is not None}


def test_http_error_is_one_line(server: str) -> None:
    with pytest.raises(QueryError, match="HTTP 404"):
        query("status-by-plan", endpoint=server + "/no-such-path")


def test_timeout_is_reported(server: str) -> None:
    # every quad paired with every quad (~10^8 pairs): far more than 0.05 s of work, and
    # bounded, so the server is free again soon after the client gives up
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?x ?y ?z } }"
    with pytest.raises(QueryError, match="no answer within"):
        query(heavy, endpoint=server + "/query", timeout=0.05)


def test_push_to_unreachable_store_exits_5(built: BuildResult,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["push", "--endpoint", f"http://127.0.0.1:{free_port()}/store",
                 "--dump", str(built.files["dataset_nquads"]), "--timeout", "2"])
    err = capsys.readouterr().err
    assert code == 5
    assert "store unreachable" in err and len(err.strip().splitlines()) == 1
