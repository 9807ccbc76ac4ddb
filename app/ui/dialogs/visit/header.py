"""The top of the visit form, in the order the user decides: 走访方式 first, then 计划 / 已走访 and 不打招呼,
the organization, the day and the times.  Mode and status decide which tabs the form shows."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from app.services.visits.dto import OrgChoice, VisitInput, VisitMode, VisitStatus
from app.ui.dialogs.fields import UNSET_TEXT, DateEntry
from app.ui.dialogs.meeting.basics import parse_time
from app.ui.widgets import ChoiceBox

NOT_COUNTED = "电话、线上走访会记录在案，但不计入每月实地走访要求"


def _time_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,2}[:：]?[0-9]{0,2}"), edit))
    edit.setMaximumWidth(80)
    return edit


class VisitHeader(QWidget):
    edited = Signal()
    shapeChanged = Signal()  # the mode or the status: which parts of the form apply

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.modes: dict[VisitMode, QRadioButton] = {m: QRadioButton(m.label) for m in VisitMode}
        self.mode_group = QButtonGroup(self)
        for button in self.modes.values():
            self.mode_group.addButton(button)
        self.modes[VisitMode.ON_SITE].setChecked(True)
        self.done = QRadioButton("已走访（记录情况）")
        self.planned = QRadioButton("计划（尚未走访）")
        self.status_group = QButtonGroup(self)
        self.status_group.addButton(self.done)
        self.status_group.addButton(self.planned)
        self.done.setChecked(True)
        self.surprise = QCheckBox("不打招呼（不发走访通知）")
        self.org = ChoiceBox()
        self.org.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.org.setMinimumContentsLength(16)
        self.day = DateEntry()
        self.day.line.setMinimumWidth(self.day.line.fontMetrics().horizontalAdvance("2026-12-31") + 24)
        self.start, self.end = _time_edit("如 9:30"), _time_edit(UNSET_TEXT)
        self.mode_note = QLabel(NOT_COUNTED)
        self.mode_note.setStyleSheet("color: #b05a00;")
        self.mode_note.setFixedHeight(self.mode_note.fontMetrics().height() + 2)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        first = QHBoxLayout()
        for mode_button in self.modes.values():
            first.addWidget(mode_button)
        first.addSpacing(16)
        first.addWidget(self.mode_note, 1)
        second = QHBoxLayout()
        for choice in (self.done, self.planned, self.surprise):
            second.addWidget(choice)
        second.addStretch(1)
        third = QHBoxLayout()
        third.addWidget(self.org, 3)
        for label, widget, stretch in (("日期", self.day, 1), ("开始", self.start, 0), ("结束", self.end, 0)):
            third.addWidget(QLabel(label))
            third.addWidget(widget, stretch)
        for row, (label, layout) in enumerate((("走访方式", first), ("状态", second), ("社会组织", third))):
            grid.addWidget(QLabel(label), row, 0)
            grid.addLayout(layout, row, 1)
        grid.setColumnStretch(1, 1)
        for button in (*self.modes.values(), self.done, self.planned):
            button.toggled.connect(self._shape_toggled)
        self.surprise.toggled.connect(lambda _on: self.edited.emit())
        self.org.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.day.changed.connect(self.edited.emit)
        for edit in (self.start, self.end):
            edit.textChanged.connect(lambda _t: self.edited.emit())
        self._follow()

    def _shape_toggled(self, on: bool) -> None:
        if on:
            self._follow()
            self.shapeChanged.emit()
            self.edited.emit()

    def _follow(self) -> None:
        self.mode_note.setText("" if self.mode() is VisitMode.ON_SITE else NOT_COUNTED)
        self.surprise.setEnabled(self.mode() is VisitMode.ON_SITE)

    def mode(self) -> VisitMode:
        return next((m for m, b in self.modes.items() if b.isChecked()), VisitMode.ON_SITE)

    def status(self) -> VisitStatus:
        return VisitStatus.PLANNED if self.planned.isChecked() else VisitStatus.DONE

    def org_id(self) -> str | None:
        value = self.org.value()
        return value if isinstance(value, str) else None

    def set_orgs(self, choices: tuple[OrgChoice, ...], selected: str | None, selected_name: str = "") -> None:
        self.org.blockSignals(True)
        self.org.set_choices([("（请选择组织）", None), *((c.name, c.id) for c in choices)])
        if selected and self.org.index_of(selected) < 0:  # a visit to an organization no longer mine
            self.org.add_choice(selected_name or "（已不在我负责的组织中）", selected)
        self.org.setCurrentIndex(max(self.org.index_of(selected), 0))
        self.org.blockSignals(False)

    def start_time(self) -> time | None:
        return parse_time(self.start.text())

    def end_time(self) -> time | None:
        return parse_time(self.end.text())

    def time_problem(self) -> str:
        """What is wrong with the date or times as typed ("" when nothing)."""
        if self.day.problem():
            return f"日期{self.day.problem()}"
        for label, edit in (("开始时刻", self.start), ("结束时刻", self.end)):
            if edit.text().strip() and parse_time(edit.text()) is None:
                return f"{label}“{edit.text()}”不是时刻，请写成 9:30 这样"
        return ""

    def set_input(self, data: VisitInput) -> None:
        self.modes[data.mode].setChecked(True)
        (self.planned if data.status is VisitStatus.PLANNED else self.done).setChecked(True)
        self.surprise.setChecked(data.surprise)
        if data.org_id and self.org.index_of(data.org_id) >= 0:
            self.org.set_value(data.org_id)
        self.day.set_value(data.visited_on)
        self.start.setText(f"{data.start_time:%H:%M}" if data.start_time else "")
        self.end.setText(f"{data.end_time:%H:%M}" if data.end_time else "")
        self._follow()
