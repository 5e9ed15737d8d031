"""Killable query workers: every public query runs in a separate process.

pyoxigraph has no query timeout and a hostile query can crash the process that runs
it, so the server never evaluates a stranger's query itself. A :class:`QueryPool` keeps
``workers`` processes, each with the build's on-disk store (``store/``) opened
read-only: opening takes milliseconds whatever the size of the graph, and the pages of
the store are shared through the kernel's page cache instead of copied into every
worker. Each worker is cut off the network before it opens anything
(:func:`metrokg.queries.isolation.isolate`: ``SERVICE`` cannot connect anywhere, whatever the
policy's parser thought of the text) and runs under an address-space limit, with one
malloc arena so that the store's threads do not reserve 64 MiB of that limit each. A query
that outlives ``timeout`` gets its worker killed (SIGKILL) and replaced; a worker that
dies (memory limit, engine crash) answers its client with a 4xx and is replaced too;
a query whose client goes away is killed the same way. The event loop only waits on
pipes, so other clients keep being answered meanwhile. Why this pool and not pebble's:
docs/decisions/0104-query-pool.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
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


def execute(store: object, graphs: frozenset[str], job: Job, limits: Limits) -> Reply:
    """Run *job* on *store* (in a worker process); refusals become 4xx replies."""
    import pyoxigraph as ox

    from ..errors import QueryError
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
    max_rows = limits.max_rows
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
        elif not (shape.from_graphs or shape.from_named):
            kwargs["use_default_graph_as_union"] = True  # announced in the description
        cap = [("MetroKG-Row-Cap", str(max_rows))]
        try:
            result = store.query(job.query, **kwargs)  # type: ignore[arg-type]
            if isinstance(result, ox.QueryBoolean):
                return Reply(200, media, write_boolean(bool(result), media))
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [list(s) for s in itertools.islice(result, max_rows + 1)]
                if len(rows) > max_rows:
                    rows = rows[:max_rows]
                    cap.append(("MetroKG-Truncated", "true"))
                body = write_solutions(names, rows, media, max_bytes=limits.max_response_bytes)
                return Reply(200, media, body, tuple(cap))
            triples = list(itertools.islice(result, max_rows + 1))
            if shape.form == "DESCRIBE":
                triples += _incoming(store, triples, kwargs, max_rows + 1 - len(triples))
            if len(triples) > max_rows:
                triples = triples[:max_rows]
                cap.append(("MetroKG-Truncated", "true"))
            body = write_graph(triples, media)
            if len(body) > limits.max_response_bytes:
                raise OverflowError
            return Reply(200, media, body, tuple(cap))
        except SyntaxError as exc:
            raise RequestRefused(400, f"the query does not parse: {_line(exc)}") from None
        except QueryError as exc:  # XML 1.0 cannot carry a character of the results
            raise RequestRefused(406, str(exc)) from None
        except (OverflowError, MemoryError):
            raise RequestRefused(422, f"the answer exceeds {limits.max_response_bytes} bytes, "
                                      "this endpoint's limit per response; add a LIMIT or "
                                      "select fewer or shorter values") from None
        except Exception as exc:  # the engine's evaluation errors (unknown function, …)
            raise RequestRefused(400, f"the query failed: {_line(exc)}") from None
    except RequestRefused as refusal:
        return Reply.refusal(refusal.status, refusal.message)


def _incoming(store: object, described: list[object], kwargs: dict[str, object],
              room: int) -> list[object]:
    """The statements *about* each described IRI (DESCRIBE is the symmetric CBD here).

    Oxigraph's DESCRIBE is the concise bounded description: what a resource says. The
    endpoint adds what is said of it (``?s ?p <resource>``) — an organisation's
    memberships point at it — in the same dataset, as the resource pages do.
    """
    import pyoxigraph as ox

    assert isinstance(store, ox.Store)
    subjects = list(dict.fromkeys(t.subject for t in described  # type: ignore[attr-defined]
                                  if isinstance(t.subject, ox.NamedNode)))  # type: ignore[attr-defined]
    seen = set(described)
    found: list[object] = []
    target = ox.Variable("r")
    for iri in subjects:
        if room <= 0:
            break
        incoming = store.query("CONSTRUCT { ?s ?p ?r } WHERE { ?s ?p ?r }",
                               substitutions={target: iri}, **kwargs)  # type: ignore[arg-type]
        assert isinstance(incoming, ox.QueryTriples)
        for triple in itertools.islice(incoming, room):
            if triple not in seen:
                seen.add(triple)
                found.append(triple)
                room -= 1
    return found


def _line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return (text[:300] + "…") if len(text) > 300 else text or type(exc).__name__


_M_ARENA_MAX = -8
"""glibc's ``mallopt`` parameter for the number of malloc arenas."""


