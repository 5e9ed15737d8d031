"""`metrokg build`: records → checked dataset → outputs in dist/graph/."""

from __future__ import annotations

import argparse
import os

from ..build import build
from ..checks import ENGINES
from .common import add_project_options, progress, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("build", help="build the graph and its outputs (atomic)",
                       description="Build the dataset from graph/, validate it, and publish "
                                   "the outputs to dist/graph/ only if everything succeeds.")
    add_project_options(p)
    p.add_argument("--quiet", action="store_true", help="print only the output folder")
    p.add_argument("--engine", choices=ENGINES, default="auto",
                   help="SHACL engine: pyshacl (the reference), rudof (pyrudof, fast), or auto "
                        "(default: rudof when it can run every shape)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    paths = project_paths(args)
    result = build(paths, base=args.base, engine=args.engine,
                   progress=(lambda _m: None) if args.quiet else progress)
    if args.quiet:
        print(result.output)
        return 0
    print(result.summary.text(), end="")
    print(f"\nvalidation: {result.validation.count('Violation')} violation(s), "
          f"{result.validation.count('Warning')} warning(s), {result.validation.count('Info')} info")
    print(f"outputs in {os.path.relpath(result.output)}/:")
    for path in result.files.values():
        print(f"  {path.name}")
    return 0
