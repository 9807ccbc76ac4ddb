"""演示数据 in the GUI: the empty ledger's button opens the demo profile (title and banner say 演示数据), one
click goes back to my data, the demo is deleted in one action; cancel really cancels and deletes the
partial demo; the progress bar moves."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import paths
from app.models import OutboxEntry, SocialOrg
from app.services.core.database import open_database
from app.ui import tasks as tasks_module
from app.ui.bus import ChangeBus
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.operations import demo
from app.ui.tasks import ImmediateTaskRunner, Runner, TaskRunner
from app.ui.views.ledger_view import LedgerView


def _count(path: Path, model: type = SocialOrg) -> int:
    database = open_database(path)
    try:
        with database.session_factory() as session:
            return session.execute(select(func.count()).select_from(model)).scalar_one()
    finally:
        database.close()


def _window(qtbot: QtBot, runner: Runner) -> MainWindow:
    local = open_database(paths.database_path(paths.DEFAULT_PROFILE))
    window = MainWindow(UiContext(local, runner, ChangeBus(), "local:test", paths.DEFAULT_PROFILE))
    qtbot.addWidget(window)
    window.show()
    return window


def _ledger(window: MainWindow) -> LedgerView:
    window.show_section("组织台账")
    view = window.views["组织台账"]
    assert isinstance(view, LedgerView)
    return view


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DEMO_ORGS", 12)
    monkeypatch.setattr(demo, "DEMO_YEARS", 1)


@pytest.fixture
def threads() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_demo_button_opens_the_demo_profile_then_back_and_delete(
    qtbot: QtBot, small_demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, ImmediateTaskRunner())
    assert "我的数据" in window.windowTitle() and window.banner.isHidden()

    qtbot.mouseClick(_ledger(window).empty_state.demo_button, Qt.MouseButton.LeftButton)

    assert window.ctx.profile == paths.DEMO_PROFILE and window.ctx.is_demo
    assert "演示数据" in window.windowTitle() and window.banner.isVisibleTo(window)
    assert "演示数据" in window.banner.label.text() and "演示数据" in window.database_label.text()
    assert _ledger(window).model.total == 12 and "已载入演示数据" in window.statusBar().currentMessage()
    demo_db = paths.database_path(paths.DEMO_PROFILE)
    assert _count(demo_db) == 12 and _count(paths.database_path(paths.DEFAULT_PROFILE)) == 0

    qtbot.mouseClick(window.banner.back_button, Qt.MouseButton.LeftButton)
    assert window.ctx.profile == paths.DEFAULT_PROFILE and window.banner.isHidden()
    assert "演示数据" not in window.windowTitle() and _ledger(window).model.total == 0

    qtbot.mouseClick(_ledger(window).empty_state.demo_button, Qt.MouseButton.LeftButton)  # opens, keeps
    assert window.ctx.is_demo and _ledger(window).model.total == 12 and _count(demo_db) == 12

    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(window.banner.delete_button, Qt.MouseButton.LeftButton)
    assert not paths.profile_dir(paths.DEMO_PROFILE).exists()
    assert window.ctx.profile == paths.DEFAULT_PROFILE and window.banner.isHidden()
    assert "已删除" in window.statusBar().currentMessage()
    window.ctx.database.close()


def test_declining_the_delete_question_keeps_the_demo(
    qtbot: QtBot, small_demo: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, ImmediateTaskRunner())
    window.open_demo()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.No)
    qtbot.mouseClick(window.banner.delete_button, Qt.MouseButton.LeftButton)
    assert window.ctx.is_demo and _count(paths.database_path(paths.DEMO_PROFILE)) == 12
    window.ctx.database.close()


def test_a_cancel_before_the_first_batch_keeps_nothing(qtbot: QtBot, small_demo: None) -> None:
    runner = ImmediateTaskRunner()
    window = _window(qtbot, runner)
    runner.paused = True
    window.open_demo()
    while not (runner.pending and runner.pending[0].handle.context is not None):
        runner.pending.pop(0).run()  # open the demo profile, count its organizations
    runner.pending[0].handle.cancel()  # the user cancels the load
    runner.run_pending()
    assert window.ctx.profile == paths.DEFAULT_PROFILE and not paths.profile_dir(paths.DEMO_PROFILE).exists()
    assert window.statusBar().currentMessage() == demo.CANCELLED_MESSAGE
    assert _ledger(window).model.total == 0
    window.ctx.database.close()


def _progress_dialog(window: MainWindow) -> QProgressDialog | None:
    dialogs = [d for d in window.findChildren(QProgressDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


def test_cancel_really_stops_the_load_and_deletes_the_partial_demo(
    qtbot: QtBot, threads: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproduction: cancelling after a moment closed the dialog, and seconds later all 300 organizations
    appeared.  Now the load stops, the partial demo is deleted, the window is back on my data, it says so."""
    monkeypatch.setattr(demo, "DEMO_YEARS", 1)
    # The load pauses in its worker once it has reported 10 %, whatever the machine's speed, until the
    # test has looked at the bar and clicked 取消; then it goes on and must notice the cancel.
    reached, resume = threading.Event(), threading.Event()
    original_report = tasks_module.TaskContext.report

    def pausing_report(self: Any, value: int, maximum: int = 0, label: str | None = None) -> None:
        original_report(self, value, maximum, label)
        if maximum == 100 and value >= 10 and not reached.is_set():
            reached.set()
            resume.wait(60)

    monkeypatch.setattr(tasks_module.TaskContext, "report", pausing_report)
    window = _window(qtbot, threads)
    qtbot.mouseClick(_ledger(window).empty_state.demo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=60_000)
    qtbot.waitUntil(lambda: (d := _progress_dialog(window)) is not None and d.value() >= 10, timeout=60_000)
    dialog = _progress_dialog(window)
    assert dialog is not None and dialog.maximum() == 100 and "%" in dialog.labelText()
    assert window.ctx.is_demo and window.banner.isVisibleTo(window)
    assert not window.banner.back_button.isEnabled()  # no switching away in the middle of the load

    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    resume.set()

    qtbot.waitUntil(lambda: demo.CANCELLED_MESSAGE in said, timeout=60_000)
    qtbot.waitUntil(lambda: not threads._active, timeout=60_000)  # every task (close, delete) has finished
    assert window.ctx.profile == paths.DEFAULT_PROFILE and window.banner.isHidden()
    assert not paths.profile_dir(paths.DEMO_PROFILE).exists()  # nothing kept, nothing can appear later
    assert _count(paths.database_path(paths.DEFAULT_PROFILE)) == 0
    assert _count(paths.database_path(paths.DEFAULT_PROFILE), OutboxEntry) == 0
    qtbot.waitUntil(lambda: _ledger(window).model.loaded, timeout=60_000)
    assert _ledger(window).model.total == 0
    window.ctx.database.close()


