"""Minting instance IRIs from a base and stable keys — never from counters."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

__all__ = ["Iris"]


@dataclass(frozen=True)
class Iris:
    """Every IRI the mapping mints, as pyoxigraph nodes."""

    base: str

    def _id(self, *parts: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + "id/" + "/".join(parts))

    def org(self, slug: str) -> ox.NamedNode:
        return self._id("org", slug)

    def plan(self, slug: str) -> ox.NamedNode:
        return self._id("plan", slug)

    def element(self, plan: str, level: str, key: str) -> ox.NamedNode:
        return self._id("plan", plan, level, key)

    def person(self, slug: str) -> ox.NamedNode:
        return self._id("person", slug)

    def document(self, doc_id: str) -> ox.NamedNode:
        return self._id("source", doc_id)

    def scheme(self, slug: str) -> ox.NamedNode:
        return self._id("scheme", slug)

    def concept(self, scheme: str, key: str) -> ox.NamedNode:
        return self._id("scheme", scheme, key)

    def relation(self, *parts: str) -> ox.NamedNode:
        return self._id("relation", *parts)

    def involvement(self, *parts: str) -> ox.NamedNode:
        return self._id("involvement", *parts)

    def stated_total(self, *parts: str) -> ox.NamedNode:
        return self._id("plan", *parts)

    def graph(self, *parts: str) -> ox.NamedNode:
        return ox.NamedNode(self.base + "graph/" + "/".join(parts))

    @property
    def provenance_graph(self) -> ox.NamedNode:
        return self.graph("provenance")
