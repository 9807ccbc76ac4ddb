"""出席情况: every member on the roster as it stood on the meeting's date, each 出席 / 请假 / 缺席 / 列席 with a
reason for 请假 and 缺席 (民主评议: the grade of each 正式党员), "全部出席" as a shortcut, and the live line
(应到 / 实到 and the quorum, in the rules' own words).  Messages sit in reserved lines: nothing jumps."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.meetings.dto import (
    AttendanceInput,
    AttendanceStatus,
    MeetingKind,
    MemberKind,
    ReviewGrade,
    Roster,
    RosterMember,
)
from app.ui.dialogs.fields import ERROR_COLOR, MessageLine
from app.ui.widgets import ChoiceBox

COLUMNS = ("姓名", "身份（会议当天）", "表决权", "出席情况", "请假/缺席原因", "评议等次")
NAME, KIND, VOTE, STATUS, REASON, GRADE = range(6)
NOT_MARKED = "（未登记）"


class AttendancePanel(QWidget):
    """The roster with one row per member; ``entries()`` gives the attendance the user marked."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.roster: Roster | None = None
        self.members: list[RosterMember] = []
        self.status_boxes: dict[str, ChoiceBox] = {}
        self.reason_edits: dict[str, QLineEdit] = {}
        self.grade_boxes: dict[str, ChoiceBox] = {}
        self.all_present = QPushButton("全部出席")
        self.all_present.setToolTip("把尚未登记的党员都标为出席（已标请假、缺席、列席的不变）")
        self.all_present.setAutoDefault(False)
        self.all_present.clicked.connect(self.mark_all_present)
        self.note = QLabel("名册：会议当天的党员（改会议日期会重新读取）")
        self.note.setStyleSheet("color: #5f6368;")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        for column, width in ((NAME, 90), (KIND, 110), (VOTE, 150), (STATUS, 100), (GRADE, 100)):
            self.table.setColumnWidth(column, width)
        self.reason_message = MessageLine()
        top = QHBoxLayout()
        top.addWidget(self.note, 1)
        top.addWidget(self.all_present)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.reason_message)

    # -- the roster ------------------------------------------------------------------------------
    def set_roster(self, roster: Roster, kind: MeetingKind, marked: tuple[AttendanceInput, ...]) -> None:
        """Show ``roster`` with what was marked (kept for members still on it; members of an old record
        who were off the roster that day are shown too)."""
        self.roster = roster
        by_member = {entry.member_id: entry for entry in marked}
        extra = [m for m in roster.others if m.id in by_member]
        self.members = [*roster.members, *extra]
        self.status_boxes.clear()
        self.reason_edits.clear()
        self.grade_boxes.clear()
        self.table.setRowCount(len(self.members))
        for row, member in enumerate(self.members):
            self._fill_row(row, member, by_member.get(member.id))
        self.note.setText(f"名册：{roster.day:%Y-%m-%d} 当天的党员 {len(roster.members)} 人"
                          "（改会议日期会重新读取）")
        self.follow_kind(kind)
        self.show_reasons([])

    def _fill_row(self, row: int, member: RosterMember, entry: AttendanceInput | None) -> None:
        kind = member.kind.label if member.kind else "—"
        for column, text in ((NAME, member.name), (KIND, kind), (VOTE, "有" if member.has_vote else member.vote_note)):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setToolTip(member.vote_note)
            self.table.setItem(row, column, item)
        status = ChoiceBox([(NOT_MARKED, None), *((s.label, s) for s in AttendanceStatus)])
        reason = QLineEdit()
        reason.setPlaceholderText("请假或缺席时填写原因")
        grade = ChoiceBox([("不评定" if member.kind is MemberKind.PROBATIONARY else "（未评）", None),
                           *((g.label, g) for g in ReviewGrade)])
        grade.setEnabled(member.kind is MemberKind.FULL)
        if entry is not None:
            status.set_value(entry.status)
            reason.setText(entry.reason)
            grade.set_value(entry.review_grade)
        reason.setEnabled(entry is not None and entry.status.needs_reason)
        status.currentIndexChanged.connect(lambda _i, m=member.id: self._status_changed(m))
        reason.textChanged.connect(lambda _t: self.edited.emit())
        grade.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.table.setCellWidget(row, STATUS, status)
        self.table.setCellWidget(row, REASON, reason)
        self.table.setCellWidget(row, GRADE, grade)
        self.status_boxes[member.id], self.reason_edits[member.id], self.grade_boxes[member.id] = status, reason, grade

    def follow_kind(self, kind: MeetingKind) -> None:
        self.table.setColumnHidden(GRADE, kind is not MeetingKind.DEMOCRATIC_REVIEW)

    # -- marking ---------------------------------------------------------------------------------
    def _status_changed(self, member_id: str) -> None:
        status = self.status_boxes[member_id].value()
        reason = self.reason_edits[member_id]
        needs = isinstance(status, AttendanceStatus) and status.needs_reason
        reason.setEnabled(needs)
        if needs:
            reason.setFocus()
        self.edited.emit()

    def mark(self, member_id: str, status: AttendanceStatus, reason: str = "") -> None:
        """Mark one member (the tests' hand on the combo box and the reason field)."""
        self.status_boxes[member_id].set_value(status)
        if reason:
            self.reason_edits[member_id].setText(reason)

    def mark_all_present(self) -> None:
        for box in self.status_boxes.values():
            if box.value() is None:
                box.blockSignals(True)
                box.set_value(AttendanceStatus.PRESENT)
                box.blockSignals(False)
        self.edited.emit()

    def entries(self) -> tuple[AttendanceInput, ...]:
        marked = []
        for member in self.members:
            status = self.status_boxes[member.id].value()
            if isinstance(status, AttendanceStatus):
                grade = self.grade_boxes[member.id].value()
                marked.append(AttendanceInput(member.id, status, self.reason_edits[member.id].text(),
                                              grade if isinstance(grade, ReviewGrade) else None))
        return tuple(marked)

    def unmarked(self) -> list[str]:
        return [m.name for m in self.members if self.status_boxes[m.id].value() is None]

    def show_reasons(self, names: list[str] | tuple[str, ...]) -> None:
        """The clear message for a 请假 / 缺席 without a reason, and a red frame on each empty reason."""
        wanted = set(names)
        for member in self.members:
            edit = self.reason_edits[member.id]
            edit.setStyleSheet(f"border: 1px solid {ERROR_COLOR};" if member.name in wanted else "")
        text = "、".join(names)
        self.reason_message.set_message(f"{text}：请假或缺席必须写明原因，请在“请假/缺席原因”一栏填写" if names else "",
                                        ERROR_COLOR)
