"""Eigenvector centrality where ARPACK's default Arnoldi run does not converge.

A path of n nodes has adjacency eigenvalues 2·cos(kπ/(n+1)) and leading eigenvector
sin(kπ/(n+1))·(…), k = 1…n: the gap between the two largest shrinks as 1/n², and at
n = 600 NetworkX's ``eigenvector_centrality_numpy`` (ARPACK, ``maxiter=50·n``) raises
``ArpackNoConvergence`` on every try (at 208, on some random starts only): the error
reported to stop ``metrokg build`` at ``metrokg generate --scale 90`` (exit 70). The
expected scores are the closed form, not a run.
"""

from __future__ import annotations

import math

import networkx as nx
import pytest
from scipy.sparse.linalg import ArpackNoConvergence

from metrokg.analysis.measures import _eigenvector


def _path_closed_form(n: int) -> list[float]:
    raw = [math.sin((i + 1) * math.pi / (n + 1)) for i in range(n)]
    norm = math.sqrt(sum(v * v for v in raw))
    return [v / norm for v in raw]


def test_networkx_default_fails_on_this_path() -> None:
    with pytest.raises(ArpackNoConvergence):
        nx.eigenvector_centrality_numpy(nx.path_graph(600), weight="weight")


def test_eigenvector_on_a_path_where_arpack_fails() -> None:
    graph = nx.path_graph(600)
    scores = _eigenvector(graph)
    expected = _path_closed_form(600)
    assert sorted(scores) == list(range(600))
    assert max(abs(scores[i] - expected[i]) for i in range(600)) < 1e-9


def test_eigenvector_where_arpack_converges_is_unchanged() -> None:
    graph = nx.path_graph(20)
    expected = _path_closed_form(20)
    scores = _eigenvector(graph)
    assert max(abs(scores[i] - expected[i]) for i in range(20)) < 1e-9
