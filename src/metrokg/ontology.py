"""The ontology: loading the hand-edited source and stamping its version."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .errors import InputError
from .namespaces import OWL, bind_prefixes

__all__ = ["ONTOLOGY_IRI", "load_ontology", "version"]

ONTOLOGY_IRI = URIRef("https://w3id.org/metrokg/def")


def version() -> str:
    """The package version (the one version source is pyproject.toml)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as dist_version

    try:
        return dist_version("metrokg")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0.0.0"


def load_ontology(path: Path, *, stamp: str | None = None) -> Graph:
    """Parse the ontology; with *stamp*, add ``owl:versionIRI`` and ``owl:versionInfo``."""
    graph = bind_prefixes(Graph())
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise InputError(str(path), "ontology file is missing") from None
    except Exception as exc:  # rdflib raises several unrelated types for syntax errors
        raise InputError(str(path), f"ontology does not parse: {exc}") from None
    if stamp:
        graph.add((ONTOLOGY_IRI, OWL.versionIRI, URIRef(f"{ONTOLOGY_IRI}/version/{stamp}")))
        graph.add((ONTOLOGY_IRI, OWL.versionInfo, Literal(stamp)))
    return graph
