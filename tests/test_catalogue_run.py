"""How a catalogue query reaches the engine: no parse on the way to the built dataset,
the parser's message when it fails, a catalogue that notices edits (docs/decisions/0242).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

import metrokg.queries.localrun as localrun
from metrokg.errors import QueryError
from metrokg.outputs.build import BuildResult
from metrokg.paths import ProjectPaths
from metrokg.queries.catalogue import lookup
from metrokg.queries.sparql import SelectResult, query

HEADER = "# id: {id}\n# en: A question?\n# ca: Una pregunta?\n"


def catalogue_project(tmp_path: Path, built_paths: ProjectPaths,
                      queries: dict[str, str]) -> ProjectPaths:
    """A project whose catalogue is *queries* (id → body) and whose build is the session's."""
    folder = tmp_path / "queries"
    folder.mkdir()
    for name, body in queries.items():
        (folder / f"{name}.rq").write_text(HEADER.format(id=name) + body, encoding="utf-8")
    return ProjectPaths(tmp_path, dist_dir=built_paths.dist)


def test_a_catalogue_query_with_service_is_refused_and_sends_nothing(
        tmp_path: Path, built: BuildResult, built_paths: ProjectPaths) -> None:
    with socket.socket() as ear:
        ear.bind(("127.0.0.1", 0))
        ear.listen(5)
        ear.settimeout(0.3)
        port = ear.getsockname()[1]
        paths = catalogue_project(tmp_path, built_paths, {"remote": (
            f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}\n")})
        with pytest.raises(QueryError, match=r"^remote: the query uses SERVICE.*--allow-service"):
            query("remote", paths=paths)
        with pytest.raises(OSError):  # the child ran it cut off the network: no connection
            ear.accept()


def test_a_catalogue_syntax_error_names_query_line_and_column(
        tmp_path: Path, built: BuildResult, built_paths: ProjectPaths) -> None:
    # the parser's message, located in the file (its line and column)
    paths = catalogue_project(tmp_path, built_paths,
                              {"broken": "SELECT * WHERE { ?s ?p ?o ) }\n"})
    with pytest.raises(QueryError, match=r"^broken:\d+:\d+: syntax error: "):
        query("broken", paths=paths)


def test_a_catalogue_query_on_the_build_loads_no_sparql_parser(
        built: BuildResult, built_paths: ProjectPaths) -> None:
    # rdflib's SPARQL grammar costs ~1 s to load and run per process: never for the catalogue
    code = ("import sys; from pathlib import Path; from metrokg.paths import ProjectPaths; "
            "from metrokg.queries.sparql import query; "
            f"r = query('units-of', paths=ProjectPaths(Path({str(built_paths.root)!r}), "
            f"dist_dir=Path({str(built_paths.dist)!r}))); "
            "print(len(r.rows), 'rdflib.plugins.sparql.parser' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.split()
    assert int(out[0]) > 0  # it answered, from the session's build
    assert out[1] == "False"


def test_a_text_is_parsed_once_per_process_on_an_open_store(
        built: BuildResult, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = localrun.parse_isolated

    def counting(text: str, *, name: str, timeout: float) -> tuple[str, object]:
        calls.append(name)
        return real(text, name=name, timeout=timeout)

    import metrokg.queries.sparql as sparql

    monkeypatch.setattr(localrun, "parse_isolated", counting)
    monkeypatch.setattr(sparql, "_SHAPES", {})
    store = pyoxigraph.Store()
    text = "SELECT ?n WHERE { VALUES ?n { 41 } }"
    for _ in range(3):
        result = query(text, store=store)
        assert isinstance(result, SelectResult) and result.rows[0][0].value == "41"
    assert calls == ["<inline>"]


def test_the_catalogue_notices_an_edited_an_added_and_a_removed_file(tmp_path: Path) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    one = folder / "one.rq"
    one.write_text(HEADER.format(id="one") + "ASK {}\n", encoding="utf-8")
    assert lookup(folder, "one").text.endswith("ASK {}\n")
    one.write_text(HEADER.format(id="one") + "ASK{ }\n", encoding="utf-8")  # same size
    stamp = one.stat()
    os.utime(one, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))
    assert lookup(folder, "one").text.endswith("ASK{ }\n")
    one.write_text(HEADER.format(id="one") + "ASK { }\n", encoding="utf-8")  # another size
    os.utime(one, ns=(stamp.st_atime_ns, stamp.st_mtime_ns + 10**9))  # the same time
    assert lookup(folder, "one").text.endswith("ASK { }\n")
    (folder / "two.rq").write_text(HEADER.format(id="two") + "ASK {}\n", encoding="utf-8")
    assert lookup(folder, "two").id == "two"
    (folder / "two.rq").unlink()
    with pytest.raises(QueryError, match="no catalogue query named 'two'"):
        lookup(folder, "two")


def test_version_is_read_when_asked_and_printed_on_stdout() -> None:
    # the version action no longer loads the ontology module at every start (0242)
    from importlib.metadata import version

    done = subprocess.run([sys.executable, "-m", "metrokg", "--version"], capture_output=True,
                          text=True)
    assert done.returncode == 0
    assert done.stdout == f"metrokg {version('metrokg')}\n"


def test_where_the_child_cannot_cut_the_network_a_catalogue_query_is_parsed_first(
        built: BuildResult, built_paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    import metrokg.queries.isolation as isolation

    calls: list[str] = []
    real = localrun.parse_isolated

    def counting(text: str, *, name: str, timeout: float) -> tuple[str, object]:
        calls.append(name)
        return real(text, name=name, timeout=timeout)

    import metrokg.queries.sparql as sparql

    monkeypatch.setattr(isolation, "isolate", lambda: "none")  # the forked child inherits it
    monkeypatch.setattr(localrun, "parse_isolated", counting)
    monkeypatch.setattr(sparql, "_SHAPES", {})  # not parsed yet in this process
    result = query("units-of", paths=built_paths)
    assert isinstance(result, SelectResult) and len(result.rows) > 0
    assert calls == ["units-of"]  # the child answered "unparsed"; parsed, then run
