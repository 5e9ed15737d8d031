"""metrokg — the open knowledge graph of metropolitan networks and actors.

The public API is re-exported here; everything else is private to its module.
Nothing happens at import time: each name is imported from its module on first use, so
``import metrokg`` (and the command line) loads neither pyshacl nor NetworkX until a
step needs them.
"""

import typing as _typing
from importlib import import_module as _import_module

# the build is imported now: importing the submodule `metrokg.build` would otherwise
# shadow the function `metrokg.build` (it is light: no pyshacl, no NetworkX)
from .build import BuildResult, assemble, build

if _typing.TYPE_CHECKING:
    from .analysis import Analysis, NodeScores, analyse
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

_WHERE = {
    "analysis": ("Analysis", "NodeScores", "analyse"),
    "errors": ("InputError", "MetrokgError", "QueryError", "QuoteNotFound", "RequestRefused",
               "StoreError", "ValidationFailed"),
    "explorer": ("explorer_html",),
    "network": ("Projection", "View", "bipartite_view", "load_projection", "network_view"),
    "paths": ("ProjectPaths", "default_paths"),
    "sparql": ("AskResult", "GraphResult", "SelectResult", "query"),
    "store": ("open_store", "store_stats"),
    "validate": ("Finding", "ValidationResult"),
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
