"""Benchmark `metrokg build` at several multiples of today's records.

    python scripts/bench_build.py [--scales 1 10 30 100] [--runs 3] [--work DIR]

For each scale K a synthetic project is generated once (``metrokg generate --scale K``).
Then, in interleaved rounds (every scale once per round, so load changes hit all sizes
alike), it runs in a fresh process:

- ``metrokg build --project DIR --quiet`` — wall time and peak RSS of that process;
- the baseline: one ``pyoxigraph.Store().bulk_load`` of the build's own N-Quads dump.

It prints a Markdown table of medians (time, peak RSS, KB per quad, ratio to the
baseline) and the cost exponent between the two largest scales (and between 10× and
100× when both are run): log(t2/t1) / log(q2/q1).
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
import time
from pathlib import Path

BIN = Path(sys.executable).parent
BULK_LOAD = """
import sys, pyoxigraph as ox
store = ox.Store()
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS)
assert len(store) > 0
"""


def run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (bytes) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}):\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss * 1024


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scales", type=float, nargs="+", default=[1, 10, 30, 100])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--work", type=Path, default=None, help="keep the projects here")
    p.add_argument("--json", type=Path, default=None, help="also write the raw runs here")
    args = p.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="metrokg-bench-"))
    projects: dict[float, Path] = {}
    for scale in args.scales:
        project = work / f"x{scale:g}"
        if not (project / "synthetic.json").is_file():
            subprocess.run([BIN / "metrokg", "generate", "--scale", str(scale), "--out",
                            str(project)], check=True, stdout=subprocess.DEVNULL)
        projects[scale] = project
    builds: dict[float, list[tuple[float, int]]] = {s: [] for s in args.scales}
    loads: dict[float, list[tuple[float, int]]] = {s: [] for s in args.scales}
    quads: dict[float, int] = {}
    for round_ in range(args.runs):
        for scale in args.scales:
            project = projects[scale]
            builds[scale].append(run([str(BIN / "metrokg"), "build", "--project", str(project),
                                      "--quiet"]))
            dump = project / "dist" / "graph" / "metrokg.nq"
            loads[scale].append(run([sys.executable, "-c", BULK_LOAD, str(dump)]))
            summary = json.loads((project / "dist" / "graph" / "summary.json").read_text())
            quads[scale] = int(summary["quads"])
            t, rss = builds[scale][-1]
            print(f"  round {round_ + 1} {scale:g}×: build {t:.1f} s, {rss / 2**20:.0f} MB; "
                  f"bulk_load {loads[scale][-1][0]:.2f} s", file=sys.stderr, flush=True)

    def med(values: list[tuple[float, int]], i: int) -> float:
        return statistics.median(v[i] for v in values)

    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; load average at end "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; {args.runs} interleaved runs, "
          "medians\n")
    print("| scale | quads | build (s) | peak RSS (MB) | KB/quad | bulk_load (s) | build / bulk_load |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for scale in args.scales:
        t, rss, base = med(builds[scale], 0), med(builds[scale], 1), med(loads[scale], 0)
        print(f"| {scale:g}× | {quads[scale]} | {t:.1f} | {rss / 2**20:.0f} | "
              f"{rss / 1024 / quads[scale]:.2f} | {base:.2f} | {t / base:.1f} |")
    pairs = [(args.scales[-2], args.scales[-1])] if len(args.scales) > 1 else []
    if 10 in args.scales and 100 in args.scales and (10, 100) not in pairs:
        pairs.append((10.0, 100.0))
    for a, b in pairs:
        exponent = math.log(med(builds[b], 0) / med(builds[a], 0)) / math.log(quads[b] / quads[a])
        print(f"\ncost exponent {a:g}× → {b:g}×: {exponent:.2f}")
    if args.json:
        args.json.write_text(json.dumps({"quads": quads, "builds": builds, "bulk_load": loads},
                                        indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