def one_arena() -> bool:
    """Make glibc's malloc use one arena in this process (``False`` where not glibc).

    By default every thread that allocates gets an arena that reserves 64 MiB of address
    space; the store's threads would take a quarter of a 1 GiB ``RLIMIT_AS`` before any
    query ran. Call it before any thread starts.
    """
    import ctypes

    try:
        libc = ctypes.CDLL(None)
        return bool(libc.mallopt(_M_ARENA_MAX, 1))
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to cap
        return False


def open_read_only(folder: str) -> tuple[object, frozenset[str]]:
    """The store in *folder*, read-only, and the IRIs of its named graphs.

    Raises :class:`StoreError` when the folder is missing or not a readable store.
    """
    from pathlib import Path

    import pyoxigraph as ox

    from ..outputs.store import open_read_only as open_store_folder

    store = open_store_folder(Path(folder))
    try:  # a damaged table may show only when it is read
        graphs = frozenset(g.value for g in store.named_graphs()
                           if isinstance(g, ox.NamedNode))
    except (OSError, RuntimeError, ValueError, MemoryError) as exc:
        raise StoreError(f"cannot open the store {folder}: {_line(exc)}; run `metrokg build` "
                         "again") from None
    return store, graphs


def _worker_main(conn: Connection, folder: str, limits: Limits) -> None:  # pragma: no cover
    """A worker process: cut the network, cap memory, open the store, answer jobs."""
    from ..queries.isolation import isolate, limit_memory

    layers = isolate()  # first, while this process has a single thread
    one_arena()
    limit_memory(limits.max_memory_mb * 1024 * 1024)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers end
    sys.setrecursionlimit(20_000)
    try:
        store, graphs = open_read_only(folder)
    except StoreError as exc:
        conn.send(("error", str(exc)))
        return
    conn.send(("ready", layers))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(store, graphs, job, limits))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    jobs: int = 0


