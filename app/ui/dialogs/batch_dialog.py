"""本月通知书批量打印…: choose a month (this one first), and every notice issued in it is put into one PDF on
a worker — progress after 0.5 s, a cancel that stops between notices and says what was made (nothing is
saved then) — and shown in the preview, to print or save; printing it records each notice's own PDF."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.ui.context import UiContext
from app.ui.dialogs.fields import size_to_content
from app.ui.operations import documents as ops
from app.ui.widgets import ChoiceBox

MONTHS_BACK = 12


def months_from(today: date) -> list[tuple[str, tuple[int, int]]]:
    year, month = today.year, today.month
    choices = []
    for _ in range(MONTHS_BACK):
        choices.append((f"{year} 年 {month} 月" + ("（本月）" if (year, month) == (today.year, today.month) else ""),
                        (year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return choices


class MonthBatchDialog(QDialog):
    """Asks the month; ``start()`` runs the batch and, when it is done, opens its preview."""

    def __init__(self, ctx: UiContext, *, on_message: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._on_message = ctx, on_message
        self.setWindowTitle("通知书批量打印")
        intro = QLabel("把所选月份签发的全部通知（整改通知书、走访通知、提醒函；作废的除外）按签发顺序合成一个 PDF，"
                       "预览后打印或另存为。")
        intro.setWordWrap(True)
        self.month = ChoiceBox(months_from(clock.today()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("生成并预览")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.month)
        layout.addWidget(buttons)
        size_to_content(self, 460)
        self.preview: QWidget | None = None
        self.outcome = ""  # what the last run said (shown to the user as well)

    def start(self) -> None:
        chosen = self.month.value()
        if not isinstance(chosen, tuple):
            return
        year, month = chosen
        parent = self.parentWidget()
        self.accept()
        ops.render_month_batch(ctx=self._ctx, year=year, month=month, on_done=self._made,
                               on_cancelled=self._cancelled, on_error=self._failed, parent=parent)

    def _made(self, result: Any) -> None:
        self.outcome = result.message
        self._on_message(self.outcome)
        self.preview = ops.preview_batch(ctx=self._ctx, parent=self.parentWidget(), result=result)

    def _cancelled(self, result: Any) -> None:
        self.outcome = result.message if result is not None else "已取消批量打印，没有生成或保存任何文件。"
        self._on_message(self.outcome)
        QMessageBox.information(self.parentWidget(), "已取消", self.outcome)

    def _failed(self, exc: BaseException) -> None:
        self.outcome = describe_error(exc)
        QMessageBox.warning(self.parentWidget(), "无法批量打印", self.outcome)


def open_month_batch(*, ctx: UiContext, parent: QWidget | None, on_message: Callable[[str], None]) -> MonthBatchDialog:
    dialog = MonthBatchDialog(ctx, on_message=on_message, parent=parent)
    dialog.open()
    return dialog
