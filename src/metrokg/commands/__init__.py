"""CLI subcommands: each module has `register(subparsers)` and sets `run` on its parser."""

from __future__ import annotations

from types import ModuleType

from . import build, explore, generate, network, publish, push, query, serve, stats, validate, vocab

MODULES: tuple[ModuleType, ...] = (
    build, validate, stats, vocab, network, explore, query, push, serve, publish, generate,
)
