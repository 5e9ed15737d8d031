"""The build's network step: analyse the whole network, add the results, make the explorer.

Called once at the end of :func:`metrokg.build.assemble`. It loads the assembled dataset
into an in-memory Oxigraph store (the projection queries run on Oxigraph, as everywhere
else), analyses the whole undirected view, adds the analysis graph and its provenance to
the dataset and returns the explorer page. The results' date comes from
:func:`metrokg.analysis.analysis_date` (``SOURCE_DATE_EPOCH``, else the newest input
file's modification time), so the same inputs give byte-identical outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Dataset

from .analysis import Analysis, analyse, analysis_date, to_rdf
from .explorer import explorer_html
from .network import View, label_of, load_projection, network_view
from .paths import ProjectPaths
from .serialise import to_nquads

__all__ = ["NetworkStep", "add_network_analysis"]


@dataclass(frozen=True)
class NetworkStep:
    """What the network step added: the analysis, and the explorer page to write."""

    analysis: Analysis
    explorer_html: str


def add_network_analysis(dataset: Dataset, paths: ProjectPaths, *, base: str) -> NetworkStep:
    """Analyse the whole network of *dataset*, add the results to it, return the explorer."""
    store = ox.Store()
    store.load(to_nquads(dataset).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
    projection = load_projection(store, paths.queries / "network")
    graph = network_view(projection, View())
    analysis = analyse(graph)
    date = analysis_date([paths.documents, paths.sources, paths.data, paths.ontology,
                          paths.sdg_kos, paths.queries / "network"])
    to_rdf(analysis, base=base, date=date, dataset=dataset)
    plans = {p: label_of(projection.elements[p].names, p, "en") for p in projection.plans()}
    html = explorer_html(graph, analysis, title="metrokg — partnership network", plans=plans)
    return NetworkStep(analysis, html)
