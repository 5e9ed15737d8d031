"""The SHACL shapes against their examples (shapes/examples/Snn-valid.ttl, Snn-invalid-NN.ttl).

Each example is validated the way the build validates the real graph: in an Oxigraph
store, together with the ontology graph (classes, concept schemes) and the UN SDG graph,
by each engine. A valid example gives no finding at all; an invalid one gives exactly
the results its ``# focus:`` header lines name (written from what the file was made to
break): one per focus node, of the shape its file name names, with that shape's
severity — and nothing else but the ``# also:`` results of other shapes that the defect
cannot help breaking. Both engines give the same findings on every example.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from metrokg.checks import ValidationResult, load_shapes, validate_shapes
from metrokg.checks.graphs import validate_graph
from metrokg.checks.shapes import rudof_can_run
from metrokg.errors import InputError
from metrokg.mapping.ontology import load_ontology
from metrokg.namespaces import SH
from metrokg.paths import ProjectPaths

ROOT = Path(__file__).resolve().parents[1]
PATHS = ProjectPaths(ROOT)
EXAMPLES = sorted((PATHS.shapes / "examples").glob("S*.ttl"))
VALID = [p for p in EXAMPLES if p.stem.endswith("-valid")]
INVALID = [p for p in EXAMPLES if "-invalid-" in p.stem]
SHAPES_NS = "https://w3id.org/metrokg/def/shapes/"
SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}
ENGINES = ("pyshacl", "rudof")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PATHS.shapes)


@pytest.fixture(scope="module")
def context() -> bytes:
    """What the build validates alongside the data: the ontology and the UN SDG graphs."""
    graph = load_ontology(PATHS.ontology)
    graph.parse(PATHS.sdg_kos, format="turtle")
    return graph.serialize(format="nt", encoding="utf-8")


def _shape_ids(shapes: Graph) -> dict[str, URIRef]:
    ids: dict[str, URIRef] = {}
    for node in set(shapes.subjects()):
        if isinstance(node, URIRef) and node.startswith(SHAPES_NS):
            match = re.match(r"(S\d\d)-", node[len(SHAPES_NS):])
            if match:
                ids[match.group(1)] = node
    return ids


def _validate(example: Path, shapes: Graph, context: bytes, engine: str) -> ValidationResult:
    store = ox.Store()
    store.load(context, format=ox.RdfFormat.N_TRIPLES)
    store.load(path=example, format=ox.RdfFormat.TURTLE)
    return validate_shapes(store, shapes, engine=engine)


def _foci(example: Path) -> set[str]:
    return set(re.findall(r"^# focus: (\S+)$", example.read_text(encoding="utf-8"), re.M))


def _also(example: Path, shapes: Graph) -> set[tuple[str, str, str]]:
    """Results of other shapes the example cannot help breaking (``# also: Snn-id IRI``)."""
    found = set()
    for rule, focus in re.findall(r"^# also: (S\d\d-[a-z0-9-]+) (\S+)",
                                  example.read_text(encoding="utf-8"), re.M):
        shape = URIRef(SHAPES_NS + rule)
        found.add((focus, rule, SEVERITY[shapes.value(shape, SH.severity)]))  # type: ignore[index]
    return found


def test_there_are_examples() -> None:
    assert len(VALID) >= 40 and len(INVALID) >= 60


def test_every_shape_has_a_valid_and_an_invalid_example(shapes: Graph) -> None:
    ids = set(_shape_ids(shapes))
    assert ids == {p.stem[:3] for p in VALID}
    assert ids == {p.stem[:3] for p in INVALID}


def test_every_shape_has_message_in_english_and_a_severity(shapes: Graph) -> None:
    for sid, shape in sorted(_shape_ids(shapes).items()):
        messages = [*shapes.objects(shape, SH.message),
                    *(m for c in shapes.objects(shape, SH.sparql) for m in shapes.objects(c, SH.message))]
        assert any(getattr(m, "language", None) == "en" for m in messages), sid
        assert shapes.value(shape, SH.severity) in SEVERITY, sid


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_first_line_says_why(example: Path) -> None:
    first = example.read_text(encoding="utf-8").splitlines()[0]
    kind = "valid" if example.stem.endswith("-valid") else "invalid"
    assert re.match(rf"# {kind}\b.*: \S", first), first


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", VALID, ids=[p.stem for p in VALID])
def test_valid_example_conforms(example: Path, engine: str, shapes: Graph,
                                context: bytes) -> None:
    result = _validate(example, shapes, context, engine)
    assert result.conforms
    assert [f.line() for f in result.findings] == []


@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_names_its_focus_nodes(example: Path) -> None:
    assert _foci(example), f"{example.name} has no `# focus:` line"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_gives_exactly_its_report(example: Path, engine: str, shapes: Graph,
                                                  context: bytes) -> None:
    shape = _shape_ids(shapes)[example.stem[:3]]
    rule = shape[len(SHAPES_NS):]
    severity = SEVERITY[shapes.value(shape, SH.severity)]  # type: ignore[index]
    result = _validate(example, shapes, context, engine)
    expected = {(focus, rule, severity) for focus in _foci(example)} | _also(example, shapes)
    assert {f.key() for f in result.findings} == expected, result.text()
    assert all(f.message and not re.search(r"\{[$?]\w+\}", f.message)
               for f in result.findings), result.text()


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_engines_give_the_same_findings(example: Path, shapes: Graph, context: bytes) -> None:
    """Not only (focus, shape, severity): the same path, value, message and record too."""
    reference, fast = (_validate(example, shapes, context, e).findings for e in ENGINES)
    assert fast == reference


def test_auto_uses_pyshacl_for_what_pyrudof_cannot_run(shapes: Graph) -> None:
    assert rudof_can_run(shapes)
    custom = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/C> a sh:ConstraintComponent ;
            sh:parameter [ sh:path <https://example.org/p> ] .""")
    assert not rudof_can_run(custom)


def test_readme_lists_every_shape(shapes: Graph) -> None:
    listed = set(re.findall(r"^\| `(S\d\d-[a-z0-9-]+)` \|",
                            (PATHS.shapes / "README.md").read_text(encoding="utf-8"), re.M))
    assert listed == {str(s)[len(SHAPES_NS):] for s in _shape_ids(shapes).values()}


def test_a_shapes_file_that_does_not_parse_is_named(tmp_path: Path) -> None:
    (tmp_path / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                                         "<https://example.org/S1> a sh:NodeShape ;\n",
                                         encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.ttl: shapes file does not parse"):
        load_shapes(tmp_path)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_shape_the_engine_cannot_run_is_an_input_error(engine: str) -> None:
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/S1> a sh:PropertyShape ; sh:targetNode <https://example.org/a> ;
            sh:path <https://example.org/p> ; sh:minCount "one" .""")
    with pytest.raises(InputError, match="a shape cannot be run"):
        validate_graph(Graph(), shapes, engine=engine)


def test_an_unknown_engine_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown validation engine 'fast'"):
        validate_graph(Graph(), Graph(), engine="fast")
