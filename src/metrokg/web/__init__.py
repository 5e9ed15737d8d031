"""Publishing the graph as linked open data: a SPARQL endpoint, pages, dataset metadata.

Modules: ``conneg`` (content negotiation), ``policy`` (what the endpoint accepts),
``results`` (result formats), ``sandbox`` (killable query workers), ``endpoint``
(SPARQL 1.1 Protocol), ``resources`` (what the graph says about one IRI), ``pages``
(HTML), ``dataset`` (VoID/DCAT, dumps), ``ontodoc`` (ontology documentation), ``app``
(the ASGI app) and ``publish`` (the static export). Nothing happens at import time.
"""

from __future__ import annotations
