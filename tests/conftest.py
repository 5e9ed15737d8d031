"""Shared fixtures: one build of the real graph per test session, in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from metrokg.build import BuildResult, build
from metrokg.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_paths(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    """Project paths whose dist/ is a session temp folder (never the user's dist/)."""
    return ProjectPaths(ROOT, dist_dir=tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="session")
def built(built_paths: ProjectPaths) -> Iterator[BuildResult]:
    """The real graph, built once per session."""
    yield build(built_paths)
