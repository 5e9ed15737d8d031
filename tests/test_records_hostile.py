"""Hostile record files, as an attacker would write them: a catalogue of cases with
expected outcomes (tests/hostile/records/cases.toml), like the W3C negative tests.

Every case runs through the real CLI twice — `metrokg validate FILE` with the file outside
the project, and `metrokg build` with the file added to graph/data/ — on a copy of the
project that already holds a good build. Each must exit 2 with exactly one line on stderr
holding the case's fragments (file:line, record, field, what is wrong), no traceback, no
"internal error", and leave every byte of the earlier dist/ outputs as it was. Cases marked
``isolated`` (alias bomb, deep nesting, 20 MB values) run in a subprocess whose
peak resident memory is read back (wait4) and must stay under 400 MiB, so "refused
with bounded memory" is checked, not assumed.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from metrokg.cli import main

HERE = Path(__file__).parent / "hostile" / "records"
RSS_LIMIT = 400 * 2**20  # peak resident memory of an isolated run; the alias bomb took 2.4 GB
ADDRESS_CAP = 4 * 2**30  # a safety net so a regression cannot take the machine down


def _alias_bomb() -> str:
    lines = ["records:", "  - kind: organisation", "    id: atlantis", "    alt:",
             "      en: &a [" + ", ".join(["lol"] * 9) + "]"]
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"      x{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _deep(depth: int) -> str:
    return ("records:\n  - kind: organisation\n    name: " + "[" * depth + "]" * depth
            + "\n")


GENERATORS: dict[str, Callable[[], str]] = {
    "alias_bomb": _alias_bomb,
    "deep_100": lambda: _deep(100),
    "deep_5000": lambda: _deep(5000),
    "name_20mb": lambda: ("records:\n  - kind: organisation\n    id: atlantis\n"
                          "    type: city-network\n    name: {en: \"" + "A" * (20 * 2**20)
                          + "\"}\n"),
    "id_10mb": lambda: ("records:\n  - kind: organisation\n    id: " + "a" * (10 * 2**20)
                        + "\n    type: city-network\n"),
    "csv_cell_200k": lambda: ("kind,id,type,name.en,url,as_of\norganisation,atlantis,"
                              "city-network," + "A" * 200_000 + ",https://example.org/a,"
                              "2026-11\n"),
}


@dataclass(frozen=True)
class Case:
    id: str
    file: str
    why: str
    expect: tuple[str, ...]
    generate: str | None = None
    isolated: bool = False

    def text(self) -> bytes:
        if self.generate is not None:
            # a generated file carries its reason in its first line, like the stored ones
            body = GENERATORS[self.generate]()
            return (body if self.file.endswith(".csv") else f"# why: {self.why}\n" + body
                    ).encode("utf-8")
        return (HERE / self.file).read_bytes()


def _cases() -> list[Case]:
    manifest = tomllib.loads((HERE / "cases.toml").read_text(encoding="utf-8"))
    return [Case(c["id"], c["file"], c["why"], tuple(c["expect"]), c.get("generate"),
                 c.get("isolated", False)) for c in manifest["case"]]


CASES = _cases()


def _snapshot(dist: Path) -> dict[str, str]:
    """Every published file (the store folder's too) with its digest."""
    out = (dist / "graph").resolve()
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def project(project_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with a good build in its dist/."""
    root = tmp_path_factory.mktemp("hostile-project")
    for folder in ("graph", "ontology", "shapes", "queries"):
        shutil.copytree(project_root / folder, root / folder)
    (root / "pyproject.toml").write_text("[project]\nname = 'copy'\n", encoding="utf-8")
    assert main(["build", "--project", str(root), "--quiet"]) == 0
    return root


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_CAP, ADDRESS_CAP))


def _run(argv: list[str], isolated: bool, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Run the CLI: in-process, or as `python -m metrokg` in a subprocess whose peak
    resident memory (from wait4) must stay under RSS_LIMIT."""
    if not isolated:
        code = main(argv)
        return code, capsys.readouterr().err
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    with tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen([sys.executable, "-m", "metrokg", *argv], env=env,
                                 stdout=subprocess.DEVNULL, stderr=err,
                                 preexec_fn=_cap_memory)
        deadline = time.monotonic() + 300  # a hang guard, not a timing
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                child.kill()
                pytest.fail(f"metrokg {argv[0]} did not finish")
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read()
    assert usage.ru_maxrss * 1024 < RSS_LIMIT, f"peak RSS {usage.ru_maxrss} KiB"
    return child.returncode, text


def _check(case: Case, command: str, code: int, err: str) -> None:
    lines = err.strip().splitlines()
    assert code == 2, err
    assert len(lines) == 1, err
    assert lines[0].startswith(f"metrokg {command}: error: "), err
    assert "Traceback" not in err and "internal error" not in err, err
    assert "\x1b" not in err and "\x07" not in err, "control characters reach the terminal"
    assert len(lines[0]) < 500, "the message echoes the hostile value"
    for fragment in case.expect:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate_refuses(case: Case, project: Path, user_dir: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(project / "dist")
    path = user_dir / case.file
    path.write_bytes(case.text())
    code, err = _run(["validate", str(path), "--project", str(project), "--quiet"],
                     case.isolated, capsys)
    _check(case, "validate", code, err)
    assert _snapshot(project / "dist") == before


@pytest.fixture
def data_file(project: Path) -> Iterator[Callable[[Case], Path]]:
    """Add one file to the project's graph/data/, removed again after the case."""
    added: list[Path] = []

    def add(case: Case) -> Path:
        path = project / "graph" / "data" / case.file
        path.write_bytes(case.text())
        added.append(path)
        return path
    yield add
    for path in added:
        path.unlink()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_build_refuses(case: Case, project: Path, data_file: Callable[[Case], Path],
                       capsys: pytest.CaptureFixture[str]) -> None:
    before = _snapshot(project / "dist")
    data_file(case)
    code, err = _run(["build", "--project", str(project), "--quiet"], case.isolated, capsys)
    capsys.readouterr()
    _check(case, "build", code, err)
    assert _snapshot(project / "dist") == before


def test_catalogue_size() -> None:
    # the issue asks for at least 40 record/CLI cases; each file in the folder is a case
    assert len(CASES) >= 40
    stored = {p.name for p in HERE.iterdir() if p.suffix in (".yaml", ".csv")}
    assert stored == {c.file for c in CASES if c.generate is None}


# ---------------------------------------------------------------- at scale

def _organisation(n: int) -> str:
    return (f"  - kind: organisation\n    id: org-{n:05d}\n    type: city-network\n"
            f"    name: {{en: Organisation {n}}}\n    url: https://example.org/org/{n}\n"
            f"    as_of: \"2026-11\"\n")


def test_50k_records_three_bad_all_reported(project: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A 50,000-record file with three bad records reports all three in one run."""
    bad = {
        1_234: ("    public: \"yes\"\n", "field public"),
        25_000: ("    founded_in: 1999\n", "field founded_in"),
        49_999: ("    alt: {en: [\"ESC\\e here\"]}\n", "field alt.en"),
    }
    parts, lines = ["records:\n"], {}
    line = 2
    for n in range(50_000):
        text = _organisation(n)
        if n in bad:
            text = text.replace("    url:", bad[n][0] + "    url:")
            lines[n] = line + text[:text.index(bad[n][0])].count("\n")
        parts.append(text)
        line += text.count("\n")
    path = tmp_path / "many.yaml"
    path.write_text("".join(parts), encoding="utf-8")
    code = main(["validate", str(path), "--project", str(project), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 3, err
    for message, (n, (_, field)) in zip(err, sorted(bad.items()), strict=True):
        assert f"many.yaml:{lines[n]}: record organisation org-{n:05d}, {field}:" in message


def test_problems_of_every_sort_reported_together(project: Path, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A field problem, a quote not in its document and a record citing no source: three
    lines, in file order, from one run."""
    path = tmp_path / "mixed.yaml"
    path.write_text(
        "document: metropolis-triennial-report-2018-2020\nrecords:\n"
        "  - kind: organisation\n    id: atlantis\n    type: city-network\n"
        "    name: {en: Atlantis}\n    public: \"no\"\n    quote: \"L1M1D1\"\n"
        "  - kind: organisation\n    id: lemuria\n    type: city-network\n"
        "    name: {en: Lemuria}\n    quote: \"Lemuria joined the network\"\n"
        "  - kind: person\n    id: ada\n    name: Ada\n", encoding="utf-8")
    code = main(["validate", str(path), "--project", str(project), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 3, err
    assert "mixed.yaml:7: record organisation atlantis, field public:" in err[0]
    assert "mixed.yaml:13: record organisation lemuria, field quote: quote not found" in err[1]
    assert "mixed.yaml:14: record person ada, field quote: a record cites exactly one" in err[2]


def test_long_lists_of_problems_are_cut(project: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("records:\n" + "".join(
        _organisation(n).replace("    url:", "    public: \"yes\"\n    url:")
        for n in range(150)), encoding="utf-8")
    assert main(["validate", str(path), "--project", str(project), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 101
    assert err[-1] == "metrokg validate: error: 50 more problems not shown"


def _sparse(tmp: Path) -> Path:
    path = tmp / "huge.yaml"
    with path.open("wb") as handle:
        handle.truncate(200 * 2**20 + 1)  # one byte over the limit, no disk used
    return path


PATHS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "device": (lambda tmp: Path("/dev/zero"), "/dev/zero: not a regular file"),
    "directory": (lambda tmp: tmp, ": not a regular file"),
    "missing": (lambda tmp: tmp / "nothing.yaml", "nothing.yaml: file not found"),
    "over-200-mib": (_sparse, "huge.yaml: the file is larger than 209,715,200 bytes"),
}


@pytest.mark.parametrize("name", PATHS)
def test_validate_refuses_paths(name: str, project: Path, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """Files that are not record files: refused before reading more than the limit."""
    make, fragment = PATHS[name]
    case = Case(name, name, name, (fragment,))
    code, err = _run(["validate", str(make(tmp_path)), "--project", str(project), "--quiet"],
                     True, capsys)
    _check(case, "validate", code, err)


def test_file_name_with_newline_and_escape(project: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil\n\x1b[31mname.yaml"
    path.write_bytes((HERE / "public-quoted-yes.yaml").read_bytes())
    code = main(["validate", str(path), "--project", str(project), "--quiet"])
    case = Case("file-name", path.name, "", ("evil\\n\\x1b[31mname.yaml':7", "field public"))
    _check(case, "validate", code, capsys.readouterr().err)


INDEX_CASES = {
    "index-deep-nesting": ("- id: x\n  file: " + "[" * 3000 + "]" * 3000 + "\n",
                           "nested deeper than 8 levels"),
    "index-alias": ("- &d {id: x, file: x.txt}\n- *d\n", "anchors and aliases"),
    "index-not-utf8": ("- id: caf\xe9\n", "not UTF-8"),
}


@pytest.mark.parametrize("name", INDEX_CASES)
def test_document_index_refuses(name: str, project: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    """graph/sources/documents.yaml is read under the record files' rules and limits."""
    index = project / "graph" / "sources" / "documents.yaml"
    before, dist = index.read_bytes(), _snapshot(project / "dist")
    text, fragment = INDEX_CASES[name]
    try:
        index.write_bytes(before + text.encode("latin-1"))
        code = main(["build", "--project", str(project), "--quiet"])
    finally:
        index.write_bytes(before)
    _check(Case(name, name, name, ("documents.yaml", fragment)), "build", code,
           capsys.readouterr().err)
    assert _snapshot(project / "dist") == dist
