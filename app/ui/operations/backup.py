"""文件 > 备份数据… / 从备份恢复…: the same verified copies and restore as the ``backup`` / ``restore``
commands (``app.services.core.backups``), on the task runner.

A restore replaces the open database file, so it runs on the write lane (after every save already
queued), closes the window's database first, and hands the window the reopened one
(``ProfileSwitcher.reopen``).  If the restore fails, the current data is where it was and the window
goes on with it.  The current data is never deleted: ``restore_from`` moves it aside.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.services.core import clock
from app.ui.context import UiContext
from app.ui.profiles import ProfileSwitcher
from app.ui.tasks import Lane, OnError, TaskContext, TaskHandle

if TYPE_CHECKING:
    from app.services.core.database import Database

BACKUP_SUFFIX = ".sqlite3"
FILE_FILTER = f"数据备份 (*{BACKUP_SUFFIX});;所有文件 (*)"
Message = Callable[[str], None]


def default_backup_name(ctx: UiContext) -> str:
    return f"党建工作台备份-{ctx.profile}-{clock.today():%Y%m%d}{BACKUP_SUFFIX}"


def _documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def backup_data(*, ctx: UiContext, target: Path, parent: QWidget | None, on_done: Callable[[Path], None],
                on_error: OnError | None = None, on_cancelled: Callable[[], None] | None = None,
                replace: bool = False) -> TaskHandle:
    """A verified copy of the open database saved as ``target``, on the read lane (the online backup
    reads while saves go on).  An existing ``target`` is replaced only with ``replace`` (the user said
    so), and only once the new copy is made and verified beside it.  A cancel deletes the copy."""
    from app.services.core import backups  # not needed for the first screen

    source = ctx.database.path

    def work(task: TaskContext) -> Path:
        out = target.with_name(target.name + ".partial") if replace else target
        out.unlink(missing_ok=True)
        made = backups.backup_database(source, "manual", out=out)
        if task.cancelled:
            made.unlink(missing_ok=True)
        elif replace:
            made = made.replace(target)
        return made

    handle = ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error,
                               progress="正在备份数据…", parent=parent)
    handle.on_cancelled = on_cancelled
    return handle


def restore_data(*, switcher: ProfileSwitcher, archive: Path, parent: QWidget | None,
                 on_done: Callable[[Path | None], None], on_error: OnError | None = None) -> TaskHandle:
    """Replace the open profile's database with ``archive`` (checked first: damaged, not ours or from a
    newer version is refused with the database untouched); ``on_done(kept)`` gets where the data that was
    replaced now lies.  The window is rebuilt around the restored database."""
    from app.services.core import backups
    from app.services.core.database import open_database

    ctx = switcher.ctx
    db_path = ctx.database.path
    restored: list[tuple[Database, Path | None]] = []

    def work(_task: TaskContext) -> tuple[Database, Path | None]:
        backups.inspect_archive(archive)  # refuse a bad file before closing anything
        ctx.database.close()  # the window's connections; queued reads reopen theirs, which restore refuses
        kept = backups.restore_from(archive, db_path)
        restored.append((open_database(db_path), kept))
        return restored[0]

    def done(result: tuple[Database, Path | None]) -> None:
        database, kept = result
        switcher.reopen(database)
        on_done(kept)

    handle = ctx.runner.submit(work, lane=Lane.WRITE, on_done=done, on_error=on_error,
                               progress="正在从备份恢复…", parent=parent)
    handle.on_cancelled = lambda: done(restored[0]) if restored else None  # too late to undo: show it
    return handle


# -- the menu's dialogs ----------------------------------------------------------------------------
def ask_backup_target(ctx: UiContext, parent: QWidget | None) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, "备份数据", str(_documents() / default_backup_name(ctx)),
                                            FILE_FILTER, "", QFileDialog.Option.DontConfirmOverwrite)
    if not chosen:
        return None
    path = Path(chosen)  # always a .sqlite3: a backup saved as 台账.xlsx would fool Excel and the user
    return path if path.suffix == BACKUP_SUFFIX else path.with_suffix(BACKUP_SUFFIX)


def confirm_restore_text(ctx: UiContext, archive: Path) -> str:
    whose = "演示数据" if ctx.is_demo else f"我的数据（{ctx.profile}）"
    return (f"用备份文件\n{archive}\n替换{whose}的当前内容？\n\n"
            "当前的数据不会删除：它会被移到数据库旁边保存（文件名带 .replaced- 和时间），需要时可以找回。")


def back_up_with_dialog(*, ctx: UiContext, parent: QWidget | None, on_message: Message,
                        on_error: OnError) -> TaskHandle | None:
    """备份数据…: ask where (default: 文档 folder, name with today's date), back up, say where it went."""
    target = ask_backup_target(ctx, parent)
    if target is None:
        return None
    replace = target.exists()
    if replace and QMessageBox.question(
            parent, "备份数据", f"{target}\n已经存在。要用现在的数据替换这个备份文件吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel) != QMessageBox.StandardButton.Yes:
        return None

    def done(made: Path) -> None:
        on_message(f"已备份并校验：{made}")
        QMessageBox.information(parent, "备份数据", f"备份已保存并校验无误：\n{made}\n\n"
                                "请把它另存到 U 盘或其他电脑，电脑损坏时才能用它恢复。")

    return backup_data(ctx=ctx, target=target, parent=parent, on_error=on_error, on_done=done, replace=replace,
                       on_cancelled=lambda: on_message("已取消备份，没有保存备份文件。"))


def restore_with_dialog(*, switcher: ProfileSwitcher, parent: QWidget | None, on_message: Message,
                        on_error: OnError) -> TaskHandle | None:
    """从备份恢复…: pick the file, confirm in words that say the current data is kept, restore."""
    from app import paths

    ctx = switcher.ctx
    start = paths.backups_dir(ctx.database.path)
    chosen, _ = QFileDialog.getOpenFileName(parent, "从备份恢复", str(start if start.is_dir() else _documents()),
                                            FILE_FILTER)
    if not chosen:
        return None
    archive = Path(chosen)
    answer = QMessageBox.question(parent, "从备份恢复", confirm_restore_text(ctx, archive),
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    if answer != QMessageBox.StandardButton.Yes:
        return None

    def done(kept: Path | None) -> None:
        where = f"原来的数据保存在 {kept}" if kept else "原来没有数据"
        on_message(f"已从 {archive.name} 恢复数据；{where}。")

    return restore_data(switcher=switcher, archive=archive, parent=parent, on_done=done, on_error=on_error)
