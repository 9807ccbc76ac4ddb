"""``integrity-check``: the database file, the attachments and the outbox; one line per problem."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.common import EXIT_FAILED, EXIT_OK, fail, prog


def register(commands: Any) -> None:
    check = commands.add_parser("integrity-check", help="检查数据库、附件和发送队列是否完好",
                                description="只读地检查当前用户的数据库文件（每一页是否完好、结构版本）、附件"
                                            "（缺失、孤立、内容不符）和发送队列。每个问题在标准输出上一行（小结在标准错误上）；没有问题时"
                                            "退出码为 0，有问题时为 1。不会改动数据库，也不会创建任何文件夹；检查结果"
                                            "记录在数据库旁的 dangjian.sqlite3.check.json 中（发现页面损坏时，本软件"
                                            "据此拒绝写入，直到文件再次检查通过）。")
    check.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.core.backups import latest_backup
    from app.services.core.identity import current_user
    from app.services.core.integrity import check_all

    user = current_user()
    db_path = paths.database_file(user)  # a check creates nothing: no folder for a profile without data
    if not db_path.exists():
        return fail(f"没有找到数据库：{db_path}。该配置档还没有数据。")
    problems = check_all(db_path, paths.attachments_folder(user))
    if problems:
        for line in problems:
            print(" ".join(line.split()))
        backup = latest_backup(db_path)
        way_back = (f"数据库损坏时可恢复最近的备份：{prog()} restore \"{backup}\"（当前文件会被保留在旁边）"
                    if backup else "没有找到备份")
        print(f"检查发现 {len(problems)} 个问题：{db_path}。{way_back}。", file=sys.stderr)
        return EXIT_FAILED
    print(f"完整性检查通过：{db_path}（数据库、附件、发送队列均无问题）。")
    return EXIT_OK
