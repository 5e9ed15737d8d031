"""Spreadsheet formulas and terminal control characters never leave metrokg live.

Expected behaviour from OWASP's "CSV Injection" rule (cells starting with ``=``, ``+``,
``-``, ``@``, tab or carriage return get a leading apostrophe) and ECMA-48 (C0/C1
control characters — ESC, BEL, CSI — are shown, not sent to the terminal).
"""

from __future__ import annotations

import csv
import io

import pyoxigraph
import pytest

from metrokg.analysis.measures import Analysis, NodeScores, to_csv
from metrokg.queries.render import write_solutions
from metrokg.safetext import neutralise_cell, printable

FORMULAS = ["=cmd|' /C calc'!A0", "+HYPERLINK(\"http://x\",\"y\")", "-2+3+cmd|x", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_cells_get_an_apostrophe(text: str) -> None:
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+1.5e3", "-0.25", "AMB", "", "a=b", "x@y.org"])
def test_other_cells_are_unchanged(text: str) -> None:
    assert neutralise_cell(text) == text


def test_control_characters_are_shown_not_sent() -> None:
    assert printable("a\x1b[2Jb\x07c\x9bd\re") == "a\\x1b[2Jb\\x07c\\x9bd\\x0de"
    assert printable("tab\tand\nnewline") == "tab\tand\nnewline"


def test_network_csv_neutralises_names() -> None:
    score = NodeScores("https://w3id.org/metrokg/id/org/x", "=HYPERLINK(\"http://x\")", "org",
                       1, 1.0, 0.0, 0.0, 0.0, 0.5, 1, False)
    analysis = Analysis("v", "view", False, 1, 0, (score,), (), (), ())
    rows = list(csv.DictReader(io.StringIO(to_csv(analysis))))
    assert rows[0]["label"] == "'=HYPERLINK(\"http://x\")"
    assert rows[0]["pagerank"] == "0.5"  # numbers untouched


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_results_csv_and_tsv_neutralise_cells(fmt: str) -> None:
    rows = [[pyoxigraph.Literal("=1+1")], [pyoxigraph.Literal("@A1")],
            [pyoxigraph.Literal("-5", datatype=pyoxigraph.NamedNode(
                "http://www.w3.org/2001/XMLSchema#integer"))]]
    text = write_solutions(["x"], rows, fmt).decode()
    assert "'=1+1" in text and "'@A1" in text and "'-5" not in text
    assert "\n=1+1" not in text and "\n\"=1+1" not in text
