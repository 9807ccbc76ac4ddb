"""The menu bar: what it holds, its shortcuts, 关于 and the profile entry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app import __version__
from app.ui.context import UiContext
from app.ui.dialogs.about_dialog import about_box
from app.ui.main_window import MainWindow


def menu_texts(window: MainWindow) -> dict[str, list[str]]:
    menus = {}
    for action in window.menuBar().actions():
        menu = action.menu()
        menus[action.text()] = [a.text() for a in menu.actions() if not a.isSeparator()]  # type: ignore[union-attr]
    return menus


def test_the_menus_and_their_shortcuts(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert menu_texts(window) == {
        "文件(&F)": ["导入台账…", "导出台账…", "打印所选文书…", "备份数据…", "从备份恢复…", "查看演示数据", "退出(&X)"],
        "编辑(&E)": ["新建组织…", "查找", "打开所选组织\tEnter"],
        "视图(&V)": ["刷新", "立即同步"],
        "帮助(&H)": ["关于…"],
    }
    shortcuts = {name: getattr(window.menus, name).shortcut()
                 for name in ("new_org", "find", "refresh", "quit", "print_selected", "sync_now")}
    assert shortcuts == {"new_org": QKeySequence("Ctrl+N"), "find": QKeySequence("Ctrl+F"),
                         "refresh": QKeySequence("F5"), "quit": QKeySequence("Ctrl+Q"),
                         "print_selected": QKeySequence("Ctrl+P"), "sync_now": QKeySequence("F9")}
    assert window.menus.open_selected.shortcut().isEmpty(), "Enter stays the search box's and the buttons'"


def test_about_names_the_version_profile_and_where_the_data_is(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    box = about_box(ctx, window)
    qtbot.addWidget(box)
    shown = box.text()
    for part in (__version__, "local", str(ctx.database.path), str(ctx.database.path.parent)):
        assert part in shown
    assert box.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    assert box.standardButtons() == QMessageBox.StandardButton.Ok


def test_quit_closes_the_window(qtbot: QtBot, ctx: UiContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.menus.quit.trigger()
    assert not window.isVisible()


def test_the_demo_entry_says_where_it_goes(qtbot: QtBot, ctx: UiContext) -> None:
    import dataclasses

    window = MainWindow(dataclasses.replace(ctx, profile="demo"))
    qtbot.addWidget(window)
    assert window.menus.demo_data.text() == "回到我的数据"


def test_import_and_export_entries_open_their_dialogs(qtbot: QtBot, ctx: UiContext,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.orgs.dto import LedgerFilter
    from app.ui.dialogs import import_dialog, ledger_export

    opened: list[object] = []
    monkeypatch.setattr(import_dialog, "open_import_dialog", lambda *, ctx, parent: opened.append(("import", parent)))
    monkeypatch.setattr(ledger_export, "export_current_ledger",
                        lambda *, ctx, parent, flt: opened.append(("export", flt)))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.menus.import_ledger.trigger()
    window.views["组织台账"].search.setText("书法")  # type: ignore[attr-defined]
    window.views["组织台账"].flush_search()  # type: ignore[attr-defined]
    window.menus.export_ledger.trigger()
    window.views["组织台账"].empty_state.import_button.click()  # type: ignore[attr-defined]
    assert opened == [("import", window), ("export", LedgerFilter(text="书法")), ("import", window)]
