"""``seed-demo``: write demo data."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from app.cli.common import EXIT_OK, count, fail, progress_printer

MAX_YEARS = 30


def register(commands: Any) -> None:
    seed = commands.add_parser("seed-demo", help="向当前用户的数据库写入演示数据",
                               description="向当前用户的数据库写入演示数据（福州市鼓楼区的社会组织、党组织、"
                                           "三会一课、走访和整改）。同一种子生成相同的内容。")
    seed.add_argument("--orgs", type=count(1), default=300, metavar="N", help="社会组织数（默认 300）")
    seed.add_argument("--years", type=count(0, MAX_YEARS), default=3, metavar="Y",
                      help=f"历史年数：三会一课、走访、年检等（默认 3，最多 {MAX_YEARS}）")
    seed.add_argument("--seed", type=count(0), default=2026, metavar="S", help="随机种子（默认 2026）")
    seed.add_argument("--force", action="store_true",
                      help="数据库中已有社会组织时仍然追加（不会产生重复的名称或统一社会信用代码）")
    seed.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app import paths
    from app.demo.data import existing_org_count, seed_demo
    from app.services.core.database import open_database
    from app.services.core.identity import current_actor, current_user

    path = paths.database_path(current_user())
    database = open_database(path)
    try:
        existing = existing_org_count(database.session_factory)
        if existing and not args.force:
            return fail(f"数据库 {path} 中已有 {existing} 个社会组织，未写入演示数据。"
                         "如确要追加，请加 --force（不会产生重复的名称或统一社会信用代码）。")
        started = time.perf_counter()
        summary = seed_demo(database.session_factory, orgs=args.orgs, years=args.years, seed=args.seed,
                            progress=progress_printer(sys.stderr), actor=current_actor(), me=current_user())
        elapsed = time.perf_counter() - started
    finally:
        database.close()
    print(f"已写入演示数据：社会组织 {summary.orgs} 个，党组织 {summary.party_orgs} 个，党员 {summary.members} 名，"
          f"党建指导员 {summary.instructors} 名，会议 {summary.meetings} 次，走访 {summary.visits} 次，"
          f"整改事项 {summary.rectifications} 项，共 {summary.total_rows} 行，用时 {elapsed:.1f} 秒；数据库：{path}")
    return EXIT_OK
