"""送达… / 签收… / 作废…: one small form per step of a notice, which submits through the operation and stays
open with the service's message when it is refused (a date before the 签发, a missing reason …).

签发 needs no form: it is today's, confirmed by a question (the number it takes is never reused).
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.notices.dto import NoticeRow
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, DateEntry, size_to_content
from app.ui.operations import documents as ops

NO_DATE = "请填写日期（如 2026-03-31），不能晚于今天"
NO_SIGNER = "请填写签收人（组织负责人或经办人的姓名）"
NO_REASON = "请填写作废原因（如：文号录错，已重新签发），作废后文号不再使用"
REASON_MAX = 200


class Step(Enum):
    DELIVER = "送达"
    SIGN = "签收"
    VOID = "作废"


class NoticeStepDialog(QDialog):
    """The form of ``step`` for the notice ``row``; ``finished_step(row)`` after the write succeeded."""

    finished_step = Signal(object)  # the notice's new NoticeRow

    def __init__(self, ctx: UiContext, row: NoticeRow, step: Step, *, origin: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self.row, self.step, self._origin = ctx, row, step, origin
        self.setWindowTitle(f"{step.value} — {row.kind.label}")
        intro = QLabel(f"{row.kind.label}　{row.number}\n{row.org_name}")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.day = DateEntry()
        self.signer = QLineEdit()
        self.signer.setMaxLength(100)
        self.signer.setPlaceholderText("签收人姓名，如 张三（办公室主任）")
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText("如：文号录错，已重新签发")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(72)
        if step is Step.VOID:
            form.addRow("作废原因", self.reason)
        else:
            self.day.set_value(clock.today())
            form.addRow(f"{step.value}日期", self.day)
            if step is Step.SIGN:
                form.addRow("签收人", self.signer)
        self.message = QLabel(" ")  # reserved: nothing moves when a message appears
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(step.value)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        size_to_content(self, 460)
        (self.reason if step is Step.VOID else self.signer if step is Step.SIGN else self.day).setFocus()

    def problem(self) -> str:
        """What to fix before anything is sent ("" when the form is complete)."""
        if self.step is Step.VOID:
            reason = self.reason.toPlainText().strip()
            if not reason:
                return NO_REASON
            return f"作废原因最多 {REASON_MAX} 个字" if len(reason) > REASON_MAX else ""
        if self.day.value() is None:
            return self.day.problem() or NO_DATE
        if self.step is Step.SIGN and not self.signer.text().strip():
            return NO_SIGNER
        return ""

    def submit(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            return
        self.message.setText(" ")
        self.ok_button.setEnabled(False)
        ctx, notice_id, origin = self._ctx, self.row.id, self._origin
        day = self.day.value()
        if self.step is Step.VOID:
            ops.void_notice(ctx=ctx, notice_id=notice_id, reason=self.reason.toPlainText().strip(),
                            on_done=self._done, on_error=self._refused, origin=origin, owner=self)
        elif self.step is Step.SIGN and day is not None:
            ops.sign_notice(ctx=ctx, notice_id=notice_id, on_date=day, signed_by=self.signer.text().strip(),
                            on_done=self._done, on_error=self._refused, origin=origin, owner=self)
        elif day is not None:
            ops.deliver_notice(ctx=ctx, notice_id=notice_id, on_date=day, on_done=self._done,
                               on_error=self._refused, origin=origin, owner=self)

    def _done(self, row: NoticeRow) -> None:
        self.finished_step.emit(row)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.message.setText(describe_error(exc))
