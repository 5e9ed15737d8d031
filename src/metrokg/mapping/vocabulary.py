"""The controlled values the ontology defines, read from its triples."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from .terms import MKG, RDF, SKOS

__all__ = ["Vocabulary"]


@dataclass(frozen=True)
class Vocabulary:
    """The controlled values (slug → IRI) and the UN SDG concepts."""

    org_types: Mapping[str, ox.NamedNode]
    roles: Mapping[str, ox.NamedNode]
    statuses: Mapping[str, ox.NamedNode]
    bases: Mapping[str, ox.NamedNode]
    sdg_concepts: frozenset[ox.NamedNode] = frozenset()
    readings: Mapping[str, ox.NamedNode] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, ontology: Iterable[ox.Triple | ox.Quad],
                     sdg: Iterable[ox.Triple | ox.Quad] = ()) -> Vocabulary:
        """Read the concept schemes of *ontology* and the concepts of the SDG scheme."""
        in_scheme: dict[ox.NamedNode, set[ox.NamedNode]] = {}
        notations: dict[ox.NamedNode, list[str]] = {}
        for t in ontology:
            s, p, o = t.subject, t.predicate, t.object
            if not isinstance(s, ox.NamedNode):
                continue
            if p == SKOS.inScheme and isinstance(o, ox.NamedNode):
                in_scheme.setdefault(o, set()).add(s)
            elif p == SKOS.notation and isinstance(o, ox.Literal):
                notations.setdefault(s, []).append(o.value)

        def scheme(iri: ox.NamedNode) -> dict[str, ox.NamedNode]:
            return {n: c for c in sorted(in_scheme.get(iri, ()), key=lambda c: c.value)
                    for n in notations.get(c, ())}

        concepts = frozenset(t.subject for t in sdg if t.predicate == RDF.type
                             and t.object == SKOS.Concept and isinstance(t.subject, ox.NamedNode))
        return cls(scheme(MKG.OrganisationTypes), scheme(MKG.Roles), scheme(MKG.Statuses),
                   scheme(MKG.StatusBases), concepts, scheme(MKG.Readings))
