"""豁免… on the 工作台: the chosen cell's findings ticked, a reason given, the waivers saved through the service
and the cell turns 达标 (the real engine's keeper marks the findings); the dialog refuses an empty reason."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.compliance import RuleId
from app.domain.periods import month_of
from app.services.compliance import grid_months, list_waivers
from app.services.compliance.dto import CellDetail, FindingRow
from app.services.core import clock
from app.ui.context import UiContext
from app.ui.dialogs.waiver_dialog import NO_REASON, NONE_TICKED, WaiverDialog
from app.ui.itemmodels.dashboard_model import DashboardModel
from app.ui.views.dashboard_view import DashboardView
from tests.meeting_branch import make_branch

TODAY = date(2026, 4, 10)
MARCH = month_of(date(2026, 3, 1))
REASON = "党支部 3 月恢复组织生活，此前的会议经街道党工委同意不作要求"


@pytest.fixture(autouse=True)
def april() -> Iterator[None]:
    with clock.frozen(datetime(2026, 4, 10, 2, 0, tzinfo=UTC)):
        yield


def _march_detail(qtbot: QtBot, ctx: UiContext) -> tuple[DashboardView, str]:
    branch = make_branch(ctx.database)
    view = DashboardView(DashboardModel(ctx), ctx)  # the real engine, evaluated after the first paint
    qtbot.addWidget(view)
    view.resize(1000, 560)
    view.show()
    column = grid_months(TODAY).index(MARCH) + 1
    grid = view.model.grid
    qtbot.waitUntil(lambda: bool(grid.rows) and str(grid.data(grid.index(0, column))).startswith("×"), timeout=15000)
    view.grid.setCurrentIndex(grid.index(0, column))
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(view.waive_button.isEnabled, timeout=5000)
    return view, branch.party_org_id


def test_waiving_the_cells_findings_turns_it_green(qtbot: QtBot, ctx: UiContext) -> None:
    view, party_org_id = _march_detail(qtbot, ctx)
    asked: list[CellDetail] = []

    def answer(detail: CellDetail) -> tuple[Sequence[FindingRow], str, str]:
        asked.append(detail)
        return WaiverDialog(detail).findings, REASON, "街道党工委"

    view.ask_waiver = answer  # type: ignore[method-assign]  # the dialog's answer, as a user would give it
    qtbot.mouseClick(view.waive_button, Qt.MouseButton.LeftButton)
    column = grid_months(TODAY).index(MARCH) + 1
    grid = view.model.grid
    qtbot.waitUntil(lambda: grid.data(grid.index(0, column)) == "√", timeout=10000)
    waivers = list_waivers(ctx.database.session_factory, party_org_id=party_org_id)
    rules = {w.rule_id for w in waivers}
    assert RuleId.MEETING_GENERAL in rules and RuleId.MEETING_LIFE in rules
    assert {w.reason for w in waivers} == {REASON} and {w.approved_by for w in waivers} == {"街道党工委"}
    assert all(w.period is not None for w in waivers)  # each for the period of its finding, never for ever
    qtbot.waitUntil(lambda: "已豁免" in view.panel.detail.toPlainText(), timeout=5000)
    assert not view.waive_button.isEnabled()  # nothing left to waive in March


def test_waiving_follows_what_the_panel_shows(qtbot: QtBot, ctx: UiContext) -> None:
    """A line of 本月待办与逾期 chosen after a cell: the panel shows the line, and 豁免… no longer offers the cell."""
    view, _party = _march_detail(qtbot, ctx)
    qtbot.waitUntil(lambda: view.due_list.count() > 0, timeout=5000)
    item = view.due_list.item(0)
    qtbot.mouseClick(view.due_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.due_list.visualItemRect(item).center())
    assert not view.waive_button.isEnabled() and view._detail is None


def test_the_dialog_asks_for_a_reason_and_at_least_one_finding(qtbot: QtBot, ctx: UiContext) -> None:
    view, _party = _march_detail(qtbot, ctx)
    assert view._detail is not None
    dialog = WaiverDialog(view._detail)
    qtbot.addWidget(dialog)
    assert dialog.findings and dialog.items.count() == len(dialog.findings)
    assert not dialog.chosen()  # nothing ticked unasked
    dialog.reason.setText(REASON)
    dialog.accept()
    assert dialog.message.text() == NONE_TICKED and dialog.result() == 0
    dialog.items.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.reason.setText("")
    dialog.accept()
    assert dialog.message.text() == NO_REASON and dialog.result() == 0
    dialog.reason.setText(REASON)
    dialog.accept()
    assert dialog.result() == 1 and dialog.chosen() == dialog.findings[:1]
