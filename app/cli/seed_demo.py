"""``seed-demo``: write demo data — always into the demo profile (DESIGN §3), never into real data."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from app import paths
from app.cli.common import EXIT_OK, EXIT_USAGE, PROFILE_OPTION, count, fail, prog, progress_printer

MAX_YEARS = 30


def register(commands: Any) -> None:
    seed = commands.add_parser("seed-demo", help=f"向演示数据用户配置（{paths.DEMO_PROFILE}）写入演示数据",
                               description=f"向演示数据用户配置（users/{paths.DEMO_PROFILE}/）写入演示数据（福州市鼓楼区的"
                                           "社会组织、党组织、三会一课、走访和整改），不会写入您自己的数据，也不会进入"
                                           "待同步队列。同一种子生成相同的内容。"
                                           "用 python -m app --profile demo 打开查看。")
    seed.add_argument("--orgs", type=count(1), default=300, metavar="N", help="社会组织数（默认 300）")
    seed.add_argument("--years", type=count(0, MAX_YEARS), default=3, metavar="Y",
                      help=f"历史年数：三会一课、走访、年检等（默认 3，最多 {MAX_YEARS}）")
    seed.add_argument("--seed", type=count(0), default=2026, metavar="S", help="随机种子（默认 2026）")
    seed.add_argument("--force", action="store_true",
                      help="演示数据库中已有社会组织时仍然追加（不会产生重复的名称或统一社会信用代码）")
    seed.add_argument(PROFILE_OPTION, metavar="NAME", dest="profile",
                      help=f"只能是 {paths.DEMO_PROFILE}（演示数据从不写入其他用户配置）")
    seed.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app.demo.data import existing_org_count, load_interrupted, seed_demo
    from app.services.core import app_lock
    from app.services.core.database import open_database
    from app.services.core.identity import current_actor
    from app.services.core.profiles import delete_demo_profile

    for requested in (args.profile, getattr(args, "global_profile", None)):
        if requested is not None and requested != paths.DEMO_PROFILE:
            return fail(f"seed-demo 只写入演示数据用户配置 {paths.DEMO_PROFILE}，不能写入“{requested}”："
                        f"请去掉 {PROFILE_OPTION} {requested}（演示数据不会进入真实数据）。", EXIT_USAGE)
    path = paths.database_path(paths.DEMO_PROFILE)
    lock = app_lock.acquire(paths.DEMO_PROFILE)  # not while a window shows the demo, nor opens it meanwhile
    try:
        database = open_database(path)
        if load_interrupted(database.session_factory):  # a load killed half-way: start again from nothing
            database.close()
            lock.release()  # its file goes with the folder (Windows cannot delete a file held open)
            delete_demo_profile()
            print("上次载入的演示数据不完整（载入中途被关闭），已删除，重新生成。", file=sys.stderr)
            lock = app_lock.acquire(paths.DEMO_PROFILE)
            database = open_database(paths.database_path(paths.DEMO_PROFILE))
        try:
            existing = existing_org_count(database.session_factory)
            if existing and not args.force:
                return fail(f"演示数据库 {path} 中已有 {existing} 个社会组织，未写入演示数据。"
                             "如确要追加，请加 --force（不会产生重复的名称或统一社会信用代码）。")
            started = time.perf_counter()
            summary = seed_demo(database.session_factory, orgs=args.orgs, years=args.years, seed=args.seed,
                                progress=progress_printer(sys.stderr), actor=current_actor(), me=paths.DEMO_PROFILE)
            elapsed = time.perf_counter() - started
        finally:
            database.close()
    finally:
        lock.release()
    print(f"已写入演示数据：社会组织 {summary.orgs} 个，党组织 {summary.party_orgs} 个，党员 {summary.members} 名，"
          f"党建指导员 {summary.instructors} 名，会议 {summary.meetings} 次，走访 {summary.visits} 次，"
          f"整改事项 {summary.rectifications} 项，通知 {summary.notices} 份，共 {summary.total_rows} 行，"
          f"用时 {elapsed:.1f} 秒；数据库：{path}"
          f"（用 {prog()} {PROFILE_OPTION} {paths.DEMO_PROFILE} 打开）")
    return EXIT_OK
