"""The dashboard's server against slow clients: a request trickled a byte at a time, or a
connection that sends nothing, is answered 408 and closed within the read timeout; an idle
kept-alive connection within the keep-alive timeout; normal requests are unaffected."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from borderflow.dashboard import server as srv

TIMEOUT = 2.0  # the read deadline of the test server (the shipped one: srv.READ_TIMEOUT)
SLACK = 1.5    # seconds allowed past it for the event loop and the test's own sleeps


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def address():
    import uvicorn

    from borderflow.dashboard.app import create_app

    port = _free_port()
    config = uvicorn.Config(create_app("127.0.0.1", port, compute=lambda req, progress: {}),
                            **srv.uvicorn_options("127.0.0.1", port, read_timeout=TIMEOUT))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    t0 = time.time()
    while not server.started:
        assert time.time() - t0 < 30, "the server did not start"
        time.sleep(0.05)
    yield "127.0.0.1", port
    server.should_exit = True
    thread.join(10)


def _closed(sock: socket.socket) -> tuple[bool, bytes]:
    """Whether the server closed ``sock`` (reading what it sent first), without blocking."""
    sock.setblocking(False)
    got = b""
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                return True, got
            got += chunk
    except BlockingIOError:
        return False, got
    except (ConnectionResetError, BrokenPipeError):
        return True, got
    finally:
        sock.setblocking(True)


def _trickle(address, data: bytes, every: float = 0.25, limit: float = 30.0):
    """Send ``data`` a byte every ``every`` seconds (repeating it) until the server closes
    the connection; the seconds that took and what the server answered."""
    sock = socket.create_connection(address)
    t0, answer, k = time.monotonic(), b"", 0
    try:
        while time.monotonic() - t0 < limit:
            try:
                sock.sendall(data[k % len(data):k % len(data) + 1])
            except (BrokenPipeError, ConnectionResetError):
                return time.monotonic() - t0, answer
            k += 1
            time.sleep(every)
            closed, got = _closed(sock)
            answer += got
            if closed:
                return time.monotonic() - t0, answer
        raise AssertionError(f"the server kept a trickling connection open {limit} s")
    finally:
        sock.close()


def test_shipped_server_sets_the_timeouts(monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw))
    srv.serve("127.0.0.1", 8050)
    assert seen["http"].read_timeout == srv.READ_TIMEOUT == 10.0
    assert seen["timeout_keep_alive"] == srv.KEEP_ALIVE == 5
    assert seen["h11_max_incomplete_event_size"] == srv.MAX_HEADER_BYTES


def test_trickled_headers_are_cut_off(address):
    host, port = address
    head = f"GET /api/config HTTP/1.1\r\nHost: {host}:{port}\r\nX-Slow: ".encode() + b"a" * 200
    seconds, answer = _trickle(address, head)
    assert seconds <= TIMEOUT + SLACK, f"closed after {seconds:.1f} s"
    assert answer.startswith(b"HTTP/1.1 408"), answer


def test_trickled_body_is_cut_off(address):
    host, port = address
    head = (f"POST /api/run HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json"
            "\r\nContent-Length: 60000\r\n\r\n").encode()
    sock = socket.create_connection(address)
    sock.sendall(head)
    t0 = time.monotonic()
    try:
        while time.monotonic() - t0 < 30:
            try:
                sock.sendall(b" ")
            except (BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.25)
            if _closed(sock)[0]:
                break
        seconds = time.monotonic() - t0
    finally:
        sock.close()
    assert seconds <= TIMEOUT + SLACK, f"closed after {seconds:.1f} s"


def test_silent_connection_is_closed(address):
    sock = socket.create_connection(address)
    t0 = time.monotonic()
    try:
        sock.settimeout(TIMEOUT + SLACK + 5)
        assert sock.recv(100) == b""  # closed, nothing sent: no request came
    finally:
        sock.close()
    assert time.monotonic() - t0 <= TIMEOUT + SLACK


def test_normal_requests_and_keep_alive(address):
    import http.client

    host, port = address
    conn = http.client.HTTPConnection(host, port, timeout=10)
    for _ in range(2):  # two requests on one kept-alive connection
        conn.request("GET", "/static/favicon.svg")
        r = conn.getresponse()
        assert r.status == 200 and b"<svg" in r.read()
    # idle after a response: the keep-alive timeout closes it, not the read deadline
    t0 = time.monotonic()
    conn.sock.settimeout(srv.KEEP_ALIVE + SLACK + 5)
    assert conn.sock.recv(100) == b""
    assert time.monotonic() - t0 <= srv.KEEP_ALIVE + SLACK
    conn.close()
