"""Kept for imports of ``metrokg.summary``: see :mod:`metrokg.outputs.summary`."""

from .outputs.summary import Summary, summarise

__all__ = ["Summary", "summarise"]
