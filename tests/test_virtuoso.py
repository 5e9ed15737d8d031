"""The published graph in a real Virtuoso: authenticated push, bulk load, the same answers.

One Virtuoso (Debian's virtuoso-opensource) is started for the session on loopback
(tests/virtuoso.py). `metrokg push` sends the build to its authenticated Graph Store
endpoint ``/sparql-graph-crud-auth`` (HTTP digest, user dba/dba of a fresh database, the
credentials in a netrc file); every catalogue query then runs on ``/sparql`` through
`metrokg.query(..., endpoint=...)` and must equal the embedded store's answer term by
term.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pyoxigraph
import pytest
import virtuoso as vt
from expected_results import comparable

from metrokg.cli import main
from metrokg.outputs.build import BuildResult
from metrokg.outputs.store import open_store
from metrokg.queries.catalogue import load_catalogue
from metrokg.queries.sparql import SelectResult, query

pytestmark = pytest.mark.server

QUERIES = Path(__file__).resolve().parents[1] / "queries"
CATALOGUE = load_catalogue(QUERIES)
SCOPE = "https://w3id.org/metrokg/graph/"


@pytest.fixture(scope="module")
def server() -> vt.Virtuoso:
    return vt.virtuoso()


@pytest.fixture(scope="module")
def netrc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("netrc") / "netrc"
    path.write_text(f"machine 127.0.0.1 login {vt.USER} password {vt.PASSWORD}\n")
    path.chmod(0o600)
    return path


def push_args(server: vt.Virtuoso, dump: Path, netrc: Path, *extra: str) -> list[str]:
    return ["push", "--endpoint", server.gsp, "--graph-param", "graph-uri",
            "--netrc", str(netrc), "--dump", str(dump), *extra]


@pytest.fixture(scope="module")
def pushed(server: vt.Virtuoso, built: BuildResult, netrc: Path) -> vt.Virtuoso:
    """Virtuoso holding the build, pushed with digest authentication."""
    assert main(push_args(server, built.files["dataset_nquads"], netrc)) == 0
    return server


@pytest.fixture(scope="module")
def store(built: BuildResult) -> pyoxigraph.Store:
    return open_store(dump=built.files["dataset_nquads"])


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_catalogue_on_virtuoso_equals_local(name: str, pushed: vt.Virtuoso,
                                            store: pyoxigraph.Store) -> None:
    local = query(name, store=store)
    remote = query(name, endpoint=pushed.query_url, timeout=60)
    assert comparable(remote) == comparable(local)


def test_parameters_bound_the_same_on_virtuoso(pushed: vt.Virtuoso,
                                               store: pyoxigraph.Store) -> None:
    # medcities' only member is AMB, a founding member: the narrower-role branch of the
    # query (role:founding-member skos:broader role:member) must hold on Virtuoso too
    local = query("member-count", params={"org": "medcities"}, store=store)
    remote = query("member-count", params={"org": "medcities"}, endpoint=pushed.query_url)
    assert comparable(remote) == comparable(local)
    assert isinstance(remote, SelectResult) and len(remote.rows) > 0


def test_store_holds_the_dataset_with_its_datatypes(pushed: vt.Virtuoso,
                                                    built: BuildResult) -> None:
    dump = built.files["dataset_nquads"]
    assert vt.store_quads(pushed.query_url, SCOPE) == vt.dataset_quads(dump)
    # Virtuoso keeps derived datatypes (the embedded store makes them xsd:integer)
    kept = query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                 f"FILTER (DATATYPE(?o) = <{vt.XSD}nonNegativeInteger>) }}",
                 endpoint=pushed.query_url)
    assert isinstance(kept, SelectResult)
    assert int(kept.rows[0][0].value) == dump.read_text().count(  # type: ignore[union-attr]
        f"^^<{vt.XSD}nonNegativeInteger>")


def test_push_without_credentials_is_refused(server: vt.Virtuoso, built: BuildResult,
                                             tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "netrc"
    empty.write_text("")
    code = main(push_args(server, built.files["dataset_nquads"], empty))
    err = capsys.readouterr().err
    assert code == 5
    assert "HTTP 401" in err and "Digest" in err and len(err.strip().splitlines()) == 1


def test_wrong_password_is_refused(server: vt.Virtuoso, built: BuildResult, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    wrong = tmp_path / "netrc"
    wrong.write_text("machine 127.0.0.1 login dba password not-the-password\n")
    code = main(push_args(server, built.files["dataset_nquads"], wrong))
    err = capsys.readouterr().err
    assert code == 5 and "HTTP 401" in err
    assert "not-the-password" not in err


def test_push_twice_and_stale_graphs(pushed: vt.Virtuoso, built: BuildResult, netrc: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    dump = built.files["dataset_nquads"]
    auth = httpx.DigestAuth(vt.USER, vt.PASSWORD)
    triple = b"<https://example.org/s> <https://example.org/p> \"left over\" .\n"
    stale, foreign = SCOPE + "record/removed-since", "https://example.org/other-dataset"
    for graph in (stale, foreign):
        response = httpx.put(pushed.gsp, params={"graph-uri": graph}, content=triple,
                             headers={"Content-Type": "application/n-triples"}, auth=auth)
        assert response.is_success, response.text
    capsys.readouterr()
    assert main(push_args(pushed, dump, netrc)) == 0
    out = capsys.readouterr().out
    assert f"deleted 1 graphs under {SCOPE}" in out and stale in out
    assert vt.store_quads(pushed.query_url, SCOPE) == vt.dataset_quads(dump)
    # a graph outside metrokg's namespace is someone else's: kept, and counted
    assert vt.count_quads(pushed.query_url, foreign) == 1
    assert "graphs outside" in out
    httpx.delete(pushed.gsp, params={"graph-uri": foreign}, auth=auth)


def test_interrupted_push_then_repeated_equals_dataset(pushed: vt.Virtuoso, built: BuildResult,
                                                      netrc: Path, tmp_path: Path) -> None:
    big = vt.copies(built.files["dataset_nquads"], tmp_path / "big.nq", 3, SCOPE)
    total = sum(1 for _ in big.open())
    # the store holds the real dataset; the copies go under SCOPE + "copy-N/"
    present = vt.interrupted_then_repeated(push_args(pushed, big, netrc), pushed.query_url,
                                           SCOPE + "copy-", total)
    assert 0 < present < total  # killed midway
    assert main(push_args(pushed, big, netrc)) == 0
    assert vt.store_quads(pushed.query_url, SCOPE) == vt.dataset_quads(big)
    # back to the real dataset: the copies are stale and go
    assert main(push_args(pushed, built.files["dataset_nquads"], netrc)) == 0
    assert vt.store_quads(pushed.query_url, SCOPE) == vt.dataset_quads(
        built.files["dataset_nquads"])


def test_bulk_load_replaces_the_graphs(pushed: vt.Virtuoso, built: BuildResult, netrc: Path,
                                       tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    dump = built.files["dataset_nquads"]
    big = vt.copies(dump, tmp_path / "big.nq", 2, SCOPE)
    args = ["push", "--bulk", "virtuoso", "--isql", pushed.sql, "--load-dir",
            str(pushed.load_dir), "--netrc", str(netrc)]
    assert main([*args, "--dump", str(big), "--scope", SCOPE]) == 0
    assert vt.store_quads(pushed.query_url, SCOPE) == vt.dataset_quads(big)
    capsys.readouterr()
    assert main([*args, "--dump", str(dump)]) == 0
    assert "files loaded" in capsys.readouterr().err
    assert vt.store_quads(pushed.query_url, SCOPE) == vt.dataset_quads(dump)
    assert not list(pushed.load_dir.glob("metrokg-*.nq"))  # its chunks cleaned up


def test_bulk_password_never_in_a_command_line(server: vt.Virtuoso, built: BuildResult,
                                               tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    secret = "bulk-S3cret"
    admin = [vt.isql(), server.sql, vt.USER]
    done = subprocess.run([*admin, vt.PASSWORD,
                           f"EXEC=USER_CHANGE_PASSWORD('dba','{vt.PASSWORD}','{secret}');"],
                          capture_output=True, text=True)
    assert "Error" not in done.stdout + done.stderr
    seen: list[list[str]] = []
    real = subprocess.Popen

    def spy(argv: list[str], *args: object, **kwargs: object) -> subprocess.Popen[str]:
        seen.append(list(argv))
        return real(argv, *args, **kwargs)  # type: ignore[call-overload, no-any-return]

    netrc = tmp_path / "netrc"
    netrc.write_text(f"machine 127.0.0.1 login dba password {secret}\n")
    try:
        monkeypatch.setattr(subprocess, "Popen", spy)
        code = main(["push", "--bulk", "virtuoso", "--isql", server.sql, "--load-dir",
                     str(server.load_dir), "--netrc", str(netrc),
                     "--dump", str(built.files["dataset_nquads"])])
        monkeypatch.undo()
        assert code == 0
        assert seen and all(secret not in " ".join(argv) for argv in seen)
        assert vt.store_quads(server.query_url, SCOPE) == vt.dataset_quads(
            built.files["dataset_nquads"])
    finally:
        monkeypatch.undo()
        subprocess.run(admin, input=f"{secret}\nUSER_CHANGE_PASSWORD('dba','{secret}',"
                       f"'{vt.PASSWORD}');\n", capture_output=True, text=True)
