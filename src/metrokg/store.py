"""Kept for imports of ``metrokg.store``: the store lives in :mod:`metrokg.outputs.store`."""

from .outputs.store import StoreStats, open_store, store_stats

__all__ = ["StoreStats", "open_store", "store_stats"]
