"""One running app per profile (DESIGN §5): a second start brings the first window forward or says why it
cannot; a profile switch moves the lock."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from PySide6.QtNetwork import QLocalSocket
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import paths
from app.services.core import app_lock
from app.services.core.app_lock import ProfileInUseError
from app.services.core.database import open_database
from app.ui import gui, instance
from app.ui.bus import ChangeBus
from app.ui.context import UiContext
from app.ui.instance import InstanceGuard
from app.ui.main_window import MainWindow
from app.ui.profiles import ProfileSwitcher
from app.ui.tasks import ImmediateTaskRunner


@pytest.fixture
def guard() -> Iterator[InstanceGuard]:
    held = InstanceGuard()
    yield held
    held.release_all()


def test_a_second_start_asks_the_first_for_its_window_and_exits(qtbot: QtBot, guard: InstanceGuard) -> None:
    guard.claim(paths.DEFAULT_PROFILE)
    requests: list[bool] = []
    guard.activateRequested.connect(lambda: requests.append(True))
    second = subprocess.Popen([sys.executable, "-m", "app"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    try:
        qtbot.waitUntil(lambda: second.poll() is not None, timeout=60_000)  # our event loop answers meanwhile
    finally:
        second.kill()
    _out, err = second.communicate()
    assert second.returncode == 1
    assert f"该账户的工作台已在运行（进程 {os.getpid()}）" in err and "已切换到那个窗口" in err
    assert requests == [True]
    assert not paths.database_file(paths.DEFAULT_PROFILE).exists(), "the second start opened no database"


def test_a_first_that_does_not_answer_is_named_with_its_pid(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    lock = app_lock.acquire(paths.DEFAULT_PROFILE)  # held, but nobody listens (still starting, or hung)
    try:
        assert gui.run_gui() == 1
    finally:
        lock.release()
    assert len(shown) == 1 and shown[0].startswith(f"该账户的工作台已在运行（进程 {os.getpid()}）。")
    assert "没有响应" in capsys.readouterr().err


def test_the_window_comes_forward_when_asked(qtbot: QtBot, guard: InstanceGuard) -> None:
    database = open_database(paths.database_path(paths.DEFAULT_PROFILE))
    ctx = UiContext(database, ImmediateTaskRunner(), ChangeBus(), "local:test")
    window = MainWindow(ctx, switcher=ProfileSwitcher(ctx, guard=guard))
    guard.activateRequested.connect(window.bring_forward)
    qtbot.addWidget(window)
    window.showMinimized()
    guard.claim(paths.DEFAULT_PROFILE)
    socket = QLocalSocket()  # what a second start sends, without blocking this test's event loop
    socket.connected.connect(lambda: socket.write(instance.ACTIVATE))
    socket.connectToServer(instance.server_name(paths.DEFAULT_PROFILE))
    qtbot.waitUntil(lambda: not window.isMinimized() and window.isVisible())
    qtbot.waitUntil(lambda: socket.bytesAvailable() > 0)
    assert bytes(socket.readAll().data()) == instance.ANSWER
    database.close()


def test_switching_profile_moves_the_lock(qtbot: QtBot, guard: InstanceGuard) -> None:
    database = open_database(paths.database_path(paths.DEFAULT_PROFILE))
    guard.claim(paths.DEFAULT_PROFILE)
    ctx = UiContext(database, ImmediateTaskRunner(), ChangeBus(), "local:test")
    switcher = ProfileSwitcher(ctx, guard=guard)
    switcher.open_profile(paths.DEMO_PROFILE)
    assert switcher.ctx.profile == paths.DEMO_PROFILE and guard.holds(paths.DEMO_PROFILE)
    app_lock.acquire(paths.DEFAULT_PROFILE).release()  # my data is free for another window now
    with pytest.raises(ProfileInUseError):
        app_lock.acquire(paths.DEMO_PROFILE)
    other = app_lock.acquire(paths.DEFAULT_PROFILE)  # another window opened my data meanwhile
    errors: list[BaseException] = []
    try:
        switcher.back_to_my_data(on_error=errors.append)
    finally:
        other.release()
    assert len(errors) == 1 and isinstance(errors[0], ProfileInUseError)
    assert switcher.ctx.profile == paths.DEMO_PROFILE and not switcher.busy  # still showing the demo
    switcher.back_to_my_data()
    assert switcher.ctx.profile == paths.DEFAULT_PROFILE and not guard.holds(paths.DEMO_PROFILE)
    app_lock.acquire(paths.DEMO_PROFILE).release()
    switcher.ctx.database.close()
