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
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from ..errors import InputError, QueryError, StoreError
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
    where = f"oxigraph store {location}"
    fresh = not location.is_dir() or not any(location.iterdir())
    location.mkdir(parents=True, exist_ok=True)
    pattern = f"GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), {_sparql_string(prefix)}))"
    # the delete is the slow part: skipped when there is nothing to delete (a first load)
    ask = [command, "query", "--location", str(location), "--query", f"ASK {{ {pattern} }}",
           "--results-format", "tsv"]
    if not fresh and "true" in _run(ask, where, progress):
        progress(f"deleting the graphs under {prefix} in {location}")
        _run([command, "update", "--location", str(location), "--update",
              f"DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ {pattern} }}"], where, progress)
    progress(f"loading {count} quads from {dump}")
    _run([command, "load", "--location", str(location), "--file", str(dump)], where,
         progress)
    return PushResult(str(location), len(graphs), count, prefix)


def _run(argv: list[str], where: str, progress: Callable[[str], None]) -> str:
    """Run a store tool, passing its stderr lines on as progress while it runs; its stdout.

    Its standard output goes to a temporary file (a pipe read after stderr could fill up).
    """
    with tempfile.TemporaryFile("w+") as out:
        try:
            process = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
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
        out.seek(0)
        return out.read()


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
    mask = str(folder) + "/metrokg-%"
    with _Isql(command, isql, credentials) as session:
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
    errors = [line for line in failed if line.startswith("metrokg-error")]
    for path in files:
        path.unlink(missing_ok=True)
    if errors:
        raise QueryError(f"virtuoso at {isql}: the bulk loader refused a file: "
                         f"{' '.join(errors[0].split()[1:])[:300]}")
    return PushResult(f"virtuoso {isql}", len(graphs), count, prefix)


class _Isql:
    """One ``isql-vt`` session: statements written to it step by step, answers read back.

    The password goes on isql's standard input, never in its arguments (where ``ps``
    shows it): isql first tries the default password and, refused, prompts and reads one
    line — so a non-default password costs Virtuoso one failed login per session
    (Virtuoso blocks an address for 60 s after 4). One session per bulk load keeps it to
    one.
    """

    def __init__(self, command: str, address: str, credentials: Credentials) -> None:
        self.where = f"virtuoso at {address}"
        self.password = credentials.password or ""
        self.steps = 0
        try:
            self.process = subprocess.Popen(
                [command, address, credentials.user or "", "VERBOSE=OFF", "BANNER=OFF",
                 "PROMPT=OFF"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, errors="replace")
        except OSError as exc:
            raise QueryError(f"{self.where}: cannot run isql: {exc.strerror}") from None
        self.prompted = self.password == "dba"  # the default is tried first, no prompt
        if not self.prompted:
            self._write(self.password + "\n")

    def _write(self, text: str) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(text)
            self.process.stdin.flush()
        except BrokenPipeError:
            pass  # isql has exited: its output says why

    def run(self, statements: list[str]) -> list[str]:
        """Run *statements*; the lines isql printed. Raises QueryError on its first error."""
        self.steps += 1
        marker = f"metrokg-step-{self.steps}"
        self._write("\n".join([*statements, f"SELECT '{marker}';"]) + "\n")
        assert self.process.stdout is not None
        lines: list[str] = []
        for raw in self.process.stdout:
            line = raw.strip().replace(self.password, "***") if self.password else raw.strip()
            if not self.prompted:
                # before the password prompt: isql's refused try of the default password
                head, prompt, line = line.partition("Enter password for")
                if not prompt:
                    if head == marker:
                        return lines
                    continue
                self.prompted, line = True, line.partition(":")[2].strip()
            if line.startswith("*** Error"):
                hint = " (check METROKG_USER/METROKG_PASSWORD or the netrc entry)" \
                    if "28000" in line else ""
                self.close()
                raise QueryError(f"{self.where}: {line.removeprefix('*** ').strip()}{hint}")
            if line == marker:
                return lines
            lines.append(line)
        self.close()
        raise QueryError(f"{self.where}: isql ended (code {self.process.returncode}): "
                         f"{' '.join(lines)[-200:] or 'no output'}")

    def close(self) -> None:
        if self.process.poll() is None:
            self._write("EXIT;\n")
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()

    def __enter__(self) -> _Isql:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
