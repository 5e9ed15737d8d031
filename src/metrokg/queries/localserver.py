"""A throwaway Oxigraph server on loopback, for notebooks, tests and trying `metrokg push`.

:func:`start_oxigraph` runs ``oxigraph serve`` (the ``oxigraph`` package, extra
``server``) on ``127.0.0.1`` and a free port, waits until it answers, and returns a
:class:`LocalServer` with its query and Graph Store URLs. Stop it with
:meth:`LocalServer.stop` or use it as a context manager; its store folder is a temporary
one (deleted on stop) unless *location* is given. Example (run in
``tests/test_notebooks.py`` and ``notebooks/01-exploring-with-sparql.ipynb``)::

    with start_oxigraph() as server:
        push_dataset(dump, server.store_url)
        metrokg.query("plan-level-counts", endpoint=server.query_url)
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO

from ..errors import StoreError
from ..http import HttpFailure, request

__all__ = ["LocalServer", "start_oxigraph"]


@dataclass(frozen=True)
class LocalServer:
    """A running ``oxigraph serve`` process and where to reach it."""

    url: str
    """Base URL, e.g. ``http://127.0.0.1:7878``."""
    location: Path
    process: subprocess.Popen[bytes] = field(repr=False, compare=False)
    log: IO[bytes] = field(repr=False, compare=False)
    """The server's stderr (a temporary file: a pipe could fill up and block it)."""
    temporary: bool = field(default=False, repr=False)

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return self.url + "/query"

    @property
    def store_url(self) -> str:
        """The Graph Store Protocol endpoint (what `metrokg push` sends to)."""
        return self.url + "/store"

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """Stop the server (terminate, then kill after 10 s) and remove a temporary store."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self.temporary:
            shutil.rmtree(self.location, ignore_errors=True)

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def _oxigraph() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which(
        "oxigraph")
    if found is None:
        raise StoreError("the `oxigraph` server is not installed: "
                         "pip install -e '.[server]' (or '.[notebooks]')")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_oxigraph(location: Path | None = None, *, port: int | None = None,
                   startup_timeout: float = 30.0, query_timeout: int = 20) -> LocalServer:
    """Start ``oxigraph serve`` on ``127.0.0.1`` and wait until it answers a query.

    Args:
        location: the store folder (default: a temporary folder removed on stop).
        port: the port (default: a free one).
        startup_timeout: seconds to wait for the first answer.
        query_timeout: the server's own limit per query, in seconds (``--timeout-s``).

    Raises:
        StoreError: the ``oxigraph`` command is missing, exits, or does not answer.
    """
    command = _oxigraph()
    temporary = location is None
    folder = Path(tempfile.mkdtemp(prefix="metrokg-oxigraph-")) if location is None else location
    port = port if port is not None else _free_port()
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by LocalServer.stop)
    process = subprocess.Popen(
        [command, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}",
         "--timeout-s", str(query_timeout)],
        stdout=subprocess.DEVNULL, stderr=log)
    server = LocalServer(f"http://127.0.0.1:{port}", folder, process, log, temporary)
    deadline = time.monotonic() + startup_timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            message = log.read().decode(errors="replace").strip()[-500:]
            server.stop()
            raise StoreError(f"oxigraph serve exited (code {process.returncode}) on port "
                             f"{port}: {message or 'no message'}")
        try:
            if request("GET", server.query_url + "?query=ASK%7B%7D", timeout=1,
                       max_bytes=65_536).status == 200:
                return server
        except HttpFailure:
            time.sleep(0.1)
    server.stop()
    raise StoreError(f"oxigraph serve did not answer on {server.url} within "
                     f"{startup_timeout:g} s")
