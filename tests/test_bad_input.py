"""Bad input: one line naming file, record and field; a non-zero exit; earlier outputs kept.

Each case runs the real CLI in-process on a copy of the project that already holds a
good build, breaks one thing, and checks the message, the exit code and that every
byte of the previous outputs is unchanged.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from metrokg.cli import main
from metrokg.outputs.store import open_store

DOC = "document: metropolis-triennial-report-2018-2020\n"
QUOTE = "L1M1D1 Calendario de acontecimientos internacionales"


@dataclass(frozen=True)
class Case:
    id: str
    apply: Callable[[Path], None]
    expect: tuple[str, ...]  # fragments the one-line message must contain
    code: int = 2


def _data_file(text: str, name: str = "zz-user.yaml") -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / "graph" / "data" / name).write_text(text, encoding="utf-8")
    return apply


def _records(body: str) -> Callable[[Path], None]:
    return _data_file(DOC + "records:\n" + body)


def _remove_source(root: Path) -> None:
    (root / "graph" / "sources" / "000_a2ecee93f355e90f.txt").unlink()


def _latin1_source(root: Path) -> None:
    path = root / "graph" / "sources" / "003_29c15e5f8f697e43.txt"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


CASES = [
    Case("malformed-yaml", _data_file(DOC + "records:\n  - kind: plan\n   id: [unclosed\n"),
         ("zz-user.yaml:", "malformed YAML")),
    Case("unknown-organisation", _records(
        f"  - kind: involvement\n    organisation: atlantis\n    in: metropolis-action-plan-2018-2020\n"
        f"    role: partner\n    quote: \"{QUOTE}\"\n"),
         ("zz-user.yaml", "involvement atlantis", "field organisation", "unknown organisation")),
    Case("quote-not-found", _records(
        "  - kind: organisation\n    id: atlantis\n    type: city-network\n"
        "    name: {en: Atlantis}\n    quote: \"Atlantis joined the network in 2019\"\n"),
         ("zz-user.yaml", "organisation atlantis", "field quote", "quote not found")),
    Case("code-does-not-fit-parent", _records(
        "  - kind: element\n    plan: metropolis-action-plan-2018-2020\n    level: deliverable\n"
        f"    code: L1M2D9\n    parent: L1M1\n    text: {{es: X}}\n    status_mark: V\n"
        f"    quote: \"{QUOTE}\"\n"),
         ("zz-user.yaml", "L1M2D9", "field code", "does not fit its parent L1M1")),
    Case("code-looks-nested-but-is-not", _data_file(
        "document: amb-pam-international-relations\nrecords:\n  - kind: element\n"
        "    plan: amb-pam-2015-2019\n    level: action\n    code: \"1.10\"\n    parent: \"1.1\"\n"
        "    text: {ca: X}\n    quote: \"Objectiu 1.1\"\n"),
         ("zz-user.yaml", "1.10", "field code", "does not fit its parent 1.1")),
    Case("duplicate-iri", _records(
        "  - kind: organisation\n    id: metropolis\n    type: city-network\n"
        f"    name: {{en: Metropolis}}\n    quote: \"{QUOTE}\"\n"),
         ("zz-user.yaml", "organisation metropolis", "field id", "duplicate IRI")),
    Case("sdg-out-of-range", _records(
        "  - kind: sdg\n    subject: metropolis-action-plan-2018-2020\n    relation: aligned\n"
        f"    goals: [18]\n    quote: \"{QUOTE}\"\n"),
         ("zz-user.yaml", "field goals", "outside 1-17")),
    Case("malformed-sdg-target", _records(
        "  - kind: sdg\n    subject: metropolis-action-plan-2018-2020\n    relation: aligned\n"
        f"    targets: [\"11.3x\"]\n    quote: \"{QUOTE}\"\n"),
         ("zz-user.yaml", "field targets", "malformed SDG target")),
    Case("unsupported-language", _records(
        "  - kind: organisation\n    id: atlantis\n    type: city-network\n"
        f"    name: {{fr: Atlantide}}\n    quote: \"{QUOTE}\"\n"),
         ("zz-user.yaml", "organisation atlantis", "field name", "language tag 'fr'")),
    Case("source-missing", _remove_source, ("documents.yaml", "000_a2ecee93f355e90f.txt",
                                            "missing")),
    Case("source-not-utf8", _latin1_source, ("003_29c15e5f8f697e43.txt", "not UTF-8")),
    Case("data-not-utf8", lambda root: (root / "graph" / "data" / "zz-user.yaml").write_bytes(
        (DOC + "records: []\n# caf\xe9\n").encode("latin-1")), ("zz-user.yaml", "not UTF-8")),
    Case("malformed-csv-ragged-row", _data_file(
        "kind,id,type,name.en,document,quote\n"
        f"organisation,atlantis,city-network,Atlantis,metropolis-triennial-report-2018-2020,{QUOTE},extra\n",
        "zz-user.csv"), ("zz-user.csv:2", "row has 7 cells, the header 6")),
    Case("malformed-csv-unclosed-quote", _data_file(
        "kind,id,quote\norganisation,atlantis,\"never closed\n", "zz-user.csv"),
         ("zz-user.csv", "malformed CSV")),
    Case("unknown-field", _records(
        "  - kind: organisation\n    id: atlantis\n    typ: city-network\n"
        f"    name: {{en: Atlantis}}\n    quote: \"{QUOTE}\"\n"),
         ("zz-user.yaml", "field typ", "unknown field")),
]


def _snapshot(dist: Path) -> dict[str, str]:
    """Digests of the published files, and the published store's quads."""
    out = dist / "graph"
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(out.iterdir())
             if p.is_file()}
    quads = sorted(str(q) for q in open_store(output=out.resolve()))
    return {**files, "store": hashlib.sha256("\n".join(quads).encode()).hexdigest()}


