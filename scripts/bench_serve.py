"""Benchmark `metrokg serve` against `oxigraph serve-read-only` on the same data.

Runs the catalogue queries (queries/*.rq, top level) round-robin from concurrent
clients against both servers, in --rounds interleaved rounds (the order alternates each
round, so load on the machine hits both alike), and reports the medians of throughput,
p50/p99 latency, the errors, the load average, and the median and range of the per-round
ratio. With --write, replaces the "Endpoint" section of docs/benchmarks.md.

    .venv/bin/python scripts/bench_serve.py [--graph dist/graph] [--clients 8]
        [--requests 600] [--rounds 5] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ACCEPT = "application/sparql-results+json, text/turtle;q=0.9"


@dataclass(frozen=True)
class Run:
    name: str
    requests: int
    errors: int
    seconds: float
    p50: float
    p99: float
    error_samples: tuple[str, ...]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early: {url}")
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"server did not start: {url}")


async def drive(url: str, queries: list[tuple[str, str]], clients: int, total: int) -> Run:
    latencies: list[float] = []
    errors: list[str] = []
    counter = iter(range(total))

    async def client(session: httpx.AsyncClient) -> None:
        for i in counter:
            name, text = queries[i % len(queries)]
            t0 = time.perf_counter()
            try:
                r = await session.post(url, data={"query": text},
                                       headers={"Accept": ACCEPT})
                ok = r.status_code == 200
                if not ok:
                    errors.append(f"{name}: {r.status_code} {r.text[:100]}")
            except httpx.HTTPError as exc:
                errors.append(f"{name}: {type(exc).__name__}")
            latencies.append(time.perf_counter() - t0)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as session:
        # warm-up: each query once
        for _name, text in queries:
            await session.post(url, data={"query": text})
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(clients)))
        seconds = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return Run(url, len(latencies), len(errors), seconds, statistics.median(latencies), p99,
               tuple(errors[:5]))


def load_queries(folder: Path) -> list[tuple[str, str]]:
    out = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        out.append((path.stem, text))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--graph", type=Path, default=ROOT / "dist" / "graph")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = ap.parse_args()
    dump = args.graph / "metrokg.nq"
    if not dump.is_file():
        raise SystemExit(f"no {dump}: run `metrokg build` first")
    queries = load_queries(ROOT / "queries")
    if not queries:
        raise SystemExit("no catalogue queries in queries/*.rq")
    oxigraph = shutil.which("oxigraph", path=str(BIN)) or shutil.which("oxigraph")
    if oxigraph is None:
        raise SystemExit("no oxigraph binary: pip install oxigraph (the [server] extra)")
    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        mport, oport = free_port(), free_port()
        metrokg = subprocess.Popen([str(BIN / "metrokg"), "serve", "--graph", str(args.graph),
                                    "--port", str(mport), "--workers", str(args.workers),
                                    # every client comes from 127.0.0.1: let it use them all
                                    "--per-client", str(args.clients),
                                    "--max-waiting", str(args.clients)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(metrokg)
        subprocess.run([oxigraph, "load", "--location", str(work / "ox"), "--file", str(dump)],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ox = subprocess.Popen([oxigraph, "serve-read-only", "--location", str(work / "ox"),
                               "--bind", f"127.0.0.1:{oport}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs.append(ox)
        murl, ourl = f"http://127.0.0.1:{mport}/sparql", f"http://127.0.0.1:{oport}/query"
        wait_up(murl, metrokg)
        wait_up(ourl, ox)
        servers = [("metrokg serve", murl), ("oxigraph serve-read-only", ourl)]
        rounds: dict[str, list[Run]] = {name: [] for name, _ in servers}
        load = [os.getloadavg()[0]]
        for i in range(args.rounds):
            for name, url in (servers if i % 2 == 0 else servers[::-1]):
                rounds[name].append(asyncio.run(drive(url, queries, args.clients,
                                                      args.requests)))
            load.append(os.getloadavg()[0])
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    ratios = [m.throughput / o.throughput for m, o in
              zip(rounds["metrokg serve"], rounds["oxigraph serve-read-only"], strict=True)]
    ratio = statistics.median(ratios)
    lines = [
        "## Endpoint",
        "",
        f"`scripts/bench_serve.py` — {len(queries)} catalogue queries (queries/*.rq) round-robin, "
        f"{args.clients} concurrent clients, {args.requests} requests per server and round, "
        f"{args.rounds} interleaved rounds (order alternating), medians; JSON results "
        "(Turtle for CONSTRUCT), "
        f"POST form; `metrokg serve` with {args.workers} query workers (timeout 10 s, row cap "
        f"10000, `--per-client {args.clients} --max-waiting {args.clients}`: the clients share "
        "one address) and `oxigraph serve-read-only` on the same N-Quads. "
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{min(load):.1f}–{max(load):.1f} (other work shared the cores); the client runs on "
        "the same cores.",
        "",
        f"Command: `.venv/bin/python scripts/bench_serve.py --requests {args.requests} "
        f"--rounds {args.rounds}`",
        "",
        "| server | requests | errors | throughput (req/s, median) | p50 (ms, median) "
        "| p99 (ms, median) |",
        "|---|---|---|---|---|---|",
    ]
    for name, runs in rounds.items():
        lines.append(f"| {name} | {sum(r.requests for r in runs)} | "
                     f"{sum(r.errors for r in runs)} | "
                     f"{statistics.median(r.throughput for r in runs):.0f} | "
                     f"{statistics.median(r.p50 for r in runs) * 1000:.1f} | "
                     f"{statistics.median(r.p99 for r in runs) * 1000:.1f} |")
    lines += ["", f"Ratio metrokg / oxigraph throughput, per round: "
                  f"{', '.join(f'{x:.2f}' for x in ratios)}; median {ratio:.2f} (target ≥ 0.5, "
                  "zero errors).", ""]
    for name, runs in rounds.items():
        for sample in (s for r in runs for s in r.error_samples):
            lines.append(f"- error sample ({name}): {sample}")
    text = "\n".join(lines).rstrip() + "\n"
    print(text)
    if args.write:
        doc = ROOT / "docs" / "benchmarks.md"
        current = doc.read_text(encoding="utf-8") if doc.is_file() else "# Benchmarks\n"
        pattern = re.compile(r"^## Endpoint\n.*?(?=^## |\Z)", re.S | re.M)
        if pattern.search(current):
            current = pattern.sub(lambda _m: text + "\n", current)
        else:
            current = current.rstrip() + "\n\n" + text
        doc.write_text(current, encoding="utf-8")
    return 0 if all(r.errors == 0 for runs in rounds.values() for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
