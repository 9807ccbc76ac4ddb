"""An election's candidates: 得票 takes digits only, so what is typed is what is stored (a walkthrough found a
non-numeric 得票 stored as 0 without a word)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox
from pytestqt.qtbot import QtBot

from app.services.meetings.dto import CandidateInput, VoteKind
from app.ui.dialogs.meeting.agenda import VoteEditor


def test_candidate_votes_are_typed_as_numbers_and_kept(qtbot: QtBot) -> None:
    editor = VoteEditor([])
    qtbot.addWidget(editor)
    editor.kind.setCurrentIndex(editor.kind.index_of(VoteKind.ELECTION))
    editor.append_candidate("张三", 7)
    count = editor.candidates.cellWidget(0, 1)
    assert isinstance(count, QSpinBox)
    count.lineEdit().selectAll()
    qtbot.keyClicks(count.lineEdit(), "abc")  # refused by the box: the 7 stays
    assert count.value() == 7
    count.lineEdit().selectAll()
    qtbot.keyClicks(count.lineEdit(), "12")
    qtbot.keyClick(count.lineEdit(), Qt.Key.Key_Tab)
    assert editor.value().candidates == (CandidateInput("张三", 12),)
