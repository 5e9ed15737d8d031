"""`metrokg query` in-process: the catalogue listing, parameters, formats and every bad input.

Each bad input must give one line on stderr naming what is wrong and exit 5, never a
traceback; expected answers come from the source documents.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph
import pytest

from metrokg.cli import main
from metrokg.outputs.build import BuildResult
from metrokg.paths import ProjectPaths

Capsys = pytest.CaptureFixture[str]


@pytest.fixture(autouse=True)
def use_session_build(monkeypatch: pytest.MonkeyPatch, built: BuildResult,
                      built_paths: ProjectPaths) -> None:
    """Point the CLI's default paths at the session build (never the user's dist/)."""
    import metrokg.cli.query as command

    monkeypatch.setattr(command, "default_paths", lambda: built_paths)


def run(args: list[str], capsys: Capsys) -> tuple[int, str, str]:
    code = main(["query", *args])
    out, err = capsys.readouterr()
    return code, out, err


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


def test_list_shows_every_catalogue_query(capsys: Capsys) -> None:
    code, out, _ = run(["--list"], capsys)
    assert code == 0
    assert "actions-involving  [org=uclg]" in out
    assert "status-by-action-line" in out
    assert out.rstrip().splitlines()[-1].startswith("(")
    assert int(out.rstrip().splitlines()[-1][1:].split()[0]) >= 25


def test_param_binds_the_organisation(capsys: Capsys) -> None:
    # the AMB plan names Metropolis in actions 1.1.5, 1.3.1 and 1.3.2 (source 001)
    code, out, _ = run(["actions-involving", "--param", "org=metropolis", "-f", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    amb = {r["code"] for r in rows if r["plan"].endswith("/plan/amb-pam-2015-2019")}
    assert amb == {"1.1.5", "1.3.1", "1.3.2"}


def test_param_accepts_a_full_iri(capsys: Capsys) -> None:
    code, out, _ = run(["member-count", "-p", "org=<https://w3id.org/metrokg/id/org/amb>",
                        "-f", "csv"], capsys)
    assert code == 0
    assert out.splitlines()[1] == "https://w3id.org/metrokg/def/org-type/municipality,municipality,36"


def test_csv_follows_sparql_csv(capsys: Capsys) -> None:
    code, out, _ = run(["status-by-plan", "--format", "csv"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "plan,planLabel,status,statusLabel,elements"
    assert ("https://w3id.org/metrokg/id/plan/metropolis-action-plan-2018-2020,"
            "Plan de Acción 2018-2020,"
            "https://w3id.org/metrokg/def/status/achieved,achieved,49") in out.splitlines()


def test_tsv_writes_terms(capsys: Capsys) -> None:
    code, out, _ = run(["status-by-plan", "--format", "tsv"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "?plan\t?planLabel\t?status\t?statusLabel\t?elements"
    # SPARQL 1.1 TSV, section 4: xsd:integer may be written in Turtle's abbreviated form;
    # read it back with a TSV parser to compare the term itself
    rows = list(pyoxigraph.parse_query_results(out, pyoxigraph.QueryResultsFormat.TSV))
    ten = pyoxigraph.Literal("10", datatype=pyoxigraph.NamedNode(
        "http://www.w3.org/2001/XMLSchema#integer"))
    assert any(r["status"] == pyoxigraph.NamedNode(
        "https://w3id.org/metrokg/def/status/in-progress") and r["elements"] == ten
        for r in rows)


def test_json_is_sparql_results_json(capsys: Capsys) -> None:
    code, out, _ = run(["status-by-plan", "--format", "json"], capsys)
    assert code == 0
    data = json.loads(out)
    assert data["head"]["vars"] == ["plan", "planLabel", "status", "statusLabel", "elements"]
    counts = {b["status"]["value"].rsplit("/", 1)[1]: b["elements"]["value"]
              for b in data["results"]["bindings"]}
    assert counts == {"achieved": "49", "in-progress": "10", "not-developed": "6"}


def test_markdown_table(capsys: Capsys) -> None:
    code, out, _ = run(["status-by-action-line", "--format", "md"], capsys)
    assert code == 0
    assert out.splitlines()[0] == "| line | status | statusLabel | elements |"
    assert "| L3 | status:in-progress | in progress | 6 |" in out


def test_terminal_table_is_default(capsys: Capsys) -> None:
    code, out, _ = run(["plan-succession"], capsys)
    assert code == 0
    assert "id:plan/diba-xgl-2016-2019" in out and out.rstrip().endswith("(2 rows)")


def test_ask_prints_true(capsys: Capsys) -> None:
    assert run(["stated-totals-agree"], capsys)[:2] == (0, "true\n")


def test_construct_as_turtle_and_jsonld(capsys: Capsys) -> None:
    code, out, _ = run(["membership-graph"], capsys)
    assert code == 0 and "org:Membership" in out and "consortium-member" in out
    code, out, _ = run(["membership-graph", "--format", "jsonld"], capsys)
    assert code == 0
    assert "https://w3id.org/metrokg/id/org/generalitat-catalunya" in out
    json.loads(out)


def test_rq_file_and_output_file(capsys: Capsys, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    code, _, _ = run([str(Path(__file__).parents[1] / "queries" / "plan-succession.rq"),
                      "-f", "csv", "-o", str(target)], capsys)
    assert code == 0
    assert len(target.read_text().splitlines()) == 3


def test_inline_query(capsys: Capsys) -> None:
    code, out, _ = run(["SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { GRAPH ?g { ?p a "
                        "<https://w3id.org/metrokg/def/Plan> } }", "-f", "csv"], capsys)
    # seven plans: AMB PAM, AMB cooperation master plan, Metropolis, CM2030, three XGL plans
    assert (code, out.splitlines()[1]) == (0, "7")


@pytest.mark.parametrize(("args", "message"), [
    pytest.param(["actions-involvin"], "did you mean actions-involving?", id="unknown-name"),
    pytest.param(["actions-involving", "-p", "org=amb> } ?s ?p ?o {"],
                 "parameter org: 'amb> } ?s ?p ?o {' is not an organisation id",
                 id="injection-refused"),
    pytest.param(["actions-involving", "-p", "organisation=amb"],
                 "unknown parameter 'organisation' (its parameters: org)", id="unknown-param"),
    pytest.param(["actions-involving", "-p", "org"], "write NAME=VALUE", id="param-no-equals"),
    pytest.param(["labels-with-fallback", "-p", "lang=en\"@x"], "is not a language tag",
                 id="bad-language"),
    pytest.param(["SELECT ?x WHERE {\n  ?x ?y\n}"], "<inline>:3:",
                 id="syntax-error-line-column"),
    pytest.param(["PREFIX x: <http://x/>\nDELETE WHERE { GRAPH ?g { ?s ?p ?o } }"],
                 "this is a SPARQL update",
                 id="update-refused"),
    pytest.param(["no/such/file.rq"], "no query file at no/such/file.rq", id="missing-file"),
    pytest.param([], "name a query", id="no-query"),
    pytest.param(["status-by-plan", "-f", "turtle"], "returns solutions", id="wrong-format"),
    pytest.param(["status-by-plan", "--endpoint", "ftp://example.org/sparql"],
                 "is not an http(s) URL", id="bad-endpoint-scheme"),
    pytest.param(["status-by-plan", "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2"],
                 "endpoint unreachable", id="unreachable-endpoint"),
])
def test_bad_input_is_one_line_and_exit_5(args: list[str], message: str, capsys: Capsys) -> None:
    code, out, err = run(args, capsys)
    assert code == 5
    assert message in one_error_line(err)
    assert out == ""


def test_syntax_error_in_a_file_names_file_line_column(capsys: Capsys, tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# a comment\nSELECT ?x WHERE {\n  ?x ?y ?z .\n  ?x <a b> ?z\n}\n")
    code, _, err = run([str(path)], capsys)
    assert code == 5
    line = one_error_line(err)
    assert line.startswith(f"metrokg query: error: {path}:4:")  # the bad IRI is on line 4
    assert "syntax error" in line


def test_csv_cells_cannot_run_as_formulas(capsys: Capsys) -> None:
    code, out, _ = run(['SELECT ?x WHERE { VALUES ?x { "=cmd|x" "+HYPERLINK(1)" -5 } }',
                        "-f", "csv"], capsys)
    assert code == 0
    assert out.splitlines()[1:] == ["'=cmd|x", "'+HYPERLINK(1)", "-5"]


def test_table_never_prints_control_characters(capsys: Capsys) -> None:
    code, out, _ = run([r'SELECT ?x WHERE { BIND("AMB\u001B[2J\u0007" AS ?x) }'], capsys)
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out
    assert "AMB\\x1b[2J\\x07" in out


def test_service_needs_allow_service_and_sends_nothing(capsys: Capsys) -> None:
    import socket

    with socket.socket() as ear:
        ear.bind(("127.0.0.1", 0))
        ear.listen(5)
        ear.settimeout(0.3)
        text = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{ear.getsockname()[1]}/> {{ ?s ?p ?o }} }}"
        code, _, err = run([text], capsys)
        assert code == 5 and "--allow-service" in one_error_line(err)
        code, _out, err = run([text, "--endpoint", "http://127.0.0.1:9/query", "--timeout", "2"],
                             capsys)
        assert code == 5  # prepare() parsed it and never ran it: nothing reached the listener
        with pytest.raises(OSError):
            ear.accept()


def test_a_query_that_crashes_the_engine_is_exit_5(capsys: Capsys) -> None:
    # 60 levels pass the CLI's depth check (64); the engine runs in a child process
    text = "SELECT (" + "(" * 60 + "1" + ")" * 60 + " AS ?x) WHERE {}"
    code, _, err = run([text], capsys)
    assert code == 0 or (code == 5 and len(err.strip().splitlines()) == 1)
    code, _out, err = run(["SELECT (" + "(" * 5000 + "1" + ")" * 5000 + " AS ?x) {}"], capsys)
    assert code == 5 and "nests brackets 5001 deep" in one_error_line(err)


def test_a_local_query_stops_at_its_timeout(capsys: Capsys) -> None:
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { "
            + " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(9)) + " }")
    code, _out, err = run([slow, "--timeout", "1"], capsys)
    assert code == 5 and "stopped after 1 s" in one_error_line(err)


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "0"])
def test_bad_timeout_is_exit_2(value: str, capsys: Capsys) -> None:
    code, _, err = run(["ASK {}", "--timeout", value], capsys)
    assert code == 2 and "--timeout" in one_error_line(err)


def test_an_engine_crash_is_one_line_not_a_crash_of_the_cli(
        capsys: Capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import signal

    import metrokg.queries.localrun as localrun

    def segfault(*_args: object) -> None:  # what Oxigraph did on 5000 nested parentheses
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(localrun, "_child", segfault)  # the forked child runs this
    code, out, err = run(["ASK {}"], capsys)
    assert code == 5 and out == ""
    assert "the query engine crashed (signal SIGSEGV)" in one_error_line(err)
