"""Any exception a service call can raise, as one Chinese sentence that says what to do.

The UI and the CLI show these instead of raw driver text (e.g. "(sqlite3.OperationalError) database is
locked [SQL: BEGIN IMMEDIATE]").  Any thread.
"""

from __future__ import annotations

import sqlite3
import sys

from app.services.core.errors import ServiceError

_SQLITE_HINTS = (
    ("database disk image is malformed", "数据库文件已损坏：请关闭本软件，运行 python -m app integrity-check 检查，"
                                         "并用 python -m app restore 恢复 backups 目录中最近的备份"),
    ("file is not a database", "数据库文件已损坏或不是本软件的数据库：请用 python -m app restore 恢复最近的备份"),
    ("database is locked", "数据库正被另一个程序（如正在运行的命令行导入或演示数据生成）占用，请稍后再试"),
    ("database or disk is full", "磁盘空间已满，请腾出空间后再试"),
    ("disk i/o error", "读写磁盘出错，请检查磁盘或存储设备后再试"),
    ("readonly database", "数据库文件是只读的，请检查文件权限"),
    ("unable to open database", "无法打开数据库文件，请检查文件是否存在、是否有权限"),
)


def _is_database_error(exc: BaseException) -> bool:
    """A SQLAlchemy error (only possible once SQLAlchemy is loaded: not imported for this), or the stdlib
    driver's own (the start-up's first read runs on a plain ``sqlite3`` connection)."""
    if isinstance(exc, sqlite3.Error):
        return True
    if "sqlalchemy" not in sys.modules:
        return False
    from sqlalchemy.exc import SQLAlchemyError

    return isinstance(exc, SQLAlchemyError)


def describe_error(exc: BaseException) -> str:
    """A complete Chinese sentence for ``exc``; nothing already saved is affected by a failed call
    (each service call is one transaction), and the sentence says so where it helps."""
    if isinstance(exc, ServiceError):
        return str(exc)
    if _is_database_error(exc):
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        for needle, hint in _SQLITE_HINTS:
            if needle in detail.lower():
                return f"{hint}。本次操作没有保存，已保存的数据不受影响。"
        return f"数据库操作失败（{detail}）。本次操作没有保存，已保存的数据不受影响。"
    if isinstance(exc, OSError):
        where = f"：{exc.filename}" if exc.filename else ""
        return f"无法读写文件{where}（{exc.strerror or exc}）。请检查磁盘空间和文件权限。"
    return f"内部错误：{type(exc).__name__}: {exc}。请把这句话告诉维护人员。"
