"""豁免: the findings of one 工作台 cell a 党组织 may be excused from, with the reason (required) and who approved
it (e.g. "党支部于本季度中途成立，本季度不要求召开党员大会", 街道党工委).  Each ticked finding becomes one waiver."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.compliance import WAIVABLE_RULES
from app.services.compliance.dto import CellDetail, FindingRow

REASON_HINT = "例如：党支部于本季度中途成立，本季度不要求召开党员大会"
NO_REASON = "请填写豁免的理由（谁看到这条豁免都应明白为什么）"
NONE_TICKED = "请至少勾选一项要豁免的问题"


def waivable(detail: CellDetail) -> list[FindingRow]:
    """The findings behind a cell that may be waived and are not yet."""
    return [f for f in detail.findings if f.rule_id in WAIVABLE_RULES and not f.waived]


class WaiverDialog(QDialog):
    def __init__(self, detail: CellDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("豁免")
        self.findings = waivable(detail)
        intro = QLabel(f"{detail.party_org_name}　{detail.month.label()}：勾选不适用于本党组织的问题，"
                       "写明理由。豁免随记录同步到区里。")
        intro.setWordWrap(True)
        self.items = QListWidget()
        self.items.setWordWrap(True)  # a finding's message is read whole, never cut at the edge
        for finding in self.findings:
            item = QListWidgetItem(f"{finding.level.label}　{finding.message}")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)  # each one a decision: nothing waived unasked
            item.setToolTip(finding.message)
            self.items.addItem(item)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(REASON_HINT)
        self.reason.setMaxLength(200)
        self.approved_by = QLineEdit()
        self.approved_by.setPlaceholderText("如 街道党工委（可不填）")
        self.approved_by.setMaxLength(100)
        self.message = QLabel(" ")  # reserved: nothing moves when a message appears
        self.message.setStyleSheet("color: #c5221f")
        form = QFormLayout()
        form.addRow("理由", self.reason)
        form.addRow("批准人", self.approved_by)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("豁免")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.items, 1)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self.reason.setFocus()

    def chosen(self) -> list[FindingRow]:
        return [f for i, f in enumerate(self.findings) if self.items.item(i).checkState() == Qt.CheckState.Checked]

    def problem(self) -> str:
        if not self.chosen():
            return NONE_TICKED
        return NO_REASON if not self.reason.text().strip() else ""

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.message.setText(problem)
            (self.reason if problem == NO_REASON else self.items).setFocus()
            return
        super().accept()

    @staticmethod
    def ask(detail: CellDetail, parent: QWidget | None = None) -> tuple[Sequence[FindingRow], str, str] | None:
        """The ticked findings, the reason and the approver; None when cancelled."""
        dialog = WaiverDialog(detail, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen(), dialog.reason.text().strip(), dialog.approved_by.text().strip()
