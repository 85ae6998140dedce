"""The benchmark's HTTP client reads every kind of answer a tile server gives, whole: a wrong
size or status here would be a wrong figure in bench/README.md."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bench.drive import _http_client, drive

BODY = bytes(range(256)) * 40  # 10,240 bytes, more than one recv may bring


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive unless an answer says otherwise
    connections: set[int] = set()

    def do_GET(self) -> None:
        Handler.connections.add(self.client_address[1])
        assert self.headers["Accept-Encoding"] == "gzip"
        if self.path == "/length":
            self._answer(200, [("Content-Length", str(len(BODY)))], BODY)
        elif self.path == "/chunked":
            parts = [BODY[:1000], BODY[1000:]]
            chunks = b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"
            self._answer(200, [("Transfer-Encoding", "chunked")], chunks)
        elif self.path == "/empty":
            self._answer(204, [], b"")
        elif self.path == "/close":
            self._answer(200, [("Content-Length", "3"), ("Connection", "close")], b"bye")
            self.close_connection = True
        else:
            self._answer(404, [("Content-Length", "9")], b"not found")

    def _answer(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def port() -> Iterator[int]:
    Handler.connections = set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_every_kind_of_answer_is_read_whole_on_one_kept_connection(port: int) -> None:
    paths = ["/length", "/chunked", "/empty", "/missing", "/length"]
    request = _http_client(port, paths)()
    got = [request(i) for i in range(len(paths))]
    assert got == [(200, len(BODY)), (200, len(BODY)), (204, 0), (404, 9), (200, len(BODY))]
    assert len(Handler.connections) == 1  # nothing left unread to spoil the next answer


def test_a_closed_connection_is_replaced(port: int) -> None:
    request = _http_client(port, ["/close", "/length"])()
    assert [request(0), request(1), request(0), request(1)] == [
        (200, 3),
        (200, len(BODY)),
        (200, 3),
        (200, len(BODY)),
    ]
    assert len(Handler.connections) == 3  # a new one after each "Connection: close"


def test_drive_records_every_request_with_its_status(port: int) -> None:
    paths = ["/length", "/empty", "/missing"]
    expected = [(200, len(BODY), None), (204, 0, None), (404, 9, "HTTP 404")]
    out = drive(_http_client(port, paths), concurrency=3, requests=30, seconds=60.0)
    assert [r[0] for r in out["results"]] == list(range(30))  # each request once, none lost
    for number, status, ms, size, error in out["results"]:
        assert (status, size, error) == expected[number % 3]
        assert ms > 0
    assert not out["truncated"]
