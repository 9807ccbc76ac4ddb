"""台账导入导出 operations: preview an import, import, export — each on the task runner with progress
(after ~0.5 s) and cancel.

Reading and planning a file run on the read lane (files and reads); the import runs on the write lane
(one transaction: a cancel rolls everything back).  A finished import is broadcast on the change bus so
the ledger refreshes; an export writes a file only, on the read lane.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.services.ledger_io import apply, export, plan
from app.services.ledger_io.errors import Progress
from app.services.orgs.dto import LedgerFilter
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.tasks import Lane, OnError, TaskContext, TaskHandle, owner_alive

ImportPlan = plan.ImportPlan
ImportResult = apply.ImportResult
ExportResult = export.ExportResult


def _reporter(task: TaskContext, what: str) -> Progress:
    def progress(stage: str, done: int, total: int) -> None:
        if total:
            task.report(done, total, f"{what}：{stage}（{done:,}/{total:,}）")
        else:
            task.report(0, 0, f"{what}：{stage}（{done:,}）")

    return progress


def preview_import(*, ctx: UiContext, path: Path, on_done: Callable[[ImportPlan], None],
                   on_error: OnError | None = None, on_cancelled: Callable[[], None] | None = None,
                   parent: QWidget | None = None) -> TaskHandle:
    """Read ``path`` and plan its import (新增 / 更新 / 不变 / 拒绝 per row); nothing is written."""
    factory = ctx.database.session_factory

    def work(task: TaskContext) -> ImportPlan:
        return plan.plan_import(factory, path, progress=_reporter(task, "正在读取台账"),
                                cancelled=lambda: task.cancelled)

    handle = ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=parent,
                               progress=f"正在读取 {path.name}…", parent=parent)
    handle.on_cancelled = on_cancelled
    return handle


def run_import(*, ctx: UiContext, import_plan: ImportPlan, skip_invalid: bool,
               on_done: Callable[[ImportResult], None], on_error: OnError | None = None,
               on_cancelled: Callable[[], None] | None = None, parent: QWidget | None = None,
               origin: str = "") -> TaskHandle:
    """Import a previewed plan in one transaction (skipping refused rows only with ``skip_invalid``)."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work(task: TaskContext) -> ImportResult:
        return apply.apply_plan(factory, import_plan, skip_invalid=skip_invalid, actor=actor,
                                progress=_reporter(task, "正在导入"), cancelled=lambda: task.cancelled)

    def done(result: ImportResult) -> None:
        ctx.bus.publish(Change(ORG_ENTITY, result.ids, origin, "import"))  # even if the dialog was closed
        if owner_alive(parent):
            on_done(result)

    def failed(exc: BaseException) -> None:
        if on_error is not None and owner_alive(parent):
            on_error(exc)

    handle = ctx.runner.submit(work, lane=Lane.WRITE, on_done=done, on_error=failed if on_error else None,
                               progress="正在导入台账…", parent=parent)
    handle.on_cancelled = on_cancelled
    return handle


def export_ledger(*, ctx: UiContext, path: Path, flt: LedgerFilter, on_done: Callable[[ExportResult], None],
                  on_error: OnError | None = None, on_cancelled: Callable[[], None] | None = None,
                  parent: QWidget | None = None) -> TaskHandle:
    """Write the organizations matching ``flt`` to ``path`` (.xlsx)."""
    factory = ctx.database.session_factory

    def work(task: TaskContext) -> ExportResult:
        return export.export_ledger(factory, path, flt=flt, progress=_reporter(task, "正在导出台账"),
                                    cancelled=lambda: task.cancelled)

    handle = ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error,
                               progress=f"正在导出 {path.name}…", parent=parent)
    handle.on_cancelled = on_cancelled
    return handle
