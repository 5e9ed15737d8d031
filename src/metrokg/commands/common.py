"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..namespaces import DEFAULT_BASE
from ..paths import ProjectPaths, default_paths


def add_project_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--project", type=Path, default=None, metavar="DIR",
                   help="the metrokg checkout to work on (default: this one)")
    p.add_argument("--base", default=DEFAULT_BASE, metavar="IRI",
                   help=f"base of minted IRIs (default {DEFAULT_BASE})")


def project_paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths(args.project.resolve()) if args.project else default_paths()


def progress(message: str) -> None:
    print(f"  · {message}", file=sys.stderr, flush=True)
