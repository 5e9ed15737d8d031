"""Benchmark `metrokg build` at several multiples of today's quads, against Oxigraph's
own bulk loader on the same data.

    python scripts/bench_build.py [--scales 10 30 100] [--runs 3] [--work DIR]
                                  [--compare CHECKOUT]

For each scale K a synthetic project is generated once (``metrokg generate --scale K
--seed 1``: about K × today's 12.4k quads). Then, in interleaved rounds (every scale once
per round, so load changes hit all sizes alike), it runs in a fresh process:

- ``metrokg build --project DIR`` — wall time, CPU time (user + system, with the forked
  validation child), peak memory, and the time of each step (from the progress lines,
  stamped as they arrive);
- the baseline: one ``pyoxigraph.Store().bulk_load`` of the build's own N-Quads dump;
- with ``--compare CHECKOUT`` (another metrokg checkout, e.g. ``git worktree add /tmp/old
  main``), that checkout's ``metrokg build`` on the same project (``PYTHONPATH=CHECKOUT/src``,
  same interpreter and libraries), in the same round. Scale 1 is today's real graph
  (the checkout's own records, no synthetic block): ``--scales 1 --compare …`` checks
  "today's real build no slower than today".

Peak memory is the largest sum, over the build's processes (the build and its forked
child), of their proportional set size (``Pss`` in ``/proc/PID/smaps_rollup``, sampled
every 20 ms): pages the child shares with its parent count once. The largest single
process's peak RSS (``ru_maxrss``) is printed too.

It prints the machine, the load average before and after, a Markdown table of medians
(time, CPU, peak memory, KB per quad, bulk_load, ratio), the cost exponent between 10×
and 100× (and between the two largest scales), log(t2/t1) / log(q2/q1), and the median
time of each step at each scale.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
BULK_LOAD = """
import sys, pyoxigraph as ox
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
assert len(store) > 0
"""


def _pss(pid: int) -> int:
    """Pss (bytes) of *pid* and its descendants, 0 for those already gone."""
    total = 0
    for p in [pid, *_descendants(pid)]:
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def _descendants(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as f:
            kids = [int(x) for x in f.read().split()]
    except (FileNotFoundError, ProcessLookupError):
        return []
    return [k for kid in kids for k in (kid, *_descendants(kid))]


def run(argv: list[str], *, steps: bool = False,
        env: dict[str, str] | None = None) -> dict[str, Any]:
    """Wall and CPU seconds, peak Pss and ru_maxrss (bytes), step times of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env=env)
    peak, done = [0], threading.Event()
    marks: list[tuple[float, str]] = []
    step_pss: dict[int, int] = {}

    def sample() -> None:
        while not done.is_set():
            now = _pss(proc.pid)
            peak[0] = max(peak[0], now)
            step = len(marks) - 1
            step_pss[step] = max(step_pss.get(step, 0), now)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err: list[str] = []
    assert proc.stderr is not None
    for line in proc.stderr:
        err.append(line)
        if line.startswith("  · "):
            marks.append((time.perf_counter() - start, line[4:].strip()))
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{''.join(err)[-2000:]}")
    step_times: dict[str, float] = {}
    step_peaks: dict[str, int] = {}
    if steps:
        ends = [t for t, _ in marks[1:]] + [seconds]
        for i, ((t, name), end) in enumerate(zip(marks, ends, strict=True)):
            key = name.split(" (")[0].split(" from ")[0].split(";")[0].split(",")[0]
            step_times[key] = end - t
            step_peaks[key] = step_pss.get(i, 0)
    return {"wall": seconds, "cpu": usage.ru_utime + usage.ru_stime, "pss": peak[0],
            "maxrss": usage.ru_maxrss * 1024, "steps": step_times, "step_pss": step_peaks}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", type=float, nargs="+", default=[10, 30, 100])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=None, help="keep the projects here")
    p.add_argument("--json", type=Path, default=None, help="also write the raw runs here")
    p.add_argument("--compare", type=Path, default=None, metavar="CHECKOUT",
                   help="also time this other checkout's build on the same projects")
    args = p.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="metrokg-bench-"))
    load_before = os.getloadavg()
    projects: dict[float, Path] = {}
    for scale in args.scales:
        project = work / f"x{scale:g}"
        if not (project / "synthetic.json").is_file():
            subprocess.run([BIN / "metrokg", "generate", "--scale", str(scale), "--seed", "1",
                            "--out", str(project)], check=True, stdout=subprocess.DEVNULL)
        projects[scale] = project
    builds: dict[float, list[dict[str, Any]]] = {s: [] for s in args.scales}
    loads: dict[float, list[dict[str, Any]]] = {s: [] for s in args.scales}
    others: dict[float, list[dict[str, Any]]] = {s: [] for s in args.scales}
    quads: dict[float, int] = {}
    for round_ in range(args.runs):
        for scale in args.scales:
            project = projects[scale]
            if args.compare:
                env = {**os.environ, "PYTHONPATH": str(args.compare.resolve() / "src")}
                others[scale].append(run([sys.executable, "-m", "metrokg", "build", "--project",
                                          str(project)], env=env))
            builds[scale].append(run([str(BIN / "metrokg"), "build", "--project", str(project)],
                                     steps=True))
            dump = project / "dist" / "graph" / "metrokg.nq"
            loads[scale].append(run([sys.executable, "-c", BULK_LOAD, str(dump)]))
            summary = json.loads((project / "dist" / "graph" / "summary.json").read_text())
            quads[scale] = int(summary["quads"])
            b = builds[scale][-1]
            print(f"  round {round_ + 1} {scale:g}×: build {b['wall']:.1f} s "
                  f"(cpu {b['cpu']:.1f} s), {b['pss'] / 2**20:.0f} MB; bulk_load "
                  f"{loads[scale][-1]['wall']:.2f} s; load {os.getloadavg()[0]:.2f}",
                  file=sys.stderr, flush=True)

    def med(runs: list[dict[str, Any]], key: str) -> float:
        return statistics.median(float(r[key]) for r in runs)

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average before "
          f"{' '.join(f'{x:.2f}' for x in load_before)}, after "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.runs} interleaved runs, "
          "medians\n")
    print("| scale | quads | build (s) | CPU (s) | peak Pss (MB) | KB/quad | max RSS of one "
          "process (MB) | bulk_load (s) | build / bulk_load |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for scale in args.scales:
        t, base = med(builds[scale], "wall"), med(loads[scale], "wall")
        pss = med(builds[scale], "pss")
        print(f"| {scale:g}× | {quads[scale]:,} | {t:.1f} | {med(builds[scale], 'cpu'):.1f} | "
              f"{pss / 2**20:,.0f} | {pss / 1024 / quads[scale]:.2f} | "
              f"{med(builds[scale], 'maxrss') / 2**20:,.0f} | {base:.2f} | {t / base:.1f} |")
    if args.compare:
        print(f"\n{args.compare} on the same projects, same rounds:\n")
        print("| scale | its build (s) | its CPU (s) | its peak Pss (MB) | this build / its |")
        print("|---:|---:|---:|---:|---:|")
        for scale in args.scales:
            t = med(others[scale], "wall")
            print(f"| {scale:g}× | {t:.1f} | {med(others[scale], 'cpu'):.1f} | "
                  f"{med(others[scale], 'pss') / 2**20:,.0f} | "
                  f"{med(builds[scale], 'wall') / t:.2f} |")
    pairs = [(args.scales[-2], args.scales[-1])] if len(args.scales) > 1 else []
    if 10 in args.scales and 100 in args.scales and (10, 100) not in pairs:
        pairs.insert(0, (10.0, 100.0))
    for a, b in pairs:
        exponent = (math.log(med(builds[b], "wall") / med(builds[a], "wall"))
                    / math.log(quads[b] / quads[a]))
        print(f"\ncost exponent {a:g}× → {b:g}×: {exponent:.2f}")
    names = list(dict.fromkeys(k for s in args.scales for r in builds[s] for k in r["steps"]))
    print("\nsteps (from the build's progress lines): median seconds, and median peak Pss "
          "(MB) of the build's processes during the step\n")
    print("| step | " + " | ".join(f"{s:g}× s | {s:g}× MB" for s in args.scales) + " |")
    print("|---|" + "---:|---:|" * len(args.scales))
    for name in names:
        cells = []
        for s in args.scales:
            values = [r["steps"][name] for r in builds[s] if name in r["steps"]]
            mem = [r["step_pss"][name] for r in builds[s] if name in r["step_pss"]]
            cells.append(f"{statistics.median(values):.2f}" if values else "")
            cells.append(f"{statistics.median(mem) / 2**20:,.0f}" if mem else "")
        print(f"| {name} | " + " | ".join(cells) + " |")
    if args.json:
        args.json.write_text(json.dumps({"quads": quads, "builds": builds, "bulk_load": loads,
                                         "compare": others}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
