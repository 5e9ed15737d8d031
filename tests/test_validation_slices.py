"""pyrudof runs in groups of shapes, each on the slice of the data its shapes can reach.

What a shape can read follows SHACL 1.0: core constraints follow the property paths the
shapes graph names, and class membership is ``rdf:type`` / ``rdfs:subClassOf`` (§3.1);
a SPARQL constraint reads what its patterns match (SPARQL 1.1 §18). The reference for the
findings is pyshacl on the whole data, as everywhere else.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from test_validation_real import PROVENANCE

import metrokg.checks.validate as validation
from metrokg.checks import Finding, load_shapes, validate_shapes
from metrokg.checks.reach import group_shapes, only_targets, reach, targeted
from metrokg.checks.terms import data_graphs
from metrokg.namespaces import ADMS, RDF, RDFS, SH
from metrokg.outputs.build import assemble
from metrokg.paths import ProjectPaths, default_paths
from metrokg.records.synthetic import break_elements, generate

EX = "http://example.org/"
PREFIXES = f"""@prefix sh: <{SH}> . @prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _shapes(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def _sparql(select: str) -> Graph:
    return _shapes(f'ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparql [ sh:select """'
                   f'{select}""" ] .')


def test_reach_is_the_paths_and_the_class_predicates() -> None:
    shapes = _shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ;"
                     " sh:property [ sh:path ( ex:p [ sh:inversePath ex:q ] ) ; sh:class ex:D ] .")
    found = reach(shapes, URIRef(EX + "S"))
    assert found is not None
    assert {URIRef(EX + "p"), URIRef(EX + "q"), URIRef(str(RDF.type)),
            URIRef(str(RDFS.subClassOf))} <= found
    assert URIRef(EX + "r") not in found


def test_reach_follows_the_shapes_a_shape_names() -> None:
    shapes = _shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ;"
                     " sh:property [ sh:path ex:p ; sh:node ex:T ] ."
                     " ex:T a sh:NodeShape ; sh:property [ sh:path ex:deep ; sh:minCount 1 ] .")
    assert URIRef(EX + "deep") in (reach(shapes, URIRef(EX + "S")) or set())


def test_reach_reads_the_patterns_inside_exists_in_an_optional() -> None:
    shapes = _sparql("SELECT $this WHERE { $this <http://example.org/p> ?v "
                     "OPTIONAL { ?v <http://example.org/q> ?w "
                     "FILTER (EXISTS { ?w <http://example.org/inside> ?x }) } }")
    found = reach(shapes, URIRef(EX + "S")) or set()
    assert {URIRef(EX + "p"), URIRef(EX + "q"), URIRef(EX + "inside")} <= found


def test_reach_of_the_reconciliation_check_has_the_status_it_filters_on() -> None:
    shapes = load_shapes(default_paths().shapes)
    shape = URIRef("https://w3id.org/metrokg/def/shapes/S50-stated-total-reconciliation")
    assert URIRef(str(ADMS.status)) in (reach(shapes, shape) or set())


@pytest.mark.parametrize("select", [
    "SELECT $this WHERE { $this ?anything ?v }",
    "SELECT $this WHERE { $this !<http://example.org/p> ?v }",
    "SELECT $this WHERE { GRAPH ?g { $this <http://example.org/p> ?v } }",
    "SELECT $this WHERE { $this <http://example.org/p> ?v . FILTER (NOT EXISTS { ?v ?q ?w }) }",
    "this is not SPARQL",
], ids=["variable", "negated", "graph", "variable-in-exists", "unparsable"])
def test_a_query_that_can_read_any_predicate_has_unbounded_reach(select: str) -> None:
    assert reach(_sparql(select), URIRef(EX + "S")) is None


def test_a_closed_shape_has_unbounded_reach() -> None:
    shapes = _shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ;"
                     " sh:property [ sh:path ex:p ] .")
    assert reach(shapes, URIRef(EX + "S")) is None


