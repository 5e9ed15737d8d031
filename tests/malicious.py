"""A malicious (or broken) SPARQL endpoint on loopback, for the remote-client tests.

Not a test module. :class:`Malicious` listens on ``127.0.0.1``; the first path segment
of a request names how it answers (``/huge``, ``/not-http``, …: see ``REPLIES``). It
speaks raw TCP so it can break HTTP in ways no framework allows.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import socket
import socketserver
import threading
import time
from collections.abc import Callable

Send = Callable[[bytes], None]

BINDING = b'{"x":{"type":"literal","value":"' + b"a" * 200 + b'"}},'
HEAD = b'{"head":{"vars":["x"]},"results":{"bindings":['


def _http(status: int, body: bytes, media: str = "application/sparql-results+json",
          extra: str = "") -> bytes:
    return (f"HTTP/1.1 {status} X\r\nContent-Type: {media}\r\nContent-Length: {len(body)}\r\n"
            f"{extra}Connection: close\r\n\r\n").encode() + body


def _json(data: object) -> bytes:
    return _http(200, json.dumps(data).encode())


def _huge(send: Send, declared: bool) -> None:
    length = f"Content-Length: {2**30}\r\n" if declared else "Transfer-Encoding: chunked\r\n"
    send(f"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n{length}"
         "\r\n".encode())
    chunk = HEAD + BINDING * 5000
    if declared:
        while True:
            send(chunk)
            chunk = BINDING * 5000
    while True:  # endless chunked stream
        send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
        chunk = BINDING * 5000


def _drip(send: Send) -> None:
    body = HEAD + b"]}}"
    send(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
         b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    for byte in body:
        send(bytes([byte]))
        time.sleep(0.4)


@functools.cache
def _bomb_bytes() -> bytes:
    body = gzip.compress(b" " * (200 * 2**20), compresslevel=6)  # 200 MiB of spaces
    return _http(200, body, extra="Content-Encoding: gzip\r\n")


def _bomb(send: Send) -> None:
    send(_bomb_bytes())


REPLIES: dict[str, Callable[[Send], None] | bytes] = {
    "huge": lambda send: _huge(send, declared=True),
    "endless": lambda send: _huge(send, declared=False),
    "declared-terabyte": (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json"
                          b"\r\nContent-Length: 1000000000000\r\n\r\n" + HEAD),
    "deep-json": _http(200, b"[" * 200_000 + b"]" * 200_000),
    "bindings-strings": _json({"head": {"vars": ["x"]}, "results": {"bindings": ["x", "y"]}}),
    "bindings-null": _json({"head": {"vars": ["x"]}, "results": {"bindings": None}}),
    "binding-null-term": _json({"head": {"vars": ["x"]},
                                "results": {"bindings": [{"x": None}]}}),
    "vars-not-list": _json({"head": {"vars": "x"}, "results": {"bindings": []}}),
    "bad-iri": _json({"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "uri", "value": "not an iri <>"}}]}}),
    "bad-term-type": _json({"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "spaceship", "value": "1"}}]}}),
    "truncated-json": _http(200, HEAD + BINDING[:20]),
    "not-json": _http(200, b"<html><body>hello</body></html>"),
    "html-200": _http(200, b"<html>" + b"x" * 5000 + b"</html>", media="text/html"),
    "not-http": b"SSH-2.0-OpenSSH_9.2\r\n",
    "many-headers": (b"HTTP/1.1 200 OK\r\n" + b"".join(f"X-H{i}: v\r\n".encode()
                                                      for i in range(2000))
                     + b"Content-Length: 0\r\n\r\n"),
    "long-header": b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 2_000_000 + b"\r\n\r\n",
    "drip": _drip,
    "silent": lambda send: time.sleep(30),
    "close": b"",
    "short-body": (b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                   b"Content-Length: 1000\r\nConnection: close\r\n\r\n" + HEAD),
    "html-500": _http(500, b"<!DOCTYPE html><html><head><title>Error</title></head><body>"
                      + b"<p>secret stack trace</p>" * 500 + b"</body></html>",
                      media="text/html"),
    "text-400-escapes": _http(400, b"Parse error \x1b[2J\x1b]0;pwned\x07 at line 1\n"
                              + b"second line of the error\n" * 100, media="text/plain"),
    "redirect-other-host": _http(302, b"", extra="Location: http://127.0.0.2:9/steal\r\n"),
    "redirect-other-scheme": _http(307, b"", extra="Location: file:///etc/passwd\r\n"),
    "redirect-loop": _http(307, b"", extra="Location: /redirect-loop\r\n"),
    "gzip-bomb": _bomb,
    "unknown-encoding": _http(200, b"xx", extra="Content-Encoding: br\r\n"),
    "ask-with-solutions": _json({"head": {"vars": ["x"]}, "results": {"bindings": []}}),
    "bad-turtle": _http(200, b"<a> <b> ", media="text/turtle"),
    "valid-xml": _http(200, b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/'
                       b'sparql-results#"><head><variable name="x"/></head><results><result>'
                       b'<binding name="x"><literal>ok</literal></binding></result></results>'
                       b"</sparql>", media="application/sparql-results+xml"),
}


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(10)
        data = b""
        with contextlib.suppress(OSError):
            while b"\r\n\r\n" not in data and len(data) < 1_000_000:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        with contextlib.suppress(OSError):  # read the body: unread bytes would reset the
            while len(body) < length:         # connection before the client reads the reply
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
        self.server.requests.append(data)  # type: ignore[attr-defined]
        path = data.split(b" ", 2)[1].decode("latin-1") if data.count(b" ") >= 2 else "/"
        reply = REPLIES.get(path.strip("/").split("/")[0].split("?")[0], b"")
        with contextlib.suppress(OSError):
            if callable(reply):
                reply(sock.sendall)
            else:
                sock.sendall(reply)
            sock.shutdown(socket.SHUT_WR)


class Malicious(socketserver.ThreadingTCPServer):
    """The malicious endpoint; ``url(name)`` is the endpoint URL of one behaviour."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[bytes] = []
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{name}"

    def close(self) -> None:
        self.shutdown()
        self.server_close()
