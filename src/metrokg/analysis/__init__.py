"""Network analysis: the projection of the graph, its views, the measures and their RDF.

    network.py      projection queries → typed records → NetworkX views (ego, bipartite)
    measures.py     centrality, communities, bridges and brokers on a view; CSV/JSON/RDF
    centrality.py   the exact O(nm) measures and communities, on igraph where it is large
    nogc.py         the cyclic collector paused while large graphs are built
"""
