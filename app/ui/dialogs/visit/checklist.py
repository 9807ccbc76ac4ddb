"""检查表: the visit's checklist answered item by item — 是 / 否 / 不适用 and a note — on the items of the visit's
own version (a saved visit shows the texts stored with its answers, never today's file).  An item answered
否 offers “记为问题”, which adds a finding carrying the item and its note.

Keyboard: Tab walks answer → note → 记为问题 down the list; in an answer box 1 / 2 / 3 pick 是 / 否 / 不适用."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.visits.dto import AnswerInput, ChecklistAnswerValue, ChecklistItem
from app.ui.widgets import ChoiceBox

ANSWER_KEYS = {Qt.Key.Key_1: ChecklistAnswerValue.YES, Qt.Key.Key_2: ChecklistAnswerValue.NO,
               Qt.Key.Key_3: ChecklistAnswerValue.NOT_APPLICABLE}


class AnswerBox(ChoiceBox):
    """未回答 / 是 / 否 / 不适用; the digits 1–3 choose 是 / 否 / 不适用 without opening the list."""

    def __init__(self) -> None:
        super().__init__([("（未回答）", None), *((v.label, v) for v in ChecklistAnswerValue)])

    def keyPressEvent(self, event: QKeyEvent) -> None:
        picked = ANSWER_KEYS.get(Qt.Key(event.key()))
        if picked is not None:
            self.set_value(picked)
            return
        super().keyPressEvent(event)

    def answer(self) -> ChecklistAnswerValue | None:
        value = self.value()
        return value if isinstance(value, ChecklistAnswerValue) else None


class ChecklistRow:
    def __init__(self, item: ChecklistItem) -> None:
        self.item = item
        self.answer = AnswerBox()
        self.note = QLineEdit()
        self.note.setPlaceholderText("说明（可不填）")
        self.note.setMaxLength(200)
        self.to_finding = QPushButton("记为问题")
        self.to_finding.setAutoDefault(False)
        self.to_finding.setToolTip("把这一项记入“发现的问题”（答“否”时可用）")
        self.to_finding.setEnabled(False)


class ChecklistPanel(QWidget):
    edited = Signal()
    findingWanted = Signal(str, str)  # item code, description

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ChecklistRow] = []
        self.version = ""
        self.heading = QLabel()
        self.all_yes = QPushButton("其余未答项记为“是”")
        self.all_yes.setAutoDefault(False)
        self.all_yes.clicked.connect(self.fill_unanswered)
        self.body = QWidget()
        self.grid = QGridLayout(self.body)
        self.grid.setColumnStretch(1, 3)
        self.grid.setColumnStretch(3, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.all_yes)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)

    def set_items(self, version: str, items: tuple[ChecklistItem, ...], answers: tuple[AnswerInput, ...],
                  *, party_covered: bool | None = None) -> None:
        """Show ``items`` (of ``version``) with ``answers``; on a new visit, items for party members only are
        preset 不适用 where no party organization covers the organization (``party_covered`` False)."""
        while self.grid.count():
            taken = self.grid.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.rows, self.version = [], version
        self.heading.setText(f"走访检查表（{version} 版，共 {len(items)} 项）" if version else "走访检查表")
        given = {a.item_code: a for a in answers}
        for n, item in enumerate(items):
            row = ChecklistRow(item)
            text = QLabel(f"{item.text}" + ("（有党组织的填写）" if item.party_only else ""))
            text.setWordWrap(True)
            self.grid.addWidget(QLabel(f"{n + 1}."), n, 0, Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(text, n, 1)
            self.grid.addWidget(row.answer, n, 2)
            self.grid.addWidget(row.note, n, 3)
            self.grid.addWidget(row.to_finding, n, 4)
            answer = given.get(item.code)
            if answer is not None:
                row.answer.set_value(answer.answer)
                row.note.setText(answer.note)
            elif item.party_only and party_covered is False and not answers:
                row.answer.set_value(ChecklistAnswerValue.NOT_APPLICABLE)
            row.answer.currentIndexChanged.connect(lambda _i, r=row: self._answered(r))
            row.note.textChanged.connect(lambda _t: self.edited.emit())
            row.to_finding.clicked.connect(lambda _c=False, r=row: self.findingWanted.emit(
                r.item.code, r.note.text().strip() or f"{r.item.text}（未达到要求）"))
            row.to_finding.setEnabled(row.answer.answer() is ChecklistAnswerValue.NO)
            self.rows.append(row)
        self.grid.setRowStretch(len(items), 1)

    def _answered(self, row: ChecklistRow) -> None:
        row.to_finding.setEnabled(row.answer.answer() is ChecklistAnswerValue.NO)
        self.edited.emit()

    def fill_unanswered(self) -> None:
        for row in self.rows:
            if row.answer.answer() is None:
                row.answer.set_value(ChecklistAnswerValue.YES)

    def answers(self) -> tuple[AnswerInput, ...]:
        return tuple(AnswerInput(row.item.code, answer, row.note.text(), row.item.text)
                     for row in self.rows if (answer := row.answer.answer()) is not None)

    def row(self, code: str) -> ChecklistRow | None:
        return next((r for r in self.rows if r.item.code == code), None)
