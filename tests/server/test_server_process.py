"""``python -m server serve`` as a real process on a free 127.0.0.1 port: migrates, says where its data is,
answers /health and a login made with ``python -m server admin create-user`` in another process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app import wire

ROOT = Path(__file__).resolve().parents[2]
START_LIMIT = 60.0  # seconds to wait for the first /health on a loaded machine (a hang guard, not a measure)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DANGJIAN_SERVER_HOME=str(home), PYTHONPATH=str(ROOT))
    return env


def _server_cli(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "server", *args], input=stdin, capture_output=True, text=True,
                          env=_env(home), cwd=ROOT, timeout=120, check=False)


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str], Path]]:
    home = tmp_path / "server-home"
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "server", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               env=_env(home), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}{wire.PREFIX}"
    try:
        deadline = time.monotonic() + START_LIMIT
        while True:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not answer /health"
            time.sleep(0.2)
        yield base, process, home
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.slow
def test_a_served_district_answers_health_and_login(running: tuple[str, subprocess.Popen[str], Path]) -> None:
    base, process, home = running
    assert httpx.get(f"{base}/health").json() == {"status": "ok"}
    made = _server_cli(home, "admin", "create-user", "zhang", "--role", "instructor", "--password-stdin",
                       stdin="secret-pass-1\n")
    assert made.returncode == 0, made.stderr
    answer = httpx.post(f"{base}/auth/login", headers={wire.PROTOCOL_HEADER: "1"},
                        json={"username": "zhang", "password": "secret-pass-1", "device_id": "d1", "device_name": "x"})
    assert answer.status_code == 200
    meta = httpx.get(f"{base}/meta", headers={"Authorization": f"Bearer {answer.json()['access_token']}"})
    assert meta.status_code == 200 and meta.json()["user"]["username"] == "zhang"
    schema = httpx.get(base.removesuffix(wire.PREFIX) + "/openapi.json").json()
    assert schema["info"]["title"] == "党建指导员工作台 区服务器"
    process.terminate()
    output = process.communicate(timeout=30)[0]
    assert str(home) in output and "数据库" in output


@pytest.mark.slow
def test_a_bad_database_url_or_bad_input_is_one_line(tmp_path: Path) -> None:
    home = tmp_path / "server-home"
    env_url = {**_env(home), "DATABASE_URL": "oracle://scott@db/orcl"}
    refused = subprocess.run([sys.executable, "-m", "server", "serve"], capture_output=True, text=True, env=env_url,
                             cwd=ROOT, timeout=120, check=False)
    assert refused.returncode != 0 and len(refused.stderr.strip().splitlines()) == 1
    assert "DATABASE_URL" in refused.stderr and not home.exists()
    unreachable = {**_env(home), "DATABASE_URL": f"postgresql://nobody@127.0.0.1:{_free_port()}/district"}
    down = subprocess.run([sys.executable, "-m", "server", "admin", "list-users"], capture_output=True, text=True,
                          env=unreachable, cwd=ROOT, timeout=120, check=False)
    assert down.returncode == 1 and len(down.stderr.strip().splitlines()) == 1 and "数据库" in down.stderr
    bad = _server_cli(home, "admin", "create-user", "Bad Name", "--role", "instructor", "--password-stdin",
                      stdin="secret-pass-1\n")
    assert bad.returncode != 0 and len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr
    port = _server_cli(home, "serve", "--port", "99999")
    assert port.returncode == 2 and len(port.stderr.strip().splitlines()) == 1
