"""Queries on the built graph: the catalogue, the local and remote engines, result formats.

    catalogue.py    the named queries of ``queries/`` with their parameters
    queryparse.py   what a SPARQL text is, decided by parsing it (never by keywords)
    sparql.py       :func:`query`: a catalogue name or a text, on the build or an endpoint
    localrun.py     a local query in a child process: timeout, crash, no network
    isolation.py    cutting a query process off the network, capping its memory
    render.py       result formats (pyoxigraph's writers), tables for the terminal
    localserver.py  a throwaway Oxigraph server on loopback
    notebook.py     tables and charts from results, for the notebooks
"""
