"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..namespaces import DEFAULT_BASE
from ..paths import ProjectPaths, default_paths

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")
"""The analysis measures (metrokg.analysis.MEASURES), named here so that parsing the
command line does not import NetworkX; a test keeps the two equal."""
COLOUR_BY = ("type", "community")
"""Explorer colourings (metrokg.explorer.COLOUR_BY)."""
LANGUAGES = ("ca", "es", "en")
"""Name languages (metrokg.network.LANGUAGES)."""
CENTRALITY_ENGINES = ("auto", "networkx", "igraph")
"""Engines of the network measures (metrokg.centrality.ENGINES)."""


def add_project_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--project", type=Path, default=None, metavar="DIR",
                   help="the metrokg checkout to work on (default: this one)")
    p.add_argument("--base", default=DEFAULT_BASE, metavar="IRI",
                   help=f"base of minted IRIs (default {DEFAULT_BASE})")


def project_paths(args: argparse.Namespace) -> ProjectPaths:
    return ProjectPaths(args.project.resolve()) if args.project else default_paths()


def progress(message: str) -> None:
    print(f"  · {message}", file=sys.stderr, flush=True)


def add_graph_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--graph", type=Path, default=None, metavar="DIR",
                   help="build output folder to use (default: dist/graph of the project)")


def built_output(args: argparse.Namespace, paths: ProjectPaths) -> Path:
    """The build output folder chosen by --graph (or the project's), checked to exist."""
    from ..errors import StoreError

    output: Path = (args.graph or paths.output).resolve()
    if not (output / "metrokg.nq").is_file():
        raise StoreError(f"no built dataset in {output}: run `metrokg build` first")
    return output
