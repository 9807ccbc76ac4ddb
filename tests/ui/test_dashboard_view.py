"""工作台: the grid's colours and marks from the findings, what a cell or a line shows when chosen (mouse and
keyboard), the empty states, and re-reading after a change on the bus."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.domain.compliance import CellState, Level, RuleId
from app.domain.enums import MeetingKind, MeetingStatus
from app.services.core import clock
from app.services.core.database import Database
from app.services.orgs import assignments
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.itemmodels import dashboard_model
from app.ui.itemmodels.compliance_grid import CHECKING, CHOSEN_DARKER, STYLES
from app.ui.itemmodels.dashboard_model import DashboardModel
from app.ui.views.dashboard_view import DashboardView
from tests.compliance_data import add_finding, add_meeting, add_party

TODAY = date(2026, 8, 15)
AUGUST = 12  # the grid's columns: 0 the name, 1 September 2025 … 12 August 2026
JUNE, MAY, FEBRUARY, JANUARY = 10, 9, 6, 5


@pytest.fixture(autouse=True)
def today() -> Iterator[None]:
    with clock.frozen(datetime(2026, 8, 15, 2, 0, tzinfo=UTC)):  # 10:00 in the district
        yield


def dashboard_view(qtbot: QtBot, ctx: UiContext) -> DashboardView:
    view = DashboardView(DashboardModel(ctx, freshen=False), ctx)
    qtbot.addWidget(view)
    view.resize(960, 560)
    view.show()
    qtbot.waitUntil(lambda: view.model.loaded_once)
    return view


def plain(text: str) -> str:
    """Rich text as read: any run of spaces (the ideographic ones included) as one."""
    return re.sub("[ \u3000\xa0]+", " ", text)


def row_of(view: DashboardView, name: str) -> int:
    return next(i for i, row in enumerate(view.model.grid.rows) if row.name == name)


def cell_text(view: DashboardView, row: int, column: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
    return view.model.grid.data(view.model.grid.index(row, column), role)


def test_cells_show_the_worst_finding_by_colour_mark_and_count(qtbot: QtBot, ctx: UiContext, db: Database) -> None:
    a = add_party(db, "甲支部", established=date(2026, 3, 10))
    b = add_party(db, "乙支部")
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.VIOLATION, date(2026, 5, 31), party=a, message="5月未召开支委会")
    add_finding(db, RuleId.MEETING_THEME_DAY, Level.WARNING, date(2026, 5, 31), party=a)
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.DUE, date(2026, 8, 31), party=a)
    add_finding(db, RuleId.MEETING_LECTURE, Level.WARNING, date(2026, 6, 30), party=b)
    view = dashboard_view(qtbot, ctx)
    grid = view.model.grid
    ra, rb = row_of(view, "甲支部"), row_of(view, "乙支部")
    assert cell_text(view, ra, MAY) == "×2" and cell_text(view, ra, AUGUST) == "○1"
    assert cell_text(view, ra, FEBRUARY) == "—" and cell_text(view, rb, FEBRUARY) == "√"
    assert cell_text(view, rb, JUNE) == "!1"
    colour = cell_text(view, ra, MAY, Qt.ItemDataRole.BackgroundRole).color().name()
    assert colour == STYLES[CellState.VIOLATION].background
    assert grid.headerData(1, Qt.Orientation.Horizontal) == "2025\n9月"  # the year where it changes
    assert grid.headerData(JANUARY, Qt.Orientation.Horizontal) == "2026\n1月"
    assert grid.headerData(AUGUST, Qt.Orientation.Horizontal) == "\n8月"
    qtbot.waitUntil(lambda: "5月未召开支委会" in cell_text(view, ra, MAY, Qt.ItemDataRole.ToolTipRole))
    tip = cell_text(view, ra, MAY, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("甲支部　2026年5月：未达标") and "违规：5月未召开支委会" in tip and "没有已完成的会议" in tip
    for state in CellState:
        assert STYLES[state].label in view.legend.text()


def test_clicking_a_cell_shows_the_meetings_and_findings_behind_it(qtbot: QtBot, ctx: UiContext, db: Database) -> None:
    party = add_party(db, "甲支部")
    add_meeting(db, party, MeetingKind.THEME_DAY, datetime(2026, 6, 30, 20, 0), topic="学习党章")
    add_meeting(db, party, MeetingKind.PARTY_LECTURE, datetime(2026, 6, 3, 9, 0), status=MeetingStatus.DRAFT)
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.VIOLATION, date(2026, 6, 30), party=party,
                message="6月未召开支委会")
    view = dashboard_view(qtbot, ctx)
    grid = view.grid
    rect = grid.visualRect(grid.model().index(0, JUNE))
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    text = plain(view.panel.detail.toPlainText())
    assert view.panel.currentWidget() is view.panel.detail
    assert "甲支部" in text and "2026年6月" in text and CellState.VIOLATION.label in text
    assert "6月30日 20:00 主题党日 学习党章" in text
    assert "6月3日 09:00 党课" in text and "草稿，不计入" in text
    assert "违规 6月未召开支委会" in text
    assert text.index("会议 2") < text.index("问题 1")


def test_the_arrows_move_in_the_grid_and_enter_opens_the_cell(qtbot: QtBot, ctx: UiContext, db: Database) -> None:
    add_party(db, "甲支部")
    add_party(db, "乙支部")
    view = dashboard_view(qtbot, ctx)
    grid = view.grid
    grid.setFocus()
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, AUGUST)  # ready at once
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, AUGUST - 1)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    text = view.panel.detail.toPlainText()
    second = view.model.grid.rows[1]
    assert second.name in text and "2026年7月" in text and "当月没有会议记录" in text
    ok = QColor(STYLES[CellState.OK].background)
    background = cell_text(view, 1, AUGUST - 1, Qt.ItemDataRole.BackgroundRole).color()
    assert background == ok.darker(CHOSEN_DARKER)  # the cell the user is on: its own colour, darker
    assert cell_text(view, 0, AUGUST, Qt.ItemDataRole.BackgroundRole).color() == ok  # the one left: as it was
    ctx.bus.publish(Change("meeting", ("m",), "meeting_form", "create"))  # a re-read keeps the user's place
    generation = view.model.generation
    qtbot.waitUntil(lambda: view.model.generation == generation + 1)
    assert grid.currentIndex().row() == 1 and grid.currentIndex().column() == AUGUST - 1
    assert view.model.grid.rows[1].party_org_id == second.party_org_id
    assert cell_text(view, 1, AUGUST - 1, Qt.ItemDataRole.BackgroundRole).color() == ok.darker(CHOSEN_DARKER)


def test_this_months_lines_worst_first_and_a_click_lists_who(qtbot: QtBot, ctx: UiContext, db: Database) -> None:
    a, b = add_party(db, "甲支部"), add_party(db, "乙支部")
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.DUE, date(2026, 8, 31), party=a, message="甲支部本月还未召开支委会")
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.DUE, date(2026, 8, 31), party=b, message="乙支部本月还未召开支委会")
    add_finding(db, RuleId.TERM_OVERDUE, Level.VIOLATION, date(2026, 1, 31), party=b, standing=True,
                message="乙支部换届已逾期 6 个月")
    view = dashboard_view(qtbot, ctx)
    items = [view.due_list.item(i).text() for i in range(view.due_list.count())]
    assert items == ["●  违规　换届已逾期　1 个党组织", "●  待办　支部委员会　2 个党组织"]
    assert "2026年8月" in view.due_title.text()
    item = view.due_list.item(1)
    qtbot.mouseClick(view.due_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.due_list.visualItemRect(item).center())
    text = view.panel.detail.toPlainText()
    assert "甲支部本月还未召开支委会" in text and "乙支部本月还未召开支委会" in text and "换届已逾期 6" not in text
    assert view.panel.tabText(1) == "换届 1"
    view.panel.setCurrentIndex(1)
    assert "乙支部换届已逾期 6 个月" in view.panel.terms.toPlainText()


def test_an_empty_database_offers_import_and_demo_data(qtbot: QtBot, ctx: UiContext) -> None:
    view = dashboard_view(qtbot, ctx)
    assert view.body.currentWidget() is view.no_data
    assert "还没有任何组织" in view.no_data.message.text()
    assert view.no_data.import_button.isVisible() and view.no_data.demo_button.isVisible()
    assert not view.no_data.party_button.isVisible()
    with qtbot.waitSignal(view.demoRequested):
        view.no_data.demo_button.click()
    assert not view.no_data.demo_button.isEnabled()  # one load at a time
    with qtbot.waitSignal(view.importRequested):
        view.no_data.import_button.click()
    assert view.no_data.sign_in_button.isVisible() and "登录区服务器" in view.no_data.message.text()
    with qtbot.waitSignal(view.sectionRequested) as went:  # the 同步 section, where 登录区服务器… is
        view.no_data.sign_in_button.click()
    assert went.args == ["同步"]


def test_organizations_without_a_party_org_say_how_to_get_one(
    qtbot: QtBot, ctx: UiContext, add_org: Callable[..., Any]
) -> None:
    add_org("朝阳区书法家协会")
    view = dashboard_view(qtbot, ctx)
    assert view.body.currentIndex() == 0 and view.grid_stack.currentWidget() is view.no_party
    assert "台账中的 1 个组织还没有党组织" in view.no_party.message.text()
    assert not view.no_party.party_button.isVisible()  # no 党组织 section in this window
    view.set_sections(["工作台", "组织台账", "党组织"])
    assert view.no_party.party_button.isVisible() and "在“党组织”中新建党组织" in view.no_party.message.text()
    with qtbot.waitSignal(view.sectionRequested) as asked:
        view.no_party.party_button.click()
    assert asked.args == ["党组织"]


def test_without_assignments_every_party_org_then_mine_after_marking(
    qtbot: QtBot, ctx: UiContext, db: Database, add_org: Callable[..., Any]
) -> None:
    mine = add_org("甲协会").id
    add_party(db, "甲协会支部", covers=(mine,))
    add_party(db, "乙协会支部")
    view = dashboard_view(qtbot, ctx)
    assert "尚未标记“我负责的”组织，下面显示全部 2 个党组织" in view.scope_label.text()
    assert "组织台账" in view.scope_label.text()
    assignments.mark_mine(db.session_factory, [mine], True, actor="test", user=ctx.profile, today=TODAY)
    ctx.bus.publish(Change("assignment", (mine,), "ledger_view", "records"))
    qtbot.waitUntil(lambda: [r.name for r in view.model.grid.rows] == ["甲协会支部"])
    assert "我负责的 1 个组织" in view.scope_label.text()


def test_a_meeting_change_rereads_the_grid_and_other_changes_do_not(
    qtbot: QtBot, ctx: UiContext, db: Database
) -> None:
    party = add_party(db, "甲支部")
    view = dashboard_view(qtbot, ctx)
    assert cell_text(view, 0, JUNE) == "√"
    generation = view.model.generation
    ctx.bus.publish(Change("visit", ("x",), "visit_form", "create"))
    QApplication.processEvents()
    qtbot.wait(dashboard_model.CHANGE_DELAY_MS * 2)
    assert view.model.generation == generation
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.VIOLATION, date(2026, 6, 30), party=party)  # as the engine would
    ctx.bus.publish(Change("meeting", ("m",), "meeting_form", "create"))
    ctx.bus.publish(Change("social_org", ("o",), "meeting_form", "records"))
    qtbot.waitUntil(lambda: cell_text(view, 0, JUNE) == "×1")
    assert view.model.generation == generation + 1  # two changes, one read


def test_f5_reads_again_after_asking_the_engine(
    qtbot: QtBot, ctx: UiContext, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the first evaluation the cells say 核查中, not 达标; the engine's answer re-reads them."""
    add_party(db, "甲支部")
    asked: list[Callable[[bool], None]] = []
    monkeypatch.setattr(dashboard_model.ops, "ensure_compliance_fresh",
                        lambda *, ctx, on_done, on_error, owner: asked.append(on_done))
    view = DashboardView(DashboardModel(ctx), ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.model.loaded_once)
    assert cell_text(view, 0, JUNE) == CHECKING.mark and "正在核查" in view.due_list.item(0).text()
    qtbot.waitUntil(lambda: len(asked) == 1)
    assert "正在按党内法规核查" in view.status_label.text()
    asked[0](False)  # nothing was stale
    qtbot.waitUntil(lambda: cell_text(view, 0, JUNE) == "√")
    assert "截至 2026年8月15日" in view.status_label.text()
    generation = view.model.generation
    view.refresh()  # F5: the engine first, then one read
    assert len(asked) == 2 and view.model.generation == generation and "正在按党内法规核查" in view.status_label.text()
    asked[1](False)
    assert view.model.generation == generation + 1


