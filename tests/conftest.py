"""Shared fixtures: one build of the real graph per test session, in a temporary folder.

In CI (environment variable ``CI`` set, as ``.ci/run`` does) a skipped test is a failed
test: a missing Chromium, nginx, ../shared or optional package would otherwise hide the
tests that need it. Locally they skip, saying what to install.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

from metrokg.outputs.build import BuildResult, build
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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item,
                              call: pytest.CallInfo[None]) -> Generator[None, None, None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, which must provide what the test needs: {reason}"
