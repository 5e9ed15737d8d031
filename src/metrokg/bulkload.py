"""Bulk loading a large dump straight into a store's files, beside `push`'s HTTP path.

- Oxigraph: ``oxigraph update`` deletes the store's graphs under the dataset's scope, then
  ``oxigraph load`` loads the dump (atomically, its progress passed on) into the store
  folder; the folder's server must be stopped (RocksDB allows one writer).
- Virtuoso: the dump is cut into N-Quads files of :data:`CHUNK` lines in a folder the
  server reads (``DirsAllowed``); through ``isql-vt`` the graphs under the scope are
  deleted, the files registered with ``ld_dir`` and loaded one by one with
  ``rdf_loader_run(1)`` (progress after each), then ``checkpoint``. The password goes to
  isql on its standard input, never on a command line.

Both replace the scope's graphs: run again after an interruption, the store ends equal
to the dataset.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from .errors import InputError, QueryError, StoreError
from .push import Credentials, PushResult, check_scope, scope_of

__all__ = ["CHUNK", "load_oxigraph", "load_virtuoso"]

CHUNK = 200_000
"""Quads per file handed to Virtuoso's loader (one progress line per file)."""


def _noop(_: str) -> None:
    return None


def _tool(name: str, *alternatives: str, hint: str) -> str:
    for candidate in (name, *alternatives):
        found = shutil.which(candidate, path=str(Path(sys.executable).parent)) or \
            shutil.which(candidate)
        if found:
            return found
    raise InputError("--bulk", f"`{name}` is not installed", hint=hint)


def _scan(dump: Path, chunk: int, write: Callable[[int, bytes], None] | None) -> tuple[
        list[str], int]:
    """The dump's named graphs and quad count; every *chunk* lines handed to *write*.

    Each block is parsed with pyoxigraph, so a malformed dump is refused before any load.
    """
    if not dump.is_file():
        raise StoreError(f"no built dataset at {dump}: run `metrokg build` first")
    graphs: set[str] = set()
    count = number = 0

    def flush(block: list[bytes]) -> None:
        nonlocal count, number
        data = b"".join(block)
        try:
            for quad in pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_QUADS):
                if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                    graphs.add(quad.graph_name.value)
                count += 1
        except (SyntaxError, ValueError) as exc:
            raise StoreError(f"cannot read {dump}: {exc}") from None
        if write is not None:
            write(number, data)
        number += 1

    try:
        with dump.open("rb") as lines:
            block: list[bytes] = []
            for line in lines:
                block.append(line)
                if len(block) >= chunk:
                    flush(block)
                    block = []
            if block:
                flush(block)
    except OSError as exc:
        raise StoreError(f"cannot read {dump}: {exc.strerror}") from None
    return sorted(graphs), count


def _scope(graphs: list[str], scope: str | None) -> str:
    chosen = check_scope(scope) if scope else scope_of(graphs)
    if chosen is None:
        raise InputError("--scope", "the dataset's graphs share no namespace to replace "
                         "under", hint="give --scope IRI, the namespace of metrokg's graphs")
    return chosen


def _sparql_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def load_oxigraph(dump: Path, location: Path, *, scope: str | None = None,
                  progress: Callable[[str], None] = _noop) -> PushResult:
    """Replace the graphs under *scope* in the Oxigraph store folder *location* by *dump*'s.

    Raises:
        InputError: ``oxigraph`` is not installed.
        StoreError: the dump is unreadable.
        QueryError: ``oxigraph`` failed (e.g. the folder's server still runs).
    """
    command = _tool("oxigraph", hint="pip install oxigraph (the extra `server`)")
    graphs, count = _scan(dump, CHUNK, None)
    prefix = _scope(graphs, scope)
    location.mkdir(parents=True, exist_ok=True)
    where = f"oxigraph store {location}"
    progress(f"deleting the graphs under {prefix} in {location}")
    update = ("DELETE { GRAPH ?g { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } "
              f"FILTER (STRSTARTS(STR(?g), {_sparql_string(prefix)})) }}")
    _run([command, "update", "--location", str(location), "--update", update], where,
         progress)
    progress(f"loading {count} quads from {dump}")
    _run([command, "load", "--location", str(location), "--file", str(dump)], where,
         progress)
    return PushResult(str(location), len(graphs), count, prefix)


