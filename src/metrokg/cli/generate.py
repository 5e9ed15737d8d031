"""`metrokg generate`: write a synthetic project (the real records plus invented blocks)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import InputError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("generate", help="write a synthetic project for benchmarks and tests",
                       description="Write a project folder holding this checkout's records "
                                   "plus invented, clearly named synthetic records, whose build "
                                   "has about K times today's quads (12.4k), deterministic "
                                   "from the seed. "
                                   "Build or validate it with --project DIR.")
    p.add_argument("--scale", type=float, required=True, metavar="K",
                   help="multiple of today's quad count (at least 1; 100 gives ~1.24 M quads)")
    p.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    p.add_argument("--out", type=Path, required=True, metavar="DIR",
                   help="folder to create (must be empty or absent)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..records.synthetic import block_count, generate

    if args.scale < 1:
        raise InputError("--scale", f"{args.scale} is below 1",
                         hint="K is a multiple of today's quad count: 1 or more")
    out: Path = args.out
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise InputError(str(out), "exists and is not an empty folder",
                         hint="choose a new folder for --out")
    generate(out, scale=args.scale, seed=args.seed)
    print(f"{out}: {block_count(args.scale)} synthetic blocks; "
          f"`metrokg build --project {out}` builds it")
    return 0
