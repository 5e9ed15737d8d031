"""The project's one HTTP client: httpx, with a total deadline, a size cap, safe redirects.

:func:`request` is what every outbound request of metrokg goes through (the remote
query client; the push client can use it too). It guarantees, whatever the server does:

* a **total deadline**: connecting, sending, waiting and reading together take at most
  ``timeout`` seconds (a body dripped one byte a second is cut at the deadline);
* a **size cap**: at most ``max_bytes`` of body are read, the rest never (an endless
  stream costs at most that much memory);
* **redirects** are followed (at most 5) only to the same scheme, host and port;
* every failure — refused connection, a reply that is not HTTP, too many or too long
  headers, a cut connection — is one :class:`HttpFailure` with a one-line reason.

SPARQLWrapper stays a dependency for people who use it directly with metrokg's
endpoint; metrokg itself no longer sends requests through it (docs/decisions/0102).
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from .errors import QueryError
from .safetext import printable

__all__ = ["HttpFailure", "Reply", "request", "summary"]

MAX_REDIRECTS = 5


class HttpFailure(QueryError):
    """A request that did not produce a usable HTTP answer (one line, say why)."""


@dataclass(frozen=True)
class Reply:
    """A complete HTTP answer (its body read in full, within the cap)."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def media_type(self) -> str:
        return str(self.headers.get("content-type", "")).split(";")[0].strip().lower()


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


def request(method: str, url: str, *, timeout: float, max_bytes: int,
            data: Mapping[str, str] | None = None, content: bytes | None = None,
            headers: Mapping[str, str] | None = None) -> Reply:
    """Send one request; return the answer whatever its status, or raise :class:`HttpFailure`.

    Raises:
        HttpFailure: unreachable, deadline passed, body over *max_bytes*, redirect to
            another origin, or a reply that is not well-formed HTTP.
    """
    if not (timeout > 0 and timeout < float("inf")):
        raise HttpFailure(f"timeout must be a positive number of seconds, not {timeout}")
    if urlsplit(url).scheme not in ("http", "https"):
        raise HttpFailure(f"{url!r} is not an http(s) URL")
    deadline = time.monotonic() + timeout
    origin = _origin(url)
    with httpx.Client(follow_redirects=False, trust_env=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            reply = _once(client, method, url, deadline, timeout, max_bytes, data, content,
                          headers)
            location = reply.headers.get("location")
            if reply.status not in (301, 302, 303, 307, 308) or not location:
                return reply
            target = urljoin(url, location)
            if _origin(target) != origin:
                raise HttpFailure(f"{url} redirects to {printable(target)[:200]}, another "
                                  "scheme, host or port; not followed (use that URL "
                                  "directly if you trust it)")
            if reply.status == 303:
                method, data, content = "GET", None, None
            url = target
    raise HttpFailure(f"{url}: more than {MAX_REDIRECTS} redirects")


def _once(client: httpx.Client, method: str, url: str, deadline: float, timeout: float,
          max_bytes: int, data: Mapping[str, str] | None, content: bytes | None,
          headers: Mapping[str, str] | None) -> Reply:
    left = deadline - time.monotonic()
    if left <= 0:
        raise HttpFailure(f"{url}: no answer within {timeout:g} s")
    try:
        with client.stream(method, url, data=data, content=content, headers=headers,
                           timeout=httpx.Timeout(left)) as response:
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                raise HttpFailure(f"{url}: the answer is {int(declared)} bytes, more than "
                                  f"the {max_bytes} accepted (raise --max-answer)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > max_bytes:
                    raise HttpFailure(f"{url}: the answer exceeds {max_bytes} bytes, the "
                                      "limit (raise --max-answer)")
                if time.monotonic() > deadline:
                    raise HttpFailure(f"{url}: no answer within {timeout:g} s "
                                      "(raise --timeout)")
                chunks.append(chunk)
            body = _decoded(b"".join(chunks), response.headers, url, max_bytes)
            return Reply(str(response.url), response.status_code, response.headers, body)
    except httpx.TimeoutException:
        raise HttpFailure(f"{url}: no answer within {timeout:g} s "
                          "(raise --timeout or simplify the query)") from None
    except httpx.ConnectError as exc:
        raise HttpFailure(f"{url}: endpoint unreachable: {_reason(exc)} (check the URL and "
                          "that the server runs)") from None
    except (httpx.RemoteProtocolError, httpx.LocalProtocolError) as exc:
        raise HttpFailure(f"{url}: the answer is not well-formed HTTP: {_reason(exc)}") from None
    except httpx.HTTPError as exc:
        raise HttpFailure(f"{url}: {type(exc).__name__}: {_reason(exc)}") from None
    except OSError as exc:  # pragma: no cover - httpx wraps these; belt and braces
        raise HttpFailure(f"{url}: {_reason(exc)}") from None


def _decoded(raw: bytes, headers: httpx.Headers, url: str, max_bytes: int) -> bytes:
    """Undo gzip/deflate/br content coding, within the same size cap (no zip bombs)."""
    coding = headers.get("content-encoding", "identity").strip().lower()
    if coding in ("", "identity"):
        return raw
    import zlib

    if coding not in ("gzip", "x-gzip", "deflate"):
        raise HttpFailure(f"{url}: the answer uses content coding {printable(coding)[:40]!r}, "
                          "which is not supported")
    wbits = 31 if "gzip" in coding else 15
    try:
        inflater = zlib.decompressobj(wbits)
        out = inflater.decompress(raw, max_bytes + 1)
    except zlib.error as exc:
        raise HttpFailure(f"{url}: the compressed answer is corrupt: {exc}") from None
    if len(out) > max_bytes or inflater.unconsumed_tail:
        raise HttpFailure(f"{url}: the answer decompresses to more than {max_bytes} bytes, "
                          "the limit (raise --max-answer)")
    return out


def _reason(exc: BaseException) -> str:
    return summary(str(exc)) or type(exc).__name__


def summary(text: str, limit: int = 160) -> str:
    """The first line of *text*, control characters escaped, at most *limit* characters.

    >>> summary("Bad query\\x1b[31m\\nline 2")
    'Bad query\\\\x1b[31m'
    """
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = printable(line)
    return line if len(line) <= limit else line[: limit - 1] + "…"
