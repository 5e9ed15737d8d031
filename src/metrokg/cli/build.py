"""`metrokg build`: records → checked dataset → outputs in dist/graph/."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from ..checks import ENGINES
from .common import add_project_options, progress, project_paths

if TYPE_CHECKING:
    from ..outputs.build import BuildResult


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("build", help="build the graph and its outputs (atomic)",
                       description="Build the dataset from graph/, validate it, and publish "
                                   "the outputs to dist/graph/ only if everything succeeds.")
    add_project_options(p, minting=True)
    p.add_argument("--quiet", action="store_true", help="print only the output folder")
    p.add_argument("--engine", choices=ENGINES, default="auto",
                   help="SHACL engine: pyshacl (the reference), rudof (pyrudof, fast), or auto "
                        "(default: rudof when it can run every shape)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # NumPy's BLAS would start a thread pool when the network step imports it; a process
    # with threads does not fork (metrokg.forked.parallel), and the build's BLAS work is
    # tiny: one BLAS thread keeps closeness on the second core at scale
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from ..outputs.build import build

    paths = project_paths(args)
    result = build(paths, base=args.base, engine=args.engine,
                   progress=(lambda _m: None) if args.quiet else progress)
    if args.quiet:
        print(result.output)
        return 0
    print(short_report(result), end="")
    return 0


PLAN_LINES = 5
"""Plans whose statuses the report prints; the rest are counted in summary.txt."""

_COUNTED = (("org:Organization", "organisations"), ("mkg:Plan", "plans"),
            ("org:Membership", "memberships"), ("mkg:Involvement", "involvements"))


def short_report(result: BuildResult) -> str:
    """What `metrokg build` prints: counts, the statuses of the first :data:`PLAN_LINES`
    plans, validation, where the outputs are (at most 6 + PLAN_LINES lines at any size)."""
    s, v, out = result.summary, result.validation, os.path.relpath(result.output)
    counts = ", ".join(f"{s.by_class.get(c, 0)} {name}" for c, name in _COUNTED)
    lines = [f"built {s.quads} quads in {s.named_graphs} named graphs from "
             f"{len(s.by_source)} sources (base {s.base})",
             f"  {counts}"]
    plans = sorted(s.by_status.items())
    for plan, statuses in plans[:PLAN_LINES]:
        lines.append(f"  {plan}: " + ", ".join(f"{k} {n}" for k, n in sorted(statuses.items())))
    if len(plans) > PLAN_LINES:
        lines.append(f"  … and {len(plans) - PLAN_LINES} more plans with statuses: "
                     f"{out}/summary.txt")
    lines.append(f"  validation: {v.count('Violation')} violation(s), {v.count('Warning')} "
                 f"warning(s), {v.count('Info')} info — {out}/validation.txt")
    lines.append(f"  outputs in {out}/: {', '.join(p.name for p in result.files.values())}")
    lines.append(f"  all counts: {out}/summary.txt; query: metrokg query --list; "
                 "site: metrokg serve")
    return "\n".join(lines) + "\n"
