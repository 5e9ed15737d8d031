"""Regenerate docs/img/page-*.png: the plan, organisation, SDG and query pages.

Usage: .venv/bin/metrokg build && .venv/bin/python scripts/screenshot_pages.py
Starts `metrokg serve` on a free loopback port, opens each page in Debian's Chromium
(scripts/system-deps.sh) through Playwright (dev extra), and stops the server.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
PAGES = {
    "page-plan.png": "/id/plan/metropolis-action-plan-2018-2020",
    "page-organisation.png": "/id/org/amb",
    "page-sdg.png": "/sdg/11",
    "page-query.png": "/query?lang=ca",
}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    graph = ROOT / "dist" / "graph"
    if not (graph / "metrokg.nq").is_file():
        raise SystemExit("no dist/graph/metrokg.nq: run `metrokg build` first")
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "metrokg", "serve", "--graph", str(graph),
                               "--port", str(port), "--project", str(ROOT)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url + "/sparql", timeout=2).status_code == 200:
                    break
            time.sleep(0.3)
        out = ROOT / "docs" / "img"
        out.mkdir(parents=True, exist_ok=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1400})
            for name, path in PAGES.items():
                page.goto(url + path, wait_until="load")
                if path.startswith("/query"):
                    with contextlib.suppress(Exception):
                        page.select_option("#examples", index=1)
                        page.click("#run")
                        page.wait_for_selector("#results table td", timeout=15_000)
                page.screenshot(path=str(out / name))
                print(f"wrote {out / name}")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
