"""``salvage --out FILE``: export what can still be read from a damaged database into a new one."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_FAILED, EXIT_OK


def register(commands: Any) -> None:
    salvage = commands.add_parser("salvage", help="从损坏的数据库中导出能读出的数据到新文件",
                                  description="只读地打开当前用户的数据库，把能读出的每一行复制到一个新的数据库文件，"
                                              "并重建搜索索引。损坏的文件不会被改动。检查新文件后，可用 restore "
                                              "把它换为当前数据库。")
    salvage.add_argument("--out", type=Path, required=True, metavar="FILE", help="新数据库文件（不覆盖已有文件）")
    salvage.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.core.database import open_database
    from app.services.core.identity import current_user
    from app.services.core.salvage import salvage
    from app.services.orgs import facts, search

    db_path = paths.database_path(current_user())
    report = salvage(db_path, args.out, stale_state=[facts.FACTS_DAY_KEY])  # re-derived below
    database = open_database(args.out)
    try:
        with database.session_factory.begin() as session:
            search.rebuild_index(session)
        facts.refresh_derived_facts(database.session_factory)
    finally:
        database.close()
    for table in report.unreadable:
        print(f"表 {table} 完全无法读取，未导出")
    for table, lost in sorted(report.lost.items()):
        print(f"表 {table} 有最多 {lost} 行无法读取，已跳过；读出 {report.copied[table]} 行")
    for table in report.open_ended:
        print(f"表 {table} 读到损坏处后无法确定后面还有多少行，其后的数据可能丢失")
    total = sum(report.copied.values())
    print(f"已导出 {total} 行到 {args.out}。确认内容后可运行 restore \"{args.out}\" 换为当前数据库。")
    return EXIT_FAILED if report.unreadable or report.lost or report.open_ended else EXIT_OK
