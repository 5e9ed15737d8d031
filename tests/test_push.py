"""`metrokg push` on a real Oxigraph server, its bulk path, and its authentication.

The Oxigraph server is `metrokg.queries.localserver.start_oxigraph` (a real ``oxigraph serve``).
Basic and bearer authentication are checked against a real HTTP server on loopback that
requires them and records what it was sent; digest against Virtuoso (test_virtuoso.py).
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
import virtuoso as vt

from metrokg.cli import main
from metrokg.errors import InputError
from metrokg.outputs.build import BuildResult
from metrokg.outputs.push import Credentials, find_credentials, push_dataset
from metrokg.queries.localserver import LocalServer, start_oxigraph

pytestmark = pytest.mark.server

SCOPE = "https://w3id.org/metrokg/graph/"


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[LocalServer]:
    with start_oxigraph() as server:
        yield server


def test_interrupted_push_then_repeated_equals_dataset(oxigraph: LocalServer,
                                                      built: BuildResult,
                                                      tmp_path: Path) -> None:
    dump = built.files["dataset_nquads"]
    assert main(["push", "--endpoint", oxigraph.store_url, "--dump", str(dump)]) == 0
    big = vt.copies(dump, tmp_path / "big.nq", 3, SCOPE)
    total = sum(1 for _ in big.open())
    args = ["push", "--endpoint", oxigraph.store_url, "--dump", str(big)]
    present = vt.interrupted_then_repeated(args, oxigraph.query_url, SCOPE + "copy-", total)
    assert 0 < present < total  # killed midway
    assert main(args) == 0
    assert vt.store_quads(oxigraph.query_url, SCOPE) == vt.dataset_quads(big)
    # the whole store, not only metrokg's namespace: nothing else is left over
    assert vt.count_quads(oxigraph.query_url, "") == total
    assert main(["push", "--endpoint", oxigraph.store_url, "--dump", str(dump)]) == 0
    assert vt.store_quads(oxigraph.query_url, "") == vt.dataset_quads(dump)


def test_stale_graph_removed_and_foreign_kept(oxigraph: LocalServer, built: BuildResult,
                                             tmp_path: Path) -> None:
    dump = built.files["dataset_nquads"]
    extra = tmp_path / "extra.nq"
    extra.write_text(dump.read_text()
                     + f'<https://example.org/s> <https://example.org/p> "x" <{SCOPE}gone> .\n'
                     + '<https://example.org/s> <https://example.org/p> "y" '
                       '<https://example.org/theirs> .\n')
    assert main(["push", "--endpoint", oxigraph.store_url, "--dump", str(extra),
                 "--scope", "https://"]) != 0  # a scope this wide is refused
    assert main(["push", "--endpoint", oxigraph.store_url, "--dump", str(extra),
                 "--keep-stale"]) == 0
    # a statement a record no longer makes goes too: each graph is replaced, not added to
    first = dump.read_text().splitlines()[0]
    graph = first[first.rindex(" <") + 1:-2]
    extra.write_text(dump.read_text() + '<https://example.org/s> <https://example.org/p> '
                     f'"dropped since" {graph} .\n')
    assert main(["push", "--endpoint", oxigraph.store_url, "--dump", str(extra),
                 "--keep-stale"]) == 0
    result = push_dataset(dump, oxigraph.store_url)
    assert result.removed == (SCOPE + "gone",) and result.outside == 1
    assert vt.store_quads(oxigraph.query_url, SCOPE) == vt.dataset_quads(dump)
    assert vt.count_quads(oxigraph.query_url, "https://example.org/theirs") == 1
    assert vt.count_quads(oxigraph.query_url, graph.strip("<>")) == dump.read_text().count(
        f" {graph} .")


def test_keep_stale_keeps_them_and_says_so(oxigraph: LocalServer, built: BuildResult,
                                           tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    dump = built.files["dataset_nquads"]
    extra = tmp_path / "extra.nq"
    extra.write_text(dump.read_text()
                     + f'<https://example.org/s> <https://example.org/p> "x" <{SCOPE}gone> .\n')
    assert main(["push", "--endpoint", oxigraph.store_url, "--dump", str(extra)]) == 0
    capsys.readouterr()
    assert main(["push", "--endpoint", oxigraph.store_url, "--dump", str(dump),
                 "--keep-stale"]) == 0
    assert "were not looked for" in capsys.readouterr().err
    assert vt.count_quads(oxigraph.query_url, SCOPE + "gone") == 1


def test_bulk_oxigraph_load_replaces_the_graphs(built: BuildResult, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    dump = built.files["dataset_nquads"]
    location = tmp_path / "store"
    big = vt.copies(dump, tmp_path / "big.nq", 2, SCOPE)
    assert main(["push", "--bulk", "oxigraph", "--location", str(location),
                 "--dump", str(big)]) == 0
    assert main(["push", "--bulk", "oxigraph", "--location", str(location),
                 "--dump", str(dump)]) == 0
    assert "loading" in capsys.readouterr().err
    with start_oxigraph(location) as server:
        assert vt.store_quads(server.query_url, "") == vt.dataset_quads(dump)
        # the folder of a running server is locked: a clear error, not a traceback
        code = main(["push", "--bulk", "oxigraph", "--location", str(location),
                     "--dump", str(dump)])
        assert code == 5
        assert "stop it first" in capsys.readouterr().err


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A Graph Store that requires one Authorization header and records requests."""

    expected = ""
    seen: ClassVar[list[tuple[str, str]]] = []

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        header = self.headers.get("Authorization", "")
        self.seen.append((self.command, header))
        if header != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()

    def do_POST(self) -> None:  # a SPARQL query endpoint that knows no graphs
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.seen.append((self.command, self.headers.get("Authorization", "")))
        body = b'{"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return None


