"""The one task runner that owns the UI's worker threads.

Two lanes: ``Lane.WRITE`` is a single worker thread, so database writes run one at a time in the
order they were submitted; ``Lane.READ`` is a small pool for reads, network and files.  Whatever a
task returns (or raises) is handed back on the UI thread through a queued Qt signal, so callbacks may
touch widgets.  A task submitted with a progress label gets a ``TaskContext`` to report progress and
check for cancellation; its progress dialog appears only if the work outlasts ``PROGRESS_DELAY_MS``.

``ImmediateTaskRunner`` is the synchronous stand-in for tests: same interface, no threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from enum import Enum
from functools import partial
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

log = logging.getLogger(__name__)

PROGRESS_DELAY_MS = 500
READ_WORKERS = 3

OnDone = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class Lane(Enum):
    WRITE = "write"  # serialized: one database writer at a time
    READ = "read"  # parallel: reads, network, files


@dataclass(frozen=True)
class Progress:
    label: str
    value: int = 0
    maximum: int = 0  # 0 = unknown length (a busy indicator)


@dataclass
class TaskContext:
    """Handed to a task that reports progress.  ``cancelled`` is a flag the worker checks."""

    label: str
    _report: Callable[[Progress], None] = field(repr=False, default=lambda _p: None)
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancel_event(self) -> threading.Event:
        """The flag itself, for a service that takes a ``threading.Event`` to check (the sync engine)."""
        return self._cancel

    def report(self, value: int, maximum: int = 0, label: str | None = None) -> None:
        self._report(Progress(label or self.label, value, maximum))


class TaskHandle:
    """What ``submit`` returns: lets the caller cancel (the worker sees the flag; the result is dropped)."""

    def __init__(self, context: TaskContext | None) -> None:
        self.context = context
        self.finished = False
        self._cancelled = False
        # runs on the UI thread when a cancelled task has stopped (e.g. to show what it did write)
        self.on_cancelled: Callable[[], None] | None = None

    @property
    def cancelled(self) -> bool:
        """Cancelled through the handle or through the task's own context (one flag, seen by both sides)."""
        return self._cancelled or (self.context is not None and self.context.cancelled)

    def cancel(self) -> None:
        self._cancelled = True
        if self.context is not None:
            self.context.cancel()


class Runner(Protocol):
    def submit(
        self,
        fn: Callable[..., Any],
        *,
        lane: Lane,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        owner: QObject | None = None,
        progress: str | None = None,
        parent: QWidget | None = None,
    ) -> TaskHandle: ...

    def shutdown(self) -> None: ...

    @property
    def closed(self) -> bool:
        """Shut down (the app is closing): nothing more may be submitted."""
        ...


def owner_alive(owner: QObject | None) -> bool:
    return owner is None or shiboken6.isValid(owner)


def _call_task(fn: Callable[..., Any], context: TaskContext | None) -> Any:
    return fn(context) if context is not None else fn()


class TaskRunner(QObject):
    """Runs callables on worker threads and delivers results on the UI thread."""

    _delivered = Signal(object)  # a zero-argument callable to run on the UI thread

    def __init__(self, parent: QObject | None = None, *, default_error: OnError | None = None) -> None:
        super().__init__(parent)
        self._write = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-write")
        self._read = ThreadPoolExecutor(max_workers=READ_WORKERS, thread_name_prefix="io")
        self._closed = False
        self._active: set[TaskHandle] = set()
        self.default_error: OnError = default_error or self._log_error
        self._delivered.connect(self._run_delivered, Qt.ConnectionType.QueuedConnection)

    def submit(
        self,
        fn: Callable[..., Any],
        *,
        lane: Lane,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        owner: QObject | None = None,
        progress: str | None = None,
        parent: QWidget | None = None,
    ) -> TaskHandle:
        """Run ``fn`` on ``lane``.  With ``progress`` (a label), ``fn`` receives a TaskContext.
        ``on_done(result)`` / ``on_error(exc)`` run on the UI thread, and not at all if ``owner`` was
        destroyed or the task was cancelled meanwhile."""
        if self._closed:
            raise RuntimeError("task runner is shut down")
        context = TaskContext(progress) if progress is not None else None
        handle = TaskHandle(context)
        dialog = _DelayedProgress(handle, progress, parent) if context is not None and progress else None
        if context is not None and dialog is not None:
            context._report = lambda p: self._delivered.emit(lambda: dialog.update(p))
        executor = self._write if lane is Lane.WRITE else self._read

        def work() -> None:
            try:
                result = _call_task(fn, context)
            except Exception as exc:  # delivered to on_error on the UI thread
                finish = partial(self._finish, handle, dialog, owner, on_error, exc, failed=True)
            else:
                finish = partial(self._finish, handle, dialog, owner, on_done, result, failed=False)
            self._delivered.emit(finish)

        self._active.add(handle)
        executor.submit(work)
        return handle

    def _finish(self, handle: TaskHandle, dialog: _DelayedProgress | None, owner: QObject | None,
                callback: Callable[[Any], None] | None, value: Any, *, failed: bool) -> None:
        handle.finished = True
        self._active.discard(handle)
        if dialog is not None:
            dialog.close()
        if handle.cancelled and handle.on_cancelled is not None and not self._closed:
            handle.on_cancelled()
        if self._closed or handle.cancelled or not owner_alive(owner):
            return
        if failed and callback is None:
            callback = self.default_error
        if callback is not None:
            callback(value)

    @Slot(object)
    def _run_delivered(self, deliver: Callable[[], None]) -> None:
        try:
            deliver()
        except Exception:  # a failing callback must not take the event loop down
            log.exception("task callback failed")

    @staticmethod
    def _log_error(exc: BaseException) -> None:
        log.error("background task failed", exc_info=exc)

    @property
    def closed(self) -> bool:
        return self._closed

    def shutdown(self) -> None:
        """Stop accepting work, drop pending tasks, ask running ones to stop and wait for them (at exit)."""
        self._closed = True
        for handle in list(self._active):
            handle.cancel()
        self._write.shutdown(wait=True, cancel_futures=True)
        self._read.shutdown(wait=True, cancel_futures=True)


