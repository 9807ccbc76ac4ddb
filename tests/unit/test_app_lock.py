"""One running app per profile: the OS lock the GUI and the writing commands hold (Qt-free)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app import paths
from app.cli import run
from app.services.core import app_lock
from app.services.core.app_lock import ProfileInUseError


def test_a_held_profile_is_refused_with_the_holders_pid() -> None:
    lock = app_lock.acquire("local")
    try:
        with pytest.raises(ProfileInUseError) as refused:
            app_lock.acquire("local")
        assert refused.value.pid == os.getpid() and f"进程 {os.getpid()}" in str(refused.value)
        app_lock.acquire("demo").release()  # another profile is free
    finally:
        lock.release()
    app_lock.acquire("local").release()  # released: free again


def test_the_lock_of_a_killed_process_is_taken_over() -> None:
    """A crash leaves the lock file (with the dead pid) but not the lock: the next start simply takes it."""
    script = textwrap.dedent("""
        import os, sys, time
        from app.services.core import app_lock
        app_lock.acquire("local")
        print(os.getpid(), flush=True)
        time.sleep(60)
    """)
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                              env=dict(os.environ))
    try:
        assert holder.stdout is not None
        pid = int(holder.stdout.readline())
        with pytest.raises(ProfileInUseError) as refused:
            app_lock.acquire("local")
        assert refused.value.pid == pid
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert app_lock.lock_path("local").exists() and app_lock.holder_pid("local") == pid  # stale file left
    lock = app_lock.acquire("local")
    assert app_lock.holder_pid("local") == os.getpid()
    lock.release()


def test_restore_refuses_while_the_app_holds_the_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.services.core.backups import backup_database
    from app.services.core.database import open_database

    db_path = paths.database_path("local")
    open_database(db_path).close()
    archive = backup_database(db_path, "manual", out=tmp_path / "copy.sqlite3")
    before = db_path.read_bytes()
    lock = app_lock.acquire("local")
    try:
        assert run(["restore", str(archive)]) == 1
    finally:
        lock.release()
    err = capsys.readouterr().err
    assert "正在被本软件的另一个窗口或命令使用" in err and f"进程 {os.getpid()}" in err
    assert db_path.read_bytes() == before and not list(db_path.parent.glob("*.replaced-*"))
    assert run(["restore", str(archive)]) == 0  # once the app has closed
    app_lock.acquire("local").release()  # and restore let go of it


def test_seed_demo_refuses_while_a_window_shows_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    lock = app_lock.acquire(paths.DEMO_PROFILE)
    try:
        assert run(["seed-demo", "--orgs", "3", "--years", "0"]) == 1
    finally:
        lock.release()
    assert "用户配置“demo”正在被本软件的另一个窗口或命令使用" in capsys.readouterr().err
    assert not paths.database_file(paths.DEMO_PROFILE).exists()
