"""metrokg — the open knowledge graph of metropolitan networks and actors.

The public API is re-exported here; everything else is private to its module.
Nothing happens at import time.
"""

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
from .paths import ProjectPaths, default_paths
from .sparql import AskResult, GraphResult, SelectResult, query
from .store import open_store, store_stats
from .validate import Finding, ValidationResult

__all__ = [
    "AskResult", "GraphResult", "SelectResult", "query",
    "BuildResult", "Finding", "InputError", "MetrokgError", "ProjectPaths", "QueryError",
    "QuoteNotFound", "RequestRefused", "StoreError", "ValidationFailed", "ValidationResult",
    "assemble", "build",
    "default_paths", "open_store", "store_stats",
]
