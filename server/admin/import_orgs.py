"""``admin import-orgs FILE.xlsx``: the district's organizations from the client's 组织台账 export."""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from server.ledger.import_orgs import import_orgs

NAME = "import-orgs"
HELP = "从工作台“导出台账”的 .xlsx 文件导入组织（按统一社会信用代码或名称匹配，重复导入不产生改动）"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE.xlsx", type=Path, help="工作台导出的组织台账文件")


def run(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    result = import_orgs(factory, args.file)
    print(f"已读取 {result.rows} 行：新增 {result.added} 个组织，更新 {result.updated} 个，"
          f"未变 {result.unchanged} 个（{result.changed} changed）")
    return 0
