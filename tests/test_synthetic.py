"""The synthetic generator: valid at several times today's size, counted, deterministic."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metrokg.cli import main
from metrokg.outputs.build import BuildResult, build
from metrokg.outputs.store import open_store
from metrokg.paths import ProjectPaths
from metrokg.records.synthetic import QUADS_TODAY, block_count, generate

SCALE = 4.0


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("syn") / "project", scale=SCALE, seed=7)


@pytest.fixture(scope="module")
def synthetic_build(project: Path) -> BuildResult:
    return build(ProjectPaths(project, dist_dir=project.parent / "dist"))


def test_synthetic_graph_conforms_with_zero_findings(synthetic_build: BuildResult) -> None:
    assert list(synthetic_build.validation.findings) == []


def test_counts_are_as_generated(project: Path, synthetic_build: BuildResult) -> None:
    manifest = json.loads((project / "synthetic.json").read_text())
    blocks = block_count(SCALE)
    assert manifest["blocks"] == blocks > 0
    store = open_store(dump=synthetic_build.files["dataset_nquads"])

    def count(cls: str) -> int:
        rows = store.query(
            f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH ?g {{ ?s a <{cls}> }} "
            "FILTER(CONTAINS(STR(?s), '/syn')) }")
        return int(next(iter(rows))[0].value)  # type: ignore[arg-type]

    assert count("http://www.w3.org/ns/org#Organization") == \
        manifest["by_kind"]["organisation"] == 10 * blocks
    assert count("https://w3id.org/metrokg/def/Plan") == manifest["by_kind"]["plan"] == blocks
    assert count("https://w3id.org/metrokg/def/Deliverable") == 20 * blocks
    # a relation and a person's post are each one org:Membership
    assert count("http://www.w3.org/ns/org#Membership") == \
        manifest["by_kind"]["relation"] + manifest["by_kind"]["person"]
    # one record in three quotes its block's document
    quoted = sum(1 for _ in (project / "graph" / "sources").glob("synthetic-*.txt"))
    assert quoted == blocks


def test_scale_counts_quads(project: Path, synthetic_build: BuildResult) -> None:
    """`--scale K` gives about K × today's quads (issue 10: 100× is ~1.1–1.2 M quads)."""
    manifest = json.loads((project / "synthetic.json").read_text())
    quads = synthetic_build.summary.quads
    assert abs(quads - manifest["expected_quads"]) < 0.01 * quads
    assert abs(quads - SCALE * QUADS_TODAY) < 0.02 * quads


def test_build_report_stays_short_at_scale(synthetic_build: BuildResult) -> None:
    from metrokg.cli.build import PLAN_LINES, short_report

    report = short_report(synthetic_build)
    plans = len(synthetic_build.summary.by_status)
    assert plans > PLAN_LINES + 10  # the synthetic blocks' plans all have statuses
    assert len(report.splitlines()) <= 6 + PLAN_LINES
    assert f"and {plans - PLAN_LINES} more plans with statuses: " in report
    assert "summary.txt" in report


def test_rebuild_in_one_process_with_another_hash_seed_is_byte_identical(
        project: Path, synthetic_build: BuildResult, tmp_path: Path) -> None:
    """Validation beside the other steps (forked) or before them (METROKG_JOBS=1), and
    another hash seed: the same bytes in every output, at a size where the explorer lays
    out its communities one by one."""
    env = {**os.environ, "PYTHONHASHSEED": "977", "METROKG_JOBS": "1"}
    code = ("import sys; from pathlib import Path; from metrokg.outputs.build import build; "
            "from metrokg.paths import ProjectPaths; "
            "build(ProjectPaths(Path(sys.argv[1]), dist_dir=Path(sys.argv[2])))")
    subprocess.run([sys.executable, "-c", code, str(project), str(tmp_path)], check=True,
                   env=env, timeout=600)
    again = tmp_path / "graph"
    assert sorted(p.name for p in again.iterdir()) == \
        sorted(p.name for p in synthetic_build.output.iterdir())
    for path in sorted(again.iterdir()):
        if path.is_file():
            assert path.read_bytes() == (synthetic_build.output / path.name).read_bytes(), path.name


def test_same_seed_same_files_other_seed_other_files(project: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", scale=SCALE, seed=7)
    other = generate(tmp_path / "other", scale=SCALE, seed=8)
    assert _tree(again) == _tree(project)
    assert _tree(other) != _tree(project)


def test_generate_command_refuses_a_used_folder(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "x").write_text("mine")
    assert main(["generate", "--scale", "2", "--out", str(tmp_path)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "x").read_text() == "mine"
    assert main(["generate", "--scale", "0.5", "--out", str(tmp_path / "new")]) == 2
