"""Validation of the real graph (the session build), and what breaks it.

Expected numbers come from the source documents: the Metropolis triennial report
(graph/sources/004_c0dde55ed5153bcd.txt) prints at its top "65 resultados y entregables
… Alcanzados: 49 / En proceso: 10 / No desarrollados: 6", and prints L1M1D1 with the mark
"v" (achieved).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, URIRef

from metrokg.checks import validate_store
from metrokg.checks.graphs import ValidationResult, load_shapes, validate_dataset
from metrokg.namespaces import ADMS, MKG, RDF, ROLE, STATUS
from metrokg.outputs.build import OUTPUT_FILES, BuildResult, assemble
from metrokg.paths import ProjectPaths
from metrokg.records.synthetic import break_elements, generate

BASE = "https://w3id.org/metrokg/"
PLAN = URIRef(BASE + "id/plan/metropolis-action-plan-2018-2020")
L1M1D1 = URIRef(f"{PLAN}/deliverable/L1M1D1")
PROVENANCE = URIRef(BASE + "graph/provenance")
REPORT_RECORDS = "graph/data/metropolis-report-2018-2020.yaml#"


@pytest.fixture(scope="module")
def dataset(built: BuildResult) -> Dataset:
    """The built dataset, read back from its TriG dump with rdflib's own parser.

    ``default_union`` lets triple patterns see every named graph (the default graph
    itself is empty).
    """
    ds = Dataset(default_union=True)
    ds.parse(built.output / OUTPUT_FILES["dataset_trig"], format="trig")
    return ds


def _revalidate(dataset: Dataset, paths: ProjectPaths) -> ValidationResult:
    checks = sorted((paths.queries / "checks").glob("*-violation.rq"))
    return validate_dataset(dataset, load_shapes(paths.shapes), checks=checks,
                            provenance=PROVENANCE)


def _copy_with_status(dataset: Dataset, element: URIRef, status: URIRef) -> Dataset:
    """A copy of *dataset* where *element*'s adms:status is *status* (in the same graph)."""
    copy = Dataset()
    for s, p, o, g in dataset.quads((None, None, None, None)):
        if s == element and p == ADMS.status:
            o = status
        copy.graph(getattr(g, "identifier", g)).add((s, p, o))
    return copy


def test_real_graph_has_no_violation(built: BuildResult) -> None:
    violations = [f.line() for f in built.validation.findings if f.severity == "Violation"]
    assert violations == []


def test_validation_report_is_published(built: BuildResult) -> None:
    text = (built.output / OUTPUT_FILES["validation_text"]).read_text(encoding="utf-8")
    assert text.startswith("metrokg validation: conforms")


def test_metropolis_itemised_statuses_match_the_printed_totals(dataset: Dataset) -> None:
    deliverables = set(dataset.subjects(RDF.type, MKG.Deliverable)) & \
        set(dataset.subjects(MKG.inPlan, PLAN))
    statuses = Counter(str(dataset.value(d, ADMS.status)).rsplit("/", 1)[-1]
                       for d in deliverables)
    assert len(deliverables) == 65
    assert statuses == {"achieved": 49, "in-progress": 10, "not-developed": 6}


def test_metropolis_stated_totals_are_as_printed(dataset: Dataset) -> None:
    stated = {}
    for total in set(dataset.subjects(MKG.statedFor, PLAN)):
        status = dataset.value(total, MKG.countedStatus)
        key = str(status).rsplit("/", 1)[-1] if status is not None else "total"
        stated[key] = int(dataset.value(total, MKG.statedCount))  # type: ignore[arg-type]
    assert stated == {"total": 65, "achieved": 49, "in-progress": 10, "not-developed": 6}


def test_metropolis_totals_reconcile(built: BuildResult) -> None:
    assert [f for f in built.validation.findings
            if f.rule == "S50-stated-total-reconciliation"] == []


def test_one_changed_status_breaks_the_reconciliation(dataset: Dataset,
                                                      built_paths: ProjectPaths) -> None:
    assert (L1M1D1, ADMS.status, STATUS.achieved) in dataset  # printed "v" in the report
    result = _revalidate(_copy_with_status(dataset, L1M1D1, STATUS["in-progress"]), built_paths)
    found = {(f.focus, f.value): f for f in result.findings
             if f.rule == "S50-stated-total-reconciliation"}
    assert not result.conforms
    assert set(found) == {(str(PLAN), f"{PLAN}/stated-total/deliverable/achieved"),
                          (str(PLAN), f"{PLAN}/stated-total/deliverable/in-progress")}
    achieved = found[(str(PLAN), f"{PLAN}/stated-total/deliverable/achieved")]
    assert achieved.severity == "Violation"
    assert str(PLAN) in achieved.message and "states 49" in achieved.message \
        and "itemises 48" in achieved.message
    assert (achieved.record or "").startswith(REPORT_RECORDS)
    assert [f.rule for f in result.findings if f.severity == "Violation"] == \
        ["S50-stated-total-reconciliation"] * 2


