"""转为整改事项: asks what a finding lacks to become a 整改事项 — the deadline (required, not before the
visit), and optionally the requirement and the responsible person; the problem's text is the finding's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

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

from app.ui.dialogs.fields import ERROR_COLOR, DateEntry, MessageLine

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class RectificationAnswer:
    deadline: date
    requirement: str
    responsible_person: str


class ToRectificationDialog(QDialog):
    def __init__(self, finding: str, visited_on: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("转为整改事项")
        self.visited_on = visited_on
        problem = QLabel(finding)
        problem.setWordWrap(True)
        problem.setStyleSheet("font-weight: bold;")
        self.deadline = DateEntry()
        self.deadline.set_value(visited_on + timedelta(days=DEFAULT_DAYS))
        self.requirement = QPlainTextEdit()
        self.requirement.setPlaceholderText("如 建立党费收缴台账，按月收缴并公示（不填则写：请针对上述问题认真整改，"
                                            "于整改期限前完成，并将整改情况书面反馈党建指导员）")
        self.requirement.setMaximumHeight(80)
        self.requirement.setTabChangesFocus(True)
        self.responsible = QLineEdit()
        self.responsible.setPlaceholderText("如 理事长 王芳")
        self.message = MessageLine()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("建立整改事项")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("存在问题", problem)
        form.addRow("整改期限", self.deadline)
        form.addRow("整改要求", self.requirement)
        form.addRow("整改责任人", self.responsible)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("用这条问题建立整改事项（草稿，来源：走访），签发整改通知书时一并列入。"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    def problem(self) -> str:
        if self.deadline.problem():
            return f"整改期限{self.deadline.problem()}"
        deadline = self.deadline.value()
        if deadline is None:
            return "请填写整改期限"
        if deadline < self.visited_on:
            return f"整改期限不能早于发现问题的走访日期（{self.visited_on:%Y-%m-%d}）"
        return ""

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.message.set_message(problem, ERROR_COLOR)
            self.deadline.setFocus()
            return
        super().accept()

    def answer(self) -> RectificationAnswer:
        deadline = self.deadline.value()
        assert deadline is not None  # accept() checked it
        return RectificationAnswer(deadline, self.requirement.toPlainText().strip(), self.responsible.text().strip())
