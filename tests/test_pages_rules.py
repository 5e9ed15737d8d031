"""The static site's content negotiation agrees with the server's (issue 14).

A table of Accept headers real clients send (and q-value cases), each decided by the
server's :func:`choose_media_type` and by the generated rules — in Python
(:func:`metrokg.web.rules.decide`), by the Apache rules' own conditions, and by a real
nginx from Debian (nginx-light) serving a small site with the generated nginx.conf.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator

import httpx
import pytest
from webserver import free_port

from metrokg.web.conneg import choose_media_type
from metrokg.web.rules import APACHE_RULES, NGINX_RULES, OFFERS, decide

ACCEPT = {
    "firefox": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "chrome": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
              "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "curl": "*/*",
    "none": "",
    "protege": "application/rdf+xml, application/xml; q=0.5, text/xml; q=0.3, */*; q=0.2",
    "rdflib-turtle": "text/turtle",
    "jena-riot": "text/turtle,application/n-triples;q=0.9,application/ld+json;q=0.8,"
                 "application/rdf+xml;q=0.7,*/*;q=0.5",
    "pyld": "application/ld+json, application/json;q=0.9, */*;q=0.1",
    "comunica": "application/n-quads,application/trig;q=0.95,application/ld+json;q=0.9,"
                "application/n-triples;q=0.8,text/turtle;q=0.6,application/rdf+xml;q=0.5,"
                "text/html;q=0.2",
    "html-lower": "text/html;q=0.5, text/turtle",
    "html-named-low": "text/html;q=0.1, */*",
    "html-refused": "text/html;q=0",
    "unacceptable": "image/png",
    "text-wildcard": "text/*",
    "turtle-refused": "text/turtle;q=0, text/*",
    "params": "application/n-triples; charset=utf-8",
    "upper-case": "TEXT/TURTLE",
    "spaces": "text/turtle ; q=0.7, text/html; q=0.6",
    "small-q": "application/rdf+xml;q=0.05, text/turtle;q=0.01",
    "html-params": "text/html;level=1;q=0.2, application/ld+json;q=0.3",
}


def _server(accept: str) -> str | None:
    chosen = choose_media_type(accept or None, list(OFFERS))
    return OFFERS[chosen] if chosen else None


@pytest.mark.parametrize("client", sorted(ACCEPT))
def test_rules_decide_as_the_server(client: str) -> None:
    assert decide(ACCEPT[client] or None) == _server(ACCEPT[client])


def _apache_decide(accept: str) -> str | None:
    """Apply the .htaccess conditions as mod_rewrite does: the first
    ``RewriteCond %{HTTP_ACCEPT} "regex" [NC]`` that matches sets the suffix."""
    if not accept:
        return "html"
    for regex, suffix in re.findall(
            r'RewriteCond %\{HTTP_ACCEPT\} "(.+)" \[NC\]\nRewriteRule \^ - \[E=MKG_SUFFIX:\.(\w+)\]',
            APACHE_RULES):
        if re.search(regex, accept, re.IGNORECASE):
            return str(suffix)
    return None


@pytest.mark.parametrize("client", sorted(ACCEPT))
def test_apache_conditions_decide_as_the_server(client: str) -> None:
    assert _apache_decide(ACCEPT[client]) == _server(ACCEPT[client])


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not os.access(NGINX, os.X_OK):
        pytest.skip("no nginx: run scripts/system-deps.sh (Debian nginx-light)")
    root = tmp_path_factory.mktemp("nginx")
    site = root / "site"
    for suffix in OFFERS.values():
        page = site / "id" / "org" / f"amb.{suffix}"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(suffix, encoding="utf-8")
    (site / "404.html").write_text("not found", encoding="utf-8")
    port = free_port()
    server = NGINX_RULES.replace("# server {", f"server {{\n    listen 127.0.0.1:{port};\n"
                                 f"    root {site};").replace("\n# }", "\n}")
    temp = root / "temp"
    temp.mkdir()
    conf = root / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""
    conf.write_text(
        f"{user}worker_processes 1;\ndaemon off;\npid {root}/nginx.pid;\n"
        f"error_log {root}/error.log;\nevents {{}}\nhttp {{\n    access_log off;\n"
        + "".join(f"    {k}_temp_path {temp}/{k};\n"
                  for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        + server + "\n}\n", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(root)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if process.poll() is not None:
            pytest.fail("nginx exited: " + (process.stderr.read().decode() if process.stderr
                                            else "") + (root / "error.log").read_text())
        try:
            httpx.get(url + "/404.html", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.parametrize("client", sorted(ACCEPT))
def test_real_nginx_serves_what_the_server_chooses(nginx: str, client: str) -> None:
    headers = {"Accept": ACCEPT[client]} if ACCEPT[client] else {}
    response = httpx.get(nginx + "/id/org/amb", headers=headers, timeout=5)
    expected = _server(ACCEPT[client])
    if expected is None:
        assert response.status_code == 406
    else:
        assert response.status_code == 200
        assert response.text == expected
