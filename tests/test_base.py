"""A build under a second base answers the whole catalogue as under the default base.

The catalogue's files, their defaults and the expected answers are written under the
default base; a build with ``--base`` mints ``id/`` and ``graph/`` IRIs under its own
base, records it in summary.json, and every reader of the build takes it from there.
"""

from __future__ import annotations

import json
from pathlib import Path

import expected_results
import pyoxigraph
import pytest

from metrokg.build import BuildResult, build
from metrokg.catalogue import CatalogueEntry, load_catalogue
from metrokg.outputs.summary import recorded_base
from metrokg.paths import ProjectPaths
from metrokg.sparql import query
from metrokg.store import open_store

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
    from metrokg.commands.build import short_report

    report = short_report(other)
    assert len(report.splitlines()) <= 8
    assert f"(base {OTHER})" in report and "validation: 0 violation(s)" in report