@contextlib.contextmanager
def serve_recorder() -> Iterator[tuple[str, type[_Recorder]]]:
    handler = type("Handler", (_Recorder,), {"seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/gsp", handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def recorder() -> Iterator[tuple[str, type[_Recorder]]]:
    with serve_recorder() as pair:
        yield pair


def small_dump(tmp_path: Path) -> Path:
    dump = tmp_path / "small.nq"
    dump.write_text(f'<https://example.org/s> <https://example.org/p> "1" <{SCOPE}a> .\n')
    return dump


def test_basic_auth_is_sent(recorder: tuple[str, type[_Recorder]], tmp_path: Path) -> None:
    url, handler = recorder
    handler.expected = "Basic " + base64.b64encode(b"alice:s3cret").decode()
    result = push_dataset(small_dump(tmp_path), url, auth="basic",
                          credentials=Credentials("test", user="alice", password="s3cret"),
                          remove_stale=False)
    assert result.graphs == 1 and handler.seen == [("PUT", handler.expected)]


def test_bearer_token_is_sent(recorder: tuple[str, type[_Recorder]], tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    url, handler = recorder
    handler.expected = "Bearer tok-123"
    monkeypatch.setenv("METROKG_TOKEN", "tok-123")
    assert main(["push", "--endpoint", url, "--dump", str(small_dump(tmp_path)),
                 "--keep-stale"]) == 0
    assert handler.seen == [("PUT", "Bearer tok-123")]


def test_refused_credentials_say_what_the_store_asks(recorder: tuple[str, type[_Recorder]],
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    url, handler = recorder
    handler.expected = "Bearer right"
    code = main(["push", "--endpoint", url, "--dump", str(small_dump(tmp_path))])
    err = capsys.readouterr().err
    assert code == 5 and "HTTP 401" in err and "asks for Basic" in err
    assert handler.seen == [("PUT", "")]  # no credentials: nothing sent


def test_credentials_from_environment_then_netrc(tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine store.example login bob password pw-from-netrc\n")
    env = {"HOME": str(tmp_path)}
    found = find_credentials("https://store.example/gsp", environ=env, netrc_file=netrc)
    assert found is not None and (found.user, found.password) == ("bob", "pw-from-netrc")
    assert find_credentials("https://other.example/gsp", environ=env, netrc_file=netrc) is None
    env.update(METROKG_USER="carol", METROKG_PASSWORD="pw-from-env")
    found = find_credentials("https://store.example/gsp", environ=env, netrc_file=netrc)
    assert found is not None and (found.user, found.password) == ("carol", "pw-from-env")
    assert "pw-from-env" not in repr(found)  # never printed by accident
    with pytest.raises(InputError, match="METROKG_USER is not"):
        find_credentials("https://h/", environ={"METROKG_PASSWORD": "x"})
    with pytest.raises(InputError, match="no such netrc file"):
        find_credentials("https://h/", environ={"NETRC": str(tmp_path / "missing")})


def test_password_has_no_command_line_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["push", "--endpoint", "http://127.0.0.1:1/store", "--password", "x"])
    assert exit_.value.code == 2


def test_auth_without_credentials_is_bad_input(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("METROKG_USER", "METROKG_PASSWORD", "METROKG_TOKEN", "NETRC"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    code = main(["push", "--endpoint", "http://127.0.0.1:1/store", "--auth", "digest",
                 "--dump", str(small_dump(tmp_path))])
    err = capsys.readouterr().err
    assert code == 2 and "no user name and password" in err


def test_credentials_not_sent_to_another_host(recorder: tuple[str, type[_Recorder]],
                                              tmp_path: Path) -> None:
    url, handler = recorder
    handler.expected = "Bearer tok-456"
    credentials = Credentials("test", token="tok-456")
    with serve_recorder() as (elsewhere, other):  # another port: another origin
        result = push_dataset(small_dump(tmp_path), url, auth="bearer",
                              credentials=credentials, query_endpoint=elsewhere)
        assert other.seen == [("POST", "")]  # listed without the Graph Store's token
    assert handler.seen == [("PUT", "Bearer tok-456")] and result.unchecked is None
    # the same origin gets it: the listing is the store's own query endpoint
    push_dataset(small_dump(tmp_path), url, auth="bearer", credentials=credentials,
                 query_endpoint=url.replace("/gsp", "/sparql"))
    assert handler.seen[-1] == ("POST", "Bearer tok-456")
