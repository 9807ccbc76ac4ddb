"""A fault-injecting HTTP proxy on 127.0.0.1 between a sync client and a real server (SYNC §8.12).

Each request is read whole, matched against the programmed faults (first match wins; a fault fires
``times`` times, or every time when ``times`` is None) and then:

- passed through unchanged (no fault);
- ``drop``: forwarded, the server's whole answer read (so the server has committed), then the client's
  connection closed without a byte of it — "committed but the client never heard";
- ``truncate``: forwarded, only the first ``after_bytes`` bytes of the answer relayed, then closed;
- ``respond``: answered by the proxy itself (503/429 with ``Retry-After``), never forwarded;
- ``delay``: forwarded after ``seconds``;
- ``hold``: forwarded only when the test calls :meth:`Fault.release` (``stage="after"``: the answer is held
  instead) — ordering without sleeping;
- ``reset``: the client's connection reset (RST), nothing forwarded;
- ``cut_request``: only the first ``after_bytes`` bytes of the request forwarded, then both sides closed
  (an upload interrupted mid-chunk).

Every request is logged (:attr:`FaultProxy.log`) with the action taken and the server's status.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

from tests.sync.http_wire import Closed, Message, Reader, make_response, read_request, read_response
from tests.sync.ports import free_port

ACTIONS = ("drop", "truncate", "respond", "delay", "hold", "reset", "cut_request")
HOLD_LIMIT = 120.0  # a held request the test forgot to release fails instead of hanging the suite


@dataclass
class Fault:
    action: str
    method: str | None = None
    path: str | None = None  # matches a request path containing it (e.g. "/push", "/uploads/")
    times: int | None = 1
    status: int = 503
    body: bytes = b'{"detail": "fault injected"}'
    headers: dict[str, str] = field(default_factory=dict)
    after_bytes: int = 0
    seconds: float = 0.0
    stage: str = "before"
    hits: int = 0
    fired: threading.Event = field(default_factory=threading.Event)  # set at the first hit
    released: threading.Event = field(default_factory=threading.Event)

    def matches(self, request: Message) -> bool:
        return ((self.method is None or request.method == self.method.upper())
                and (self.path is None or self.path in request.path))

    def release(self) -> None:
        self.released.set()


@dataclass(frozen=True)
class Logged:
    method: str
    path: str
    action: str  # "pass" or a fault action
    status: int | None  # the server's answer (None: never reached the server or never answered)


class FaultProxy:
    """``FaultProxy(port)`` forwards 127.0.0.1:<own port> to 127.0.0.1:``port``; use as a context
    manager or call :meth:`start` / :meth:`stop`.  ``target_port`` may be changed while it runs."""

    def __init__(self, target_port: int, *, target_host: str = "127.0.0.1") -> None:
        self.target_host, self.target_port = target_host, target_port
        self.port = free_port()
        self.log: list[Logged] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- programming faults ---------------------------------------------------------------------------

    def add(self, fault: Fault) -> Fault:
        if fault.action not in ACTIONS:
            raise ValueError(f"unknown fault action {fault.action!r}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def drop(self, path: str | None = None, *, method: str | None = None, times: int | None = 1) -> Fault:
        return self.add(Fault("drop", method, path, times))

    def truncate(self, after_bytes: int, path: str | None = None, *, method: str | None = None,
                 times: int | None = 1) -> Fault:
        return self.add(Fault("truncate", method, path, times, after_bytes=after_bytes))

    def respond(self, status: int, path: str | None = None, *, retry_after: int | None = None,
                method: str | None = None, times: int | None = 1, body: bytes | None = None) -> Fault:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        fault = Fault("respond", method, path, times, status=status, headers=headers)
        if body is not None:
            fault.body = body
        return self.add(fault)

    def delay(self, seconds: float, path: str | None = None, *, method: str | None = None,
              times: int | None = 1) -> Fault:
        return self.add(Fault("delay", method, path, times, seconds=seconds))

    def hold(self, path: str | None = None, *, method: str | None = None, stage: str = "before",
             times: int | None = 1) -> Fault:
        return self.add(Fault("hold", method, path, times, stage=stage))

    def reset(self, path: str | None = None, *, method: str | None = None, times: int | None = 1) -> Fault:
        return self.add(Fault("reset", method, path, times))

    def cut_request(self, after_bytes: int, path: str | None = None, *, method: str | None = None,
                    times: int | None = 1) -> Fault:
        return self.add(Fault("cut_request", method, path, times, after_bytes=after_bytes))

    def clear(self) -> None:
        """Forget every fault (held requests are released) and the log."""
        with self._lock:
            for fault in self._faults:
                fault.release()
            self._faults.clear()
            self.log.clear()

    def requests(self, path: str | None = None, *, method: str | None = None) -> list[Logged]:
        with self._lock:
            return [entry for entry in self.log if (path is None or path in entry.path)
                    and (method is None or entry.method == method.upper())]

    def _take(self, request: Message) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.matches(request) and (fault.times is None or fault.hits < fault.times):
                    fault.hits += 1
                    fault.fired.set()
                    return fault
        return None

    def _record(self, request: Message, action: str, answer: Message | None) -> None:
        with self._lock:
            self.log.append(Logged(request.method, request.path, action, answer.status if answer else None))

    # -- running ---------------------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        listener.settimeout(0.2)
        self._listener = listener
        self._spawn(self._accept_loop)
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            for fault in self._faults:
                fault.release()
            sockets = list(self._sockets)
        for sock in sockets:
            _close(sock)
        for thread in self._threads:
            thread.join(timeout=10)
        if self._listener is not None:
            self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: object, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)  # type: ignore[arg-type]
        thread.start()
        self._threads.append(thread)

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            self._track(client)
            self._spawn(self._serve, client)

    def _track(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.add(sock)

    def _upstream(self) -> socket.socket:
        sock = socket.create_connection((self.target_host, self.target_port))
        self._track(sock)
        return sock

    def _serve(self, client: socket.socket) -> None:
        upstream: socket.socket | None = None
        up_reader: Reader | None = None
        reader = Reader(client)
        try:
            while not self._stopping.is_set():
                request = read_request(reader)
                fault = self._take(request)
                action = fault.action if fault else "pass"
                if fault is not None and fault.action == "respond":
                    self._record(request, action, None)
                    client.sendall(make_response(fault.status, fault.body, fault.headers))
                    continue
                if fault is not None and fault.action == "reset":
                    self._record(request, action, None)
                    _reset(client)
                    return
                if fault is not None and fault.action in ("delay", "hold") and fault.stage == "before":
                    _wait(fault)
                if upstream is None:
                    upstream = self._upstream()
                    up_reader = Reader(upstream)
                assert up_reader is not None
                if fault is not None and fault.action == "cut_request":
                    self._record(request, action, None)
                    upstream.sendall(request.raw[: fault.after_bytes])
                    return
                upstream.sendall(request.raw)
                answer = read_response(up_reader, request.method)
                self._record(request, action, answer)
                if fault is not None and fault.action == "drop":
                    return
                if fault is not None and fault.action == "truncate":
                    client.sendall(answer.raw[: fault.after_bytes])
                    return
                if fault is not None and fault.action == "hold" and fault.stage == "after":
                    _wait(fault)
                client.sendall(answer.raw)
                if request.close or answer.close:
                    return
        except (Closed, OSError):
            return
        finally:
            for sock in (client, upstream):
                if sock is not None:
                    _close(sock)
                    with self._lock:
                        self._sockets.discard(sock)


def _wait(fault: Fault) -> None:
    if fault.action == "delay":
        fault.released.wait(fault.seconds)  # released early only when the proxy stops
    elif not fault.released.wait(HOLD_LIMIT):
        raise OSError("a held request was never released")


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer sees a connection reset, not an orderly end."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
