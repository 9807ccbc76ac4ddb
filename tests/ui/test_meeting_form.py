"""The meeting form through its real widgets (issue 7, Must show): fill a 支部党员大会 — pick attendance from
the roster of the meeting's date and watch the quorum line change as people are marked present, get a clear
message for an absence without a reason, add a vote and watch its outcome, save — then assert the rows.

``fill_general_meeting`` is the reusable part: the lead extends the scenario with the 工作台 step."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import MeetingAttendance, Vote
from app.services.meetings import load_meeting
from app.services.meetings.dto import AttendanceStatus, MeetingKind, MeetingStatus, VoteKind
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.dialogs.meeting.dialog import MeetingDialog
from app.ui.drafts import DISCARD
from tests.meeting_branch import FULL_MEMBERS, PROBATIONARY, Branch, make_branch
from tests.ui.conftest import ime_type

NOT_ENOUGH = "应到有表决权党员 9 人，实到 4 人，未超过半数，不能表决"
ENOUGH = "应到有表决权党员 9 人，实到 5 人，超过半数，可以表决"


def _mark(dialog: MeetingDialog, member_id: str, status: AttendanceStatus) -> None:
    box = dialog.attendance.status_boxes[member_id]
    box.setCurrentIndex(box.index_of(status))  # as a click on the combo's item does


def fill_general_meeting(qtbot: QtBot, ctx: UiContext, branch: Branch, *, day: str = "2026-03-31",
                         at: str = "20:00", seen: list[str] | None = None) -> str:
    """Fill and save a complete 支部党员大会 of ``branch`` through the form's widgets; returns its id.
    ``seen`` collects what the form said on the way (quorum lines, messages, vote outcomes)."""
    seen = [] if seen is None else seen
    dialog = MeetingDialog(ctx, party_org_id=branch.party_org_id)
    dialog.ask_close = lambda: DISCARD  # type: ignore[method-assign]  # no modal question at teardown
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.header.kind.setCurrentIndex(dialog.header.kind.index_of(MeetingKind.GENERAL_MEETING))  # kind first
    qtbot.keyClicks(dialog.header.day.line, day)
    qtbot.keyClicks(dialog.header.start, at)
    for edit, text in ((dialog.basics.location, "协会二楼会议室"), (dialog.basics.host, "王芳"),
                       (dialog.basics.recorder, "赵强"), (dialog.basics.topic, "第一季度支部党员大会")):
        ime_type(edit, text)
    dialog.tabs.setCurrentWidget(dialog.attendance)
    assert dialog.attendance.roster is not None and dialog.attendance.roster.day.isoformat() == day
    seen.append(dialog.quorum_line.text())
    members = branch.members
    for name in FULL_MEMBERS[:5]:  # marked present one by one: the line follows
        _mark(dialog, members[name], AttendanceStatus.PRESENT)
        seen.append(dialog.quorum_line.text())
    _mark(dialog, members[PROBATIONARY], AttendanceStatus.PRESENT)  # 预备党员: present, no vote
    seen.append(dialog.quorum_line.text())
    _mark(dialog, members["吴敏"], AttendanceStatus.LEAVE)  # no reason yet: the form says so at once
    seen.append(dialog.attendance.reason_message.full_text)
    seen.append(dialog.missing_line.full_text)
    ime_type(dialog.attendance.reason_edits[members["吴敏"]], "出差在外地")
    seen.append(dialog.attendance.reason_message.full_text)
    for name, status, reason in (("郑伟", AttendanceStatus.ABSENT, "未请假，会后已谈话提醒"),
                                 ("冯静", AttendanceStatus.LEAVE, "病假"), ("陈刚", AttendanceStatus.LEAVE, "出差")):
        _mark(dialog, members[name], status)
        ime_type(dialog.attendance.reason_edits[members[name]], reason)
    dialog.tabs.setCurrentWidget(dialog.agenda)
    qtbot.mouseClick(dialog.agenda.add_button, Qt.MouseButton.LeftButton)
    item = dialog.agenda.items[0]
    ime_type(item.title, "审议年度工作计划")
    vote = item.add_vote()
    vote.kind.setCurrentIndex(vote.kind.index_of(VoteKind.RESOLUTION))
    ime_type(vote.motion, "通过年度工作计划")
    qtbot.keyClicks(vote.yes, "4")
    seen.append(vote.outcome.text())
    vote.yes.clear()
    qtbot.keyClicks(vote.yes, "5")
    seen.append(vote.outcome.text())
    dialog.tabs.setCurrentWidget(dialog.basics)
    ime_type(dialog.basics.decisions, "通过年度工作计划")
    seen.append(dialog.missing_line.full_text)
    with qtbot.waitActive(dialog):  # a window shortcut answers only in the active window
        dialog.activateWindow()
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    qtbot.waitUntil(lambda: dialog.saved_detail is not None, timeout=5000)
    assert dialog.saved_detail is not None
    return dialog.saved_detail.id


def test_fill_a_general_meeting_through_the_form(qtbot: QtBot, ctx: UiContext) -> None:
    branch = make_branch(ctx.database)
    changes: list[Change] = []
    ctx.bus.changed.connect(changes.append)
    seen: list[str] = []
    meeting_id = fill_general_meeting(qtbot, ctx, branch, seen=seen)
    quorum_lines = seen[:7]
    assert quorum_lines == [
        "应到有表决权党员 9 人，实到 0 人，未超过半数，不能表决",
        "应到有表决权党员 9 人，实到 1 人，未超过半数，不能表决",
        "应到有表决权党员 9 人，实到 2 人，未超过半数，不能表决",
        "应到有表决权党员 9 人，实到 3 人，未超过半数，不能表决",
        NOT_ENOUGH,
        ENOUGH,
        ENOUGH + "（另有 1 人到会，无表决权）",  # 李明, 预备党员 on 31 March
    ]
    reason_message, missing_then, reason_after = seen[7:10]
    assert reason_message == "吴敏：请假或缺席必须写明原因，请在“请假/缺席原因”一栏填写"
    assert "吴敏请假：请填写请假原因" in missing_then
    assert reason_after == ""
    assert seen[10] == ENOUGH + "；赞成 4 票，未超过应到半数，未通过"
    assert seen[11] == ENOUGH + "；赞成 5 票，超过应到半数，通过"
    assert seen[12] == "记录完整，可以保存"
    detail = load_meeting(ctx.database.session_factory, meeting_id)
    assert detail.status is MeetingStatus.DONE and (detail.expected, detail.present) == (9, 5)
    with ctx.database.session_factory() as session:
        rows = {r.member_id: r for r in session.execute(select(MeetingAttendance).where(
            MeetingAttendance.meeting_id == meeting_id)).scalars()}
        votes = session.execute(select(Vote).where(Vote.meeting_id == meeting_id)).scalars().all()
    assert len(rows) == 10
    assert rows[branch.members[PROBATIONARY]].had_vote is False
    assert rows[branch.members["吴敏"]].absence_reason == "出差在外地"
    assert [(v.kind, v.motion, v.yes) for v in votes] == [(VoteKind.RESOLUTION, "通过年度工作计划", 5)]
    assert Change("meeting", (meeting_id,), "meeting_dialog", "create") in changes


def test_an_incomplete_record_is_offered_as_a_draft(qtbot: QtBot, ctx: UiContext) -> None:
    branch = make_branch(ctx.database)
    dialog = MeetingDialog(ctx, party_org_id=branch.party_org_id)
    dialog.ask_close = lambda: DISCARD  # type: ignore[method-assign]
    qtbot.addWidget(dialog)
    dialog.header.kind.setCurrentIndex(dialog.header.kind.index_of(MeetingKind.PARTY_LECTURE))
    assert not dialog.tabs.isTabVisible(dialog.tabs.indexOf(dialog.agenda))  # no votes at a 党课
    qtbot.keyClicks(dialog.header.day.line, "2026-03-20")
    qtbot.keyClicks(dialog.header.start, "14:30")
    asked: list[tuple[str, ...]] = []
    dialog.ask_save_as_draft = lambda missing: asked.append(missing) or True  # type: ignore[method-assign]
    dialog.save()
    qtbot.waitUntil(lambda: dialog.saved_detail is not None, timeout=5000)
    assert asked and "讲课人" in asked[0] and "党课课时（如 1.5 小时）" in asked[0]
    assert dialog.saved_detail is not None and dialog.saved_detail.status is MeetingStatus.DRAFT


def test_a_half_filled_form_survives_as_a_draft(qtbot: QtBot, ctx: UiContext) -> None:
    """What was typed is kept on disk while typing; the next 新建 offers it back, roster and all."""
    branch = make_branch(ctx.database)
    first = MeetingDialog(ctx, party_org_id=branch.party_org_id)
    first.ask_close = lambda: DISCARD  # type: ignore[method-assign]
    qtbot.addWidget(first)
    qtbot.keyClicks(first.header.day.line, "2026-03-31")
    qtbot.keyClicks(first.header.start, "20:00")
    ime_type(first.basics.location, "协会会议室")
    _mark(first, branch.members["王芳"], AttendanceStatus.LEAVE)
    first.drafts.save_now()
    qtbot.waitUntil(lambda: not first.drafts.pending, timeout=5000)  # as if the app crashed now
    second = MeetingDialog(ctx, party_org_id=branch.party_org_id)
    second.ask_close = lambda: DISCARD  # type: ignore[method-assign]
    second.ask_restore_draft = lambda _draft: True  # type: ignore[method-assign]
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: second.basics.location.text() == "协会会议室", timeout=5000)
    assert second.header.started_at() is not None and f"{second.header.started_at():%Y-%m-%d %H:%M}" == \
        "2026-03-31 20:00"
    assert second.form_input().attendance == first.form_input().attendance
    assert "王芳请假：请填写请假原因" in second.missing_line.full_text


def test_a_saved_meeting_prints_its_record_and_sign_in_sheet(qtbot: QtBot, ctx: UiContext) -> None:
    """打印记录… previews the saved record (会议记录 then 签到表); a new, unsaved form has no such button."""
    from PySide6.QtWidgets import QApplication

    from app.ui.dialogs.pdf_preview import PdfPreviewDialog

    branch = make_branch(ctx.database)
    meeting_id = fill_general_meeting(qtbot, ctx, branch, seen=[])
    fresh = MeetingDialog(ctx, party_org_id=branch.party_org_id)
    qtbot.addWidget(fresh)
    assert fresh.print_button.isHidden()
    dialog = MeetingDialog(ctx, load_meeting(ctx.database.session_factory, meeting_id))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.print_button.isVisible()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "预览 — 会议记录和签到表" and preview.page_count >= 2
