"""metrokg's QueryPool against pebble's ProcessPool, for the endpoint's query workers.

Both run two workers that open the same on-disk store (read-only) and answer queries; both kill
a worker whose query outlives its timeout and start a replacement. Measured, in rounds
that alternate the two pools (medians over rounds):

* latency of a trivial query (``ASK {}``, 40 sequential calls per round);
* recovery: a query killed at a 1 s timeout, then the time until the *next* query on
  that worker answers (the replacement loads the store);
* the same query cancelled by its caller after 0.3 s (a client that went away): is the
  worker killed, and how long until both workers answer again.

Run: ``.venv/bin/python scripts/bench_pool.py [DUMP]`` (default ``dist/graph/metrokg.nq``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import sys
import time
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path

import pebble

from metrokg.web.policy import Limits
from metrokg.web.sandbox import Job, QueryPool, execute, one_arena, open_read_only

SLOW = ("SELECT (COUNT(*) AS ?n) WHERE { "
        + " ".join(f"VALUES ?v{i} {{ 0 1 2 3 4 5 6 7 8 9 }}" for i in range(8)) + " }")
LIMITS = Limits(timeout=1.0, workers=2)
_STORE: object = None
_GRAPHS: frozenset[str] = frozenset()


def _init(dump: str) -> None:
    global _STORE, _GRAPHS
    from metrokg.queries.isolation import isolate

    isolate()
    one_arena()
    _STORE, _GRAPHS = open_read_only(dump)


def _run(job: Job) -> object:
    return execute(_STORE, _GRAPHS, job, LIMITS)


async def ours(dump: Path) -> dict[str, float]:
    pool = QueryPool(dump, LIMITS)
    await pool.start()
    try:  # warm both workers (the first query in a worker imports the parser)
        await asyncio.gather(pool.run(Job("ASK {}"), "w1"), pool.run(Job("ASK {}"), "w2"))
        t0 = time.perf_counter()
        for _ in range(40):
            await pool.run(Job("ASK {}"))
        latency = (time.perf_counter() - t0) / 40 * 1000
        t0 = time.perf_counter()
        await pool.run(Job(SLOW))  # killed at 1 s
        while (await pool.run(Job("ASK {}"))).status != 200:
            await asyncio.sleep(0.01)
        await asyncio.gather(pool.run(Job("ASK {}"), "a"), pool.run(Job("ASK {}"), "b"))
        recovery = time.perf_counter() - t0
        task = asyncio.ensure_future(pool.run(Job(SLOW), "c"))
        await asyncio.sleep(0.3)
        t0 = time.perf_counter()
        task.cancel()
        while len(pool.alive) < 2 or (await pool.run(Job("ASK {}"))).status != 200:
            await asyncio.sleep(0.01)
        cancel = time.perf_counter() - t0
    finally:
        await pool.close()
    return {"latency_ms": latency, "recovery_s": recovery, "cancel_s": cancel}


def theirs(dump: Path) -> dict[str, float]:
    with pebble.ProcessPool(max_workers=2, initializer=_init, initargs=(str(dump),)) as pool:
        warm = [pool.schedule(_run, (Job("ASK {}"),)) for _ in range(2)]
        [f.result() for f in warm]
        t0 = time.perf_counter()
        for _ in range(40):
            pool.schedule(_run, (Job("ASK {}"),)).result()
        latency = (time.perf_counter() - t0) / 40 * 1000
        t0 = time.perf_counter()
        with contextlib.suppress(FutureTimeout):
            pool.schedule(_run, (Job(SLOW),), timeout=1.0).result()
        a = pool.schedule(_run, (Job("ASK {}"),))
        b = pool.schedule(_run, (Job("ASK {}"),))
        a.result(), b.result()
        recovery = time.perf_counter() - t0
        slow = pool.schedule(_run, (Job(SLOW),), timeout=30)
        time.sleep(0.3)
        t0 = time.perf_counter()
        slow.cancel()  # pebble terminates the worker running a cancelled future
        with contextlib.suppress(CancelledError):
            slow.result()
        a = pool.schedule(_run, (Job("ASK {}"),))
        b = pool.schedule(_run, (Job("ASK {}"),))
        a.result(), b.result()
        cancel = time.perf_counter() - t0
    return {"latency_ms": latency, "recovery_s": recovery, "cancel_s": cancel}


def main() -> None:
    dump = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/graph/store")
    rounds: dict[str, list[dict[str, float]]] = {"QueryPool": [], "pebble": []}
    for _ in range(5):  # interleaved
        rounds["QueryPool"].append(asyncio.run(ours(dump)))
        rounds["pebble"].append(theirs(dump))
    print(f"machine: {os.uname().machine}, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.2f}; store: {dump}; 5 rounds")
    print("| pool | ASK {} latency (ms) | recovery after a 1 s kill (s) | "
          "cancel to both workers ready (s) |")
    print("|---|---:|---:|---:|")
    medians = {}
    for name, runs in rounds.items():
        medians[name] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        m = medians[name]
        print(f"| {name} | {m['latency_ms']:.2f} | {m['recovery_s']:.2f} | "
              f"{m['cancel_s']:.2f} |")
    for i, (a, b) in enumerate(zip(rounds["QueryPool"], rounds["pebble"], strict=True)):
        print(f"round {i + 1}: " + ", ".join(f"{k} {a[k]:.2f} vs {b[k]:.2f}" for k in a))
    ratio = medians["pebble"]["latency_ms"] / medians["QueryPool"]["latency_ms"]
    print(f"latency ratio pebble / QueryPool: {ratio:.2f}")


if __name__ == "__main__":
    main()
