"""Killable query workers: every public query runs in a separate process.

pyoxigraph has no query timeout and a hostile query can crash the process that runs
it, so the server never evaluates a stranger's query itself. A :class:`QueryPool` keeps
``workers`` processes, each with its own copy of the store loaded from the built
N-Quads dump. A query that outlives ``timeout`` gets its worker killed (SIGKILL) and
replaced; a worker that dies answers its client with a 4xx and is replaced too. The
event loop only waits on pipes, so other clients keep being answered meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import multiprocessing
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from ..errors import RequestRefused, StoreError
from .policy import Limits

__all__ = ["Job", "QueryPool", "Reply", "execute"]


@dataclass(frozen=True)
class Job:
    """One query request, as the protocol layer decoded it."""

    query: str
    accept: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None
    """Base for relative IRIs in the query (the endpoint's own address)."""


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, media type, body and extra headers."""

    status: int
    media_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def refusal(cls, status: int, message: str) -> Reply:
        """A plain-text 4xx that says what was refused and why."""
        return cls(status, "text/plain; charset=utf-8", f"{status}: {message}\n".encode())


def execute(store: object, graphs: frozenset[str], job: Job, max_rows: int) -> Reply:
    """Run *job* on *store* (in a worker process); refusals become 4xx replies."""
    import pyoxigraph as ox

    from .conneg import choose_media_type
    from .policy import analyse
    from .results import (
        BOOLEAN_TYPES,
        GRAPH_TYPES,
        SOLUTION_TYPES,
        write_boolean,
        write_graph,
        write_solutions,
    )

    assert isinstance(store, ox.Store)
    try:
        shape = analyse(job.query, graphs)
        for iri in job.default_graphs + job.named_graphs:
            if iri not in graphs:
                raise RequestRefused(400, f"default-graph-uri / named-graph-uri <{iri}> is not "
                                          "a graph of this dataset (nothing is ever fetched)")
        offers = {"SELECT": SOLUTION_TYPES, "ASK": BOOLEAN_TYPES}.get(shape.form,
                                                                       tuple(GRAPH_TYPES))
        media = choose_media_type(job.accept, offers)
        if media is None:
            raise RequestRefused(406, f"{shape.form} results are available as "
                                      f"{', '.join(offers)}; none of them is acceptable to you")
        kwargs: dict[str, object] = {"base_iri": job.base_iri}
        if job.default_graphs or job.named_graphs:
            kwargs["default_graph"] = [ox.NamedNode(i) for i in job.default_graphs]
            kwargs["named_graphs"] = [ox.NamedNode(i) for i in job.named_graphs]
        try:
            result = store.query(job.query, **kwargs)  # type: ignore[arg-type]
            cap = [("MetroKG-Row-Cap", str(max_rows))]
            if isinstance(result, ox.QueryBoolean):
                return Reply(200, media, write_boolean(bool(result), media))
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [list(s) for s in itertools.islice(result, max_rows + 1)]
                if len(rows) > max_rows:
                    rows = rows[:max_rows]
                    cap.append(("MetroKG-Truncated", "true"))
                return Reply(200, media, write_solutions(names, rows, media), tuple(cap))
            triples = list(itertools.islice(result, max_rows + 1))
            if len(triples) > max_rows:
                triples = triples[:max_rows]
                cap.append(("MetroKG-Truncated", "true"))
            return Reply(200, media, write_graph(triples, media), tuple(cap))
        except SyntaxError as exc:
            raise RequestRefused(400, f"the query does not parse: {exc}") from None
        except (OSError, ValueError, TypeError) as exc:
            raise RequestRefused(400, f"the query failed: {exc}") from None
    except RequestRefused as refusal:
        return Reply.refusal(refusal.status, refusal.message)


def _worker_main(conn: Connection, dump: str, max_rows: int) -> None:  # pragma: no cover
    """A worker process: load the store, then answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers end
    sys.setrecursionlimit(20_000)
    import pyoxigraph as ox

    try:
        store = ox.Store()
        store.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
        graphs = frozenset(g.value for g in store.named_graphs()
                           if isinstance(g, ox.NamedNode))
    except (OSError, SyntaxError, ValueError) as exc:
        conn.send(("error", f"cannot load {dump}: {exc}"))
        return
    conn.send(("ready", len(store)))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(store, graphs, job, max_rows))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    jobs: int = 0