def test_a_status_outside_the_scheme_names_the_element_record(
        dataset: Dataset, built_paths: ProjectPaths) -> None:
    result = _revalidate(_copy_with_status(dataset, L1M1D1, ROLE.member), built_paths)
    wrong = [f for f in result.findings if f.rule == "S16-status"]
    assert [(f.focus, f.path, f.value) for f in wrong] == \
        [(str(L1M1D1), "adms:status", str(ROLE.member))]
    assert wrong[0].record == (REPORT_RECORDS + "metropolis-report-2018-2020/element/"
                               "metropolis-action-plan-2018-2020/L1M1D1")


def test_checks_folder_is_where_the_build_reads(project_root: Path, tmp_path: Path) -> None:
    """The build runs exactly the checks in <project>/queries/checks, not this checkout's."""
    for folder in ("graph", "ontology", "shapes"):
        (tmp_path / folder).symlink_to(project_root / folder)
    (tmp_path / "queries" / "checks").mkdir(parents=True)
    (tmp_path / "queries" / "checks" / "every-plan-violation.rq").write_text(
        "# message: a check only this project has\n# parameters: none\n"
        "PREFIX mkg: <https://w3id.org/metrokg/def/>\n"
        "SELECT ?plan WHERE { GRAPH ?g { ?plan a mkg:Plan } }\n", encoding="utf-8")
    result = assemble(ProjectPaths(tmp_path)).validation
    checked = {f.rule for f in result.findings if not f.rule.startswith("S")}
    assert checked == {"every-plan"}
    assert str(PLAN) in {f.focus for f in result.findings if f.rule == "every-plan"}


def _engines_agree(store: ox.Store, paths: ProjectPaths) -> ValidationResult:
    checks = sorted((paths.queries / "checks").glob("*-violation.rq"))
    results = [validate_store(store, shapes=paths.shapes, checks=checks,
                              provenance=str(PROVENANCE), engine=engine)
               for engine in ("pyshacl", "rudof")]
    assert {f.key() for f in results[1].findings} == {f.key() for f in results[0].findings}
    assert results[1].findings == results[0].findings  # paths, values, messages, records too
    return results[0]


def test_engines_agree_on_the_real_graph(built: BuildResult, built_paths: ProjectPaths) -> None:
    store = ox.Store()
    store.load(path=built.output / OUTPUT_FILES["dataset_nquads"], format=ox.RdfFormat.N_QUADS)
    assert _engines_agree(store, built_paths).findings == ()
    touched = break_elements(store)
    result = _engines_agree(store, built_paths)
    assert {"S16-status", "S13-element-text", "S11-element-plan"} <= {f.rule for f in result.findings}
    assert {f.focus for f in result.findings if f.rule.startswith(("S16", "S13", "S11"))} \
        == set(touched)
    assert all(f.record for f in result.findings)


def test_engines_agree_on_a_synthetic_graph(tmp_path: Path) -> None:
    """A graph three times the real one's records, valid and then broken."""
    paths = ProjectPaths(generate(tmp_path / "project", scale=3, seed=7))
    assembled = assemble(paths)
    assert assembled.validation.findings == ()
    store = assembled.store
    touched = break_elements(store)
    result = _engines_agree(store, paths)
    assert {f.focus for f in result.findings if f.rule.startswith(("S16", "S13", "S11"))} \
        == set(touched)


def test_one_changed_status_makes_the_totals_disagree_in_the_catalogue(
        built: BuildResult, project_root: Path) -> None:
    """The catalogue's reconciliation queries see the same break as S50 (one status changed)."""
    store = ox.Store()
    store.load(path=built.output / OUTPUT_FILES["dataset_nquads"], format=ox.RdfFormat.N_QUADS)
    agree = (project_root / "queries" / "stated-totals-agree.rq").read_text(encoding="utf-8")
    itemised = (project_root / "queries" / "stated-vs-itemised.rq").read_text(encoding="utf-8")
    assert bool(store.query(agree))
    status = ox.NamedNode(str(ADMS.status))
    element = ox.NamedNode(str(L1M1D1))
    for quad in list(store.quads_for_pattern(element, status, None)):
        store.remove(quad)
        store.add(ox.Quad(element, status, ox.NamedNode(str(STATUS["in-progress"])),
                          quad.graph_name))
    assert not bool(store.query(agree))
    rows = {(r["status"].value if r["status"] else "", int(r["itemised"].value))
            for r in store.query(itemised) if r["plan"].value == str(PLAN)}  # type: ignore[union-attr]
    # the report prints 65 / 49 / 10 / 6; one achieved deliverable moved to in progress
    assert rows == {("", 65), (str(STATUS.achieved), 48), (str(STATUS["in-progress"]), 11),
                    (str(STATUS["not-developed"]), 6)}
