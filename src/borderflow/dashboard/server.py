"""Start the dashboard with uvicorn (bound to 127.0.0.1 unless told otherwise).

Slow clients: uvicorn's HTTP/1.1 server (h11) has a keep-alive timeout but no limit on the
time a request takes to arrive, so a client sending one byte a second would hold a
connection for ever. The server here runs uvicorn's h11 protocol with a read deadline: a
request's line, headers and body (at most 64 KiB, see ``MAX_BODY``) must arrive within
:data:`READ_TIMEOUT` seconds of the connection opening or of the request's first byte,
otherwise the server answers 408 (when part of a request came) and closes the connection.
Trickling bytes does not extend the deadline. An idle kept-alive connection is closed
after :data:`KEEP_ALIVE` seconds, and h11 refuses a request head over
:data:`MAX_HEADER_BYTES`.
"""

from __future__ import annotations

import sys

from borderflow.dashboard.app import create_app

LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: seconds for a request to arrive (line, headers and body), counted from the connection's
#: opening or the request's first byte; trickling bytes does not extend it
READ_TIMEOUT = 10.0
#: seconds an idle kept-alive connection stays open
KEEP_ALIVE = 5
#: the largest request head (request line and headers) h11 accepts, in bytes
MAX_HEADER_BYTES = 16 * 1024
#: at most this many connections and requests at once; more get 503
MAX_CONNECTIONS = 64

_TIMEOUT_BODY = b"request not received in time"
_TIMEOUT_RESPONSE = (b"HTTP/1.1 408 Request Timeout\r\ncontent-type: text/plain; charset=utf-8\r\n"
                     b"connection: close\r\ncontent-length: "
                     + str(len(_TIMEOUT_BODY)).encode() + b"\r\n\r\n" + _TIMEOUT_BODY)


def deadline_protocol(timeout: float = READ_TIMEOUT) -> type:
    """uvicorn's h11 protocol with a read deadline of ``timeout`` seconds per request
    (module doc)."""
    # lazy: the web server is needed only to serve the dashboard
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class DeadlineH11Protocol(H11Protocol):
        read_timeout = float(timeout)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._deadline = None
            self._partial = False

        def _arm(self) -> None:
            if self._deadline is None:
                self._deadline = self.loop.call_later(self.read_timeout, self._expired)

        def _disarm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
                self._deadline = None
            self._partial = False

        def _expired(self) -> None:
            self._deadline = None
            if self.transport is None or self.transport.is_closing():
                return
            if (self._partial and self.conn.their_state is h11.IDLE
                    and self.conn.our_state is h11.IDLE):
                self.transport.write(_TIMEOUT_RESPONSE)  # no request yet: nothing else sent
            self.transport.close()

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()  # a connection that sends nothing is closed too

        def data_received(self, data: bytes) -> None:
            if self.conn.their_state is h11.IDLE:
                self._arm()  # the next request's first byte (keep-alive)
                self._partial = True
            super().data_received(data)
            if self.conn.their_state is not h11.IDLE and self.conn.their_state is not \
                    h11.SEND_BODY:
                self._disarm()  # the whole request is in (or the connection is done)

        def on_response_complete(self) -> None:
            self._disarm()  # from here the keep-alive timeout applies
            super().on_response_complete()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return DeadlineH11Protocol


def uvicorn_options(host: str, port: int, read_timeout: float = READ_TIMEOUT) -> dict:
    """The keyword arguments of ``uvicorn.run`` / ``uvicorn.Config`` for the dashboard."""
    return {"host": host, "port": port, "log_level": "warning", "server_header": False,
            "proxy_headers": False, "http": deadline_protocol(read_timeout),
            "timeout_keep_alive": KEEP_ALIVE,
            "h11_max_incomplete_event_size": MAX_HEADER_BYTES,
            "limit_concurrency": MAX_CONNECTIONS}


def serve(host: str = "127.0.0.1", port: int = 8050) -> None:
    # lazy: the web server is needed only to serve the dashboard
    import uvicorn

    if host not in LOOPBACK:
        print(f"warning: binding {host}:{port} exposes the dashboard to other machines; it has "
              "no authentication. Use the default 127.0.0.1 unless you know you need this.",
              file=sys.stderr)
    url_host = f"[{host}]" if ":" in host else host
    print(f"borderflow dashboard on http://{url_host}:{port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(create_app(host, port), **uvicorn_options(host, port))
