"""`metrokg validate [FILE…]`: check records (yours and the project's) and report per record."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..checks import ENGINES
from .common import add_project_options, progress, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("validate", help="validate data files and report what is wrong",
                       description="Validate the project's records together with FILEs (YAML "
                                   "record files, e.g. your own organisations and plans). "
                                   "Exit 0 if there is no Violation, 3 otherwise, 2 on bad input.")
    p.add_argument("files", nargs="*", type=Path, metavar="FILE")
    add_project_options(p, minting=True)
    p.add_argument("--engine", choices=ENGINES, default="auto",
                   help="SHACL engine: pyshacl (the reference), rudof (pyrudof, fast), or auto "
                        "(rudof unless the shapes need pyshacl); same findings either way")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..outputs.build import assemble

    paths = project_paths(args)
    data = paths.data.resolve()
    extra = [f for f in args.files if f.resolve().parent != data]
    assembled = assemble(paths, base=args.base, extra=extra, engine=args.engine,
                         progress=(lambda _m: None) if args.quiet else progress)
    result = assembled.validation
    mine = {str(f) for f in args.files}
    own = [f for f in result.findings if not mine or (f.record or "").split("#")[0] in mine]
    elsewhere = [f for f in result.findings if f not in own]
    print(result.text().splitlines()[0])
    for finding in own:
        print(finding.line())
    if elsewhere:
        print("\nfindings located in other records (your files may be the cause):")
        for finding in elsewhere:
            print(finding.line())
    return 0 if result.conforms else 3
