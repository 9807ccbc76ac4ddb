"""1366×768 at 125 % (a logical 1093×614 screen): the window fits and the whole ledger shows without
sideways scrolling; maximized, the extra width goes to 名称."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.ui.context import UiContext
from app.ui.itemmodels.ledger_model import COLUMNS
from app.ui.main_window import MainWindow
from app.ui.views.ledger_view import LedgerView

LAPTOP = (1093 - MainWindow.FRAME_ALLOWANCE.width(), 614 - MainWindow.FRAME_ALLOWANCE.height())


def window_at(qtbot: QtBot, ctx: UiContext, width: int, height: int) -> tuple[MainWindow, LedgerView]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    window.show_section("组织台账")
    QApplication.processEvents()
    view = window.views["组织台账"]
    assert isinstance(view, LedgerView)
    return window, view


def test_the_window_can_be_as_narrow_as_a_125_percent_laptop(qtbot: QtBot, ctx: UiContext) -> None:
    window, _view = window_at(qtbot, ctx, *LAPTOP)
    assert window.minimumSizeHint().width() <= LAPTOP[0]
    assert window.width() == LAPTOP[0]


def test_the_whole_ledger_shows_without_sideways_scrolling(
    qtbot: QtBot, ctx: UiContext, add_org: Callable[..., Any]
) -> None:
    add_org("北京市朝阳区望京街道社区社会组织联合会老年书画摄影协会")
    _window, view = window_at(qtbot, ctx, *LAPTOP)
    table = view.table
    widths = [table.columnWidth(c) for c in range(len(COLUMNS))]
    assert sum(widths) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    code = table.fontMetrics().horizontalAdvance("91350102MJQ28858XW")
    assert widths[2] > code, "a credit code is never cut"


def test_maximized_the_names_get_the_room(qtbot: QtBot, ctx: UiContext, add_org: Callable[..., Any]) -> None:
    add_org("朝阳区书法家协会")
    _window, view = window_at(qtbot, ctx, 1920, 1040)
    table = view.table
    last = len(COLUMNS) - 1
    assert table.columnWidth(last) == COLUMNS[last].width  # 成立日期 as designed, not stretched
    assert table.columnWidth(0) > 2 * COLUMNS[0].width
    assert sum(table.columnWidth(c) for c in range(len(COLUMNS))) == table.viewport().width()


def test_the_organization_window_fits_a_125_percent_laptop(
    qtbot: QtBot, ctx: UiContext, add_org: Callable[..., Any], monkeypatch: Any
) -> None:
    """The walkthrough found 保存/取消 below the bottom of a 1366×768 screen at 125 %: the window takes the
    room there is, its buttons stay visible and the form scrolls."""
    from PySide6.QtCore import QRect

    from app.ui.dialogs.org_dialog import OrgDialog

    screen = QApplication.primaryScreen()
    monkeypatch.setattr(type(screen), "availableGeometry", lambda _self: QRect(0, 0, 1093, 614))
    dialog = OrgDialog(ctx, add_org("朝阳区书法家协会"))
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert dialog.height() + MainWindow.FRAME_ALLOWANCE.height() <= 614
    assert dialog.width() + MainWindow.FRAME_ALLOWANCE.width() <= 1093
    bottom = dialog.save_button.mapTo(dialog, dialog.save_button.rect().bottomRight())
    assert dialog.rect().contains(bottom) and dialog.save_button.isVisible()
    assert dialog.minimumSizeHint().height() <= dialog.height()  # nothing forces it taller again
