"""Publishing the graph as linked open data: a SPARQL endpoint, pages, dataset metadata.

Modules: ``conneg`` (content negotiation), ``policy`` (what the endpoint accepts),
``results`` (result formats), ``sandbox`` (killable query workers), ``endpoint``
(SPARQL 1.1 Protocol), ``resources`` (what the graph says about one IRI), ``pages``
(HTML), ``dataset`` (VoID/DCAT, dumps), ``ontodoc`` (ontology documentation), ``app``
(the ASGI app) and ``publish`` (the static export). Nothing happens at import time.

Entry points: :func:`metrokg.web.app.create_app` (with :class:`~metrokg.web.app.ServeConfig`),
:func:`metrokg.web.state.load_published` and :func:`metrokg.web.publish.publish_site`. They
are not re-exported from :mod:`metrokg`, so that importing the package (as every query
worker does) does not import the web framework.
"""

from __future__ import annotations
