"""A real Virtuoso for the tests: Debian's ``virtuoso-opensource``, on loopback, started once.

Not a test module. :func:`virtuoso` starts ``virtuoso-t +foreground +configfile INI``
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
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

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
