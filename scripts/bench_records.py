"""Time reading a large record file: before (two pure-Python YAML passes) and after (one
libyaml pass with strict checks).

Generates a YAML file of valid URL-cited records (organisations, facts, relations,
elements, involvements; deterministic), then times, interleaved, each variant:

- before: what records.py did until the records/ package — `yaml.compose` then
  `yaml.safe_load` of the same text, both with the pure-Python `SafeLoader`;
- after, parse only: `metrokg.records.load.read_yaml` (libyaml events, limits, lines);
- after, whole read: `metrokg.records.read_record_file` (parse + every field checked
  against its kind's schema + sources);
- reference: `yaml.load(text, Loader=yaml.CSafeLoader)` (libyaml, no checks, no lines).

Prints a Markdown section for docs/benchmarks.md ("Reading records"). Writes only a
temporary file.

Run: .venv/bin/python scripts/bench_records.py [RECORDS] [RUNS]
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from metrokg.records import read_record_file
from metrokg.records.load import read_yaml


def _record(n: int) -> str:
    """One valid record; the kind cycles through five."""
    src = f"    url: https://example.org/r/{n}\n    as_of: \"2026-11\"\n"
    org = f"org-{n // 5:06d}"
    kind = n % 5
    if kind == 0:
        return (f"  - kind: organisation\n    id: {org}\n    type: city-network\n"
                f"    name: {{en: Organisation {n}, ca: Organització {n}}}\n"
                f"    alt: {{en: [O{n}]}}\n    public: true\n" + src)
    if kind == 1:
        return (f"  - kind: facts\n    about: {org}\n    founded: \"19{n % 100:02d}-05\"\n"
                f"    homepage: https://example.org/{org}\n" + src)
    if kind == 2:
        return (f"  - kind: relation\n    subject: {org}\n    role: member\n"
                f"    object: org-{(n // 5 + 1):06d}\n    during: {{start: 2015, end: 2019}}\n"
                f"    amount: {{value: {n}.5, currency: EUR}}\n" + src)
    if kind == 3:
        return (f"  - kind: element\n    plan: plan-{n // 500:04d}\n    level: action\n"
                f"    code: \"1.{n % 50}.{n % 7}\"\n    parent: \"1.{n % 50}\"\n"
                f"    text: {{ca: \"Actuació {n} del pla metropolità\"}}\n    status_mark: V\n"
                + src)
    return (f"  - kind: involvement\n    organisation: {org}\n    in: plan-{n // 500:04d}\n"
            f"    role: partner\n" + src)


def _before(text: str) -> Any:
    """records.py's `_located_items` until this change: compose, then load, pure Python."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    data = yaml.safe_load(text)
    lines = []
    assert node is not None
    for key_node, value_node in node.value:
        if key_node.value == "records":
            lines = [item.start_mark.line + 1 for item in value_node.value]
    return data, lines


def main(argv: list[str]) -> None:
    count = int(argv[0]) if argv else 50_000
    runs = int(argv[1]) if len(argv) > 1 else 5
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.yaml"
        path.write_text("records:\n" + "".join(_record(n) for n in range(count)),
                        encoding="utf-8")
        text = path.read_text(encoding="utf-8")
        variants: dict[str, Callable[[], object]] = {
            "before: compose + safe_load (pure-Python SafeLoader, two passes)":
                lambda: _before(text),
            "after: `read_yaml` (one libyaml pass: limits, lines)": lambda: read_yaml(text, "x"),
            "after: `read_record_file` (parse + schema checks + sources)":
                lambda: read_record_file(path, {}),
            "reference: `yaml.load(CSafeLoader)` alone (no checks, no lines)":
                lambda: yaml.load(text, Loader=yaml.CSafeLoader),
        }
        assert len(read_record_file(path, {})) == count  # every generated record is valid
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(runs):  # interleaved
            for name, run in variants.items():
                start = time.perf_counter()
                run()
                times[name].append(time.perf_counter() - start)
        size = path.stat().st_size
    medians = {name: statistics.median(t) for name, t in times.items()}
    baseline = medians[next(iter(variants))]
    print("## Reading records\n")
    print("`scripts/bench_records.py` — one generated YAML file of valid URL-cited records "
          "(organisations, facts, relations, elements, involvements), read by each variant "
          "in turn, runs interleaved.\n")
    print(f"Run: `.venv/bin/python scripts/bench_records.py {count} {runs}`\n")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, PyYAML {yaml.__version__} (libyaml "
          f"{yaml.__with_libyaml__}); load average {load_before:.2f} before the run, "
          f"{os.getloadavg()[0]:.2f} after\n")
    print(f"file: {count:,} records, {size / 2**20:.1f} MiB; {runs} runs each\n")
    print("| variant | median (s) | min (s) | vs before |")
    print("|---|---:|---:|---:|")
    for name, t in times.items():
        print(f"| {name} | {medians[name]:.2f} | {min(t):.2f} | "
              f"{baseline / medians[name]:.1f}× faster |" if name != next(iter(variants))
              else f"| {name} | {medians[name]:.2f} | {min(t):.2f} | 1.0 |")


if __name__ == "__main__":
    main(sys.argv[1:])
