"""metrokg — the open knowledge graph of metropolitan networks and actors.

The public API is re-exported here; everything else is private to its module.
Nothing happens at import time.
"""

from .analysis import Analysis, NodeScores, analyse
from .build import BuildResult, assemble, build
from .errors import (
    InputError,
    MetrokgError,
    QueryError,
    QuoteNotFound,
    RequestRefused,
    StoreError,
    ValidationFailed,
)
from .explorer import explorer_html
from .network import Projection, View, bipartite_view, load_projection, network_view
from .paths import ProjectPaths, default_paths
from .sparql import AskResult, GraphResult, SelectResult, query
from .store import open_store, store_stats
from .validate import Finding, ValidationResult

__all__ = [
    "Analysis",
    "AskResult",
    "BuildResult",
    "Finding",
    "GraphResult",
    "InputError",
    "MetrokgError",
    "NodeScores",
    "ProjectPaths",
    "Projection",
    "QueryError",
    "QuoteNotFound",
    "RequestRefused",
    "SelectResult",
    "StoreError",
    "ValidationFailed",
    "ValidationResult",
    "View",
    "analyse",
    "assemble",
    "bipartite_view",
    "build",
    "default_paths",
    "explorer_html",
    "load_projection",
    "network_view",
    "open_store",
    "query",
    "store_stats",
]