@pytest.fixture(scope="module")
def project(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with a good build in its dist/."""
    root = tmp_path_factory.mktemp("project")
    for folder in ("graph", "ontology", "shapes", "queries"):
        if (project_root / folder).is_dir():
            shutil.copytree(project_root / folder, root / folder)
    (root / "pyproject.toml").write_text("[project]\nname = 'copy'\n", encoding="utf-8")
    assert main(["build", "--project", str(root), "--quiet"]) == 0
    return root


@pytest.fixture
def pristine(project: Path) -> Iterator[Path]:
    """Restore graph/ after each case."""
    backup = project.parent / (project.name + "-graph-backup")
    shutil.copytree(project / "graph", backup, dirs_exist_ok=True)
    yield project
    shutil.rmtree(project / "graph")
    shutil.copytree(backup, project / "graph")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, pristine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(pristine / "dist")
    case.apply(pristine)
    code = main(["build", "--project", str(pristine), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == case.code
    assert len(err.splitlines()) == 1, err
    assert "Traceback" not in err
    for fragment in case.expect:
        assert fragment in err, f"{fragment!r} not in {err!r}"
    assert _snapshot(pristine / "dist") == before


def test_csv_records_build(pristine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (pristine / "graph" / "data" / "zz-user.csv").write_text(
        "kind,id,type,name.en,alt.en,document,quote\n"
        f"organisation,atlantis,city-network,Atlantis,ATL|Atl.,metropolis-triennial-report-2018-2020,{QUOTE}\n",
        encoding="utf-8")
    assert main(["build", "--project", str(pristine), "--quiet"]) == 0
    turtle = Graph().parse(pristine / "dist" / "graph" / "metrokg.ttl", format="turtle")
    assert (URIRef("https://w3id.org/metrokg/id/org/atlantis"), SKOS.altLabel,
            Literal("ATL", lang="en")) in turtle


def test_validate_names_the_users_file(pristine: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A user's own file validated on its own: a clean file passes with exit 0
    own = pristine / "mine.yaml"
    own.write_text(DOC + "records:\n  - kind: organisation\n    id: atlantis\n"
                   "    type: city-network\n    name: {en: Atlantis}\n"
                   f"    quote: \"{QUOTE}\"\n", encoding="utf-8")
    assert main(["validate", str(own), "--project", str(pristine), "--quiet"]) == 0
    assert "conforms" in capsys.readouterr().out
