"""The one shape of a write operation: the work on the serialized lane, the caller told (while its owner
lives), then each change it made broadcast on the bus — whether or not the caller is still there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.tasks import Lane, OnError, TaskHandle, owner_alive


def submit_write(ctx: UiContext, work: Callable[[], Any], changes: Callable[[Any], list[Change]],
                 owner: QObject | None, on_done: Callable[[Any], None], on_error: OnError | None) -> TaskHandle:
    def done(result: Any) -> None:
        if owner_alive(owner):
            on_done(result)
        for change in changes(result):
            ctx.bus.publish(change)

    def failed(exc: BaseException) -> None:
        if on_error is not None and owner_alive(owner):
            on_error(exc)

    return ctx.runner.submit(work, lane=Lane.WRITE, on_done=done, on_error=failed if on_error else None)
