"""The main window composes only the sections that exist, the 工作台 first; each is built when first shown."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app import APP_NAME
from app.ui.context import UiContext
from app.ui.main_window import SECTIONS, MainWindow
from app.ui.views.dashboard_view import DashboardView
from app.ui.views.ledger_view import LedgerView


def test_the_window_opens_on_the_dashboard_and_builds_the_ledger_when_first_shown(
    qtbot: QtBot, ctx: UiContext, add_org: object
) -> None:
    add_org("朝阳区书法家协会")  # type: ignore[operator]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.windowTitle() == f"{APP_NAME} — 我的数据（local）" and window.banner.isHidden()
    assert window.section_titles() == ["工作台", "组织台账", "党组织", "三会一课", "走访", "整改", "文书", "同步"]
    assert window.stack.count() == len(SECTIONS)
    assert window.views.built("党组织") is None
    assert window.nav.currentRow() == 0
    assert isinstance(window.stack.currentWidget(), DashboardView)
    assert window.views.built("组织台账") is None  # nothing of the ledger before it is shown
    window.nav.setCurrentRow(1)
    view = window.stack.currentWidget()
    assert isinstance(view, LedgerView) and view.model.total == 1
    assert window.views["组织台账"] is view and window.stack.count() == len(SECTIONS)


def test_find_and_new_from_the_dashboard_go_to_the_ledger(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.menus.find.trigger()
    view = window.stack.currentWidget()
    assert isinstance(view, LedgerView) and window.nav.currentRow() == 1
    qtbot.waitUntil(lambda: view.search.hasFocus())


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


def test_find_on_the_party_section_stays_there(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.show_section("党组织")
    party = window.stack.currentWidget()
    window.menus.find.trigger()
    assert window.stack.currentWidget() is party and window.nav.currentRow() == 2
    qtbot.waitUntil(lambda: party.search.hasFocus())  # type: ignore[attr-defined]


def test_the_edit_menu_says_what_it_acts_on_in_the_section_shown(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    words = {}
    for title in ("工作台", "组织台账", "党组织", "三会一课"):
        window.show_section(title)
        words[title] = (window.menus.new_org.text(), window.menus.open_selected.text().split("\t")[0])
    assert words == {"工作台": ("新建组织…", "打开所选组织"), "组织台账": ("新建组织…", "打开所选组织"),
                     "党组织": ("新建党组织…", "编辑所选党组织"), "三会一课": ("新建会议记录…", "打开所选会议记录")}


def test_print_outside_the_documents_section_says_where_to_print(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.menus.print_selected.shortcut().toString() == "Ctrl+P"
    window.menus.print_selected.trigger()  # on the 工作台
    assert "请在“文书”中选中" in window.statusBar().currentMessage()


def test_tab_leaves_every_section_s_lists(qtbot: QtBot, ctx: UiContext) -> None:
    """Tab moves on from a list to the next control (the arrows move within it), in every section with lists;
    with tab navigation a 70-row list would take 560 presses to leave."""
    from PySide6.QtWidgets import QTableView

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    for title in ("组织台账", "三会一课", "走访", "整改", "文书"):
        tables = window.views[title].findChildren(QTableView)
        assert tables, title
        assert [t.tabKeyNavigation() for t in tables] == [False] * len(tables), title
