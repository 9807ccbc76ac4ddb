"""文件 → 导出台账…: save the ledger's current filter as an .xlsx file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.orgs.dto import LedgerFilter
from app.ui.context import UiContext
from app.ui.operations import ledger_io
from app.ui.operations.ledger_io import ExportResult
from app.ui.tasks import TaskHandle

TITLE = "导出台账"


def default_file_name() -> str:
    return f"组织台账-{clock.today():%Y-%m-%d}.xlsx"


def export_current_ledger(*, ctx: UiContext, parent: QWidget | None, flt: LedgerFilter) -> TaskHandle | None:
    """Ask where to save, then export the organizations ``flt`` shows (the ledger's current filter).
    Says how many were written, or why not; None when the user cancelled the save dialog."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
    chosen, _filter = QFileDialog.getSaveFileName(parent, TITLE, str(folder / default_file_name()),
                                                  "Excel 工作簿 (*.xlsx)")
    if not chosen:
        return None
    path = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")

    def done(result: ExportResult) -> None:
        QMessageBox.information(parent, TITLE, f"已导出 {result.rows:,} 个组织：{result.path}")

    def failed(exc: BaseException) -> None:
        QMessageBox.critical(parent, "导出失败", describe_error(exc))

    def cancelled() -> None:
        QMessageBox.information(parent, TITLE, "已取消导出：没有写入文件。")

    return ledger_io.export_ledger(ctx=ctx, path=path, flt=flt, on_done=done, on_error=failed,
                                   on_cancelled=cancelled, parent=parent)
