"""The ontology: loading the hand-edited source and stamping its version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef

from ..errors import InputError
from ..namespaces import OWL, bind_prefixes

if TYPE_CHECKING:
    import pyoxigraph as ox

__all__ = ["ONTOLOGY_IRI", "load_ontology", "ontology_triples", "version"]

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


def ontology_triples(path: Path, *, stamp: str | None = None) -> list[ox.Triple]:
    """The ontology as pyoxigraph triples (parsed by Oxigraph), stamped like :func:`load_ontology`."""
    import pyoxigraph as ox

    try:
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    except FileNotFoundError:
        raise InputError(str(path), "ontology file is missing") from None
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(str(path), f"ontology does not parse: {exc}") from None
    if stamp:
        iri = ox.NamedNode(str(ONTOLOGY_IRI))
        triples.append(ox.Triple(iri, ox.NamedNode(str(OWL.versionIRI)),
                                 ox.NamedNode(f"{ONTOLOGY_IRI}/version/{stamp}")))
        triples.append(ox.Triple(iri, ox.NamedNode(str(OWL.versionInfo)), ox.Literal(stamp)))
    return triples
