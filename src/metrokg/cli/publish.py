"""`metrokg publish --out DIR`: the whole site as static files (atomic)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import (
    add_graph_option,
    add_project_options,
    build_base,
    built_output,
    progress,
    project_paths,
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "publish", help="export the site as static files (pages, RDF, dumps, VoID/DCAT)",
        description="Write the whole site (a page and Turtle/JSON-LD/N-Triples per resource, "
                    "dumps, VoID/DCAT, ontology docs, the explorer if built) to DIR, with "
                    "content-negotiation rules for Apache (.htaccess) and nginx (nginx.conf). "
                    "DIR is replaced only when the export is complete.")
    add_project_options(p)
    p.add_argument("--out", type=Path, default=None, metavar="DIR",
                   help="target folder (default dist/site of the project)")
    add_graph_option(p)
    p.add_argument("--site", default=None, metavar="URL",
                   help="public address of the site, for download links (default: the build's base)")
    p.add_argument("--lang", default="en", choices=["ca", "es", "en"],
                   help="language of the static pages (default en)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..web.publish import publish_site
    from ..web.state import load_published

    paths = project_paths(args)
    output = built_output(args, paths)
    site = args.site if args.site is None or args.site.endswith("/") else args.site + "/"
    pub = load_published(output, base=build_base(output), queries=paths.queries)
    result = publish_site(pub, args.out or paths.dist / "site", lang=args.lang, site_root=site,
                          progress=progress)
    print(f"published {result.pages} pages, {result.files} files "
          f"({result.bytes / 1e6:.1f} MB) to {result.out}")
    return 0
