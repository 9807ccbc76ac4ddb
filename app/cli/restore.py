"""``restore FILE``: replace the current user's database with a backup, keeping the current data aside."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK


def register(commands: Any) -> None:
    restore = commands.add_parser("restore", help="用备份文件恢复当前用户的数据库（原数据保留在旁边）",
                                  description="先校验备份（SQLite 文件、每一页完好、不是更新版本软件的结构），再把"
                                              "当前数据库移到旁边（文件名带 .replaced- 和时间），复制备份进来并打开"
                                              "校验；校验失败时放回原来的数据。图形界面开着这个用户配置时不会恢复"
                                              "（请先关闭它，或在图形界面中用 文件 > 从备份恢复…）。")
    restore.add_argument("file", type=Path, metavar="FILE", help="备份文件（如 backups 目录中的 .sqlite3 文件）")
    restore.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.core import app_lock
    from app.services.core.backups import restore_from
    from app.services.core.identity import current_user

    profile = current_user()
    db_path = paths.database_path(profile)
    with app_lock.holding(profile):  # the GUI cannot start on this profile meanwhile, nor be running now
        kept = restore_from(args.file, db_path)
    where = f"原来的数据保存在：{kept}" if kept else "原来没有数据库"
    print(f"已从 {args.file} 恢复数据库：{db_path}。{where}。")
    return EXIT_OK
