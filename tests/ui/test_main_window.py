"""The main window composes only the sections that exist."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app import APP_NAME
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.views.ledger_view import LedgerView


def test_main_window_lists_the_sections_built_so_far(qtbot: QtBot, ctx: UiContext, add_org: object) -> None:
    add_org("朝阳区书法家协会")  # type: ignore[operator]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == f"{APP_NAME} — 我的数据（local）" and window.banner.isHidden()
    assert window.section_titles() == ["组织台账", "三会一课"]
    assert window.stack.count() == 2
    assert window.nav.currentRow() == 0
    view = window.stack.currentWidget()
    assert isinstance(view, LedgerView) and view.model.total == 1


def test_status_bar_shows_what_a_view_reports(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    view = window.views["组织台账"]
    assert isinstance(view, LedgerView)
    view.statusMessage.emit("已保存“朝阳区书法家协会”")
    assert window.statusBar().currentMessage() == "已保存“朝阳区书法家协会”"


def test_the_window_fits_the_screen_so_the_status_bar_shows(qtbot: QtBot, ctx: UiContext) -> None:
    """Regression (walkthrough of issue 5): a fixed 1280×800 window on a 1366×768 laptop put the status bar,
    where every message goes, below the screen edge."""
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    screen = window.screen()
    assert screen is not None
    room = screen.availableGeometry().size()
    # offscreen's screen (800×800) is too small for the preferred size with its frame, like a laptop's
    assert room.height() < (MainWindow.PREFERRED_SIZE + MainWindow.FRAME_ALLOWANCE).height()
    assert window.height() + MainWindow.FRAME_ALLOWANCE.height() <= room.height()
    assert window.width() + MainWindow.FRAME_ALLOWANCE.width() <= room.width()
    window.show()
    bar = window.statusBar()
    assert bar.isVisible() and bar.geometry().bottom() < window.height()


def test_the_application_has_its_icon(qtbot: QtBot, ctx: UiContext) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.appsetup import application_icon

    icon = application_icon()
    assert {size.width() for size in icon.availableSizes()} >= {16, 32, 48, 256}
    assert not QApplication.windowIcon().isNull()
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
