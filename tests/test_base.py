"""A build under a second base answers the whole catalogue as under the default base.

The catalogue's files, their defaults and the expected answers are written under the
default base; a build with ``--base`` mints ``id/`` and ``graph/`` IRIs under its own
base, records it in summary.json, and every reader of the build takes it from there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import expected_results
import pyoxigraph
import pytest

from metrokg.outputs.build import BuildResult, build
from metrokg.outputs.store import open_store
from metrokg.outputs.summary import recorded_base
from metrokg.paths import ProjectPaths
from metrokg.queries.catalogue import CatalogueEntry, load_catalogue
from metrokg.queries.sparql import query

ROOT = Path(__file__).resolve().parents[1]
OTHER = "https://example.org/kg/"
CATALOGUE = load_catalogue(ROOT / "queries")


@pytest.fixture(scope="module")
def other_paths(tmp_path_factory: pytest.TempPathFactory) -> ProjectPaths:
    return ProjectPaths(ROOT, dist_dir=tmp_path_factory.mktemp("dist-other-base"))


@pytest.fixture(scope="module")
def other(other_paths: ProjectPaths) -> BuildResult:
    return build(other_paths, base=OTHER)


@pytest.fixture(scope="module")
def other_store(other: BuildResult) -> pyoxigraph.Store:
    return open_store(dump=other.files["dataset_nquads"])


def test_the_build_records_its_base(other: BuildResult) -> None:
    summary = json.loads(other.files["summary_json"].read_text(encoding="utf-8"))
    assert summary["base"] == OTHER
    assert recorded_base(other.output) == OTHER


@pytest.mark.parametrize("entry", [pytest.param(CATALOGUE[n], id=n) for n in sorted(CATALOGUE)])
def test_catalogue_answers_under_a_second_base(entry: CatalogueEntry, other: BuildResult,
                                               other_paths: ProjectPaths,
                                               other_store: pyoxigraph.Store) -> None:
    # the base comes from the build (paths.output), not from the caller
    result = query(entry.id, store=other_store, base=recorded_base(other_paths.output),
                   paths=other_paths)
    expected_results.check(entry, result, base=OTHER)


def test_local_query_takes_the_base_from_the_build(other: BuildResult,
                                                   other_paths: ProjectPaths) -> None:
    # no store, no base: the child process queries the build, binding for its base
    result = query("member-count", paths=other_paths)
    expected_results.check(CATALOGUE["member-count"], result, base=OTHER)


def test_readers_of_a_build_have_no_base_option(capsys: pytest.CaptureFixture[str]) -> None:
    from metrokg.cli import main

    for command in (["stats"], ["vocab"], ["explore"], ["serve"], ["network"],
                    ["publish"]):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--base", OTHER])
        assert exit_.value.code == 2, command
    assert main(["query", "member-count", "--base", OTHER]) == 2  # local: the build's
    assert "use --base only with --endpoint" in capsys.readouterr().err


def test_build_report_is_short_and_names_the_base(other: BuildResult) -> None:
    from metrokg.cli.build import short_report

    report = short_report(other)
    assert len(report.splitlines()) <= 8
    assert f"(base {OTHER})" in report and "validation: 0 violation(s)" in report


def test_pages_work_under_a_second_base(other: BuildResult, other_paths: ProjectPaths) -> None:
    # The vocabulary (def/) never moves with the base: a plan page under another base still
    # finds its tree (the Metropolis report, 004: lines L1/L2/L3 with 17/27/21 deliverables).
    from metrokg.web.pages import Linker
    from metrokg.web.state import load_published, resource_html

    pub = load_published(other.output, base=OTHER, queries=other_paths.queries)
    html = resource_html(pub, OTHER + "id/plan/metropolis-action-plan-2018-2020", lang="en",
                         linker=Linker(OTHER), alternates={})
    assert html is not None
    for line, count in (("L1", 17), ("L2", 27), ("L3", 21)):
        assert re.search(rf">{line}</a>.*?Deliverable: <b>{count}</b>", html, re.S), line
