"""The real task runner: lanes, delivery on the UI thread, errors, cancellation, delayed progress."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.ui.bus import Change, ChangeBus
from app.ui.tasks import PROGRESS_DELAY_MS, ImmediateTaskRunner, Lane, TaskContext, TaskRunner


@pytest.fixture
def real_runner() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_results_arrive_on_the_ui_thread(qtbot: QtBot, real_runner: TaskRunner) -> None:
    seen: list[tuple[Any, str, str]] = []
    for lane in Lane:
        real_runner.submit(
            lambda: threading.current_thread().name, lane=lane,
            on_done=lambda worker, lane=lane: seen.append((lane, worker, threading.current_thread().name)),
        )
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=3000)
    by_lane = {lane: (worker, ui) for lane, worker, ui in seen}
    assert by_lane[Lane.WRITE][0].startswith("db-write") and by_lane[Lane.READ][0].startswith("io")
    assert {ui for _worker, ui in by_lane.values()} == {threading.main_thread().name}


def test_write_lane_is_serialized_in_submission_order(qtbot: QtBot, real_runner: TaskRunner) -> None:
    running, overlaps, order, done = [0], [], [], []
    lock = threading.Lock()

    def write(n: int) -> int:
        with lock:
            running[0] += 1
            overlaps.append(running[0])
        time.sleep(0.01)
        with lock:
            order.append(n)
            running[0] -= 1
        return n

    for n in range(6):
        real_runner.submit(lambda n=n: write(n), lane=Lane.WRITE, on_done=done.append)
    qtbot.waitUntil(lambda: len(done) == 6, timeout=3000)
    assert max(overlaps) == 1 and order == list(range(6)) and done == list(range(6))


def test_errors_go_to_on_error_or_the_default_handler(qtbot: QtBot) -> None:
    defaults: list[BaseException] = []
    runner = TaskRunner(default_error=defaults.append)
    errors: list[BaseException] = []

    def boom() -> None:
        raise ValueError("坏了")

    try:
        runner.submit(boom, lane=Lane.READ, on_error=errors.append, on_done=lambda _r: pytest.fail("no result"))
        runner.submit(boom, lane=Lane.WRITE)
        qtbot.waitUntil(lambda: len(errors) == 1 and len(defaults) == 1, timeout=3000)
    finally:
        runner.shutdown()
    assert str(errors[0]) == "坏了" and isinstance(defaults[0], ValueError)


def test_result_for_a_destroyed_owner_is_dropped(qtbot: QtBot, real_runner: TaskRunner) -> None:
    owner = QObject()
    gate = threading.Event()
    delivered: list[int] = []
    handle = real_runner.submit(lambda: gate.wait(2) and 1, lane=Lane.READ, owner=owner,
                                on_done=delivered.append)
    marker: list[int] = []
    real_runner.submit(lambda: 2, lane=Lane.WRITE, on_done=marker.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: marker == [2], timeout=3000)
    QApplication.processEvents()  # the deferred delete runs
    gate.set()
    # the runner has handled the task's result (finished is set on the UI thread, just before delivery)
    qtbot.waitUntil(lambda: handle.finished, timeout=3000)
    assert delivered == []


def _progress_dialogs() -> list[QProgressDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()]


def test_quick_work_shows_no_progress_dialog(qtbot: QtBot, real_runner: TaskRunner) -> None:
    done: list[str] = []
    real_runner.submit(lambda ctx: ctx.label, lane=Lane.READ, progress="导入台账", on_done=done.append)
    qtbot.waitUntil(lambda: done == ["导入台账"], timeout=3000)
    qtbot.wait(PROGRESS_DELAY_MS + 150)
    assert _progress_dialogs() == []


def test_long_work_shows_progress_and_can_be_cancelled(qtbot: QtBot, real_runner: TaskRunner) -> None:
    outcome: list[str] = []

    stop = threading.Event()  # the work runs until it is cancelled (or the test ends), however fast the machine

    def long_work(ctx: TaskContext) -> str:
        step = 0
        while not stop.is_set():
            if ctx.cancelled:
                return "cancelled"
            ctx.report(step % 400, 400)
            step += 1
            stop.wait(0.005)
        return "finished"

    handle = real_runner.submit(long_work, lane=Lane.READ, progress="正在导入", on_done=outcome.append)
    assert _progress_dialogs() == []  # not at once: no flicker for short work
    qtbot.waitUntil(lambda: len(_progress_dialogs()) == 1, timeout=PROGRESS_DELAY_MS + 1500)
    dialog = _progress_dialogs()[0]
    assert dialog.labelText() == "正在导入" and dialog.maximum() == 400
    cancel_button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    assert handle.context is not None and handle.context.cancelled
    qtbot.waitUntil(lambda: _progress_dialogs() == [], timeout=3000)
    qtbot.waitUntil(lambda: handle.finished, timeout=3000)  # the worker saw the flag and stopped
    stop.set()
    assert outcome == [], "a cancelled task's result is not delivered"


def test_immediate_runner_can_hold_tasks_and_raises_unhandled_errors() -> None:
    runner = ImmediateTaskRunner()
    got: list[int] = []
    runner.paused = True
    runner.submit(lambda: 1, lane=Lane.READ, on_done=got.append)
    runner.submit(lambda: 2, lane=Lane.WRITE, on_done=got.append)
    assert got == [] and runner.submitted == [Lane.READ, Lane.WRITE]
    runner.pending[1].run()
    runner.pending[0].run()
    assert got == [2, 1]
    runner.paused = False
    with pytest.raises(ZeroDivisionError):
        runner.submit(lambda: 1 / 0, lane=Lane.READ)


def test_bus_carries_a_frozen_record(qtbot: QtBot) -> None:
    bus = ChangeBus()
    change = Change("social_org", ("a", "b"), origin="test", action="archive")
    with qtbot.waitSignal(bus.changed) as received:
        bus.publish(change)
    assert received.args == [change]
    with pytest.raises(AttributeError):
        change.ids = ()  # type: ignore[misc]
