"""A real Virtuoso for the tests: Debian's ``virtuoso-opensource``, on loopback, started once.

Not a test module; it also holds the helpers the push tests share (both stores). :func:`virtuoso` starts ``virtuoso-t +foreground +configfile INI``
with its database, transaction and log files in a temporary folder and both server ports
(SQL and HTTP) on free ``127.0.0.1`` ports; a fresh database has the user ``dba`` with
password ``dba``, which the authenticated Graph Store endpoint
(``/sparql-graph-crud-auth``) checks with HTTP digest. The server is cached per process
and stopped at exit. Where the package is missing the tests skip with the reason —
except in CI (``CI`` set), where a missing Virtuoso is a failure: scripts/system-deps.sh
installs it.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph
import pytest

from metrokg.queries.sparql import SelectResult, query

XSD = "http://www.w3.org/2001/XMLSchema#"

USER, PASSWORD = "dba", "dba"
"""A fresh Virtuoso database's administrator (Virtuoso's documented default)."""

_INI = """\
[Database]
DatabaseFile       = {d}/virtuoso.db
ErrorLogFile       = {d}/virtuoso.log
LockFile           = {d}/virtuoso.lck
TransactionFile    = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort           = 127.0.0.1:{sql}
DisableUnixSocket    = 1
CheckpointInterval   = 60
DirsAllowed          = ., {load}
NumberOfBuffers      = 40000
MaxDirtyBuffers      = 30000
ThreadsPerQuery      = 2
CaseMode             = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http}
ServerRoot           = {d}/vsp
ServerThreads        = 10
MaxClientConnections = 10
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 120
MaxQueryCostEstimationTime = 400
"""


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso and where to reach it."""

    url: str
    """HTTP base, e.g. ``http://127.0.0.1:28890``."""
    sql: str
    """The SQL port as ``host:port`` (for ``isql-vt`` and the bulk loader)."""
    folder: Path
    load_dir: Path
    """A folder in the server's ``DirsAllowed``: where bulk-loaded files go."""
    process: subprocess.Popen[bytes]

    @property
    def gsp(self) -> str:
        """The authenticated Graph Store Protocol endpoint (digest)."""
        return self.url + "/sparql-graph-crud-auth"

    @property
    def query_url(self) -> str:
        return self.url + "/sparql"

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-2000:] if path.is_file() else ""


_cache: dict[str, Virtuoso] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def executable() -> str:
    """``virtuoso-t``; skips the test where it is missing, fails in CI."""
    found = shutil.which("virtuoso-t")
    if found is None:
        reason = ("Virtuoso is not installed (Debian package virtuoso-opensource: "
                  "`sh scripts/system-deps.sh` or apt-get install virtuoso-opensource)")
        if os.environ.get("CI"):
            pytest.fail(reason + " — CI must install it")
        pytest.skip(reason)
    return found


def isql() -> str:
    """Virtuoso's SQL client (``isql-vt`` on Debian)."""
    found = shutil.which("isql-vt") or shutil.which("isql")
    if found is None:
        pytest.fail("virtuoso-t is installed but not isql-vt")
    return found


def virtuoso() -> Virtuoso:
    """The session's Virtuoso, started on first use (~20 s) and stopped at exit."""
    if "server" in _cache:
        server = _cache["server"]
        if server.process.poll() is None:
            return server
        pytest.fail(f"Virtuoso exited (code {server.process.returncode}): {server.log()}")
    command = executable()
    folder = Path(tempfile.mkdtemp(prefix="metrokg-virtuoso-"))
    load_dir = folder / "load"
    load_dir.mkdir()
    (folder / "vsp").mkdir()
    sql, http = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_INI.format(d=folder, load=load_dir, sql=sql, http=http))
    process = subprocess.Popen([command, "+foreground", "+configfile", str(ini)],
                               cwd=folder, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    server = Virtuoso(f"http://127.0.0.1:{http}", f"127.0.0.1:{sql}", folder, load_dir,
                      process)
    atexit.register(stop, server)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"virtuoso-t exited (code {process.returncode}): {server.log()}")
        try:
            if httpx.get(server.query_url, params={"query": "ASK {}"}, timeout=2).is_success:
                _cache["server"] = server
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    stop(server)
    pytest.fail(f"Virtuoso did not answer on {server.url} within 120 s: {server.log()}")


