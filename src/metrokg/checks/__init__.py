"""checks — the dataset against its rules: SHACL shapes and dataset-level SPARQL checks.

One entry point, :func:`validate_store`, on the pyoxigraph store the build holds; pyshacl
is the reference engine, pyrudof the fast one, with identical findings.
"""

from __future__ import annotations

from .dataset import run_checks
from .findings import Finding, ValidationResult, sort_findings
from .records import Records
from .shapes import load_shapes
from .validate import ENGINES, validate_shapes, validate_store

__all__ = [
    "ENGINES", "Finding", "Records", "ValidationResult", "load_shapes", "run_checks",
    "sort_findings", "validate_shapes", "validate_store",
]
