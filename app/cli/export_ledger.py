"""``export-ledger FILE.xlsx``: the current user's 组织台账 as an Excel file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USAGE, fail, progress_printer

ARCHIVED_CHOICES = {"all": "ALL", "active": "ACTIVE", "archived": "ARCHIVED"}


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "export-ledger", help="把组织台账导出为 Excel 文件（.xlsx）",
        description="把当前用户的社会组织导出为 .xlsx：每个组织一行，包含表单中的全部字段（中文列名、日期为 Excel "
                    "日期、首行冻结）。默认导出全部未删除的组织，包括已归档的（“归档”一列标明）；导出的文件可以原样"
                    "用 import-ledger 导入。")
    parser.add_argument("file", type=Path, metavar="FILE.xlsx", help="要写入的文件")
    parser.add_argument("--archived", choices=tuple(ARCHIVED_CHOICES), default="all",
                        help="all 全部（默认）；active 只导出未归档的；archived 只导出已归档的")
    parser.add_argument("--text", default="", metavar="TEXT",
                        help="只导出名称、代码、地址等含有该文字的组织（同台账搜索）")
    parser.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.core.database import open_database
    from app.services.core.identity import current_user
    from app.services.ledger_io.export import export_ledger
    from app.services.orgs.dto import ArchivedFilter, LedgerFilter

    target: Path = args.file
    if target.suffix.lower() != ".xlsx":
        return fail(f"只能导出为 .xlsx 文件，而不是“{target.name}”（例如：组织台账.xlsx）", EXIT_USAGE)
    if target.exists() and not args.force:
        return fail(f"{target} 已存在，没有覆盖：换一个文件名，或加 --force 覆盖。")
    if not target.parent.is_dir():
        return fail(f"文件夹不存在：{target.parent}")
    database = open_database(paths.database_path(current_user()))
    try:
        flt = LedgerFilter(text=args.text, archived=ArchivedFilter(ARCHIVED_CHOICES[args.archived]))
        result = export_ledger(database.session_factory, target, flt=flt, progress=progress_printer(sys.stderr))
    finally:
        database.close()
    print(f"已导出 {result.rows} 个组织：{result.path}")
    return EXIT_OK
