"""The real district server in a subprocess (``python -m server serve``) for end-to-end sync tests.

A test gets what a deployment gets: uvicorn, the migrations run at start, the server's own process (so it
can be killed mid-sync and restarted on the same port, with the same home and database).  Output goes to
``<home>/server.log``; a server that fails to come up fails the test with that log's tail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from tests.sync.ports import free_port

REPO = Path(__file__).resolve().parents[2]
HEALTH_PATH = "/api/sync/v1/health"
START_LIMIT = 60.0  # seconds for migrations + uvicorn start on a loaded CI machine
STOP_LIMIT = 15.0


class ServerFailed(RuntimeError):
    pass


def server_env(home: Path, database_url: str | None, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a server (or admin) process: its home, its database, the repository on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DANGJIAN_ACCESS_TTL")}
    env["DANGJIAN_SERVER_HOME"] = str(home)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra or {})
    return env


class ServerProcess:
    """``ServerProcess(home, database_url=None, env={...})``; ``start()`` waits for /health.
    ``url`` stays the same across :meth:`restart` (same port), so clients and proxies keep working."""

    def __init__(self, home: Path, *, database_url: str | None = None, env: Mapping[str, str] | None = None,
                 port: int | None = None) -> None:
        self.home = Path(home)
        self.database_url = database_url
        self.extra_env = dict(env or {})
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.home / "server.log"

    @property
    def env(self) -> dict[str, str]:
        return server_env(self.home, self.database_url, self.extra_env)

    def start(self) -> ServerProcess:
        self.home.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_LIMIT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"the server exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if httpx.get(self.url + HEALTH_PATH, timeout=2.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        self.kill()
        raise ServerFailed(f"the server did not answer {HEALTH_PATH} within {START_LIMIT:.0f} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """A graceful stop (SIGTERM: uvicorn finishes its requests), killed if it hangs."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(STOP_LIMIT)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def kill(self) -> None:
        """SIGKILL: a crash, open transactions lost."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    def restart(self, *, kill: bool = False) -> ServerProcess:
        (self.kill if kill else self.stop)()
        return self.start()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def admin(self, *args: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``python -m server admin <args>`` on this server's home and database (the server may run)."""
        result = subprocess.run(
            [sys.executable, "-m", "server", "admin", *args], cwd=REPO, env=self.env, input=stdin,
            capture_output=True, text=True, check=False, timeout=120,
        )
        if check and result.returncode != 0:
            raise ServerFailed(f"server admin {' '.join(args)} failed ({result.returncode}):\n"
                               f"{result.stdout}\n{result.stderr}")
        return result
