"""The harness itself: the fault proxy against a tiny stdlib HTTP server, the PostgreSQL cluster, the
server process.

The proxy's faults are checked from both sides: what the client saw (an error, a made-up answer, a cut
body) and what the server saw (whether and how much of the request reached it) — a drop must happen
*after* the server handled the request, a 503 from the proxy *instead of* reaching it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

from tests.sync.harness import FaultProxy, PostgresCluster, ServerFailed, ServerProcess, find_bindir, free_port


class Upstream:
    """A stdlib HTTP/1.1 server counting what reached it: POST /count answers the running count, GET
    /big 20,000 bytes, POST /sink how many body bytes actually arrived."""

    def __init__(self) -> None:
        self.count = 0
        self.sunk: list[int] = []
        self.sink_done = threading.Event()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, body: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/big":
                    self._answer(b"x" * 20_000)
                else:
                    self._answer(json.dumps({"path": self.path}).encode())

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/sink":
                    upstream.sunk.append(len(body))
                    upstream.sink_done.set()
                    self.close_connection = True
                    return
                upstream.count += 1
                self._answer(json.dumps({"n": upstream.count, "echo": body.decode()}).encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Upstream:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    with Upstream() as server:
        yield server


@pytest.fixture
def proxy(upstream: Upstream) -> Iterator[FaultProxy]:
    with FaultProxy(upstream.port) as running:
        yield running


@pytest.fixture
def client(proxy: FaultProxy) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=proxy.url, timeout=30) as http:
        yield http


def test_free_port_can_be_bound() -> None:
    port = free_port()
    with socket.create_server(("127.0.0.1", port)):
        pass


def test_requests_pass_through_unchanged_on_one_kept_alive_connection(
    client: httpx.Client, proxy: FaultProxy, upstream: Upstream
) -> None:
    assert client.get("/hello?x=1").json() == {"path": "/hello?x=1"}
    assert client.post("/count", content=b"abc").json() == {"n": 1, "echo": "abc"}
    assert len(client.get("/big").content) == 20_000
    assert [(e.method, e.path, e.action, e.status) for e in proxy.log] == [
        ("GET", "/hello", "pass", 200), ("POST", "/count", "pass", 200), ("GET", "/big", "pass", 200)]


def test_drop_closes_the_connection_after_the_server_handled_the_request(
    client: httpx.Client, proxy: FaultProxy, upstream: Upstream
) -> None:
    fault = proxy.drop("/count", method="POST")
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/count", content=b"first")
    assert upstream.count == 1, "the server handled the request the client never heard the answer of"
    assert client.post("/count", content=b"retry").json()["n"] == 2, "only the first request is dropped"
    assert fault.hits == 1
    assert [e.action for e in proxy.requests("/count")] == ["drop", "pass"]


def test_truncate_relays_only_the_first_bytes_of_the_answer(proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.truncate(100, "/big")
    with socket.create_connection(("127.0.0.1", proxy.port)) as sock:
        sock.sendall(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    assert len(received) == 100
    assert received.startswith(b"HTTP/1.0 200") or received.startswith(b"HTTP/1.1 200")


def test_a_truncated_answer_is_an_error_for_the_client(client: httpx.Client, proxy: FaultProxy) -> None:
    proxy.truncate(300, "/big")
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/big")
    assert len(client.get("/big").content) == 20_000


@pytest.mark.parametrize("status", [503, 429])
def test_the_proxy_answers_busy_itself_with_retry_after(
    status: int, client: httpx.Client, proxy: FaultProxy, upstream: Upstream
) -> None:
    proxy.respond(status, "/count", retry_after=7, times=2)
    for _ in range(2):
        answer = client.post("/count", content=b"x")
        assert answer.status_code == status
        assert answer.headers["Retry-After"] == "7"
    assert upstream.count == 0, "a made-up answer never reaches the server"
    assert client.post("/count", content=b"x").json()["n"] == 1
    assert [(e.action, e.status) for e in proxy.requests("/count")] == [
        ("respond", None), ("respond", None), ("pass", 200)]


def test_delay_holds_the_request_back_from_the_server(client: httpx.Client, proxy: FaultProxy,
                                                     upstream: Upstream) -> None:
    fault = proxy.delay(120, "/count")
    answers: list[int] = []
    worker = threading.Thread(target=lambda: answers.append(client.post("/count", content=b"x").json()["n"]))
    worker.start()
    assert fault.fired.wait(30)
    assert upstream.count == 0 and answers == [], "still delayed"
    fault.release()  # ends the delay early
    worker.join(30)
    assert answers == [1] and upstream.count == 1


def test_hold_after_keeps_the_answer_until_released(client: httpx.Client, proxy: FaultProxy,
                                                   upstream: Upstream) -> None:
    fault = proxy.hold("/count", stage="after")
    answers: list[int] = []
    worker = threading.Thread(target=lambda: answers.append(client.post("/count", content=b"x").json()["n"]))
    worker.start()
    assert fault.fired.wait(30)
    while not proxy.requests("/count"):  # logged once the server has answered
        threading.Event().wait(0.01)
    assert upstream.count == 1 and answers == [], "the server answered; the client has not heard yet"
    fault.release()
    worker.join(30)
    assert answers == [1]


def test_reset_never_reaches_the_server(client: httpx.Client, proxy: FaultProxy, upstream: Upstream) -> None:
    proxy.reset("/count")
    with pytest.raises(httpx.TransportError):
        client.post("/count", content=b"x")
    assert upstream.count == 0
    assert client.post("/count", content=b"x").json()["n"] == 1


def test_cut_request_delivers_only_part_of_the_body(proxy: FaultProxy, upstream: Upstream) -> None:
    body = b"y" * 10_000
    head = f"POST /sink HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n".encode()
    proxy.cut_request(len(head) + 2_500, "/sink")
    with socket.create_connection(("127.0.0.1", proxy.port)) as sock:
        sock.sendall(head + body)
        assert sock.recv(100) == b"", "no answer: the proxy closed the connection"
    assert upstream.sink_done.wait(30)
    assert upstream.sunk == [2_500]


def test_faults_match_method_and_path_and_clear_forgets_them(client: httpx.Client, proxy: FaultProxy) -> None:
    proxy.respond(503, "/count", method="GET", times=None)
    assert client.post("/count", content=b"x").status_code == 200, "another method"
    assert client.get("/other").status_code == 200, "another path"
    assert client.get("/count").status_code == 503
    assert client.get("/count").status_code == 503, "times=None: every time"
    proxy.clear()
    assert client.get("/count").status_code == 200
    assert [e.action for e in proxy.log] == ["pass"]


def test_the_target_port_can_move(proxy: FaultProxy, upstream: Upstream) -> None:
    with Upstream() as other, httpx.Client(base_url=proxy.url, timeout=30) as http:
        proxy.target_port = other.port
        http.post("/count", content=b"x")
        assert (other.count, upstream.count) == (1, 0)


def test_postgres_binaries_are_found_off_path() -> None:
    bindir = find_bindir()
    assert (bindir / "initdb").exists() and (bindir / "pg_ctl").exists()


@pytest.mark.slow
def test_postgres_cluster_starts_serves_copies_databases_and_is_removed() -> None:
    cluster = PostgresCluster().start()
    root = cluster.root
    assert root is not None
    try:
        if os.geteuid() == 0:
            assert root.stat().st_uid != 0, "initdb refuses root: the cluster belongs to the postgres user"
        url = cluster.create_database("harness_template")
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (id int primary key, name text)"))
            conn.execute(text("INSERT INTO t VALUES (1, '党支部')"))
        engine.dispose()
        copy = create_engine(cluster.create_database("harness_copy", template="harness_template"))
        with copy.connect() as conn:
            assert conn.execute(text("SELECT name FROM t")).scalar_one() == "党支部"
        copy.dispose()
        cluster.drop_database("harness_copy")
        names = {row[0] for row in cluster.execute("SELECT datname FROM pg_database")}
        assert "harness_template" in names and "harness_copy" not in names
    finally:
        cluster.stop()
    assert not Path(root).exists()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", cluster.port), timeout=5).close()


@pytest.mark.slow
def test_server_process_starts_is_killed_restarts_on_its_url_and_runs_admin(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server").start()
    try:
        health = f"{server.url}/api/sync/v1/health"
        assert httpx.get(health, timeout=30).json() == {"status": "ok"}
        server.admin("create-user", "zhangsan", "--role", "instructor", "--password-stdin",
                     stdin="correct horse 1\n")
        url = server.url
        server.kill()
        assert not server.running
        with pytest.raises(httpx.TransportError):
            httpx.get(health, timeout=5)
        server.start()
        assert server.url == url and httpx.get(health, timeout=30).status_code == 200
        assert "zhangsan" in server.admin("list-users").stdout, "the data outlives the crash"
        with pytest.raises(ServerFailed):
            server.admin("create-user", "zhangsan", "--role", "instructor", "--password-stdin",
                         stdin="correct horse 1\n")
    finally:
        server.stop()
    assert not server.running
