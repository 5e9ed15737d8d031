"""The small drawing on an organisation's page shows the partnership network's edges.

Metropolis's page must list as many linked organisations as its degree in the whole
network view (the edges `metrokg network` and the explorer use, not memberships only),
and link to the explorer focused on it.
"""

from __future__ import annotations

import re

import pytest

from metrokg.analysis.network import View, load_projection, network_view
from metrokg.outputs.build import BuildResult
from metrokg.outputs.store import open_store
from metrokg.paths import ProjectPaths
from metrokg.web.pages import Linker
from metrokg.web.state import load_published, resource_html

METROPOLIS = "https://w3id.org/metrokg/id/org/metropolis"


@pytest.fixture(scope="module")
def page(built: BuildResult, built_paths: ProjectPaths) -> str:
    pub = load_published(built.output, base="https://w3id.org/metrokg/",
                         queries=built_paths.queries)
    html = resource_html(pub, METROPOLIS, lang="en", linker=Linker("https://w3id.org/metrokg/"),
                         alternates={})
    assert html is not None
    return html


def test_drawing_has_every_network_neighbour(page: str, built: BuildResult,
                                             built_paths: ProjectPaths) -> None:
    store = open_store(dump=built.files["dataset_nquads"])
    graph = network_view(load_projection(store, built_paths.queries / "network"), View())
    degree = graph.degree(METROPOLIS)
    assert degree > 8  # more than its memberships alone (the old drawing showed 8)
    section = page.split('<section id="network">', 1)[1].split("</section>", 1)[0]
    assert f"Linked to {degree} organisations" in section
    circles = re.findall(r'<circle [^>]*class="node"', section)
    assert len(circles) == min(degree, 40)


def test_page_links_to_the_explorer_focused_on_it(page: str) -> None:
    assert re.search(r"href=\"[^\"]*explorer\.html#focus=metropolis&(amp;)?lang=en\"", page)
