"""The build's network step: analyse the whole network, add the results, make the explorer.

Called by :func:`metrokg.outputs.build.build` after validation, on the build's one Oxigraph store:
the projection queries run on it, the whole undirected view is analysed, and the analysis
graph and its provenance are added to it. The results' date comes from
:func:`metrokg.analysis.measures.analysis_date` (``SOURCE_DATE_EPOCH``; else, in a git checkout
whose inputs have no uncommitted change, the time of the last commit touching them; else
the newest input's modification time), so the same inputs give byte-identical outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from ..analysis.measures import Analysis, analyse, analysis_date, to_quads
from ..analysis.network import View, label_of, load_projection, network_view
from ..paths import ProjectPaths
from .explorer import explorer_html

__all__ = ["EXACT_UP_TO", "SAMPLES", "NetworkStep", "add_network_analysis"]

#: Exact betweenness and closeness are O(nm): the build computes them exactly up to this
#: many organisations, and above it from SAMPLES seeded sources / pivots (O(km), so the
#: build's cost stays linear; the analysis graph records k and the seed, decision 0221).
#: `metrokg network` computes them exactly at any size unless asked to sample.
EXACT_UP_TO = 5_000
SAMPLES = 500


@dataclass(frozen=True)
class NetworkStep:
    """What the network step added: the analysis, and the explorer page to write."""

    analysis: Analysis
    explorer_html: str


def add_network_analysis(store: ox.Store, paths: ProjectPaths, *, base: str,
                         exact_up_to: int = EXACT_UP_TO) -> NetworkStep:
    """Analyse the whole network in *store*, add the results to it, return the explorer.

    Betweenness and closeness are exact up to *exact_up_to* organisations, sampled from
    :data:`SAMPLES` sources and pivots above it.
    """
    projection = load_projection(store, paths.queries / "network")
    graph = network_view(projection, View())
    k = SAMPLES if graph.number_of_nodes() > exact_up_to else None
    analysis = analyse(graph, betweenness_k=k, closeness_k=k)
    date = analysis_date([paths.documents, paths.sources, paths.data, paths.ontology,
                          paths.sdg_kos, paths.queries / "network"])
    store.bulk_extend(to_quads(analysis, base=base, date=date))
    plans = {p: label_of(projection.elements[p].names, p, "en") for p in projection.plans()}
    html = explorer_html(graph, analysis, title="metrokg — partnership network", plans=plans)
    return NetworkStep(analysis, html)