def test_thirty_party_orgs_scroll_in_a_125_percent_laptop_window(qtbot: QtBot, ctx: UiContext, db: Database) -> None:
    from app.ui.main_window import MainWindow

    for n in range(30):
        add_party(db, f"第{n + 1}联合党支部（温泉街道五四社区社会组织）")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1093 - MainWindow.FRAME_ALLOWANCE.width(), 614 - MainWindow.FRAME_ALLOWANCE.height())
    window.show()
    view = window.views["工作台"]
    assert isinstance(view, DashboardView) and window.stack.currentWidget() is view
    qtbot.waitUntil(lambda: view.model.grid.rowCount() == 30)
    QApplication.processEvents()
    grid = view.grid
    assert grid.verticalScrollBar().isVisible() and not grid.horizontalScrollBar().isVisible()
    assert grid.horizontalHeader().length() <= grid.viewport().width()
    assert view.minimumSizeHint().width() <= view.width()
    last = grid.visualRect(grid.model().index(0, AUGUST))
    assert grid.viewport().rect().contains(last), "the current month is on screen"


def test_the_window_connects_the_empty_dashboards_actions(
    qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.main_window import MainWindow

    done: list[str] = []
    monkeypatch.setattr(MainWindow, "open_demo", lambda self: done.append("demo"))
    monkeypatch.setattr(MainWindow, "import_ledger", lambda self: done.append("import"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.views["工作台"]
    assert isinstance(view, DashboardView)
    view.no_data.demo_button.click()
    view.no_data.import_button.click()
    assert done == ["demo", "import"]


def test_the_narrow_name_column_shows_what_tells_party_orgs_apart() -> None:
    from app.ui.itemmodels.compliance_grid import short_party_name

    assert short_party_name("中共福州市家政服务协会支部委员会") == "福州市家政服务协会支部"
    assert short_party_name("中共鼓楼区社会组织综合党总支部委员会") == "鼓楼区社会组织综合党总支"
    assert short_party_name("书法家协会党支部") == "书法家协会党支部"
    assert short_party_name("中共支部") == "中共支部"  # too short to shorten


def test_hidden_it_reads_again_only_when_shown_and_f5_in_the_menu_reads_again(
    qtbot: QtBot, ctx: UiContext, db: Database
) -> None:
    from app.ui.main_window import MainWindow

    add_party(db, "甲支部")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.views["工作台"]
    assert isinstance(view, DashboardView)
    qtbot.waitUntil(lambda: view.model.loaded_once)
    generation = view.model.generation
    window.show_section("组织台账")
    ctx.bus.publish(Change("meeting", ("m",), "meeting_form", "create"))
    qtbot.wait(dashboard_model.CHANGE_DELAY_MS * 2)
    assert view.model.generation == generation and view.model.stale  # nobody is looking
    window.show_section("工作台")
    assert view.model.generation == generation + 1 and not view.model.stale
    window.menus.refresh.trigger()  # 视图 → 刷新 (F5): the engine is asked (none here), then one read
    assert view.model.generation == generation + 2
