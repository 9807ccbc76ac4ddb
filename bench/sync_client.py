"""The client side of the sync benchmark, in its own process so its peak memory is its own
(``python bench/sync_client.py SERVER_URL HOME USERNAME``; prints one JSON line).

Signs a fresh profile in (an in-memory keyring holds the refresh token, as in the tests), runs the real
engine's first sync (``run_sync``: the initial pull of the whole district), then a second sync with nothing
pending and nothing new, counting its HTTP requests and the bytes they moved both ways (request line,
headers and body up; status line, headers and body as received down).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import keyring  # noqa: E402

from app import paths  # noqa: E402
from app.services.core.database import open_database  # noqa: E402
from app.services.sync import run_sync, sign_in  # noqa: E402
from app.services.sync import state as sync_state  # noqa: E402
from app.services.sync.transport import Transport  # noqa: E402
from tests.sync.memory_keyring import MemoryKeyring  # noqa: E402

PASSWORD = "bench-password-1"  # sync_seed.PASSWORD (that module imports the server)


def rss_mb() -> float:
    """The resident set now (Linux /proc), in MB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1e6


def cpu_seconds() -> float:
    """CPU time this process used so far (all its threads), user and system."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def peak_rss_mb() -> float:
    """The process's peak resident set (VmHWM).  Not ru_maxrss: Linux carries the forking parent's peak
    over into the child's across exec, so a child started by the benchmark would report the parent's."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError("no VmHWM in /proc/self/status")


class Counter:
    """httpx event hooks counting what crosses the wire (HTTP/1.1 framing approximated by the lines)."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.sent = 0
        self.received = 0

    def on_request(self, request: httpx.Request) -> None:
        self.requests.append(f"{request.method} {request.url.path.removeprefix('/api/sync/v1')}")
        line = f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n"
        headers = sum(len(k) + len(v) + 4 for k, v in request.headers.raw)
        self.sent += len(line) + headers + 2 + len(request.content)

    def on_response(self, response: httpx.Response) -> None:
        response.read()
        headers = sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
        self.received += len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + headers + 2
        self.received += response.num_bytes_downloaded


def counted_transport(factory: Any, server_url: str) -> tuple[Transport, Counter]:
    with factory() as session:
        device_id = sync_state.get(session, sync_state.DEVICE_ID)
    transport = Transport(server_url, device_id)
    counter = Counter()
    transport.client.event_hooks["request"].append(counter.on_request)
    transport.client.event_hooks["response"].append(counter.on_response)
    return transport, counter


def main() -> None:
    server_url, home, username = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    keyring.set_keyring(MemoryKeyring())
    result: dict[str, Any] = {}
    with paths.temporary_home(home):
        account = sign_in(server_url, username, PASSWORD)
        database = open_database(paths.database_path(account.profile))
        factory = database.session_factory
        result["rss_before_mb"] = rss_mb()
        transport, first = counted_transport(factory, server_url)
        started, cpu = time.perf_counter(), cpu_seconds()
        report = run_sync(factory, transport=transport)
        result["initial_seconds"] = time.perf_counter() - started
        result["initial_cpu_seconds"] = cpu_seconds() - cpu
        transport.close()
        result["initial_pulled"] = report.pulled
        result["initial_requests"] = len(first.requests)
        result["initial_received_mb"] = first.received / 1e6
        result["peak_rss_mb"] = peak_rss_mb()
        result["rss_after_mb"] = rss_mb()

        transport, noop = counted_transport(factory, server_url)
        started = time.perf_counter()
        report = run_sync(factory, transport=transport)
        result["noop_seconds"] = time.perf_counter() - started
        transport.close()
        result["noop_pulled"] = report.pulled + report.pushed
        result["noop_requests"] = noop.requests
        result["noop_sent"] = noop.sent
        result["noop_received"] = noop.received
        database.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
