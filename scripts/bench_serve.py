"""Benchmark `metrokg serve` against `oxigraph serve-read-only` on the same data.

Runs the catalogue queries (queries/*.rq, top level) round-robin from concurrent
clients against both servers, in --rounds interleaved rounds (the order alternates each
round, so load on the machine hits both alike), and reports the medians of throughput,
p50/p99 latency, the errors, the load average, and the median and range of the per-round
ratio. With --write, replaces the "Endpoint" section of docs/benchmarks.md (its
subsections stay).

With --compare GRAPH..., measures instead the two designs of `metrokg serve` on each
build folder: opening the on-disk store (this checkout) against loading the N-Quads dump
into every worker (the design up to commit --baseline, run from a `git archive` of it):
start-up time (process start to the first answered query and page) and its CPU time,
per-worker RSS and PSS, the time to answer again after both workers are killed
(SIGKILL), the median latency of a few catalogue queries over HTTP, and the load
average; --rounds interleaved rounds, the order alternating. With --write, replaces the
"### Opening the store against loading the dump" subsection of "Endpoint".

    .venv/bin/python scripts/bench_serve.py [--graph dist/graph] [--clients 8]
        [--requests 600] [--rounds 5] [--write]
    .venv/bin/python scripts/bench_serve.py --compare dist/graph BIG/dist/graph
        [--rounds 3] [--write]
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
from collections.abc import Callable
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
    ap.add_argument("--compare", type=Path, nargs="+", metavar="GRAPH",
                    help="compare opening the store with loading the dump on these builds")
    ap.add_argument("--baseline", default=BASELINE,
                    help=f"last commit of the dump-loading design (default {BASELINE})")
    args = ap.parse_args()
    if args.compare:
        return compare(args)
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
        pattern = re.compile(r"^## Endpoint\n.*?(?=^##+ |\Z)", re.S | re.M)
        if pattern.search(current):
            current = pattern.sub(lambda _m: text + "\n", current)
        else:
            current = current.rstrip() + "\n\n" + text
        doc.write_text(current, encoding="utf-8")
    return 0 if all(r.errors == 0 for runs in rounds.values() for r in runs) else 1


# -- the two designs: opening the store against loading the dump ----------------------

BASELINE = "df274b2"
"""The last commit whose `metrokg serve` loads the N-Quads dump into every worker."""
LATENCY_QUERIES = ("member-count", "organisations-of-type", "memberships-of",
                   "plan-level-counts")
SUBSECTION = "### Opening the store against loading the dump"


@dataclass(frozen=True)
class Design:
    name: str
    pythonpath: Path | None
    """Where the design's `metrokg` package comes from (None: this checkout)."""


@dataclass(frozen=True)
class Sample:
    startup: float
    startup_cpu: float
    server_rss: float
    worker_rss: float
    worker_pss: float
    restart: float
    latency: dict[str, float]


