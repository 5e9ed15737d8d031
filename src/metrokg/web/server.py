"""uvicorn's HTTP/1.1 protocol (h11), with the two guarantees it lacks.

* **A deadline for the request head**: uvicorn waits forever for the headers of a
  request that trickle in (a slowloris); :func:`protocol` closes a connection whose
  request line and headers are not complete within ``seconds`` (and, on a kept-alive
  connection, within ``seconds`` of the previous answer).
* **nosniff on uvicorn's own answers**: the 400 it writes for a malformed request
  (``Content-Length: abc``, a header over 16 KiB) carries
  ``X-Content-Type-Options: nosniff`` like every answer of the application.

The h11 implementation is used (not httptools) because only it bounds the size of an
incomplete request head (``h11_max_incomplete_event_size``).
"""

from __future__ import annotations

import asyncio

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

__all__ = ["protocol"]


def protocol(seconds: float) -> type[H11Protocol]:
    """An :class:`H11Protocol` subclass that closes connections slow to send a head."""

    class Guarded(H11Protocol):
        _head_deadline: asyncio.TimerHandle | None = None

        def _arm(self) -> None:
            self._disarm()
            self._head_deadline = self.loop.call_later(seconds, self._too_slow)

        def _disarm(self) -> None:
            if self._head_deadline is not None:
                self._head_deadline.cancel()
                self._head_deadline = None

        def _too_slow(self) -> None:
            self._head_deadline = None
            idle = self.cycle is None or self.cycle.response_complete
            if idle and not self.transport.is_closing():
                self.transport.close()

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def handle_events(self) -> None:
            super().handle_events()
            if self.cycle is not None and not self.cycle.response_complete:
                self._disarm()  # a complete head arrived: the body has its own deadline

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc: Exception | None) -> None:
            self._disarm()
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            headers = [(b"content-type", b"text/plain; charset=utf-8"),
                       (b"x-content-type-options", b"nosniff"), (b"connection", b"close")]
            self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers,
                                                             reason=b"Bad Request")) or b"")
            self.transport.write(self.conn.send(h11.Data(data=f"400: {msg}\n".encode(
                "ascii", "replace"))) or b"")
            self.transport.write(self.conn.send(h11.EndOfMessage()) or b"")
            self.transport.close()

    return Guarded
