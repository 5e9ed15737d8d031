"""Every statement cites its source.

Proof by exhaustion over the built dataset: every named graph other than the
provenance graph is either derived from a passage whose quote occurs, verbatim and at
the recorded offsets, in its source document (read from graph/sources/, not from the
build), or derived from an http(s) URL. The default graph is empty.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from metrokg.outputs.build import BuildResult

OA = "http://www.w3.org/ns/oa#"
PROVENANCE = URIRef("https://w3id.org/metrokg/graph/provenance")


@pytest.fixture(scope="module")
def dataset(built: BuildResult) -> Dataset:
    ds = Dataset()
    ds.parse(built.files["dataset_nquads"], format="nquads")
    return ds


@pytest.fixture(scope="module")
def texts(project_root: Path) -> dict[str, str]:
    """Source documents by file name, read straight from the repository."""
    folder = project_root / "graph" / "sources"
    return {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.txt")}


def test_default_graph_is_empty(dataset: Dataset) -> None:
    assert len(dataset.default_graph) == 0


def test_every_statement_sits_in_a_graph_with_a_verified_source(
        dataset: Dataset, texts: dict[str, str]) -> None:
    prov = dataset.graph(PROVENANCE)
    graphs = [g for g in dataset.graphs() if len(g) and g.identifier != PROVENANCE]
    assert len(graphs) > 400  # every record has its own graph
    unsourced: list[str] = []
    for graph in graphs:
        origin = prov.value(graph.identifier, PROV.wasDerivedFrom)
        if origin is None:
            unsourced.append(f"{graph.identifier}: no prov:wasDerivedFrom")
            continue
        if prov.value(origin, URIRef(OA + "hasSource")) is None:
            if not str(origin).startswith(("http://", "https://")):
                unsourced.append(f"{graph.identifier}: source {origin} is not a URL")
            continue
        problem = _check_passage(prov, origin, texts)
        if problem:
            unsourced.append(f"{graph.identifier}: {problem}")
    assert unsourced == []


def _check_passage(prov: object, passage: URIRef, texts: dict[str, str]) -> str | None:
    from rdflib import Graph

    assert isinstance(prov, Graph)
    document = prov.value(passage, URIRef(OA + "hasSource"))
    name = prov.value(document, DCTERMS.identifier)
    if name is None or str(name) not in texts:
        return f"document {document} is not a file in graph/sources/"
    text = texts[str(name)]
    exact = start = end = None
    for selector in prov.objects(passage, URIRef(OA + "hasSelector")):
        kind = prov.value(selector, RDF.type)
        if kind == URIRef(OA + "TextQuoteSelector"):
            exact = prov.value(selector, URIRef(OA + "exact"))
        elif kind == URIRef(OA + "TextPositionSelector"):
            start = prov.value(selector, URIRef(OA + "start"))
            end = prov.value(selector, URIRef(OA + "end"))
    if not isinstance(exact, Literal) or not str(exact).strip():
        return "no quote"
    if str(exact) not in text:
        return f"quote not in {name}: {str(exact)[:60]!r}"
    if start is None or end is None or text[int(start):int(end)] != str(exact):
        return "recorded offsets do not select the quote"
    return None


def test_reference_graphs_cite_their_origin(dataset: Dataset) -> None:
    prov = dataset.graph(PROVENANCE)
    sdg = URIRef("https://w3id.org/metrokg/graph/un-sdg")
    assert prov.value(sdg, PROV.wasDerivedFrom) == URIRef("http://metadata.un.org/sdg")
    citation = str(prov.value(sdg, DCTERMS.bibliographicCitation))
    assert "A Knowledge Organization System for the United Nations Sustainable Development Goals" \
        in citation


def test_quote_search_finds_what_a_whitespace_tolerant_regex_finds() -> None:
    """locate_quote (one search in a flattened text) against the regular expression it
    replaced, on random texts full of white space of several kinds."""
    import random
    import re

    from metrokg.records.sources import locate_quote, normalise_space

    def oracle(text: str, quote: str) -> tuple[int, int, str] | None:
        words = normalise_space(quote).split(" ")
        if words == [""]:
            return None
        m = re.search(r"\s+".join(re.escape(w) for w in words), text)
        return None if m is None else (m.start(), m.end(), m.group(0))

    rng = random.Random(3)
    alphabet = "ab c\n\t\u00a0d  ."
    found = 0
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        i, j = sorted(rng.randrange(0, len(text) + 1) for _ in range(2))
        quote = text[i:j] if rng.random() < 0.7 else \
            "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 6)))
        got = locate_quote(text, quote)
        assert (None if got is None else (got.start, got.end, got.exact)) == oracle(text, quote)
        found += got is not None
    assert found > 1000
