"""The 党组织 section through the real widgets: nothing read before it is shown, the detail in tabs, the roster
of a past day, and forms driven by the keyboard (a 换届 with a bad date fixed, a new party organization
whose covered organization is picked from the ledger)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.domain.enums import MemberKind, PartyOrgFormation, PartyOrgLevel
from app.services.core.database import Database
from app.services.party import members, party_orgs
from app.services.party.dto import MemberInput, PartyOrgInput
from app.ui.context import UiContext
from app.ui.dialogs.party.form import FormDialog
from app.ui.dialogs.party.party_org_dialog import PartyOrgDialog
from app.ui.tasks import ImmediateTaskRunner
from app.ui.views.party_view import PartyView

ACTOR = "test:ui"


@pytest.fixture
def branch(db: Database, add_org: Callable[..., Any], frozen_clock: object) -> tuple[str, str]:
    """(party id, org id): 甲协会 with its branch, one 正式 and one 预备 who became 正式 on 2026-03-01."""
    org = add_org("朝阳区甲协会").id
    factory = db.session_factory
    party = party_orgs.create_party_org(factory, PartyOrgInput(
        "中共朝阳区甲协会支部委员会", PartyOrgLevel.BRANCH, PartyOrgFormation.SINGLE, org_ids=(org,)), actor=ACTOR).id
    members.add_member(factory, party, MemberInput("王正式", org, MemberKind.FULL, date(2010, 1, 1)), actor=ACTOR)
    late = members.add_member(factory, party, MemberInput("李预备", org, MemberKind.PROBATIONARY, date(2025, 2, 1)),
                              actor=ACTOR)
    members.confirm_full(factory, late, date(2026, 3, 1), actor=ACTOR)
    return party, org


def _view(qtbot: QtBot, ctx: UiContext) -> PartyView:
    view = PartyView(ctx)
    qtbot.addWidget(view)
    view.resize(1093, 560)
    return view


def _cells(table: Any, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def test_nothing_is_read_before_the_view_is_shown(qtbot: QtBot, ctx: UiContext, runner: ImmediateTaskRunner,
                                                  branch: tuple[str, str]) -> None:
    view = _view(qtbot, ctx)
    assert runner.submitted == [] and not view.loaded
    view.show()
    assert view.loaded and view.list.rowCount() == 1
    assert view.list.item(0, 0).text().startswith("中共朝阳区甲协会支部委员会\n正式 2 人，预备 0 人")
    assert view.tabs.heading.text() == "中共朝阳区甲协会支部委员会"
    assert _cells(view.tabs.covered, 0) == ["朝阳区甲协会"]
    assert "尚未录入任期" in view.tabs.term_status.text()


def test_the_roster_of_a_past_day_shows_the_kind_then(qtbot: QtBot, ctx: UiContext, branch: tuple[str, str]) -> None:
    view = _view(qtbot, ctx)
    view.show()
    view.tabs.setCurrentIndex(3)
    assert dict(zip(_cells(view.tabs.members, 0), _cells(view.tabs.members, 2), strict=True)) == {
        "李预备": "有", "王正式": "有"}
    view.tabs.roster_day.setText("2026-02-01")
    qtbot.keyClick(view.tabs.roster_day.line, Qt.Key.Key_Return)
    rows = dict(zip(_cells(view.tabs.members, 0), _cells(view.tabs.members, 1), strict=True))
    assert rows == {"李预备": "预备党员", "王正式": "正式党员"}
    assert _cells(view.tabs.members, 2)[0] == "无：预备党员，无表决权"
    assert view.tabs.roster_summary.text() == "2026-02-01 共 2 人，有表决权 1 人"
    view.tabs.roster_day.setText("2026-99-01")  # said beside the field, not only in the status bar
    qtbot.keyClick(view.tabs.roster_day.line, Qt.Key.Key_Return)
    assert "名册日期" in view.tabs.roster_summary.text() and "仍是上次的名册" in view.tabs.roster_summary.text()
    view.tabs.roster_day.setText("2026-02-01")
    qtbot.keyClick(view.tabs.roster_day.line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.tabs.roster_summary.text() == "2026-02-01 共 2 人，有表决权 1 人")


def _dialog(view: PartyView) -> FormDialog:
    dialog = view.dialog
    assert isinstance(dialog, FormDialog) and dialog.isVisible()
    return dialog


def test_a_renewal_by_keyboard_bad_date_then_saved(qtbot: QtBot, ctx: UiContext, branch: tuple[str, str]) -> None:
    view = _view(qtbot, ctx)
    view.show()
    view.tabs.setCurrentIndex(1)
    qtbot.mouseClick(view.tabs.term_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(view)
    date_line = dialog.editor("started_on").line
    qtbot.keyClicks(date_line, "2027.1.5")
    qtbot.keyClick(date_line, Qt.Key.Key_Return)  # Enter saves; the service refuses a day after today
    assert dialog.isVisible()
    assert "晚于今天" in dialog.problems_shown()["started_on"]
    date_line.selectAll()
    qtbot.keyClicks(date_line, "2024.5.1")
    qtbot.keyClick(date_line, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert _cells(view.tabs.terms, 0) == ["第1届"] and _cells(view.tabs.terms, 2) == ["2027-05-01"]
    assert view.tabs.term_button.text() == "换届…"
    assert "第1届" in view.tabs.term_status.text() and "2027年5月1日届满" in view.tabs.term_status.text()


def test_escape_closes_an_untouched_form(qtbot: QtBot, ctx: UiContext, branch: tuple[str, str]) -> None:
    view = _view(qtbot, ctx)
    view.show()
    view.tabs.setCurrentIndex(2)
    qtbot.mouseClick(view.tabs.add_group_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(view)
    qtbot.keyClick(dialog.editor("name"), Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_new_party_org_picks_its_organization_from_the_ledger(
        qtbot: QtBot, ctx: UiContext, add_org: Callable[..., Any], type_chinese: Callable[[QWidget, str], None],
        frozen_clock: object) -> None:
    add_org("朝阳区摄影家协会")
    view = _view(qtbot, ctx)
    view.show()
    assert view.empty.isVisible() and view.list.rowCount() == 0
    view.new_org()  # Ctrl+N
    dialog = view.dialog
    assert isinstance(dialog, PartyOrgDialog)
    type_chinese(dialog.editor("name"), "中共朝阳区摄影家协会支部委员会")
    qtbot.keyClick(dialog.editor("name"), Qt.Key.Key_Return)  # no organization picked yet: a message, not saved
    assert dialog.isVisible() and "请至少选择一个覆盖的社会组织" in dialog.picker.message.full_text
    dialog.picker.search.setFocus()
    qtbot.keyClicks(dialog.picker.search, "sheying")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)  # adds the first hit; does not save
    assert dialog.isVisible() and [dialog.picker.chosen.item(0).text()] == ["朝阳区摄影家协会"]
    qtbot.keyClick(dialog.editor("superior_org"), Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert view.list.rowCount() == 1 and view.tabs.heading.text() == "中共朝阳区摄影家协会支部委员会"


def test_a_corrected_date_loses_its_old_message(qtbot: QtBot, ctx: UiContext, branch: tuple[str, str]) -> None:
    """The message under a field is about what it held: typing a correction takes it away (a walkthrough saw
    “不是有效日期” stay under a date already put right)."""
    view = _view(qtbot, ctx)
    view.show()
    view.tabs.setCurrentIndex(1)
    qtbot.mouseClick(view.tabs.term_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(view)
    date_line = dialog.editor("started_on").line
    qtbot.keyClicks(date_line, "2024-13-45")
    qtbot.keyClick(date_line, Qt.Key.Key_Return)
    assert "started_on" in dialog.problems_shown()
    date_line.selectAll()
    qtbot.keyClicks(date_line, "2024-03-05")
    assert "started_on" not in dialog.problems_shown()
