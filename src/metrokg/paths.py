"""Folder locations of a metrokg checkout: the one place that knows the layout."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["OUTPUT_FILES", "STORE_DIR", "ProjectPaths", "default_paths"]

OUTPUT_FILES = {
    "dataset_trig": "metrokg.trig",
    "dataset_nquads": "metrokg.nq",
    "graph_turtle": "metrokg.ttl",
    "graph_jsonld": "metrokg.jsonld",
    "ontology": "ontology.ttl",
    "validation_text": "validation.txt",
    "validation_turtle": "validation.ttl",
    "summary_json": "summary.json",
    "summary_text": "summary.txt",
    "explorer": "explorer.html",
}
"""The files of a build folder (``dist/graph/``), by key: the one list of output names."""

STORE_DIR = "store"
"""The on-disk Oxigraph store in a build folder, published with the dumps."""


@dataclass(frozen=True)
class ProjectPaths:
    """Where the inputs of a build live and where its outputs go."""

    root: Path
    dist_dir: Path | None = None
    """Where builds go; default `<root>/dist` (tests point it at a temporary folder)."""

    @property
    def ontology(self) -> Path:
        return self.root / "ontology" / "metrokg.ttl"

    @property
    def sources(self) -> Path:
        return self.root / "graph" / "sources"

    @property
    def documents(self) -> Path:
        return self.sources / "documents.yaml"

    @property
    def data(self) -> Path:
        return self.root / "graph" / "data"

    @property
    def shapes(self) -> Path:
        return self.root / "shapes"

    @property
    def queries(self) -> Path:
        return self.root / "queries"

    @property
    def sdg_kos(self) -> Path:
        return self.root / "ontology" / "vendor" / "un-sdg-goals-targets.ttl"

    @property
    def dist(self) -> Path:
        return self.dist_dir if self.dist_dir is not None else self.root / "dist"

    @property
    def output(self) -> Path:
        """The current build's outputs: a symlink swapped atomically by each build."""
        return self.dist / "graph"


def default_paths() -> ProjectPaths:
    """The checkout this package was installed from (editable install), else the cwd."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file() and (parent / "graph").is_dir():
            return ProjectPaths(parent)
    return ProjectPaths(Path.cwd())