class QueryPool:
    """Worker processes that run queries with a hard timeout (state is real: processes).

    Use ``await pool.start()``, then ``await pool.run(job)``; ``await pool.close()``.
    """

    def __init__(self, dump: Path, limits: Limits) -> None:
        self.dump = dump
        self.limits = limits
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._waiting = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.stats = {"queries": 0, "timeouts": 0, "crashes": 0, "busy": 0}

    async def start(self) -> None:
        """Start every worker; raise :class:`StoreError` if the dump cannot be loaded."""
        if not self.dump.is_file():
            raise StoreError(f"no built dataset at {self.dump}: run `metrokg build` first")
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.limits.workers)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, name="metrokg-query-worker",
                                    args=(child, str(self.dump), self.limits.max_rows),
                                    daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._all.add(worker)
        try:
            message = await asyncio.wait_for(self._receive(worker), timeout=120)
        except (TimeoutError, EOFError, OSError) as exc:
            self._kill(worker)
            raise StoreError(f"a query worker did not start ({type(exc).__name__}); "
                             f"check that {self.dump} loads with `metrokg stats`") from None
        if not isinstance(message, tuple) or message[0] != "ready":
            self._kill(worker)
            raise StoreError(str(message[1] if isinstance(message, tuple) else message))
        return worker

    async def _receive(self, worker: _Worker) -> object:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()
        fd = worker.conn.fileno()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        loop.add_reader(fd, wake)
        try:
            await ready
        finally:
            loop.remove_reader(fd)
        return worker.conn.recv()

    def _kill(self, worker: _Worker) -> None:
        self._all.discard(worker)
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()
        with contextlib.suppress(OSError):
            worker.conn.close()
        loop = asyncio.get_running_loop()
        loop.run_in_executor(None, worker.process.join, 5)

    def _replace(self, worker: _Worker) -> None:
        self._kill(worker)
        if self._closed:
            return

        async def respawn() -> None:
            with contextlib.suppress(StoreError):
                self._idle.put_nowait(await self._spawn())

        task = asyncio.get_running_loop().create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, job: Job) -> Reply:
        """Run *job* in a free worker; 429 when too many wait, 422 when stopped or crashed."""
        limits = self.limits
        if self._waiting >= limits.max_waiting:
            self.stats["busy"] += 1
            return Reply.refusal(429, f"{self._waiting} queries are already waiting; "
                                      "try again in a few seconds")
        self._waiting += 1
        started = time.monotonic()
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=limits.timeout)
        except TimeoutError:
            self.stats["busy"] += 1
            return Reply.refusal(429, f"every query worker stayed busy for {limits.timeout:g} s; "
                                      "try again later")
        finally:
            self._waiting -= 1
        self.stats["queries"] += 1
        remaining = max(limits.timeout - (time.monotonic() - started), 0.5)
        try:
            worker.conn.send(job)
            reply = await asyncio.wait_for(self._receive(worker), timeout=remaining)
        except TimeoutError:
            self.stats["timeouts"] += 1
            self._replace(worker)
            return Reply.refusal(422, f"the query was stopped after {limits.timeout:g} s, this "
                                      "endpoint's limit; add a LIMIT or narrower patterns, or "
                                      "load the dumps into your own store")
        except (EOFError, OSError, BrokenPipeError):
            self.stats["crashes"] += 1
            self._replace(worker)
            return Reply.refusal(422, "the query crashed the query engine (too complex or too "
                                      "deeply nested?) and was stopped")
        except BaseException:
            self._replace(worker)  # cancelled mid-query (client gone): the worker is dirty
            raise
        worker.jobs += 1
        self._idle.put_nowait(worker)
        assert isinstance(reply, Reply)
        return reply

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            self._kill(worker)

    @property
    def alive(self) -> Sequence[int]:
        """Process ids of the live workers (for tests and the status page)."""
        return [w.process.pid for w in self._all if w.process.pid is not None]
