"""The SHACL shapes against their examples (shapes/examples/Snn-valid.ttl, Snn-invalid-NN.ttl).

Each example is validated the way the build validates the real graph: together with the
ontology graph (classes, concept schemes) and the UN SDG graph. A valid example gives no
finding at all; an invalid one gives a result of the shape its file name names, with that
shape's severity, and no Violation from any other shape.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from metrokg.errors import InputError
from metrokg.namespaces import SH
from metrokg.ontology import load_ontology
from metrokg.paths import ProjectPaths
from metrokg.validate import ValidationResult, load_shapes, validate_graph

ROOT = Path(__file__).resolve().parents[1]
PATHS = ProjectPaths(ROOT)
EXAMPLES = sorted((PATHS.shapes / "examples").glob("S*.ttl"))
VALID = [p for p in EXAMPLES if p.stem.endswith("-valid")]
INVALID = [p for p in EXAMPLES if "-invalid-" in p.stem]
SHAPES_NS = "https://w3id.org/metrokg/def/shapes/"
SEVERITY = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(PATHS.shapes)


@pytest.fixture(scope="module")
def context() -> Graph:
    """What the build validates alongside the data: the ontology and the UN SDG graphs."""
    graph = load_ontology(PATHS.ontology)
    graph.parse(PATHS.sdg_kos, format="turtle")
    return graph


def _shape_ids(shapes: Graph) -> dict[str, URIRef]:
    ids: dict[str, URIRef] = {}
    for node in set(shapes.subjects()):
        if isinstance(node, URIRef) and node.startswith(SHAPES_NS):
            match = re.match(r"(S\d\d)-", node[len(SHAPES_NS):])
            if match:
                ids[match.group(1)] = node
    return ids


def _validate(example: Path, shapes: Graph, context: Graph) -> ValidationResult:
    data = Graph()
    for triple in context:
        data.add(triple)
    data.parse(example, format="turtle")
    return validate_graph(data, shapes)


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


@pytest.mark.parametrize("example", VALID, ids=[p.stem for p in VALID])
def test_valid_example_conforms(example: Path, shapes: Graph, context: Graph) -> None:
    result = _validate(example, shapes, context)
    assert result.conforms
    assert [f.line() for f in result.findings] == []


@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_breaks_its_shape(example: Path, shapes: Graph, context: Graph) -> None:
    shape = _shape_ids(shapes)[example.stem[:3]]
    rule = shape[len(SHAPES_NS):]
    severity = SEVERITY[shapes.value(shape, SH.severity)]  # type: ignore[index]
    result = _validate(example, shapes, context)
    assert any(f.rule == rule and f.severity == severity for f in result.findings), \
        result.text()
    others = [f.line() for f in result.findings if f.severity == "Violation" and f.rule != rule]
    assert others == []


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


def test_a_shape_pyshacl_cannot_run_is_an_input_error() -> None:
    shapes = Graph().parse(format="turtle", data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/S1> a sh:PropertyShape ; sh:targetNode <https://example.org/a> ;
            sh:path <https://example.org/p> ; sh:minCount "one" .""")
    with pytest.raises(InputError, match="a shape cannot be run"):
        validate_graph(Graph(), shapes)
