"""The ontology: labelled and defined in ca/es/en, and in sync with the code that uses it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from metrokg.mapping.ontology import load_ontology
from metrokg.namespaces import MKG

LANGS = {"ca", "es", "en"}


@pytest.fixture(scope="module")
def ontology(project_root: Path) -> Graph:
    return load_ontology(project_root / "ontology" / "metrokg.ttl")


def _local_terms(ontology: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted({s for k in kinds for s in ontology.subjects(RDF.type, k)
                   if isinstance(s, URIRef) and str(s).startswith(str(MKG))})


def test_every_local_term_is_labelled_and_defined_in_three_languages(ontology: Graph) -> None:
    missing = []
    for term in _local_terms(ontology):
        for prop in (RDFS.label, SKOS.definition):
            langs = {getattr(v, "language", None) for v in ontology.objects(term, prop)}
            if not langs >= LANGS:
                missing.append(f"{term} {prop}: has {sorted(filter(None, langs))}")
    assert missing == []


def test_every_concept_has_a_label_in_three_languages(ontology: Graph) -> None:
    missing = [str(c) for c in ontology.subjects(RDF.type, SKOS.Concept)
               if not {getattr(v, "language", None)
                                for v in ontology.objects(c, SKOS.prefLabel)} >= LANGS]
    assert missing == []


def test_every_term_the_code_uses_is_defined(ontology: Graph, project_root: Path) -> None:
    used = set()
    for path in (project_root / "src" / "metrokg").rglob("*.py"):
        used |= set(re.findall(r"\bMKG\.([A-Za-z]+)\b", path.read_text(encoding="utf-8")))
    defined = {str(s).removeprefix(str(MKG)) for s in ontology.subjects()
               if isinstance(s, URIRef) and str(s).startswith(str(MKG))}
    assert sorted(used - defined) == []


def test_version_is_stamped_only_by_the_build(project_root: Path) -> None:
    source = (project_root / "ontology" / "metrokg.ttl").read_text(encoding="utf-8")
    assert "owl:versionIRI" not in source.split("# ----", 1)[1]
    stamped = load_ontology(project_root / "ontology" / "metrokg.ttl", stamp="9.9.9")
    assert (URIRef("https://w3id.org/metrokg/def"), OWL.versionIRI,
            URIRef("https://w3id.org/metrokg/def/version/9.9.9")) in stamped
