"""`metrokg vocab`: the controlled values records may use (types, roles, statuses)."""

from __future__ import annotations

import argparse

from ..mapping import LEVELS, Vocabulary
from ..mapping.ontology import ontology_triples
from .common import add_project_options, project_paths


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("vocab", help="list organisation types, roles, levels and statuses")
    add_project_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    vocab = Vocabulary.from_triples(ontology_triples(project_paths(args).ontology))
    for title, values in (("organisation types", vocab.org_types), ("roles", vocab.roles),
                          ("levels", LEVELS), ("statuses", vocab.statuses),
                          ("status bases", vocab.bases)):
        print(f"{title}: {', '.join(sorted(values))}")
    return 0