def stop(server: Virtuoso) -> None:
    """Stop the server and remove its throwaway database."""
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
    shutil.rmtree(server.folder, ignore_errors=True)


# --- helpers shared by the push tests (Virtuoso and Oxigraph server) ------------------

_INTEGERS = {XSD + name for name in (
    "integer", "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
    "negativeInteger", "long", "int", "short", "byte", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}


def value_key(term: object) -> object:
    """A term as a value: how both stores may rewrite a literal's lexical form.

    Virtuoso stores numbers, booleans and dates as values (``"12.0"^^xsd:decimal`` comes
    back ``"12"``, ``"true"^^xsd:boolean`` as ``"1"``, ``+00:00`` as ``Z``); Oxigraph
    turns derived integer types into ``xsd:integer`` (issue #526) and writes doubles and
    hexBinary canonically. Equal values compare
    equal here; everything else (IRIs, strings, language tags) compares as written.
    """
    if not isinstance(term, pyoxigraph.Literal):
        return str(term)
    kind, text = term.datatype.value, term.value
    if kind in _INTEGERS:
        return ("integer", int(text))
    if kind == XSD + "decimal":
        return ("decimal", Decimal(text))
    if kind == XSD + "boolean":
        return ("boolean", text in ("1", "true"))
    if kind in (XSD + "double", XSD + "float"):
        return ("double", float(text))
    if kind == XSD + "hexBinary":
        return ("hexBinary", text.upper())
    if kind == XSD + "dateTime":
        return ("dateTime", datetime.fromisoformat(text.replace("Z", "+00:00")))
    return str(term)


def dataset_quads(dump: Path) -> Counter[tuple[object, ...]]:
    """The dump's quads as values (see :func:`value_key`)."""
    return Counter(tuple(value_key(t) for t in (q.graph_name, q.subject, q.predicate, q.object))
                   for q in pyoxigraph.parse(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS))


def store_quads(query_url: str, scope: str) -> Counter[tuple[object, ...]]:
    """The store's quads in the graphs under *scope*, as values, read through SPARQL."""
    text = ("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER (STRSTARTS(STR(?g), "{scope}")) }}')
    result = query(text, endpoint=query_url, timeout=120)
    assert isinstance(result, SelectResult)
    return Counter(tuple(value_key(t) for t in row) for row in result.rows)


def count_quads(query_url: str, scope: str) -> int:
    text = ("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER (STRSTARTS(STR(?g), "{scope}")) }}')
    result = query(text, endpoint=query_url, timeout=30)
    assert isinstance(result, SelectResult)
    return int(result.rows[0][0].value)  # type: ignore[union-attr]


def copies(dump: Path, out: Path, times: int, scope: str) -> Path:
    """*dump* repeated *times* with its graphs renamed ``<scope>copy-N/…``: a larger dataset."""
    lines = dump.read_text().splitlines(keepends=True)
    with out.open("w") as f:
        for number in range(times):
            f.writelines(line.replace(f"<{scope}", f"<{scope}copy-{number}/") for line in lines)
    return out


def interrupted_then_repeated(command: list[str], query_url: str, scope: str, total: int,
                              env: dict[str, str] | None = None) -> int:
    """Start `metrokg push` (*command*), kill -9 it midway; the quads under *scope* then.

    Midway: once the store holds some of the *total* quads under *scope*, not all.
    """
    process = subprocess.Popen([sys.executable, "-m", "metrokg", *command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            present = count_quads(query_url, scope)
            if 0 < present < total:
                break
            time.sleep(0.02)
        assert process.poll() is None, "the push ended before it could be interrupted"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return count_quads(query_url, scope)
