"""A damaged on-disk store is bad input for every command that reads the build: one line
naming the store and what to do, exit 4 — not an internal error (exit 70)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from metrokg.outputs.build import BuildResult
from metrokg.paths import STORE_DIR, ProjectPaths

ROOT = Path(__file__).resolve().parents[1]
METROKG = str(Path(sys.executable).with_name("metrokg"))
COMMANDS = [["query", "plan-level-counts"], ["stats"], ["network", "--top", "2"],
            ["explore", "--out", "explorer.html"]]


@pytest.fixture(scope="module")
def damaged(built: BuildResult, built_paths: ProjectPaths,
            tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose published build has a garbage RocksDB CURRENT file."""
    project = tmp_path_factory.mktemp("damaged")
    for part in ("ontology", "graph", "queries", "shapes"):
        (project / part).symlink_to(ROOT / part)
    shutil.copytree(built_paths.output.resolve(), project / "dist" / "graph")
    (project / "dist" / "graph" / STORE_DIR / "CURRENT").write_text("garbage\n",
                                                                   encoding="utf-8")
    return project


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: a[0])
def test_a_damaged_store_is_one_line_and_exit_4(damaged: Path, argv: list[str]) -> None:
    done = subprocess.run([METROKG, *argv, "--project", str(damaged)], cwd=damaged,
                          capture_output=True, text=True, timeout=120, check=False)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 4, done.stderr
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "cannot open the store" in lines[0] and "metrokg build" in lines[0]
