"""Reading whole HTTP/1.1 messages off a socket, byte for byte, for the fault proxy.

The proxy must know where one request or answer ends to act per request (drop the answer of the third push,
truncate one pull page) while forwarding every byte unchanged, so messages are kept raw: head + body as
received, with ``Content-Length`` and chunked bodies both understood.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass


class Closed(Exception):
    """The peer closed the connection before a whole message arrived."""


class Reader:
    """A buffered reader over a socket (``makefile`` would hide how much was read when a fault cuts in)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> None:
        data = self.sock.recv(65536)
        if not data:
            raise Closed
        self.buffer += data

    def until(self, marker: bytes) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            self._fill()
        end += len(marker)
        data, self.buffer = self.buffer[:end], self.buffer[end:]
        return data

    def exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            self._fill()
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def to_end(self) -> bytes:
        try:
            while True:
                self._fill()
        except (Closed, OSError):
            pass
        data, self.buffer = self.buffer, b""
        return data


@dataclass(frozen=True)
class Message:
    """One raw HTTP message: ``start`` is the request or status line (decoded), ``raw`` every byte."""

    start: str
    headers: dict[str, str]  # lower-cased names
    raw: bytes
    close: bool  # the sender will not reuse the connection after this message

    @property
    def method(self) -> str:
        return self.start.split(" ", 1)[0]

    @property
    def path(self) -> str:
        """The request target without its query string."""
        return self.start.split(" ")[1].split("?", 1)[0]

    @property
    def status(self) -> int:
        return int(self.start.split(" ")[1])


def _head(reader: Reader) -> tuple[bytes, str, dict[str, str]]:
    head = reader.until(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return head, lines[0], headers


def _chunked(reader: Reader) -> bytes:
    body = b""
    while True:
        size_line = reader.until(b"\r\n")
        body += size_line
        size = int(size_line.split(b";", 1)[0].strip(), 16)
        if size == 0:
            while (trailer := reader.until(b"\r\n")) != b"\r\n":
                body += trailer
            return body + b"\r\n"
        body += reader.exactly(size + 2)


def _wants_close(start: str, headers: dict[str, str]) -> bool:
    connection = headers.get("connection", "").lower()
    http10 = start.startswith("HTTP/1.0") or start.endswith("HTTP/1.0")
    return connection == "close" or (http10 and connection != "keep-alive")


def read_request(reader: Reader) -> Message:
    head, start, headers = _head(reader)
    if "chunked" in headers.get("transfer-encoding", "").lower():
        body = _chunked(reader)
    else:
        body = reader.exactly(int(headers.get("content-length", "0")))
    return Message(start, headers, head + body, _wants_close(start, headers))


def read_response(reader: Reader, request_method: str) -> Message:
    head, start, headers = _head(reader)
    status = int(start.split(" ")[1])
    close = _wants_close(start, headers)
    if request_method == "HEAD" or status < 200 or status in (204, 304):
        body = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        body = _chunked(reader)
    elif "content-length" in headers:
        body = reader.exactly(int(headers["content-length"]))
    else:  # delimited by the end of the connection
        body, close = reader.to_end(), True
    return Message(start, headers, head + body, close)


REASONS = {200: "OK", 409: "Conflict", 429: "Too Many Requests", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable"}


def make_response(status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """A complete answer made up by the proxy (content type JSON: what the sync client reads)."""
    lines = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}", "Content-Type: application/json",
             f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
