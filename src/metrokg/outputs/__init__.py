"""Outputs of a build, all read from the one Oxigraph store, and the build that makes them.

    build.py        the pipeline: records → quads in one store → checks → outputs, atomically
    networkstep.py  the build's network step: analysis added to the store, the explorer page
    dumps.py        TriG / N-Quads / Turtle dumps from sorted quads
    summary.py      counts per kind and graph
    store.py        the on-disk store published beside the dumps
    explorer.py     the self-contained network explorer page
    push.py         the dumps into a triple store (Graph Store Protocol)
    bulkload.py     the dumps straight into a store's files (Oxigraph, Virtuoso)
"""
