"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..namespaces import DEFAULT_BASE
from ..paths import ProjectPaths, default_paths

MEASURES = ("degree", "weighted_degree", "betweenness", "closeness", "eigenvector", "pagerank")
"""The analysis measures (metrokg.analysis.measures.MEASURES), named here so that parsing the
command line does not import NetworkX; a test keeps the two equal."""
COLOUR_BY = ("type", "community")
"""Explorer colourings (metrokg.outputs.explorer.COLOUR_BY)."""
LANGUAGES = ("ca", "es", "en")
"""Name languages (metrokg.analysis.network.LANGUAGES)."""
CENTRALITY_ENGINES = ("auto", "networkx", "igraph")
"""Engines of the network measures (metrokg.analysis.centrality.ENGINES)."""


def add_project_options(p: argparse.ArgumentParser, *, minting: bool = False) -> None:
    """``--project``, and ``--base`` for the commands that mint IRIs (*minting*).

    Commands that read a build take its base from the build (:func:`build_base`).
    """
    p.add_argument("--project", type=Path, default=None, metavar="DIR",
                   help="the metrokg checkout to work on (default: this one)")
    if minting:
        p.add_argument("--base", default=DEFAULT_BASE, type=_base, metavar="IRI",
                       help=f"base of minted IRIs, ending in / (default {DEFAULT_BASE}); "
                            "commands that read the build take it from the build")


def _base(value: str) -> str:
    if not value.endswith("/") or ":" not in value or any(c in value for c in ' <>"{}|\\^`'):
        raise argparse.ArgumentTypeError(f"{value!r} is not an absolute IRI ending in / "
                                         "(e.g. https://example.org/kg/)")
    return value


def build_base(output: Path) -> str:
    """The base the build in *output* minted its IRIs under (recorded in summary.json)."""
    from ..outputs.summary import recorded_base

    return recorded_base(output)


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
