"""The build: deterministic, atomic, and its outputs agree with one another."""

from __future__ import annotations

import fcntl
import hashlib
import importlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import OWL, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

import metrokg
from metrokg.cli import main
from metrokg.outputs.build import OUTPUT_FILES, BuildResult, build
from metrokg.outputs.dumps import sorted_quads
from metrokg.outputs.store import open_store, store_stats
from metrokg.paths import STORE_DIR, ProjectPaths


def _digests(folder: Path) -> dict[str, str]:
    """Digest of each output file (the store folder is compared by its quads)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.is_file()}


def _store_quads(folder: Path) -> set[str]:
    return {str(q) for q in open_store(output=folder)}


def test_every_output_is_written(built: BuildResult) -> None:
    names = {p.name for p in built.output.iterdir()}
    assert names == set(OUTPUT_FILES.values()) | {STORE_DIR}
    assert (built.output / STORE_DIR).is_dir()


def test_same_inputs_give_byte_identical_outputs(built: BuildResult, project_root: Path,
                                                 tmp_path: Path) -> None:
    # a second build in another process with another hash seed
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    code = ("import sys; from pathlib import Path; from metrokg.outputs.build import build; "
            "from metrokg.paths import ProjectPaths; "
            "build(ProjectPaths(Path(sys.argv[1]), dist_dir=Path(sys.argv[2])))")
    subprocess.run([sys.executable, "-c", code, str(project_root), str(tmp_path)], check=True,
                   env=env, timeout=300)
    assert _digests(tmp_path / "graph") == _digests(built.output)


def test_trig_and_nquads_hold_the_same_dataset(built: BuildResult) -> None:
    def quads(path: Path, fmt: str) -> set[tuple[object, ...]]:
        ds = Dataset()
        ds.parse(path, format=fmt)
        return {(s, p, o, getattr(g, "identifier", g)) for s, p, o, g in ds.quads()}
    assert quads(built.files["dataset_trig"], "trig") == \
        quads(built.files["dataset_nquads"], "nquads")


def test_turtle_and_jsonld_hold_the_same_graph(built: BuildResult) -> None:
    turtle = Graph().parse(built.files["graph_turtle"], format="turtle")
    jsonld = Graph().parse(built.files["graph_jsonld"], format="json-ld")
    assert len(turtle) > 4000
    assert isomorphic(turtle, jsonld)


def test_ontology_output_carries_the_version(built: BuildResult) -> None:
    graph = Graph().parse(built.files["ontology"], format="turtle")
    stamp = metrokg.mapping.ontology.version()
    ontology = URIRef("https://w3id.org/metrokg/def")
    assert (ontology, OWL.versionInfo, Literal(stamp)) in graph
    assert (ontology, OWL.versionIRI,
            URIRef(f"https://w3id.org/metrokg/def/version/{stamp}")) in graph


def test_summary_counts(built: BuildResult) -> None:
    summary = json.loads(built.files["summary_json"].read_text(encoding="utf-8"))
    # the Metropolis report's itemised statuses (see test_plan_counts for the derivation)
    assert summary["by_status"]["metropolis-action-plan-2018-2020"] == {
        "achieved": 49, "in-progress": 10, "not-developed": 6}
    assert summary["by_class"]["mkg:Deliverable"] == 65


def test_failed_build_keeps_previous_outputs(built_paths: ProjectPaths, built: BuildResult,
                                             monkeypatch: pytest.MonkeyPatch,
                                             tmp_path: Path) -> None:
    paths = ProjectPaths(built_paths.root, dist_dir=tmp_path)
    first = build(paths)
    before = _digests(first.output)

    quads = _store_quads(first.output)
    dumps = importlib.import_module("metrokg.outputs.dumps")
    write = dumps.write

    def interrupted(items: object, path: Path, *args: object, **kwargs: object) -> None:
        write(items, path, *args, **kwargs)
        if path.suffix == ".jsonld":
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-write

    monkeypatch.setattr(dumps, "write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(paths)
    assert _digests(paths.output) == before
    assert _store_quads(paths.output) == quads
    assert not list((tmp_path / ".builds").glob("staging-*"))


def test_store_counts(built: BuildResult) -> None:
    stats = store_stats(open_store(dump=built.files["dataset_nquads"]))
    assert stats.plan_elements["Deliverable"] == 65
    assert stats.plan_elements["Action"] == 42
    assert stats.plans >= 5


def test_stats_without_a_build_says_what_to_do(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--project", str(tmp_path)]) == 4
    assert "run `metrokg build` first" in capsys.readouterr().err


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for code in ("0 ", "2 ", "3 ", "4 ", "5 "):
        assert f"\n  {code}" in out


def test_public_api_is_complete() -> None:
    public = {name for name in dir(metrokg) if not name.startswith("_")}
    modules = {name for name in public if isinstance(getattr(metrokg, name), type(metrokg))}
    assert set(metrokg.__all__) == public - modules


# ---------------------------------------------------------------- the store beside the dumps


def test_store_holds_exactly_the_dump(built: BuildResult) -> None:
    """The on-disk store and the N-Quads dump are one dataset."""
    dumped = ox.Store()
    dumped.bulk_load(path=str(built.files["dataset_nquads"]), format=ox.RdfFormat.N_QUADS)
    assert _store_quads(built.output) == {str(q) for q in dumped}


def test_dump_survives_the_store_unchanged(built: BuildResult) -> None:
    """Every literal of the dump comes back from the store as written (no derived datatype
    or non-canonical form that Oxigraph would rewrite): dump → store → dump is the same."""
    text = built.files["dataset_nquads"].read_bytes()
    store = ox.Store()
    store.load(text, format=ox.RdfFormat.N_QUADS)
    again = ox.serialize(sorted_quads(store), format=ox.RdfFormat.N_QUADS)
    assert again == text
    assert b"nonNegativeInteger>" not in text


def test_mapping_writes_only_literals_the_store_keeps(project_root: Path) -> None:
    """What the mapping emits is what Oxigraph stores, literal for literal."""
    from metrokg.mapping import Vocabulary, map_records
    from metrokg.mapping.ontology import ontology_triples
    from metrokg.outputs.build import SDG_CITATION  # noqa: F401 - the build module is importable
    from metrokg.records import load_records
    from metrokg.records.sources import load_documents

    paths = ProjectPaths(project_root)
    documents = load_documents(paths.documents)
    records = load_records(paths.data, documents)
    sdg = list(ox.parse(path=str(paths.sdg_kos), format=ox.RdfFormat.TURTLE))
    quads = list(map_records(records, documents,
                             Vocabulary.from_triples(ontology_triples(paths.ontology), sdg),
                             base="https://w3id.org/metrokg/"))
    store = ox.Store()
    store.extend(quads)
    assert {str(q) for q in store} == {str(q) for q in quads}
    assert any(isinstance(q.object, ox.Literal) and q.object.datatype.value.endswith("#integer")
               for q in quads)


def test_store_is_opened_read_only(built: BuildResult) -> None:
    store = open_store(output=built.output)
    with pytest.raises((OSError, RuntimeError)):
        store.update("INSERT DATA { GRAPH <urn:x:g> { <urn:x:s> <urn:x:p> <urn:x:o> } }")


def test_cli_reads_the_store_not_the_dump(built: BuildResult, built_paths: ProjectPaths,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """`metrokg stats` answers from the store even when the dump is gone."""
    link = built_paths.output
    copy = built_paths.dist / "copy"
    shutil.copytree(link.resolve(), copy)
    (copy / "metrokg.nq").unlink()
    project = built_paths.dist / "project"
    project.mkdir(exist_ok=True)
    (project / "dist").mkdir(exist_ok=True)
    graph = project / "dist" / "graph"
    if not graph.exists():
        graph.symlink_to(copy)
    assert main(["stats", "--project", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["plan_elements"]["Deliverable"] == 65


# ---------------------------------------------------------------- interrupted builds


def test_next_build_removes_stale_staging_but_not_a_running_one(
        built_paths: ProjectPaths, tmp_path: Path) -> None:
    builds = tmp_path / ".builds"
    builds.mkdir()
    stale = builds / "staging-killed"  # its build died: the lock file is free
    stale.mkdir()
    (stale / ".lock").write_text("12345\n")
    running = builds / "staging-running"  # another build holds its lock
    running.mkdir()
    with open(running / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        build(ProjectPaths(built_paths.root, dist_dir=tmp_path))
        assert not stale.exists()
        assert running.is_dir()
    assert [p.name for p in builds.glob("staging-*")] == ["staging-running"]


_KILLER = """
import sys
from pathlib import Path
from metrokg.outputs.build import build
from metrokg.paths import ProjectPaths
build(ProjectPaths(Path(sys.argv[1]), dist_dir=Path(sys.argv[2])))
"""


def test_killed_builds_leave_previous_outputs_and_store_exactly_as_they_were(
        tmp_path: Path) -> None:
    """kill -9 at several moments of a synthetic build several times the seed size."""
    from metrokg.records.synthetic import generate

    project = generate(tmp_path / "project", scale=3, seed=1)
    dist = tmp_path / "dist"
    first = build(ProjectPaths(project, dist_dir=dist))
    before, quads = _digests(first.output), _store_quads(first.output)
    target = os.readlink(dist / "graph")
    (project / "graph" / "data" / "changed.yaml").write_text(
        "records:\n  - kind: facts\n    about: syn00000-net\n"
        "    homepage: https://example.org/changed\n"
        "    url: https://example.org/changed\n    as_of: \"2026-11\"\n")
    # what a build of the changed project publishes (builds are byte-identical)
    reference = build(ProjectPaths(project, dist_dir=tmp_path / "reference"))
    after, after_quads = _digests(reference.output), _store_quads(reference.output)
    assert after != before
    rng = random.Random(5)
    for _ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", _KILLER, str(project), str(dist)])
        time.sleep(rng.uniform(0.5, 4.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        if os.readlink(dist / "graph") != target:
            # published before the kill landed: then it is the whole new build
            assert _digests(dist / "graph") == after
            assert _store_quads(dist / "graph") == after_quads
            break
        assert proc.returncode != 0
        assert _digests(dist / "graph") == before
        assert _store_quads(dist / "graph") == quads
    # the next build cleans up what the killed ones left and publishes
    build(ProjectPaths(project, dist_dir=dist))
    assert not list((dist / ".builds").glob("staging-*"))
    assert os.readlink(dist / "graph") != target
    assert _digests(dist / "graph") == after


# ---------------------------------------------------------------- lazy imports

_MODULES = """
import sys
from metrokg.cli import main
code = 0
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
heavy = [m for m in ("pyshacl", "networkx") if m in sys.modules]
print("HEAVY", heavy, code)
"""


@pytest.mark.parametrize("argv", [["--help"], ["query", "member-count", "-p", "org=metropolis"],
                                  ["stats"]], ids=["help", "query", "stats"])
def test_cli_does_not_import_pyshacl_or_networkx(argv: list[str], built: BuildResult,
                                                 project_root: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "queries").symlink_to(project_root / "queries")
    (project / "dist").mkdir()
    (project / "dist" / "graph").symlink_to(built.output.resolve())
    args = argv if argv == ["--help"] else [*argv, "--project", str(project)]
    out = subprocess.run([sys.executable, "-c", _MODULES, *args], capture_output=True,
                         text=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "HEAVY [] 0", out.stdout + out.stderr


def test_command_line_choices_match_the_analysis() -> None:
    from metrokg.analysis.measures import MEASURES
    from metrokg.analysis.network import LANGUAGES
    from metrokg.cli import common
    from metrokg.outputs.explorer import COLOUR_BY

    assert tuple(MEASURES) == common.MEASURES
    assert tuple(COLOUR_BY) == common.COLOUR_BY
    assert tuple(LANGUAGES) == common.LANGUAGES


def test_catalogue_is_parsed_once_per_process(project_root: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from metrokg.queries import catalogue

    folder = tmp_path / "queries"
    shutil.copytree(project_root / "queries", folder)
    parsed: list[Path] = []
    parse = catalogue.parse_entry

    def counting(path: Path) -> catalogue.CatalogueEntry:
        parsed.append(path)
        return parse(path)

    monkeypatch.setattr(catalogue, "parse_entry", counting)
    first = catalogue.load_catalogue(folder)
    n = len(parsed)
    assert n == len(list(folder.glob("*.rq"))) > 20
    assert catalogue.load_catalogue(folder) == first
    assert len(parsed) == n  # not parsed again
    edited = folder / "member-count.rq"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    catalogue.load_catalogue(folder)
    assert len(parsed) == 2 * n  # a changed file is seen


@pytest.mark.parametrize("where", ["dist-is-a-file", "graph-is-a-folder"])
def test_unwritable_output_is_bad_input_not_a_crash(where: str, built_paths: ProjectPaths,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for name in ("graph", "ontology", "shapes", "queries"):
        (project / name).symlink_to(built_paths.root / name)
    if where == "dist-is-a-file":
        (project / "dist").write_text("mine")
    else:
        (project / "dist" / "graph").mkdir(parents=True)
        (project / "dist" / "graph" / "mine.txt").write_text("mine")
    assert main(["build", "--project", str(project), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert str(project / "dist") in err
    if where == "dist-is-a-file":
        assert (project / "dist").read_text() == "mine"
    else:
        assert [p.name for p in (project / "dist" / "graph").iterdir()] == ["mine.txt"]
        assert not list((project / "dist" / ".builds").glob("staging-*"))
