"""Regenerate the explorer's pictures in docs/img/:

- ``explorer.png`` — the real graph (the README's picture);
- ``explorer-evidence.png`` — the real graph, the AMB–MedCities link clicked: why they are
  linked, with roles, plan, period and quoted sources;
- ``explorer-focus.png`` — the ego network of Metropolis at depth 1 (``#focus=metropolis``);
- ``explorer-5k.png`` / ``explorer-5k-all.png`` — a synthetic 5,000-organisation network
  (20,000 links): the community overview it opens on, and the whole drawing;
- ``explorer-50k.png`` — a synthetic 50,000-organisation network (200,000 links): the
  overview (skipped with ``--no-large``: its sampled analysis takes minutes).

Usage: .venv/bin/metrokg build && .venv/bin/python scripts/screenshot_explorer.py [--no-large]
Needs Debian's Chromium (scripts/system-deps.sh) and the `playwright` package (dev extra).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ORG = "https://w3id.org/metrokg/id/org/"


def shoot(browser: Any, page_file: Path, out: Path, fragment: str = "",
          then: str | None = None) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(("file:", "data:"))
               else r.abort())
    page.goto(page_file.resolve().as_uri() + fragment)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
    if then:
        page.evaluate(then)
    page.wait_for_timeout(400)
    page.screenshot(path=str(out))
    page.close()
    if errors:
        raise SystemExit(f"{page_file.name}: page errors {errors}")
    print(f"wrote {out}")


CLICK_EDGE = """() => { const x = window.metrokgExplorer;
  const a = x.data.nodes.findIndex((n) => n.id === "ORGamb");
  const b = x.data.nodes.findIndex((n) => n.id === "ORGmedcities");
  const e = x.data.edges.find((e) => (e.s === a && e.t === b) || (e.s === b && e.t === a));
  x.network.selectEdges([e.id]);
  x.network.emit("click", { nodes: [], edges: [e.id] }); }""".replace("ORG", ORG)


def synthetic_page(n: int, folder: Path) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    from bench_explorer import page_for, synthetic

    path, _, _ = page_for(synthetic(n, 4 * n, seed=2), folder, f"synthetic-{n}")
    return path


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-large", action="store_true", help="skip the 50,000-node picture")
    a = ap.parse_args()
    page_file = ROOT / "dist" / "graph" / "explorer.html"
    if not page_file.is_file():
        raise SystemExit("no dist/graph/explorer.html: run `metrokg build` first")
    img = ROOT / "docs" / "img"
    tmp = Path(tempfile.mkdtemp())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        shoot(browser, page_file, img / "explorer.png")
        shoot(browser, page_file, img / "explorer-evidence.png", then=CLICK_EDGE)
        shoot(browser, page_file, img / "explorer-focus.png", "#focus=metropolis&depth=1")
        five = synthetic_page(5000, tmp)
        shoot(browser, five, img / "explorer-5k.png")
        shoot(browser, five, img / "explorer-5k-all.png", "#view=all")
        if not a.no_large:
            shoot(browser, synthetic_page(50_000, tmp), img / "explorer-50k.png")
        browser.close()


if __name__ == "__main__":
    main()
