"""议题与表决 (支部党员大会 / 支部委员会): agenda items in order, each with the votes taken on it — kind,
motion, the member it concerns (接收预备党员 / 转正), the tally (书面赞成意见 only for 接收 / 转正), the
candidates of an election — and under each vote its outcome in the rules' words, in a reserved line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.meetings.dto import AgendaInput, CandidateInput, RosterMember, VoteInput, VoteKind
from app.ui.dialogs.fields import CountEdit
from app.ui.widgets import ChoiceBox


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    return button


class VoteEditor(QFrame):
    edited = Signal()
    removeRequested = Signal(object)

    def __init__(self, members: list[RosterMember], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.kind = ChoiceBox([(k.label, k) for k in VoteKind])
        self.motion = QLineEdit()
        self.motion.setPlaceholderText("表决事项，如 通过年度工作计划")
        self.subject = ChoiceBox()
        self.set_members(members)
        self.yes, self.no, self.abstain, self.written = CountEdit(), CountEdit(), CountEdit(), CountEdit()
        for edit in (self.yes, self.no, self.abstain, self.written):
            edit.setPlaceholderText("0")
            edit.setMaximumWidth(60)
        self.candidates = QTableWidget(0, 2)
        self.candidates.setHorizontalHeaderLabels(("候选人", "得票"))
        self.candidates.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.candidates.verticalHeader().setVisible(False)
        self.candidates.setMaximumHeight(110)
        self.add_candidate = _button("添加候选人")
        self.add_candidate.clicked.connect(lambda: self.append_candidate("", 0))
        remove = _button("删除表决")
        remove.clicked.connect(lambda: self.removeRequested.emit(self))
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        self.outcome.setFixedHeight(self.outcome.fontMetrics().height() * 2 + 6)  # reserved: nothing jumps
        grid = QGridLayout(self)
        grid.addWidget(QLabel("表决类型"), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(self.motion, 0, 2, 1, 6)
        grid.addWidget(remove, 0, 8)
        grid.addWidget(QLabel("涉及党员"), 1, 0)
        grid.addWidget(self.subject, 1, 1)
        row = QHBoxLayout()
        counts = (("赞成", self.yes), ("反对", self.no), ("弃权", self.abstain), ("书面赞成意见", self.written))
        for label, edit in counts:
            row.addWidget(QLabel(label))
            row.addWidget(edit)
        row.addStretch(1)
        grid.addLayout(row, 1, 2, 1, 7)
        grid.addWidget(self.candidates, 2, 0, 1, 8)
        grid.addWidget(self.add_candidate, 2, 8, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.outcome, 3, 0, 1, 9)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.motion.textChanged.connect(lambda _t: self.edited.emit())
        self.subject.currentIndexChanged.connect(lambda _i: self.edited.emit())
        for edit in (self.yes, self.no, self.abstain, self.written):
            edit.textChanged.connect(lambda _t: self.edited.emit())
        self.candidates.itemChanged.connect(lambda _item: self.edited.emit())
        self._kind_changed()

    def set_members(self, members: list[RosterMember]) -> None:
        current = self.subject.value()
        self.subject.blockSignals(True)
        self.subject.set_choices([("（不涉及）", None), *((m.name, m.id) for m in members)])
        self.subject.setCurrentIndex(max(self.subject.index_of(current), 0))
        self.subject.blockSignals(False)

    def _kind_changed(self) -> None:
        kind = self.kind_value()
        election = kind is VoteKind.ELECTION
        self.candidates.setVisible(election)
        self.add_candidate.setVisible(election)
        for edit in (self.yes, self.no, self.abstain):
            edit.setEnabled(not election)
        self.written.setEnabled(kind.counts_written_opinions)
        self.subject.setEnabled(kind.counts_written_opinions)
        self.edited.emit()

    def kind_value(self) -> VoteKind:
        value = self.kind.value()
        assert isinstance(value, VoteKind)
        return value

    def append_candidate(self, name: str, votes: int) -> None:
        row = self.candidates.rowCount()
        self.candidates.insertRow(row)
        self.candidates.setItem(row, 0, QTableWidgetItem(name))
        count = QSpinBox()  # digits only: a typed "十二" can never be stored as 0 votes
        count.setRange(0, 99_999)
        count.setValue(votes)
        count.valueChanged.connect(lambda _v: self.edited.emit())
        self.candidates.setCellWidget(row, 1, count)

    def value(self) -> VoteInput:
        kind = self.kind_value()
        candidates = []
        for row in range(self.candidates.rowCount()):
            name = self.candidates.item(row, 0)
            votes = self.candidates.cellWidget(row, 1)
            if name and name.text().strip():
                candidates.append(CandidateInput(name.text().strip(),
                                                 votes.value() if isinstance(votes, QSpinBox) else 0))
        subject = self.subject.value()
        subject_id = subject if isinstance(subject, str) and kind.counts_written_opinions else None
        return VoteInput(kind, self.motion.text(), subject_id, self.yes.count() or 0, self.no.count() or 0,
                         self.abstain.count() or 0, (self.written.count() or 0) if kind.counts_written_opinions else 0,
                         tuple(candidates) if kind is VoteKind.ELECTION else ())

    def set_value(self, vote: VoteInput) -> None:
        self.kind.set_value(vote.kind)
        self.motion.setText(vote.motion)
        self.subject.setCurrentIndex(max(self.subject.index_of(vote.subject_member_id), 0))
        for edit, count in ((self.yes, vote.yes), (self.no, vote.no), (self.abstain, vote.abstain),
                            (self.written, vote.written_yes)):
            edit.set_count(count or None)
        for candidate in vote.candidates:
            self.append_candidate(candidate.name, candidate.yes_votes)


class AgendaItemEditor(QFrame):
    edited = Signal()
    removeRequested = Signal(object)

    def __init__(self, members: list[RosterMember], number: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members = members
        self.title = QLineEdit()
        self.title.setPlaceholderText("议题，如 讨论接收张三为预备党员")
        self.label = QLabel(f"议题 {number}")
        add_vote = _button("添加表决")
        add_vote.clicked.connect(lambda: self.add_vote())
        remove = _button("删除议题")
        remove.clicked.connect(lambda: self.removeRequested.emit(self))
        self.votes: list[VoteEditor] = []
        head = QHBoxLayout()
        head.addWidget(self.label)
        head.addWidget(self.title, 1)
        head.addWidget(add_vote)
        head.addWidget(remove)
        self.body = QVBoxLayout(self)
        self.body.addLayout(head)
        self.title.textChanged.connect(lambda _t: self.edited.emit())

    def add_vote(self, vote: VoteInput | None = None) -> VoteEditor:
        editor = VoteEditor(self.members, self)
        if vote is not None:
            editor.set_value(vote)
        editor.edited.connect(self.edited)
        editor.removeRequested.connect(self._remove_vote)
        self.votes.append(editor)
        self.body.addWidget(editor)
        self.edited.emit()
        return editor

    def _remove_vote(self, editor: VoteEditor) -> None:
        self.votes.remove(editor)
        editor.deleteLater()
        self.edited.emit()

    def value(self) -> AgendaInput:
        return AgendaInput(self.title.text(), tuple(v.value() for v in self.votes))


class AgendaPanel(QWidget):
    """The agenda items with their votes, in a scroll area; 添加议题 below them."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members: list[RosterMember] = []
        self.items: list[AgendaItemEditor] = []
        self.column = QVBoxLayout()
        holder = QWidget()
        outer = QVBoxLayout(holder)
        outer.addLayout(self.column)
        outer.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(holder)
        self.add_button = _button("添加议题")
        self.add_button.clicked.connect(lambda: self.add_item())
        hint = QLabel("表决结果按应到有表决权党员计算：赞成票超过应到半数才通过；选举须到会超过应到五分之四。")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368;")
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroller, 1)
        layout.addLayout(bottom)

    def set_members(self, members: list[RosterMember]) -> None:
        self.members = members
        for item in self.items:
            item.members = members
            for vote in item.votes:
                vote.set_members(members)

    def add_item(self, data: AgendaInput | None = None) -> AgendaItemEditor:
        item = AgendaItemEditor(self.members, len(self.items) + 1)
        if data is not None:
            item.title.setText(data.title)
            for vote in data.votes:
                item.add_vote(vote)
        item.edited.connect(self.edited)
        item.removeRequested.connect(self._remove_item)
        self.items.append(item)
        self.column.addWidget(item)
        self.edited.emit()
        return item

    def _remove_item(self, item: AgendaItemEditor) -> None:
        self.items.remove(item)
        item.deleteLater()
        for number, other in enumerate(self.items, 1):
            other.label.setText(f"议题 {number}")
        self.edited.emit()

    def set_agenda(self, agenda: tuple[AgendaInput, ...]) -> None:
        for item in list(self.items):
            self._remove_item(item)
        for data in agenda:
            self.add_item(data)

    def value(self) -> tuple[AgendaInput, ...]:
        return tuple(item.value() for item in self.items)

    def show_outcomes(self, lines: tuple[tuple[str, ...], ...]) -> None:
        for item, item_lines in zip(self.items, lines, strict=False):
            for vote, line in zip(item.votes, item_lines, strict=False):
                vote.outcome.setText(line)
