"""Closing a saved meeting record that nobody changed asks nothing and leaves no draft (a walkthrough found the
question on every record: the roster lists members by name, the record kept its own order, and a 党小组会's
group showed only once the groups were read).  A real change still asks."""

from __future__ import annotations

from datetime import datetime

import pytest
from pytestqt.qtbot import QtBot

from app.services.meetings import load_meeting, save_meeting
from app.services.meetings.dto import AttendanceInput, AttendanceStatus, MeetingInput, MeetingKind
from app.ui.context import UiContext
from app.ui.dialogs.meeting.dialog import MeetingDialog
from app.ui.drafts import DISCARD
from tests.meeting_branch import ACTOR, FULL_MEMBERS, make_branch


@pytest.mark.parametrize("kind", [MeetingKind.GROUP_MEETING, MeetingKind.THEME_DAY])
def test_an_unchanged_record_closes_without_a_question(qtbot: QtBot, ctx: UiContext, kind: MeetingKind) -> None:
    branch = make_branch(ctx.database)
    names = sorted(FULL_MEMBERS, reverse=True)  # saved in an order the roster (by name) does not show
    data = MeetingInput(kind=kind, party_org_id=branch.party_org_id, started_at=datetime(2026, 3, 20, 19, 0),
                        location="会议室", topic="学习", party_group_id=branch.group_id
                        if kind is MeetingKind.GROUP_MEETING else None,
                        attendance=tuple(AttendanceInput(branch.members[n], AttendanceStatus.PRESENT) for n in names))
    saved = save_meeting(ctx.database.session_factory, data, actor=ACTOR, as_draft=True)
    detail = load_meeting(ctx.database.session_factory, saved.id)
    dialog = MeetingDialog(ctx, detail)
    asked: list[bool] = []
    dialog.ask_close = lambda: asked.append(True) or DISCARD  # type: ignore[method-assign, func-returns-value]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.roster is not None, timeout=5000)
    dialog.reject()
    assert asked == []


def test_a_changed_record_still_asks(qtbot: QtBot, ctx: UiContext) -> None:
    branch = make_branch(ctx.database)
    data = MeetingInput(kind=MeetingKind.THEME_DAY, party_org_id=branch.party_org_id,
                        started_at=datetime(2026, 3, 20, 19, 0), location="会议室")
    saved = save_meeting(ctx.database.session_factory, data, actor=ACTOR, as_draft=True)
    dialog = MeetingDialog(ctx, load_meeting(ctx.database.session_factory, saved.id))
    asked: list[bool] = []
    dialog.ask_close = lambda: asked.append(True) or DISCARD  # type: ignore[method-assign, func-returns-value]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.roster is not None, timeout=5000)
    dialog.basics.location.setText("协会二楼会议室")
    dialog.reject()
    assert asked == [True]
