"""The meeting form: kind first, then the fields of that kind; attendance from the roster on the meeting's
date; the quorum and each vote's outcome computed live and worded by the rules; before save, what the
record still lacks, with 存为草稿 as the way to keep an incomplete record (it never counts toward
compliance).  A half-filled form survives a crash (``DraftKeeper``); Esc asks whether to keep a draft.

Keys: Ctrl+S saves (as 完成 when nothing is missing), Ctrl+D 存为草稿, Esc closes."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.core.drafts import Draft
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.meetings import IncompleteRecord, live_check
from app.services.meetings.dto import MeetingDetail, MeetingInput, MeetingKind, PartyOrgChoice, Roster
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, WARNING_COLOR, MessageLine
from app.ui.dialogs.meeting.agenda import AgendaPanel
from app.ui.dialogs.meeting.attachments_panel import RecordTab
from app.ui.dialogs.meeting.attendance import AttendancePanel
from app.ui.dialogs.meeting.basics import BasicsTab, MeetingHeader
from app.ui.dialogs.meeting.codec import from_draft, to_draft
from app.ui.drafts import KEEP, STAY, DraftKeeper, ask_keep_draft, describe_saved_at
from app.ui.operations import attachments as files
from app.ui.operations import meetings as ops
from app.ui.widgets import fit_to_screen

ORIGIN = "meeting_dialog"
DRAFT_KIND = "meeting"
PREFERRED_SIZE = (1060, 700)
WITH_VOTES = (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING)


class MeetingDialog(QDialog):
    """Create (``detail`` None; ``party_org_id`` preselects the 党组织) or edit one meeting record.
    Emits ``saved(MeetingDetail)`` then closes."""

    saved = Signal(object)

    def __init__(self, ctx: UiContext, detail: MeetingDetail | None = None, *, party_org_id: str | None = None,
                 kind: MeetingKind = MeetingKind.GENERAL_MEETING, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._detail = ctx, detail
        self.roster: Roster | None = None
        self._pending: MeetingInput = detail.data if detail else MeetingInput(kind, party_org_id or "", None)
        self._roster_generation = 0
        self.last_check: Any = None
        self.saved_detail: MeetingDetail | None = None
        self.setWindowTitle(f"编辑会议记录：{detail.data.kind.label}" if detail else "新建会议记录")
        self._build()
        self.header.set_input(self._pending)
        self.header.party_org.setEnabled(detail is None)  # a saved meeting stays with its 党组织
        self.basics.set_input(self._pending)
        self.record.minutes.setPlainText(self._pending.minutes)
        for guest in self._pending.guests:
            self.record.append_guest(guest)
        self.record.set_files(self._pending.attachments)
        self.agenda.set_agenda(self._pending.agenda)
        self._follow_kind()
        self._wire()
        self.drafts = DraftKeeper(ctx, self, kind=DRAFT_KIND, key=detail.id if detail else "new",
                                  collect=lambda: to_draft(self.form_input()),
                                  based_on=detail.updated_at if detail else None)
        self._opened_with = self.form_input()
        ops.load_party_orgs(ctx=ctx, on_done=self._party_orgs_loaded, owner=self)
        self.drafts.load(lambda draft: QTimer.singleShot(0, lambda: self._offer_draft(draft)))

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = MeetingHeader()
        self.header_message = MessageLine()
        self.basics = BasicsTab()
        self.attendance = AttendancePanel()
        self.agenda = AgendaPanel()
        self.record = RecordTab(self._ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.basics, "基本信息")
        self.tabs.addTab(self.attendance, "出席情况")
        self.tabs.addTab(self.agenda, "议题与表决")
        self.tabs.addTab(self.record, "会议记录与附件")
        self.quorum_line = QLabel()
        self.quorum_line.setStyleSheet("font-weight: bold;")
        self.quorum_line.setFixedHeight(self.quorum_line.fontMetrics().height() + 4)
        self.missing_line = MessageLine()
        self.draft_button = QPushButton("存为草稿")
        self.save_button = QPushButton("保存")
        cancel = QPushButton("取消")
        self.print_button = QPushButton("打印记录…")
        self.print_button.setVisible(self._detail is not None)
        self.print_button.setToolTip("预览并打印已保存的会议记录和签到表（Ctrl+P）")
        self.print_button.clicked.connect(self.print_record)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_record)
        for button in (self.print_button, self.draft_button, self.save_button, cancel):
            button.setAutoDefault(False)
        self.draft_button.setToolTip("记录不完整也可保存；草稿不计入三会一课完成情况（Ctrl+D）")
        self.save_button.setToolTip("保存为完成的记录：缺项时会列出并询问（Ctrl+S）")
        self.draft_button.clicked.connect(lambda: self.save(as_draft=True))
        self.save_button.clicked.connect(lambda: self.save())
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save())
        QShortcut(QKeySequence("Ctrl+D"), self, lambda: self.save(as_draft=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.missing_line, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.header_message)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.quorum_line)
        layout.addLayout(buttons)
        fit_to_screen(self, PREFERRED_SIZE)

    def _wire(self) -> None:
        self.header.kindChanged.connect(self._follow_kind)
        self.header.dayChanged.connect(self.reload_roster)
        for part in (self.header, self.basics, self.attendance, self.agenda, self.record):
            part.edited.connect(self._edited)

    def _follow_kind(self) -> None:
        kind = self.header.kind_value()
        self.basics.follow_kind(kind)
        self.attendance.follow_kind(kind)
        self.tabs.setTabVisible(self.tabs.indexOf(self.agenda), kind in WITH_VOTES)
        self.refresh_live()

    # -- the roster ------------------------------------------------------------------------------
    def _party_orgs_loaded(self, choices: tuple[PartyOrgChoice, ...]) -> None:
        wanted = self._pending.party_org_id or (choices[0].id if choices else None)
        self.header.set_party_orgs(choices, wanted)
        if not choices:
            self.header_message.set_message("还没有党组织：请先在“党组织”中建立党组织及其党员名册", ERROR_COLOR)
        self.reload_roster()

    def reload_roster(self) -> None:
        """Read the roster of the chosen 党组织 on the meeting's date (again, after either changed)."""
        party_org_id, day = self.header.party_org_id(), self.header.day.value()
        if party_org_id is None or day is None:
            self.attendance.note.setText("先填写会议日期，再从当天的名册登记出席情况")
            return
        self._roster_generation += 1
        generation = self._roster_generation
        ops.load_roster(ctx=self._ctx, party_org_id=party_org_id, day=day, owner=self,
                        on_done=lambda roster: self._roster_loaded(generation, roster),
                        on_error=self._show_error)

    def _roster_loaded(self, generation: int, roster: Roster) -> None:
        if generation != self._roster_generation:
            return  # the date changed again meanwhile
        first = self.roster is None
        marked = self.attendance.entries() if not first else self._pending.attendance
        group = self.basics.values()["party_group_id"] if not first else self._pending.party_group_id
        self.roster = roster
        self.attendance.set_roster(roster, self.header.kind_value(), marked)
        self.agenda.set_members(list(roster.members))
        self.basics.set_groups(roster.groups, group if isinstance(group, str) else None)
        if first and self._opened_with.party_group_id is None:
            # the 党小组 box could show the record's group only now that the groups are read: not an edit
            shown = self.basics.values()["party_group_id"]
            self._opened_with = dataclasses.replace(self._opened_with,
                                                    party_group_id=shown if isinstance(shown, str) else None)
        self.refresh_live()

    # -- live ------------------------------------------------------------------------------------
    def form_input(self) -> MeetingInput:
        basics: dict[str, Any] = self.basics.values()
        attendance = self.attendance.entries() if self.roster is not None else self._pending.attendance
        return MeetingInput(
            kind=self.header.kind_value(), party_org_id=self.header.party_org_id() or self._pending.party_org_id,
            started_at=self.header.started_at(), ended_at=self.header.ended_at(),
            minutes=self.record.minutes.toPlainText(), agenda=self.agenda.value(), attendance=attendance,
            guests=self.record.guest_values(), attachments=tuple(self.record.files), **basics)

    def _edited(self) -> None:
        self.refresh_live()
        self.drafts.touch()

    def refresh_live(self) -> None:
        """The quorum line, each vote's outcome, the reasons still missing and what the record lacks."""
        self.header_message.set_message(self.header.time_problem(), ERROR_COLOR)
        if self.roster is None:
            return
        check = self.last_check = live_check(self.form_input(), self.roster)
        self.quorum_line.setText(check.attendance)
        self.agenda.show_outcomes(check.votes)
        self.attendance.show_reasons(check.without_reason)
        lacking = "记录完整，可以保存"
        if check.missing:
            lacking = f"尚缺 {len(check.missing)} 项：" + "；".join(check.missing)
        self.missing_line.set_message(lacking, ERROR_COLOR if check.missing else "#188038")

    # -- save ------------------------------------------------------------------------------------
    def save(self, *, as_draft: bool = False) -> None:
        if not self.save_button.isEnabled():
            return
        problem = self.header.time_problem()
        if problem:
            self.header_message.set_message(problem, ERROR_COLOR)
            return
        data = self.form_input()
        if not data.party_org_id:
            QMessageBox.warning(self, "无法保存", "请先选择党组织")
            return
        if not as_draft and self.roster is not None:
            missing = live_check(data, self.roster).missing
            if missing and not self.ask_save_as_draft(missing):
                return
            as_draft = bool(missing)
        self._set_busy(True)
        ops.save_meeting(ctx=self._ctx, data=data, meeting_id=self._detail.id if self._detail else None,
                         expected_updated_at=self._detail.updated_at if self._detail else None, as_draft=as_draft,
                         on_done=self._saved, on_error=self._save_failed, origin=ORIGIN, owner=self)

    def ask_save_as_draft(self, missing: tuple[str, ...]) -> bool:
        """The record lacks ``missing``: True to keep it as 草稿, False to go on filling it (tests replace)."""
        box = QMessageBox(QMessageBox.Icon.Warning, "记录还不完整",
                          "这份记录还缺少以下内容，不能保存为完成的记录：\n\n"
                          + "\n".join(f"· {item}" for item in missing)
                          + "\n\n可以先存为草稿（不计入三会一课完成情况），补齐后再保存。", parent=self)
        draft = box.addButton("存为草稿", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("继续填写", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        return box.clickedButton() is draft

    def _saved(self, detail: MeetingDetail) -> None:
        self._set_busy(False)
        self.drafts.discard()
        self.saved_detail = detail
        self.saved.emit(detail)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, IncompleteRecord):
            if self.ask_save_as_draft(exc.missing):
                self.save(as_draft=True)
        elif isinstance(exc, ValidationFailed):
            QMessageBox.warning(self, "无法保存", "\n".join(exc.problems.values()) + "\n表单中填写的内容没有丢失。")
        else:
            QMessageBox.critical(self, "无法保存", describe_error(exc) + "\n表单中填写的内容没有丢失。")

    def _show_error(self, exc: BaseException) -> None:
        self.header_message.set_message(describe_error(exc), ERROR_COLOR)

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.draft_button.setEnabled(not busy)
        self.save_button.setText("正在保存…" if busy else "保存")

    def print_record(self) -> None:
        """The saved record's 会议记录 and 签到表 in the preview; unsaved changes are saved first or not printed."""
        if self._detail is None:
            return
        if _comparable(self.form_input()) != _comparable(self._opened_with):
            self.missing_line.set_message("表单有未保存的修改：请先保存，再打印（打印的是已保存的记录）",
                                          WARNING_COLOR)
            return
        from app.ui.operations.documents import preview_record

        preview_record(ctx=self._ctx, parent=self, kind="meeting", record_id=self._detail.id,
                       title="会议记录和签到表")

    # -- closing and drafts ----------------------------------------------------------------------
    def reject(self) -> None:
        if _comparable(self.form_input()) != _comparable(self._opened_with):
            choice = self.ask_close()
            if choice == STAY:
                return
            if choice == KEEP:
                self.drafts.keep()
            else:
                self._throw_away()
        else:
            self._throw_away()
        super().reject()

    def _throw_away(self) -> None:
        self.drafts.discard()
        if self.record.added:
            files.discard_unsaved(ctx=self._ctx, shas=self.record.added)

    def ask_close(self) -> str:
        """KEEP, DISCARD or STAY (tests replace this)."""
        return ask_keep_draft(self)

    def _offer_draft(self, draft: Draft) -> None:
        data = from_draft(draft.values)
        if data is None or not self.ask_restore_draft(draft):
            self.drafts.discard(closing=False)
            return
        self.set_input(data)
        self.drafts.touch()

    def set_input(self, data: MeetingInput) -> None:
        """Fill every part from ``data`` (a draft restored); the roster is re-read for its date."""
        self._pending = data
        self.roster = None
        self.header.set_input(data)
        self.basics.set_input(data)
        self.record.minutes.setPlainText(data.minutes)
        self.record.guests.setRowCount(0)
        for guest in data.guests:
            self.record.append_guest(guest)
        self.record.set_files(data.attachments)
        self.agenda.set_agenda(data.agenda)
        self._follow_kind()
        self.reload_roster()

    def ask_restore_draft(self, draft: Draft) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "恢复草稿",
                          f"发现上次未保存的会议记录（保存于 {describe_saved_at(draft)}），是否恢复？", parent=self)
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("放弃", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore


def _comparable(data: MeetingInput) -> MeetingInput:
    """The record as far as "changed?" goes: attendance in member order (the roster lists members by name,
    the stored record in the order it was saved — the same marks either way)."""
    return dataclasses.replace(data, attendance=tuple(sorted(data.attendance, key=lambda a: a.member_id)))
