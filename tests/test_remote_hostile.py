"""`metrokg query --endpoint` against a malicious loopback SPARQL server (tests/malicious.py).

Each case of tests/hostile/client.toml must end in exit 5 with one located line on
stderr and nothing on stdout (never exit 70, never a traceback, never a whole error
page); the huge and endless answers must leave the client's memory under a stated cap.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from malicious import Malicious

from metrokg.cli import main

CASES: list[dict[str, Any]] = tomllib.loads(
    (Path(__file__).parent / "hostile" / "client.toml").read_text(encoding="utf-8"))["case"]
LIMITS = ["--timeout", "3", "--max-answer", "8"]
RSS_CAP_MIB = 128
"""The client's peak memory on a huge or endless answer with --max-answer 8 (stated in
docs/querying.md: about 75 MiB of interpreter and libraries plus at most twice the cap;
measured 72-89 MiB)."""


@pytest.fixture(scope="module")
def evil() -> Iterator[Malicious]:
    server = Malicious()
    yield server
    server.close()


def test_catalogue_has_enough_cases() -> None:
    assert len(CASES) >= 15
    assert len({case["reply"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["reply"] for case in CASES])
def test_malicious_answer(evil: Malicious, case: dict[str, Any],
                          capsys: pytest.CaptureFixture[str]) -> None:
    query = case.get("query", "SELECT ?x WHERE { ?s ?p ?x }")
    code = main(["query", query, "--endpoint", evil.url(case["reply"]), *LIMITS])
    out, err = capsys.readouterr()
    assert code == case.get("exit", 5), err
    if code == 0:
        assert "ok" in out
        return
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err[:500]
    assert "internal error" not in err and "Traceback" not in err
    assert case["says"] in lines[0], lines[0]
    if "never" in case:
        assert case["never"] not in err
    assert "\x1b" not in err and "\x07" not in err


# Linux records a process's peak RSS across exec, so a child started straight from this
# (large) pytest process would report pytest's peak: a small launcher forks the client
# and reports the client's own peak (ru_maxrss, KiB) and exit code.
LAUNCHER = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, "-m", "metrokg", *sys.argv[1:]])
_, status, usage = os.wait4(pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


@pytest.mark.parametrize("reply", ["huge", "endless", "gzip-bomb"])
def test_client_memory_stays_under_the_cap(evil: Malicious, reply: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, "query", "SELECT ?x WHERE { ?s ?p ?x }",
         "--endpoint", evil.url(reply), *LIMITS],
        capture_output=True, text=True, timeout=60, check=True)
    code, peak_kib = (int(v) for v in done.stdout.split())
    assert code == 5, done.stderr
    assert peak_kib / 1024 < RSS_CAP_MIB, f"{reply}: peak RSS {peak_kib / 1024:.0f} MiB"


def test_nothing_reaches_the_endpoint_when_the_query_does_not_parse(evil: Malicious) -> None:
    before = len(evil.requests)
    assert main(["query", "SELECT ?x WHERE { SERVICE <http://x/> {", "--endpoint",
                 evil.url("valid-xml")]) == 5
    assert len(evil.requests) == before
