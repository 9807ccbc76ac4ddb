"""The main window's menu bar (文件 / 编辑 / 视图 / 帮助) and its shortcuts.

Built here, connected by the window: each action is an attribute of :class:`MenuActions`, so the
window (or whoever adds a feature) connects ``triggered`` to the operation that does the work.
Shortcuts are window-wide, except Enter (打开所选组织), which the ledger's table handles itself so that
Enter keeps its meaning in the search box and in buttons; the menu only shows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu

DEMO_OPEN_TEXT = "查看演示数据"
DEMO_LEAVE_TEXT = "回到我的数据"


@dataclass(frozen=True)
class MenuActions:
    import_ledger: QAction
    export_ledger: QAction
    print_selected: QAction
    backup: QAction
    restore: QAction
    demo_data: QAction  # 查看演示数据 / 回到我的数据, by the open profile
    quit: QAction
    new_org: QAction
    find: QAction
    open_selected: QAction
    refresh: QAction
    sync_now: QAction
    about: QAction


def _action(menu: QMenu, text: str, shortcut: str = "", tip: str = "") -> QAction:
    action = menu.addAction(text)
    if shortcut:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
    return action


def build_menus(window: QMainWindow) -> MenuActions:
    """Add the menu bar to ``window``; nothing is connected yet."""
    bar = window.menuBar()
    file_menu = bar.addMenu("文件(&F)")
    import_ledger = _action(file_menu, "导入台账…", tip="从 Excel 表格导入社会组织台账")
    export_ledger = _action(file_menu, "导出台账…", tip="把当前筛选出的台账导出为 Excel 表格")
    file_menu.addSeparator()
    print_selected = _action(file_menu, "打印所选文书…", "Ctrl+P", "预览并打印“文书”中选中的通知书或提醒函")
    file_menu.addSeparator()
    backup = _action(file_menu, "备份数据…", tip="把当前用户配置的全部数据保存为一个校验过的备份文件")
    restore = _action(file_menu, "从备份恢复…", tip="用备份文件替换当前数据（当前数据保留在旁边）")
    file_menu.addSeparator()
    demo_data = _action(file_menu, DEMO_OPEN_TEXT, tip="演示数据单独保存，不会混入您的数据")
    file_menu.addSeparator()
    quit_action = _action(file_menu, "退出(&X)", "Ctrl+Q")
    quit_action.setMenuRole(QAction.MenuRole.QuitRole)

    edit_menu = bar.addMenu("编辑(&E)")
    new_org = _action(edit_menu, "新建组织…", "Ctrl+N")
    find = _action(edit_menu, "查找", "Ctrl+F", "把光标移到台账的搜索框")
    # "\t" puts Enter where a shortcut is shown without making it a window-wide shortcut
    open_selected = _action(edit_menu, "打开所选组织\tEnter", tip="打开台账中选中的组织")

    view_menu = bar.addMenu("视图(&V)")
    refresh = _action(view_menu, "刷新", "F5", "重新读取台账")
    # F9, not Ctrl+Shift+S: that is the platforms' 另存为 (StandardKey.SaveAs), which the PDF preview offers
    sync_now = _action(view_menu, "立即同步", "F9", "与区服务器同步（先发送本机的修改，再接收他人的修改）")

    help_menu = bar.addMenu("帮助(&H)")
    about = _action(help_menu, "关于…")
    about.setMenuRole(QAction.MenuRole.AboutRole)
    return MenuActions(import_ledger, export_ledger, print_selected, backup, restore, demo_data, quit_action,
                       new_org, find, open_selected, refresh, sync_now, about)
