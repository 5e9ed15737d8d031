"""The dataset-level checks (queries/checks/*-violation.rq) on small hand-made datasets.

queries/checks/examples/valid.trig passes every check; each ``<check>-invalid-NN.trig``
gives rows of its check only, and exactly for the focus nodes its ``# focus:`` header
lines name (written from what the file was made to break, not recorded from a run).
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from metrokg.checks import Records, run_checks
from metrokg.errors import QueryError

ROOT = Path(__file__).resolve().parents[1]
CHECKS_DIR = ROOT / "queries" / "checks"
CHECKS = sorted(CHECKS_DIR.glob("*-violation.rq"))
EXAMPLES = CHECKS_DIR / "examples"
INVALID = sorted(EXAMPLES.glob("*-invalid-*.trig"))
PROVENANCE = {"provenanceGraph": "https://w3id.org/metrokg/graph/provenance"}


def _dataset(path: Path) -> ox.Store:
    """The example in an Oxigraph store, as the build holds the dataset."""
    store = ox.Store()
    store.load(path=path, format=ox.RdfFormat.TRIG)
    return store


def _header(path: Path, key: str) -> list[str]:
    return [m.group(1).strip() for m in re.finditer(rf"^# {key}:(.*)$",
                                                     path.read_text(encoding="utf-8"), re.M)]


@pytest.mark.parametrize("check", CHECKS, ids=[p.stem for p in CHECKS])
def test_check_header(check: Path) -> None:
    for key in ("id", "question", "message", "why", "parameters"):
        assert _header(check, key), f"{check.name} has no `# {key}:` header line"
    assert _header(check, "id") == [check.name.removesuffix("-violation.rq")]


@pytest.mark.parametrize("check", CHECKS, ids=[p.stem for p in CHECKS])
def test_every_check_has_an_invalid_example(check: Path) -> None:
    rule = check.name.removesuffix("-violation.rq")
    assert any(p.name.startswith(rule + "-invalid-") for p in INVALID)


def test_valid_dataset_passes_every_check() -> None:
    findings = run_checks(_dataset(EXAMPLES / "valid.trig"), CHECKS, bindings=PROVENANCE)
    assert [f.line() for f in findings] == []


@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_dataset_breaks_its_check(example: Path) -> None:
    rule = example.stem.split("-invalid-")[0]
    findings = run_checks(_dataset(example), CHECKS, bindings=PROVENANCE)
    assert {f.rule for f in findings} == {rule}
    assert {f.focus for f in findings} == set(_header(example, "focus"))
    assert all(f.severity == "Violation" and f.message for f in findings)


def test_missing_parameter_is_a_located_error() -> None:
    check = CHECKS_DIR / "graph-provenance-violation.rq"
    with pytest.raises(QueryError, match=r"graph-provenance-violation\.rq.*provenanceGraph"):
        run_checks(_dataset(EXAMPLES / "valid.trig"), [check])


def test_a_finding_names_the_record_of_the_graph_it_points_at() -> None:
    dataset = _dataset(EXAMPLES / "untyped-reference-invalid-01.trig")
    index = Records(dataset, PROVENANCE["provenanceGraph"])
    findings = run_checks(dataset, [CHECKS_DIR / "untyped-reference-violation.rq"], index,
                          bindings=PROVENANCE)
    assert [(f.focus, f.record) for f in findings] == \
        [("https://w3id.org/metrokg/id/org/nobody", "graph/data/x.yaml#x/plan/p-responsible")]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.trig")),
                         ids=[p.stem for p in sorted(EXAMPLES.glob("*.trig"))])
def test_check_example_first_line_says_why(example: Path) -> None:
    first = example.read_text(encoding="utf-8").splitlines()[0]
    kind = "valid" if example.stem == "valid" else "invalid"
    assert re.match(rf"# {kind}: \S", first), first