def test_groups_cover_every_targeted_shape_once() -> None:
    shapes = load_shapes(default_paths().shapes)
    for count in (1, 3, 6, 1000):
        groups = group_shapes(shapes, count, {})
        members = [s for g in groups for s in g.shapes]
        assert sorted(members, key=str) == targeted(shapes)
        assert len(groups) == min(count, len(members))


def test_a_shape_of_unbounded_reach_runs_on_all_data() -> None:
    shapes = _shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true ."
                     " ex:T a sh:NodeShape ; sh:targetClass ex:C ;"
                     " sh:property [ sh:path ex:p ; sh:minCount 1 ] .")
    groups = group_shapes(shapes, 6, {})
    assert [(g.shapes, g.predicates is None) for g in groups] == [
        ((URIRef(EX + "S"),), True), ((URIRef(EX + "T"),), False)]


def test_only_targets_keeps_the_other_shapes_without_their_targets() -> None:
    shapes = _shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:T ."
                     " ex:T a sh:NodeShape, rdfs:Class ; sh:targetNode ex:n ;"
                     " sh:property [ sh:path ex:p ; sh:minCount 1 ] .")
    text = only_targets(shapes.serialize(format="nt"), [URIRef(EX + "S")])
    part = Graph().parse(data=text, format="nt")
    assert targeted(part) == [URIRef(EX + "S")]
    assert len(part) == len(shapes) - 2  # T's sh:targetNode and its rdfs:Class type


@pytest.fixture(scope="module")
def broken() -> tuple[ox.Store, Graph, tuple[Finding, ...]]:
    """A synthetic graph three times the real one's records, broken, and pyshacl's findings."""
    with tempfile.TemporaryDirectory() as folder:
        paths = ProjectPaths(generate(Path(folder) / "project", scale=3, seed=11))
        store = assemble(paths).store
        shapes = load_shapes(paths.shapes)
    assert break_elements(store)
    reference = validate_shapes(store, shapes, provenance=str(PROVENANCE), engine="pyshacl")
    assert {f.rule for f in reference.findings} >= {"S11-element-plan", "S13-element-text",
                                                    "S16-status"}
    return store, shapes, reference.findings


@pytest.mark.parametrize("groups", [1, 2, 1000], ids=["one-run", "two-runs", "one-per-shape"])
def test_runs_in_slices_give_pyshacls_findings(
        broken: tuple[ox.Store, Graph, tuple[Finding, ...]], groups: int,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store, shapes, reference = broken
    monkeypatch.setattr(validation, "GROUPS", groups)
    monkeypatch.setattr(validation, "PER_RUN", 1)  # as many runs as GROUPS, at any size
    result = validate_shapes(store, shapes, provenance=str(PROVENANCE), engine="rudof")
    assert result.findings == reference  # keys, paths, values, messages and records
    heads = list(result.report.subjects(RDF.type, SH.ValidationReport))
    assert len(heads) == 1
    assert not result.report.value(heads[0], SH.conforms).toPython()  # type: ignore[union-attr]


def test_slices_are_removed_after_validation(
        broken: tuple[ox.Store, Graph, tuple[Finding, ...]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store, shapes, _ = broken
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(validation, "PER_RUN", 1)
    validate_shapes(store, shapes, provenance=str(PROVENANCE), engine="rudof")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("groups", "per_run", "runs"), [(6, 100_000, 1), (2, 1, 2), (6, 1, 6)])
def test_the_number_of_runs_is_bounded_and_follows_the_store_size(
        broken: tuple[ox.Store, Graph, tuple[Finding, ...]], tmp_path: Path, groups: int,
        per_run: int, runs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A store under PER_RUN quads (this one has ~40k) is one run on all its data."""
    store, shapes, _ = broken
    monkeypatch.setattr(validation, "GROUPS", groups)
    monkeypatch.setattr(validation, "PER_RUN", per_run)
    graphs = data_graphs(store, str(PROVENANCE))
    made = validation._runs(store, shapes, graphs, str(PROVENANCE), tmp_path)
    assert len(made) == runs
    if runs == 1:
        assert [p.name for p in made[0][0]] == ["all.nt"]
