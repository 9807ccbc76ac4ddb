"""``sign-in``, ``sync`` and ``sign-out`` against a real district server (``python -m server serve`` in a
subprocess): as a user runs them (a subprocess without a keyring backend), and in-process with the in-memory
keyring (the sign-in kept, no password at sync)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from app import paths
from app.cli import run
from app.services.core.database import open_database
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput, OrgType
from tests.sync.harness import REPO, ServerProcess
from tests.sync.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.slow  # a server process and several client processes

PASSWORD = "zhangsan-pass-1"
NO_KEYRING = "keyring.backends.fail.Keyring"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("server")) as process:
        process.admin("create-user", "--role", "instructor", "--display-name", "张三", "--password-stdin",
                      "zhangsan", stdin=PASSWORD + "\n")
        yield process


def cli(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DANGJIAN_HOME": str(home), "PYTHONIOENCODING": "utf-8", "PYTHON_KEYRING_BACKEND": NO_KEYRING}
    env.pop("DANGJIAN_DEBUG", None)
    env.pop(paths.PROFILE_ENV, None)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=env, input=stdin, capture_output=True,
                          text=True, encoding="utf-8", timeout=180, check=False)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_without_a_keyring_each_sync_takes_the_password(server: ServerProcess, tmp_path: Path) -> None:
    home = tmp_path / "client"
    signed = cli(home, "sign-in", "--server", server.url, "--user", "zhangsan", "--password-stdin",
                 stdin=PASSWORD + "\n")
    assert signed.returncode == 0, signed.stderr
    out = signed.stdout.splitlines()
    assert out[0] == f"已登录：张三（zhangsan，党建指导员）@ {server.url}"
    assert "默认用户配置现在是 zhangsan" in out[1]
    assert "没有可用的系统钥匙串" in out[2] and "--password-stdin" in out[2]

    refused = cli(home, "sync")  # the default profile is now zhangsan's
    assert refused.returncode == 2
    assert "没有可用的系统钥匙串" in one_line(refused) and "--password-stdin" in one_line(refused)

    synced = cli(home, "sync", "--password-stdin", stdin=PASSWORD + "\n")
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("已发送 0 条修改")

    wrong = cli(home, "sync", "--password-stdin", stdin="not-the-password\n")
    assert wrong.returncode == 1 and one_line(wrong)

    out_ = cli(home, "sign-out")
    assert out_.returncode == 0, out_.stderr
    again = cli(home, "--profile", "zhangsan", "sync", "--password-stdin", stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "sign-in" in one_line(again)


def test_a_wrong_password_is_one_line_and_signs_nothing_in(server: ServerProcess, tmp_path: Path) -> None:
    home = tmp_path / "client"
    wrong = cli(home, "sign-in", "--server", server.url, "--user", "zhangsan", "--password-stdin", stdin="nope\n")
    assert wrong.returncode == 1 and "密码" in one_line(wrong)
    assert not (home / "default_profile").exists()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def test_with_a_keyring_sync_needs_no_password_and_sends_the_changes(
        server: ServerProcess, memory_keyring: MemoryKeyring, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert run(["sign-in", "--server", server.url, "--user", "zhangsan", "--password-stdin"]) == 0
    assert "无需再输入密码" in capsys.readouterr().out and memory_keyring.entries
    paths.set_active_profile(None)  # as a new process would: the default profile
    database = open_database(paths.database_path("zhangsan"))
    try:
        organizations.create_org(database.session_factory, OrgInput(
            name="鼓楼区同步测试协会", org_type=OrgType.COMMUNITY_FILED), actor="test")
    finally:
        database.close()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert run(["sync"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("已发送 1 条修改（1 条生效")
    assert run(["sign-out"]) == 0
    assert not memory_keyring.entries