class _DelayedProgress:
    """A progress dialog that appears only if the task is still running after the delay."""

    def __init__(self, handle: TaskHandle, label: str, parent: QWidget | None) -> None:
        self._handle, self._label, self._parent = handle, label, parent
        self._dialog: QProgressDialog | None = None
        self._done = False
        self._last = Progress(label)
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show)

    def _show(self) -> None:
        if self._handle.finished or self._handle.cancelled:
            return
        dialog = QProgressDialog(self._label, "取消", 0, 0, self._parent)
        dialog.setWindowTitle("请稍候")
        dialog.setMinimumDuration(0)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self._cancel_clicked)
        self._dialog = dialog
        self.update(self._last)
        dialog.show()

    def update(self, progress: Progress) -> None:
        self._last = progress
        if self._dialog is not None:
            self._dialog.setLabelText(progress.label)
            self._dialog.setMaximum(progress.maximum)
            self._dialog.setValue(min(progress.value, progress.maximum) if progress.maximum else 0)

    @property
    def visible(self) -> bool:
        return self._dialog is not None and self._dialog.isVisible()

    def _cancel_clicked(self) -> None:
        if not self._done:  # QProgressDialog also emits canceled when it is closed at the end
            self._handle.cancel()

    def close(self) -> None:
        self._done = True
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


@dataclass
class PendingTask:
    """A task held by a paused ImmediateTaskRunner; ``run()`` completes it (tests choose the order)."""

    fn: Callable[..., Any]
    lane: Lane
    on_done: OnDone | None
    on_error: OnError | None
    owner: QObject | None
    handle: TaskHandle

    def run(self) -> None:
        try:
            result = _call_task(self.fn, self.handle.context)
        except Exception as exc:
            self.handle.finished = True
            self._notify_cancelled()
            if self.on_error is None and not self.handle.cancelled:
                raise
            if self.on_error is not None and not self.handle.cancelled and owner_alive(self.owner):
                self.on_error(exc)
            return
        self.handle.finished = True
        self._notify_cancelled()
        if self.on_done is not None and not self.handle.cancelled and owner_alive(self.owner):
            self.on_done(result)


    def _notify_cancelled(self) -> None:
        if self.handle.cancelled and self.handle.on_cancelled is not None:
            self.handle.on_cancelled()


class ImmediateTaskRunner:
    """Synchronous stand-in for tests: runs each task at once on the calling thread.

    With ``paused = True`` tasks are queued in ``pending`` instead, so a test can complete them in any
    order (e.g. an older query finishing after a newer one).  An error with no ``on_error`` is raised.
    """

    def __init__(self) -> None:
        self.paused = False
        self.pending: list[PendingTask] = []
        self.submitted: list[Lane] = []
        self.closed = False

    def submit(
        self,
        fn: Callable[..., Any],
        *,
        lane: Lane,
        on_done: OnDone | None = None,
        on_error: OnError | None = None,
        owner: QObject | None = None,
        progress: str | None = None,
        parent: QWidget | None = None,
    ) -> TaskHandle:
        handle = TaskHandle(TaskContext(progress) if progress is not None else None)
        task = PendingTask(fn, lane, on_done, on_error, owner, handle)
        self.submitted.append(lane)
        if self.paused:
            self.pending.append(task)
        else:
            task.run()
        return handle

    def run_pending(self) -> None:
        """Complete every queued task in submission order."""
        while self.pending:
            self.pending.pop(0).run()

    def shutdown(self) -> None:
        self.closed = True
        self.pending.clear()
