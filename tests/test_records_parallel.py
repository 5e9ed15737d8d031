"""Record files read by two processes: the same records, in the same order, with the same
documents, and the same problems as one process reading them all."""

from __future__ import annotations

from pathlib import Path

import pytest
from forking import forks_here

from metrokg.errors import InputError, InputErrors
from metrokg.paths import ProjectPaths
from metrokg.records import read
from metrokg.records.sources import load_documents
from metrokg.records.synthetic import generate


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    return ProjectPaths(generate(tmp_path_factory.mktemp("rp") / "p", scale=2, seed=3))


def _load(paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch, *, jobs: str) -> list[object]:
    monkeypatch.setenv("METROKG_JOBS", jobs)
    monkeypatch.setattr(read, "PARALLEL_BYTES", 0)
    return read.load_records(paths.data, load_documents(paths.documents))  # type: ignore[return-value]


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    made: list[str] = []
    real = read.Forked

    def counting(fn: object, *, name: str) -> object:
        made.append(name)
        return real(fn, name=name)  # type: ignore[arg-type]

    monkeypatch.setattr(read, "Forked", counting)
    return made


def test_two_processes_read_the_same_records(paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch,
                                             request: pytest.FixtureRequest) -> None:
    if not forks_here(request):
        return
    one = _load(paths, monkeypatch, jobs="1")
    forks = _forks(monkeypatch)
    two = _load(paths, monkeypatch, jobs="2")
    assert forks == ["record reading"]
    assert len(two) == len(one) > 1000
    assert two == one
    documents = load_documents(paths.documents)
    # the documents of the child's records are this process's documents, not copies
    last = two[-1]
    assert last.document is None or last.document.text == documents[last.document.id].text


def test_problems_of_both_halves_are_reported_in_file_order(
        paths: ProjectPaths, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        request: pytest.FixtureRequest) -> None:
    if not forks_here(request):
        return
    files = sorted(paths.data.glob("synthetic-*.yaml"))
    copy = tmp_path / "graph" / "data"
    copy.mkdir(parents=True)
    for f in sorted(paths.data.iterdir()):
        (copy / f.name).write_bytes(f.read_bytes())
    for f in (files[0], files[-1]):  # one bad record in each half
        text = (copy / f.name).read_text(encoding="utf-8")
        (copy / f.name).write_text(text.replace("  as_of: 2026-11\n", "", 1),
                                   encoding="utf-8")
    errors = []
    for jobs in ("1", "2"):
        monkeypatch.setenv("METROKG_JOBS", jobs)
        monkeypatch.setattr(read, "PARALLEL_BYTES", 0)
        with pytest.raises(InputError) as caught:
            read.load_records(copy, load_documents(paths.documents))
        errors.append(caught.value)
    assert isinstance(errors[1], InputErrors)
    assert errors[1].lines() == errors[0].lines()  # type: ignore[attr-defined]
    assert [p.file for p in errors[1].problems] == [
        f"graph/data/{files[0].name}", f"graph/data/{files[-1].name}"]