class QueryPool:
    """Worker processes that run queries with a hard timeout (state is real: processes).

    Use ``await pool.start()``, then ``await pool.run(job)``; ``await pool.close()``.
    """

    def __init__(self, store: Path, limits: Limits) -> None:
        self.store = store
        """The build's on-disk store folder, opened read-only by every worker."""
        self.limits = limits
        self._ctx = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        self._waiting = 0
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False
        self.stats = {"queries": 0, "timeouts": 0, "crashes": 0, "busy": 0}
        self.isolation = "unknown"
        """How the workers are cut off the network (:func:`metrokg.queries.isolation.isolate`)."""
        self._clients: dict[str, int] = {}
        self._active = 0
        self._successor: QueryPool | None = None
        self._settled = asyncio.Event()
        self._settled.set()

    async def start(self) -> None:
        """Start every worker; raise :class:`StoreError` if the store cannot be opened.

        Every start is waited for, even after one failed: a start left running would
        still watch its pipe's file descriptor, whose number a later worker may reuse.
        """
        started = await asyncio.gather(*(self._spawn() for _ in range(self.limits.workers)),
                                       return_exceptions=True)
        failure = next((w for w in started if isinstance(w, BaseException)), None)
        if failure is not None:
            for worker in started:
                if isinstance(worker, _Worker):
                    self._kill(worker)
            raise failure
        for worker in started:
            assert isinstance(worker, _Worker)
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, name="metrokg-query-worker",
                                    args=(child, str(self.store), self.limits),
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
                             f"check that {self.store} opens with `metrokg stats`") from None
        if not isinstance(message, tuple) or message[0] != "ready":
            self._kill(worker)
            raise StoreError(str(message[1] if isinstance(message, tuple) else message))
        self.isolation = str(message[1])
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
            try:
                self._idle.put_nowait(await self._spawn())
            except StoreError as exc:  # the store went away (a pinned build folder removed)
                print(f"metrokg serve: a query worker could not be restarted: {exc}",
                      file=sys.stderr, flush=True)

        task = asyncio.get_running_loop().create_task(respawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, job: Job, client: str = "") -> Reply:
        """Run *job* in a free worker; 429 when busy, 422 when stopped or crashed.

        *client* identifies who asks (the peer address): one client may have at most
        ``limits.client_budget`` queries running or waiting; beyond that only that client
        gets 429 with ``Retry-After``. Cancelling the call (the client went away) kills
        the worker that runs the query and replaces it.
        """
        if self._closed and self._successor is not None:
            return await self._successor.run(job, client)
        limits = self.limits
        retry = (("Retry-After", str(max(1, math.ceil(limits.timeout)))),)
        if self._clients.get(client, 0) >= limits.client_budget:
            self.stats["busy"] += 1
            return Reply(429, "text/plain; charset=utf-8",
                         f"429: you already have {limits.client_budget} queries running or "
                         "waiting, this endpoint's limit per client; send the next one when "
                         "one finishes\n".encode(), retry)
        if self._waiting >= limits.max_waiting:
            self.stats["busy"] += 1
            return Reply(429, "text/plain; charset=utf-8",
                         f"429: {self._waiting} queries are already waiting; try again in a "
                         "few seconds\n".encode(), retry)
        self._clients[client] = self._clients.get(client, 0) + 1
        self._active += 1
        self._settled.clear()
        try:
            return await self._run(job, retry)
        finally:
            self._clients[client] -= 1
            if not self._clients[client]:
                del self._clients[client]
            self._active -= 1
            if not self._active:
                self._settled.set()

    async def _run(self, job: Job, retry: tuple[tuple[str, str], ...]) -> Reply:
        limits = self.limits
        self._waiting += 1
        started = time.monotonic()
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout=limits.timeout)
        except TimeoutError:
            self.stats["busy"] += 1
            return Reply(429, "text/plain; charset=utf-8",
                         f"429: every query worker stayed busy for {limits.timeout:g} s; try "
                         "again later\n".encode(), retry)
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
            return Reply.refusal(422, "the query stopped the query engine (it needed more than "
                                      f"the {limits.max_memory_mb} MiB a query may use, or was "
                                      "too complex or deeply nested) and was stopped")
        except BaseException:
            self._replace(worker)  # cancelled mid-query (client gone): the worker is dirty
            raise
        worker.jobs += 1
        self._idle.put_nowait(worker)
        assert isinstance(reply, Reply)
        return reply

    async def retire(self, grace: float, successor: QueryPool | None = None) -> None:
        """Stop every worker once the queries already running or waiting have their
        answers (at most *grace* seconds from now); a query that reaches this pool after
        that runs on *successor* (the pool of the build that replaced this one)."""
        self._successor = successor
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._settled.wait(), timeout=grace)
        await self.close()

    async def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for worker in list(self._all):
            self._kill(worker)

    @property
    def alive(self) -> Sequence[int]:
        """Process ids of the live workers (for tests)."""
        return [w.process.pid for w in self._all if w.process.pid is not None]
