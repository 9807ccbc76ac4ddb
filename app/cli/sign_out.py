"""``sign-out``: leave the district server on this computer (the data and unsent changes stay)."""

from __future__ import annotations

import argparse
from typing import Any

from app import paths
from app.cli.common import EXIT_OK, fail, prog


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "sign-out", help="退出区服务器的登录",
        description="退出当前用户配置在区服务器上的登录：通知服务器作废本机的登录凭据（联系不上服务器时只在本机"
                    "作废），删除系统钥匙串中保存的凭据。本机的数据和尚未发送的修改都保留，重新登录后继续同步。"
                    f"默认用户配置改回 {paths.DEFAULT_PROFILE}。\n\n"
                    f"例：{prog()} --profile zhangsan sign-out\n\n退出码：0 已退出；1 失败；2 用法错误。")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app.services.core import app_lock
    from app.services.core.app_lock import ProfileInUseError
    from app.services.core.identity import current_user
    from app.services.sync import sign_out

    profile = current_user()
    if paths.is_demo_profile(profile):
        return fail("演示数据不参与同步，没有登录可退出。")
    if not paths.database_file(profile).is_file():
        return fail(f"用户配置 {profile} 还没有数据，也没有登录区服务器。")
    try:
        with app_lock.holding(profile):  # the window shows the account: it signs out from its 同步 page
            sign_out(profile)
    except ProfileInUseError:
        return fail(f"用户配置 {profile} 正在被图形界面或另一个命令使用：图形界面开着时请在那里的“同步”页点“退出登录”，"
                    f"否则等它结束后再运行 {prog()} sign-out。")
    print(f"已退出登录（用户配置 {profile}）：本机的数据和未发送的修改都保留，重新登录后继续同步。"
          f"默认用户配置改回 {paths.DEFAULT_PROFILE}。")
    return EXIT_OK
