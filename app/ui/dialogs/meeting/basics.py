"""The top of the meeting form — kind first, 党组织, date and times — and the 基本信息 tab whose fields
follow the kind (党课: 讲课人, 课时; 主题党日: 活动形式; 党小组会: 党小组; 党员大会 / 支委会: 决议).

Fields never jump while the user types: kind-specific rows appear or go only when the kind changes."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.meetings.dto import MeetingInput, MeetingKind, PartyOrgChoice
from app.ui.dialogs.fields import UNSET_TEXT, DateEntry
from app.ui.widgets import ChoiceBox

TOPIC_LABELS = {MeetingKind.PARTY_LECTURE: "党课题目", MeetingKind.THEME_DAY: "活动主题"}
THEME_FORMS = ("集中学习", "志愿服务", "参观学习", "重温入党誓词", "专题研讨", "实践活动")
_TIME = re.compile(r"^\s*(\d{1,2})[:：](\d{2})\s*$")


def parse_time(text: str) -> time | None:
    """19:00 / 9:30 (full-width colon too); None when blank or not a time."""
    found = _TIME.match(text)
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _time_edit(placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,2}[:：]?[0-9]{0,2}"), edit))
    edit.setMaximumWidth(90)
    return edit


class MeetingHeader(QWidget):
    """类型 · 党组织 · 日期 · 开始 · 结束, one row above the tabs."""

    edited = Signal()
    kindChanged = Signal()
    dayChanged = Signal()  # the date or the 党组织: the roster must be re-read

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = ChoiceBox([(k.label, k) for k in MeetingKind])
        self.party_org = ChoiceBox()
        self.party_org.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.party_org.setMinimumContentsLength(14)
        self.day = DateEntry()
        self.day.line.setMinimumWidth(self.day.line.fontMetrics().horizontalAdvance("2026-12-31") + 24)  # whole
        self.start = _time_edit("如 19:00")
        self.end = _time_edit(UNSET_TEXT)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for label, widget, stretch in (("会议类型", self.kind, 0), ("党组织", self.party_org, 2), ("日期", self.day, 1),
                                       ("开始", self.start, 0), ("结束", self.end, 0)):
            row.addWidget(QLabel(label))
            row.addWidget(widget, stretch)
        self.kind.currentIndexChanged.connect(self._kind_picked)
        self.party_org.currentIndexChanged.connect(self._party_org_picked)
        self.day.changed.connect(self._day_typed)
        for edit in (self.start, self.end):
            edit.textChanged.connect(lambda _t: self.edited.emit())
        self._last_day: date | None = None

    def _kind_picked(self, _index: int) -> None:
        self.kindChanged.emit()
        self.edited.emit()

    def _party_org_picked(self, _index: int) -> None:
        self.dayChanged.emit()
        self.edited.emit()

    def _day_typed(self) -> None:
        self.edited.emit()
        if self.day.value() != self._last_day:
            self._last_day = self.day.value()
            self.dayChanged.emit()

    def set_party_orgs(self, choices: tuple[PartyOrgChoice, ...], selected: str | None) -> None:
        self.party_org.blockSignals(True)
        self.party_org.set_choices([(c.name, c.id) for c in choices])
        if selected is not None:
            self.party_org.set_value(selected)
        self.party_org.blockSignals(False)

    def kind_value(self) -> MeetingKind:
        value = self.kind.value()
        assert isinstance(value, MeetingKind)
        return value

    def party_org_id(self) -> str | None:
        value = self.party_org.value()
        return value if isinstance(value, str) else None

    def started_at(self) -> datetime | None:
        day, start = self.day.value(), parse_time(self.start.text())
        return datetime.combine(day, start) if day and start else None

    def ended_at(self) -> datetime | None:
        day, end = self.day.value(), parse_time(self.end.text())
        return datetime.combine(day, end) if day and end else None

    def time_problem(self) -> str:
        """What is wrong with the date or times as typed ("" when nothing)."""
        if self.day.problem():
            return f"日期{self.day.problem()}"
        for label, edit in (("开始时刻", self.start), ("结束时刻", self.end)):
            if edit.text().strip() and parse_time(edit.text()) is None:
                return f"{label}“{edit.text()}”不是时刻，请写成 19:00 这样"
        return ""

    def set_input(self, data: MeetingInput) -> None:
        self.kind.set_value(data.kind)
        self.party_org.set_value(data.party_org_id)
        self.day.set_value(data.started_at.date() if data.started_at else None)
        self._last_day = self.day.value()
        self.start.setText(f"{data.started_at:%H:%M}" if data.started_at else "")
        self.end.setText(f"{data.ended_at:%H:%M}" if data.ended_at else "")


class BasicsTab(QWidget):
    """地点, 主持人, 记录人, the 议题 / 题目 / 主题, the kind's own fields, and 决议."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.location, self.host, self.recorder, self.topic = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        self.lecturer = QLineEdit()
        self.hours = QLineEdit()
        self.hours.setPlaceholderText("如 1.5")
        self.hours.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,2}(\.[0-9]{0,2})?"),
                                                            self.hours))
        self.hours.setMaximumWidth(120)
        self.activity_form = QComboBox()
        self.activity_form.setEditable(True)
        self.activity_form.addItems(THEME_FORMS)
        self.activity_form.setCurrentIndex(-1)
        line = self.activity_form.lineEdit()
        if line is not None:
            line.setPlaceholderText("选择或填写，如 志愿服务")
        self.group = ChoiceBox()
        self.decisions = QPlainTextEdit()
        self.decisions.setPlaceholderText("会议形成的决议或结论（支部党员大会、支部委员会必填）")
        self.decisions.setMaximumHeight(90)
        outer = QVBoxLayout(self)  # the rows at the top, the space below them (never spread between rows)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.form.addRow("会议地点", self.location)
        self.form.addRow("主持人", self.host)
        self.form.addRow("记录人", self.recorder)
        self.topic_label = QLabel("会议议题")
        self.form.addRow(self.topic_label, self.topic)
        self.form.addRow("讲课人", self.lecturer)
        self.form.addRow("课时（小时）", self.hours)
        self.form.addRow("活动形式", self.activity_form)
        self.form.addRow("党小组", self.group)
        self.form.addRow("决议", self.decisions)
        for edit in (self.location, self.host, self.recorder, self.topic, self.lecturer, self.hours):
            edit.textChanged.connect(lambda _t: self.edited.emit())
        self.activity_form.currentTextChanged.connect(lambda _t: self.edited.emit())
        self.group.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.decisions.textChanged.connect(self.edited.emit)

    def follow_kind(self, kind: MeetingKind) -> None:
        self.topic_label.setText(TOPIC_LABELS.get(kind, "会议议题"))
        for widget, shown in ((self.lecturer, kind is MeetingKind.PARTY_LECTURE),
                              (self.hours, kind is MeetingKind.PARTY_LECTURE),
                              (self.activity_form, kind is MeetingKind.THEME_DAY),
                              (self.group, kind is MeetingKind.GROUP_MEETING),
                              (self.decisions, kind in (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING))):
            self.form.setRowVisible(widget, shown)

    def set_groups(self, groups: tuple[tuple[str, str], ...], selected: str | None) -> None:
        self.group.blockSignals(True)
        self.group.set_choices([("（请选择）", None), *((name, gid) for gid, name in groups)])
        self.group.setCurrentIndex(max(self.group.index_of(selected), 0))
        self.group.blockSignals(False)

    def hours_value(self) -> float | None:
        text = self.hours.text().strip()
        try:
            return float(text) if text else None
        except ValueError:
            return None

    def values(self) -> dict[str, object]:
        group = self.group.value()
        return {"location": self.location.text(), "host_name": self.host.text(), "recorder_name": self.recorder.text(),
                "topic": self.topic.text(), "lecturer": self.lecturer.text(), "lecture_hours": self.hours_value(),
                "activity_form": self.activity_form.currentText(), "decisions": self.decisions.toPlainText(),
                "party_group_id": group if isinstance(group, str) else None}

    def set_input(self, data: MeetingInput) -> None:
        self.location.setText(data.location)
        self.host.setText(data.host_name)
        self.recorder.setText(data.recorder_name)
        self.topic.setText(data.topic)
        self.lecturer.setText(data.lecturer)
        self.hours.setText("" if data.lecture_hours is None else f"{data.lecture_hours:g}")
        self.activity_form.setCurrentText(data.activity_form)
        self.decisions.setPlainText(data.decisions)