def _run(argv: list[str], where: str, progress: Callable[[str], None]) -> None:
    """Run a store tool, passing its stderr lines on as progress while it runs."""
    try:
        process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE, text=True, errors="replace")
    except OSError as exc:
        raise QueryError(f"{where}: cannot run {argv[0]}: {exc.strerror}") from None
    assert process.stderr is not None
    lines: list[str] = []
    failed = False  # after "Error: …" comes a backtrace: kept from the progress lines
    for raw in process.stderr:
        line = raw.strip()
        failed = failed or line.startswith("Error")
        if line:
            lines.append(line)
            if not failed:
                progress(line)
    process.wait()
    if process.returncode != 0:
        errors = [line for line in lines if line.startswith("Error")]
        detail = (errors or lines or [f"exit code {process.returncode}"])[0]
        hint = " (is a server running on this folder? stop it first)" \
            if "lock" in detail.lower() else ""
        raise QueryError(f"{where}: {Path(argv[0]).name} {argv[1]} failed: {detail}{hint}")


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def load_virtuoso(dump: Path, isql: str, load_dir: Path, *, scope: str | None = None,
                  credentials: Credentials | None = None,
                  progress: Callable[[str], None] = _noop) -> PushResult:
    """Replace the graphs under *scope* in the Virtuoso at *isql* (``host:port``) by *dump*'s.

    *load_dir* must be readable by the server and listed in its ``DirsAllowed``.

    Raises:
        InputError: ``isql-vt`` is missing, or no user and password.
        StoreError: the dump is unreadable.
        QueryError: Virtuoso refused a statement or a file.
    """
    command = _tool("isql-vt", "isql", hint="apt-get install virtuoso-opensource")
    if credentials is None or credentials.user is None or credentials.password is None:
        raise InputError("--bulk virtuoso", "no user name and password for isql",
                         hint="set METROKG_USER and METROKG_PASSWORD, or a netrc line "
                              "`machine HOST login USER password SECRET`")
    folder = load_dir.resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("metrokg-*.nq"):
            old.unlink()
    except OSError as exc:
        raise InputError(str(folder), f"cannot write the load folder: {exc.strerror}") \
            from None
    files: list[Path] = []

    def write(number: int, data: bytes) -> None:
        path = folder / f"metrokg-{number:05d}.nq"
        path.write_bytes(data)
        files.append(path)

    started = time.monotonic()
    graphs, count = _scan(dump, CHUNK, write)
    prefix = _scope(graphs, scope)
    session = _Isql(command, isql, credentials)
    mask = str(folder) + "/metrokg-%"
    progress(f"deleting the graphs under {prefix} at {isql}")
    session.run(["log_enable(3,1);",
                 "DELETE FROM DB.DBA.RDF_QUAD WHERE starts_with(id_to_iri(G), "
                 f"{_sql_string(prefix)});",
                 f"DELETE FROM DB.DBA.LOAD_LIST WHERE ll_file LIKE {_sql_string(mask)};",
                 f"ld_dir({_sql_string(str(folder))}, 'metrokg-*.nq', "
                 f"{_sql_string(prefix + 'default')});"])
    for number, _ in enumerate(files, start=1):
        session.run(["rdf_loader_run(1);"])
        progress(f"{number}/{len(files)} files loaded ({min(number * CHUNK, count)} of "
                 f"{count} quads, {time.monotonic() - started:.1f} s)")
    failed = session.run([
        "SELECT 'metrokg-error', ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_file "
        f"LIKE {_sql_string(mask)} AND (ll_state <> 2 OR ll_error IS NOT NULL);",
        "checkpoint;"])
    errors = [line for line in failed.splitlines() if line.startswith("metrokg-error")]
    for path in files:
        path.unlink(missing_ok=True)
    if errors:
        raise QueryError(f"virtuoso at {isql}: the bulk loader refused a file: "
                         f"{' '.join(errors[0].split()[1:])[:300]}")
    return PushResult(f"virtuoso {isql}", len(graphs), count, prefix)


class _Isql:
    """Statements run through ``isql-vt``, the password written to its standard input."""

    def __init__(self, command: str, address: str, credentials: Credentials) -> None:
        self.command, self.address, self.credentials = command, address, credentials

    def run(self, statements: list[str]) -> str:
        user, password = self.credentials.user or "", self.credentials.password or ""
        # isql tries the default password first and, when it is refused, reads the password
        # from its standard input; the default one needs no line (it would run as SQL)
        head = "" if password == "dba" else password + "\n"
        script = head + "\n".join(statements) + "\n"
        where = f"virtuoso at {self.address}"
        try:
            done = subprocess.run([self.command, self.address, user, "VERBOSE=OFF",
                                   "BANNER=OFF", "PROMPT=OFF"],
                                  input=script.encode(), capture_output=True, timeout=3600)
        except OSError as exc:
            raise QueryError(f"{where}: cannot run isql: {exc.strerror}") from None
        except subprocess.TimeoutExpired:
            raise QueryError(f"{where}: isql gave no answer within an hour") from None
        text = (done.stdout + done.stderr).decode(errors="replace")
        if password:
            text = text.replace(password, "***")
        for line in text.splitlines():
            if line.startswith("*** Error"):
                hint = " (check METROKG_USER/METROKG_PASSWORD or the netrc entry)" \
                    if "28000" in line else ""
                raise QueryError(f"{where}: {line.removeprefix('*** ').strip()}{hint}")
        if done.returncode != 0:
            raise QueryError(f"{where}: isql exited with code {done.returncode}: "
                             f"{text.strip()[-200:]}")
        return text
