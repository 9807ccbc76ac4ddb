"""Issue 7, Must show: a 支部党员大会 filled through the real form changes the 工作台's cell for its month —
the real engine on both sides (first evaluation when the 工作台 opens, the keeper's refresh on save)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.domain.compliance import RuleId
from app.domain.periods import month_of, quarter_of, year_of
from app.services.compliance import add_waiver, grid_months
from app.services.core import clock
from app.ui.context import UiContext
from app.ui.itemmodels.dashboard_model import DashboardModel
from app.ui.views.dashboard_view import DashboardView
from tests.meeting_branch import make_branch
from tests.ui.test_meeting_form import fill_general_meeting

TODAY = date(2026, 4, 10)
MARCH = month_of(date(2026, 3, 1))
REASON = "党支部于 2026 年 3 月恢复组织生活，此前及当月其他会议经街道党工委同意不作要求"


@pytest.fixture(autouse=True)
def april() -> Iterator[None]:
    with clock.frozen(datetime(2026, 4, 10, 2, 0, tzinfo=UTC)):  # 10:00 in the district; the first quarter is over
        yield


def test_a_general_meeting_saved_in_the_form_turns_its_month_green(qtbot: QtBot, ctx: UiContext) -> None:
    branch = make_branch(ctx.database)
    for rule, period in ((RuleId.MEETING_THEME_DAY, MARCH), (RuleId.MEETING_COMMITTEE, MARCH),
                         (RuleId.MEETING_GROUP, MARCH), (RuleId.MEETING_LECTURE, quarter_of(TODAY).previous()),
                         (RuleId.MEETING_LIFE, year_of(date(2025, 1, 1)))):  # 2025's is due by 31 March too
        add_waiver(ctx.database.session_factory, party_org_id=branch.party_org_id, rule_id=rule, reason=REASON,
                   period=period, actor="u:test")
    view = DashboardView(DashboardModel(ctx), ctx)  # the real engine: evaluated once the view has painted
    qtbot.addWidget(view)
    view.resize(1000, 560)
    view.show()
    column = grid_months(TODAY).index(MARCH) + 1

    def march(role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
        grid = view.model.grid
        return grid.data(grid.index(0, column), role) if grid.rows else None

    qtbot.waitUntil(lambda: march() == "×1", timeout=15000)  # only the 党员大会 of the first quarter is missing
    # the tooltip's findings are read after the grid (set_grid clears them): wait for them, not race them
    qtbot.waitUntil(lambda: "未召开支部党员大会" in str(march(Qt.ItemDataRole.ToolTipRole)), timeout=5000)

    meeting_id = fill_general_meeting(qtbot, ctx, branch, day="2026-03-31", at="20:00")  # counts for Q1

    qtbot.waitUntil(lambda: march() == "√", timeout=15000)
    view.grid.setCurrentIndex(view.model.grid.index(0, column))
    qtbot.keyClick(view.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "3月31日 20:00 支部党员大会" in view.panel.detail.toPlainText(), timeout=5000)
    detail = view.panel.detail.toPlainText()
    assert "未召开支部党员大会" not in detail and "已豁免" in detail  # the waived ones stay listed as such
    assert meeting_id
