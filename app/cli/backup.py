"""``backup [--out FILE]``: a verified copy of the current user's database."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, fail


def register(commands: Any) -> None:
    backup = commands.add_parser("backup", help="备份当前用户的数据库（校验后保存）",
                                 description="用 SQLite 在线备份复制当前用户的数据库，并校验副本（每一页完好、结构"
                                             "版本可读）后才保存。默认保存到数据库旁的 backups 目录。")
    backup.add_argument("--out", type=Path, metavar="FILE", help="保存到此文件（不覆盖已有文件）")
    backup.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.core.backups import backup_database
    from app.services.core.identity import current_user

    db_path = paths.database_path(current_user())
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return fail(f"没有可备份的数据库：{db_path} 不存在或是空文件。")
    target = backup_database(db_path, "manual", out=args.out)
    print(f"已备份并校验：{target}（{target.stat().st_size / 1e6:.1f} MB）")
    return EXIT_OK