def _status(pid: int, key: str) -> float:
    """A kB field of /proc/PID/status (VmRSS) or smaps_rollup (Pss), in MB."""
    name = "smaps_rollup" if key == "Pss" else "status"
    for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _workers(pid: int) -> list[int]:
    """The query workers of the server *pid* (its spawned children, not the tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, ValueError):
            continue
        if ppid == pid and b"spawn_main" in cmdline:
            found.append(int(entry.name))
    return sorted(found)


def _answered(client: httpx.Client, url: str) -> bool:
    try:
        ask = client.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        page = client.get(url + "/", timeout=30)
    except httpx.HTTPError:
        return False
    return ask.status_code == 200 and page.status_code == 200


def _sample(design: Design, graph: Path, queries: dict[str, str], reps: int) -> Sample:
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if design.pythonpath is not None:
        env["PYTHONPATH"] = str(design.pythonpath)
    cmd = [sys.executable, "-m", "metrokg", "serve", "--graph", str(graph), "--port",
           str(port), "--project", str(ROOT), "--workers", "2"]
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client() as client:
            while not _answered(client, url):
                if proc.poll() is not None:
                    raise SystemExit(f"{design.name}: metrokg serve exited on {graph}")
                if time.perf_counter() - started > 600:
                    raise SystemExit(f"{design.name}: metrokg serve did not start on {graph}")
                time.sleep(0.05)
            startup = time.perf_counter() - started
            workers = _workers(proc.pid)
            cpu = _cpu(proc.pid) + sum(_cpu(w) for w in workers)
            latency: dict[str, float] = {}
            for name in LATENCY_QUERIES:
                times = []
                for _ in range(reps + 1):  # the first is a warm-up
                    t0 = time.perf_counter()
                    r = client.post(url + "/sparql", data={"query": queries[name]},
                                    headers={"Accept": ACCEPT}, timeout=60)
                    times.append(time.perf_counter() - t0)
                    if r.status_code != 200:
                        raise SystemExit(f"{design.name}: {name} answered {r.status_code}")
                latency[name] = statistics.median(times[1:])
            server_rss = _status(proc.pid, "VmRSS")
            worker_rss = statistics.mean(_status(w, "VmRSS") for w in workers)
            worker_pss = statistics.mean(_status(w, "Pss") for w in workers)
            for worker in workers:
                os.kill(worker, signal.SIGKILL)
            t0 = time.perf_counter()
            while True:  # 422 for a query sent to a dead worker; then it waits for a new one
                r = client.get(url + "/sparql", params={"query": "ASK {}"}, timeout=60)
                if r.status_code == 200:
                    break
                if time.perf_counter() - t0 > 600:
                    raise SystemExit(f"{design.name}: the workers did not come back")
            restart = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    return Sample(startup, cpu, server_rss, worker_rss, worker_pss, restart, latency)


def _quads(graph: Path) -> int:
    with (graph / "metrokg.nq").open("rb") as dump:
        return sum(1 for line in dump if line.strip())


def compare(args: argparse.Namespace) -> int:
    queries = dict(load_queries(ROOT / "queries"))
    for graph in args.compare:
        if not (graph / "store").is_dir():
            raise SystemExit(f"no store in {graph}: run `metrokg build` first")
    work = Path(tempfile.mkdtemp(prefix="bench-serve-designs-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline, "src"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work)], input=archive, check=True)
        designs = [Design("opens the store", None),
                   Design(f"loads the dump ({args.baseline})", work / "src")]
        results: dict[tuple[Path, str], list[Sample]] = {}
        load = [os.getloadavg()[0]]
        for graph in args.compare:
            for i in range(args.rounds):
                for design in (designs if i % 2 == 0 else designs[::-1]):
                    sample = _sample(design, graph, queries, reps=7)
                    results.setdefault((graph, design.name), []).append(sample)
                    print(f"{graph} {design.name}: {sample}", file=sys.stderr, flush=True)
                    load.append(os.getloadavg()[0])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = _designs_table(args, designs, results, load)
    print(text)
    if args.write:
        doc = ROOT / "docs" / "benchmarks.md"
        current = doc.read_text(encoding="utf-8")
        pattern = re.compile("^" + re.escape(SUBSECTION) + r"\n.*?(?=^##+ |\Z)", re.S | re.M)
        if pattern.search(current):
            current = pattern.sub(lambda _m: text + "\n", current)
        else:
            endpoint = re.compile(r"^## Endpoint\n.*?(?=^## |\Z)", re.S | re.M)
            found = endpoint.search(current)
            at = found.end() if found else len(current)
            current = current[:at].rstrip() + "\n\n" + text + "\n" + current[at:]
        doc.write_text(current, encoding="utf-8")
    return 0


def _designs_table(args: argparse.Namespace, designs: list[Design],
                   results: dict[tuple[Path, str], list[Sample]], load: list[float]) -> str:
    def med(samples: list[Sample], pick: Callable[[Sample], float]) -> float:
        return statistics.median(pick(s) for s in samples)

    graphs = " ".join(str(g) for g in args.compare)
    lines = [
        SUBSECTION, "",
        "`scripts/bench_serve.py --compare`: `metrokg serve --workers 2` on the same build "
        "folder, opening its on-disk store read-only (this design) or loading its N-Quads "
        f"dump into every worker (the design up to {args.baseline}, run from a `git "
        f"archive` of it); {args.rounds} interleaved rounds per build (order alternating), "
        "medians. Start-up: process start to the first 200 for both `ASK {}` and the index "
        "page; its CPU time is the server's and its workers' at that moment. RSS and PSS: "
        "mean over the two workers, after the queries. Restart: both workers killed "
        "(SIGKILL), time until an `ASK {}` is answered 200 again. Latency: median of 7 "
        f"sequential POSTs after one warm-up, per query. Machine: {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {min(load):.1f}–{max(load):.1f} "
        "(other work shared the cores).", "",
        f"Command: `.venv/bin/python scripts/bench_serve.py --compare {graphs} "
        f"--rounds {args.rounds}`", "",
        "| build | quads | design | start-up (s) | start-up CPU (s) | server RSS (MB) "
        "| worker RSS (MB) | worker PSS (MB) | restart (s) | "
        + " | ".join(f"{q} (ms)" for q in LATENCY_QUERIES) + " |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(LATENCY_QUERIES),
    ]
    ratios = []
    for graph in args.compare:
        quads = _quads(graph)
        label = "real graph" if graph.resolve() == (ROOT / "dist" / "graph").resolve() \
            else graph.name if graph.name != "graph" else str(graph)
        for design in designs:
            ss = results[(graph, design.name)]
            lines.append(
                f"| {label} | {quads:,} | {design.name} | {med(ss, lambda s: s.startup):.2f} | "
                f"{med(ss, lambda s: s.startup_cpu):.2f} | {med(ss, lambda s: s.server_rss):.0f} | "
                f"{med(ss, lambda s: s.worker_rss):.0f} | {med(ss, lambda s: s.worker_pss):.0f} | "
                f"{med(ss, lambda s: s.restart):.2f} | "
                + " | ".join(f"{statistics.median(s.latency[q] for s in ss) * 1000:.1f}"
                             for q in LATENCY_QUERIES) + " |")
        store, dump = (results[(graph, d.name)] for d in designs)
        per_round = [d.startup / s.startup for s, d in zip(store, dump, strict=True)]
        rss = [d.worker_rss / s.worker_rss for s, d in zip(store, dump, strict=True)]
        restart = [d.restart / s.restart for s, d in zip(store, dump, strict=True)]
        latency = [statistics.median(s.latency[q] for s in store)
                   / statistics.median(d.latency[q] for d in dump) for q in LATENCY_QUERIES]
        ratios.append(f"{label}: start-up dump / store {statistics.median(per_round):.1f}× "
                      f"(rounds {', '.join(f'{x:.1f}' for x in per_round)}), worker RSS "
                      f"{statistics.median(rss):.1f}×, restart {statistics.median(restart):.1f}×; "
                      f"query latency store / dump {', '.join(f'{x:.2f}' for x in latency)} "
                      f"(median {statistics.median(latency):.2f})")
    lines += ["", "Ratios in the same run — " + "; ".join(ratios) + "."]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.exit(main())
