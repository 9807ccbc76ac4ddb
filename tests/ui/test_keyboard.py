"""Keyboard only (DESIGN §5): the ledger and the menu shortcuts work without a mouse."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.services.core.database import Database
from app.ui.context import UiContext
from app.ui.dialogs.org_dialog import OrgDialog
from app.ui.main_window import MainWindow
from app.ui.tasks import ImmediateTaskRunner
from app.ui.views.ledger_view import SEARCH_DELAY_MS, LedgerView

AddOrg = Callable[..., Any]
CTRL = Qt.KeyboardModifier.ControlModifier


def shown_window(qtbot: QtBot, ctx: UiContext) -> tuple[MainWindow, LedgerView]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # window shortcuts answer only in the active window
        window.show()
        window.activateWindow()
    window.show_section("组织台账")
    view = window.views["组织台账"]
    assert isinstance(view, LedgerView)
    return window, view


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def test_find_type_down_enter_edit_save_without_a_mouse(
    qtbot: QtBot, ctx: UiContext, db: Database, add_org: AddOrg
) -> None:
    add_org("朝阳区书法家协会")
    add_org("朝阳区摄影协会")
    window, view = shown_window(qtbot, ctx)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)  # 编辑 > 查找
    assert focused() is view.search
    qtbot.keyClicks(view.search, "sheying")  # pinyin: 摄影
    qtbot.keyClick(view.search, Qt.Key.Key_Down)  # the search runs at once, the first result is selected
    assert focused() is view.table
    assert view.model.total == 1 and view.selected_row() == 0
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog) and dialog.editor("name").text() == "朝阳区摄影协会"
    qtbot.waitUntil(lambda: focused() is dialog.editor("name"))  # the form is active, its name field focused
    qtbot.keyClick(dialog.editor("name"), Qt.Key.Key_End)
    qtbot.keyClicks(dialog.editor("name"), "2")
    qtbot.keyClick(dialog.editor("name"), Qt.Key.Key_Return)  # Enter moves on to the next field, never saves
    assert dialog.isVisible() and focused() is not dialog.editor("name")
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(focused(), Qt.Key.Key_S, CTRL)  # 保存
    with db.engine.connect() as conn:
        names = sorted(conn.execute(text("SELECT name FROM social_org")).scalars())
    assert names == ["朝阳区书法家协会", "朝阳区摄影协会2"]


def test_escape_clears_the_search_and_ctrl_f_selects_its_text(
    qtbot: QtBot, ctx: UiContext, add_org: AddOrg
) -> None:
    add_org("朝阳区书法家协会")
    window, view = shown_window(qtbot, ctx)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(view.search, "zzz")
    qtbot.wait(SEARCH_DELAY_MS * 2)
    assert view.model.total == 0
    qtbot.keyClick(view.search, Qt.Key.Key_Down)  # nothing to go to: the cursor stays
    assert focused() is view.search
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    assert view.search.selectedText() == "zzz"
    qtbot.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""
    qtbot.wait(SEARCH_DELAY_MS * 2)
    assert view.model.total == 1


def test_ctrl_n_opens_a_new_form_and_f5_reads_again(
    qtbot: QtBot, ctx: UiContext, add_org: AddOrg
) -> None:
    window, view = shown_window(qtbot, ctx)
    assert view.model.total == 0
    add_org("朝阳区书法家协会")  # saved elsewhere (another window, the CLI): F5 shows it
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert view.model.total == 1
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert isinstance(view.dialog, OrgDialog) and view.dialog.windowTitle() == "新建组织"


def test_tab_leaves_the_table_and_reaches_every_control(
    qtbot: QtBot, ctx: UiContext, add_org: AddOrg
) -> None:
    add_org("朝阳区书法家协会")
    add_org("朝阳区摄影协会")
    window, view = shown_window(qtbot, ctx)
    view.focus_results()
    assert focused() is view.table
    qtbot.keyClick(view.table, Qt.Key.Key_Tab)
    assert focused() is not view.table, "Tab moves on instead of walking the cells"
    visited: list[QWidget | None] = []
    for _ in range(40):  # once round the whole window
        visited.append(focused())
        widget = focused()
        assert widget is not None
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        if focused() is view.table:
            break
    assert focused() is view.table, "Tab comes round to the table again"
    for control in (view.search, view.new_button, view.type_filter, view.archived_filter, window.nav):
        assert control in visited, control
    order = [visited.index(c) for c in (view.search, view.new_button, view.type_filter)]
    assert order == sorted(order), "the search box, the buttons, then the filters"


def test_down_before_the_results_arrive_moves_when_they_do(
    qtbot: QtBot, ctx: UiContext, runner: ImmediateTaskRunner, add_org: AddOrg
) -> None:
    """Typed and pressed Down within the search delay, with the query still running: the focus follows the
    results of what was typed (not the rows shown before), once they are there."""
    add_org("朝阳区书法家协会")
    add_org("朝阳区摄影协会")
    window, view = shown_window(qtbot, ctx)
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    runner.paused = True
    qtbot.keyClicks(view.search, "sheying")
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert focused() is view.search and view.model.querying
    runner.run_pending()
    assert focused() is view.table and view.model.total == 1 and view.selected_row() == 0
    assert view.model.data(view.model.index(0, 0)) == "朝阳区摄影协会"
