"""The build: deterministic, atomic, and its outputs agree with one another."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

import metrokg
from metrokg.build import OUTPUT_FILES, BuildResult, build
from metrokg.cli import main
from metrokg.paths import ProjectPaths
from metrokg.store import open_store, store_stats


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_every_output_is_written(built: BuildResult) -> None:
    assert sorted(p.name for p in built.output.iterdir()) >= sorted(OUTPUT_FILES.values())


def test_same_inputs_give_byte_identical_outputs(built: BuildResult, project_root: Path,
                                                 tmp_path: Path) -> None:
    # a second build in another process with another hash seed
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    code = ("import sys; from pathlib import Path; from metrokg.build import build; "
            "from metrokg.paths import ProjectPaths; "
            "build(ProjectPaths(Path(sys.argv[1]), dist_dir=Path(sys.argv[2])))")
    subprocess.run([sys.executable, "-c", code, str(project_root), str(tmp_path)], check=True,
                   env=env, timeout=300)
    assert _digests(tmp_path / "graph") == _digests(built.output)


def test_trig_and_nquads_hold_the_same_dataset(built: BuildResult) -> None:
    def quads(path: Path, fmt: str) -> set[tuple[object, ...]]:
        ds = Dataset()
        ds.parse(path, format=fmt)
        return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in ds.quads()}
    assert quads(built.files["dataset_trig"], "trig") == \
        quads(built.files["dataset_nquads"], "nquads")


def test_turtle_and_jsonld_hold_the_same_graph(built: BuildResult) -> None:
    turtle = Graph().parse(built.files["graph_turtle"], format="turtle")
    jsonld = Graph().parse(built.files["graph_jsonld"], format="json-ld")
    assert len(turtle) > 4000
    assert isomorphic(turtle, jsonld)


def test_ontology_output_carries_the_version(built: BuildResult) -> None:
    text = built.files["ontology"].read_text(encoding="utf-8")
    assert f'owl:versionInfo "{metrokg.ontology.version()}"' in text
    assert "owl:versionIRI <https://w3id.org/metrokg/def/version/" in text


def test_summary_counts(built: BuildResult) -> None:
    summary = json.loads(built.files["summary_json"].read_text(encoding="utf-8"))
    # the Metropolis report's itemised statuses (see test_plan_counts for the derivation)
    assert summary["by_status"]["metropolis-action-plan-2018-2020"] == {
        "achieved": 49, "in-progress": 10, "not-developed": 6}
    assert summary["by_class"]["mkg:Deliverable"] == 65


def test_failed_build_keeps_previous_outputs(built_paths: ProjectPaths, built: BuildResult,
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    paths = ProjectPaths(built_paths.root, dist_dir=tmp_path)
    first = build(paths)
    before = _digests(first.output)

    def interrupted(*_args: object, **_kwargs: object) -> str:
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-write

    monkeypatch.setattr(importlib.import_module("metrokg.build"), "to_jsonld", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(paths)
    assert _digests(paths.output) == before


def test_store_counts(built: BuildResult) -> None:
    stats = store_stats(open_store(dump=built.files["dataset_nquads"]))
    assert stats.plan_elements["Deliverable"] == 65
    assert stats.plan_elements["Action"] == 42
    assert stats.plans >= 5


def test_stats_without_a_build_says_what_to_do(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--project", str(tmp_path)]) == 4
    assert "run `metrokg build` first" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for code in ("0 ", "2 ", "3 ", "4 ", "5 "):
        assert f"\n  {code}" in out


def test_public_api_is_complete() -> None:
    public = {name for name in dir(metrokg) if not name.startswith("_")}
    modules = {name for name in public if isinstance(getattr(metrokg, name), type(metrokg))}
    assert set(metrokg.__all__) == public - modules
