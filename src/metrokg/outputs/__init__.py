"""Outputs of a build, all read from the one Oxigraph store: dumps, summary, store."""
