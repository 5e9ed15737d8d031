"""Regenerate docs/img/explorer.png, the README's picture of the network explorer.

Usage: .venv/bin/metrokg build && .venv/bin/python scripts/screenshot_explorer.py
Needs Debian's Chromium (scripts/system-deps.sh) and the `playwright` package (dev extra).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> None:
    page_file = ROOT / "dist" / "graph" / "explorer.html"
    if not page_file.is_file():
        raise SystemExit("no dist/graph/explorer.html: run `metrokg build` first")
    out = ROOT / "docs" / "img" / "explorer.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(page_file.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", timeout=60_000)
        page.screenshot(path=str(out))
        browser.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
