"""metrokg — the open knowledge graph of metropolitan networks and actors.

The public API is re-exported here; everything else is private to its module.
Nothing happens at import time: each name is imported from its module on first use, so
``import metrokg`` (and the command line) loads neither pyshacl nor NetworkX until a
step needs them.
"""

import typing as _typing
from importlib import import_module as _import_module

if _typing.TYPE_CHECKING:
    from .analysis.measures import Analysis, NodeScores, analyse
    from .analysis.network import Projection, View, bipartite_view, load_projection, network_view
    from .checks import Finding, ValidationResult
    from .errors import (
        InputError,
        MetrokgError,
        QueryError,
        QuoteNotFound,
        RequestRefused,
        StoreError,
        ValidationFailed,
    )
    from .outputs.build import BuildResult, assemble, build
    from .outputs.explorer import explorer_html
    from .outputs.store import open_store, store_stats
    from .paths import ProjectPaths, default_paths
    from .queries.sparql import AskResult, GraphResult, SelectResult, query

_WHERE = {
    "analysis.measures": ("Analysis", "NodeScores", "analyse"),
    "analysis.network": ("Projection", "View", "bipartite_view", "load_projection", "network_view"),
    "checks": ("Finding", "ValidationResult"),
    "errors": ("InputError", "MetrokgError", "QueryError", "QuoteNotFound", "RequestRefused",
               "StoreError", "ValidationFailed"),
    "outputs.build": ("BuildResult", "assemble", "build"),
    "outputs.explorer": ("explorer_html",),
    "outputs.store": ("open_store", "store_stats"),
    "paths": ("ProjectPaths", "default_paths"),
    "queries.sparql": ("AskResult", "GraphResult", "SelectResult", "query"),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}

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


def __getattr__(name: str) -> _typing.Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'metrokg' has no attribute {name!r}")
    value = getattr(_import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