def test_the_whole_load_moves_the_bar_to_the_end(qtbot: QtBot, threads: TaskRunner,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DEMO_ORGS", 150)
    monkeypatch.setattr(demo, "DEMO_YEARS", 1)
    seen: list[int] = []  # every value the progress bar is given, however fast the machine
    original_update = tasks_module._DelayedProgress.update

    def recording_update(self: Any, progress: Any) -> None:
        seen.append(progress.value)
        original_update(self, progress)

    monkeypatch.setattr(tasks_module._DelayedProgress, "update", recording_update)
    window = _window(qtbot, threads)
    said: list[str] = []
    window.statusBar().messageChanged.connect(said.append)
    window.open_demo()
    qtbot.waitUntil(lambda: _progress_dialog(window) is not None, timeout=60_000)
    qtbot.waitUntil(lambda: any("已载入演示数据" in m for m in said), timeout=120_000)
    assert window.ctx.is_demo
    qtbot.waitUntil(lambda: _ledger(window).model.total == 150, timeout=60_000)  # the ledger re-read
    assert len(set(seen)) >= 10 and seen == sorted(seen) and max(seen) >= 90
    qtbot.waitUntil(lambda: not threads._active, timeout=60_000)
    window.ctx.database.close()


def test_a_load_cut_short_by_closing_the_app_is_loaded_again(qtbot: QtBot, small_demo: None) -> None:
    """Regression (walkthrough of issue 5): closing the window during the load left part of the demo (300
    organizations, a third of the meetings), and the next 载入演示数据 said 已打开演示数据 as if complete."""
    from app.demo import data as demo_data

    partial = open_database(paths.database_path(paths.DEMO_PROFILE))

    def killed(stage: str, done: int, total: int) -> None:
        if stage == "搜索索引":  # every row is written, the load has not finished
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        demo_data.seed_demo(partial.session_factory, orgs=5, years=1, progress=killed)
    assert demo_data.load_interrupted(partial.session_factory)
    partial.close()
    assert _count(paths.database_path(paths.DEMO_PROFILE)) > 0  # a part of the demo is there

    window = _window(qtbot, ImmediateTaskRunner())
    window.open_demo()
    assert window.ctx.is_demo and _ledger(window).model.total == 12  # deleted, then loaded whole
    assert "已载入演示数据" in window.statusBar().currentMessage()
    assert not demo_data.load_interrupted(window.ctx.database.session_factory)
    window.ctx.database.close()
