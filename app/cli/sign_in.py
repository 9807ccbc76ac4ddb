"""``sign-in --server URL --user NAME --password-stdin [--ca-file PEM]``: sign in to the district server.

Signing in opens (or creates) the profile named after the user and makes it the default profile, so a later
``python -m app`` without ``--profile`` works in it.  Only the refresh token is kept, in the system keyring;
where there is none, nothing is stored and each sync asks for the password.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app import paths
from app.cli.common import EXIT_OK, UsageError, fail, prog
from app.cli.sync_common import PASSWORD_STDIN, read_password

KEYRING_TEXT = "登录凭据已保存在系统钥匙串中，以后同步无需再输入密码。"
NO_KEYRING_TEXT = ("本机没有可用的系统钥匙串（keyring），登录凭据没有保存（为安全起见从不以明文保存）："
                   f"每次同步请加 {PASSWORD_STDIN} 提供密码。")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "sign-in", help="登录区服务器（此后用该用户的数据，并可同步）",
        description="用区里分配的用户名和密码登录区服务器。登录后：\n"
                    "  · 使用以用户名命名的用户配置（没有就新建），并设为默认用户配置；\n"
                    "  · 登录凭据（不是密码）保存在系统钥匙串中，以后同步无需再输入密码；"
                    "本机没有系统钥匙串时不保存任何凭据，每次同步用 --password-stdin 提供密码；\n"
                    "  · 负责的组织改由区里分配，本机不能再修改。\n"
                    f"演示数据（{paths.DEMO_PROFILE}）不参与同步，不能登录。\n\n"
                    f"例：echo 密码 | {prog()} sign-in --server https://dangjian.example.gov.cn --user zhangsan "
                    f"{PASSWORD_STDIN}\n\n退出码：0 已登录；1 登录失败（原因见输出）；2 用法错误。")
    parser.add_argument("--server", required=True, metavar="URL",
                        help="区服务器的地址，例如 https://dangjian.example.gov.cn")
    parser.add_argument("--user", required=True, metavar="NAME", help="区里分配的用户名")
    parser.add_argument(PASSWORD_STDIN, action="store_true", dest="password_stdin",
                        help="从标准输入的第一行读取密码（不加时在终端中提示输入）")
    parser.add_argument("--ca-file", type=Path, metavar="PEM",
                        help="区服务器使用自建证书时，用这个 PEM 格式的根证书文件校验它")
    parser.set_defaults(handler=handle)


def check_server_url(url: str) -> str:
    """``url`` without a trailing slash, or UsageError saying what a server address looks like."""
    from app.ui.sync_text import server_url_problem

    if problem := server_url_problem(url):
        raise UsageError(f"{prog()}：{problem}")
    return url.strip().rstrip("/")


def check_user(name: str) -> str:
    from app.ui.sync_text import username_problem

    if problem := username_problem(name):
        raise UsageError(f"{prog()}：{problem}")
    return name


def handle(args: argparse.Namespace) -> int:
    server = check_server_url(args.server)
    user = check_user(args.user)
    if args.ca_file is not None and not args.ca_file.is_file():
        return fail(f"找不到根证书文件：{args.ca_file}（--ca-file 应是 PEM 格式的证书文件）")
    password = read_password(args.password_stdin, "登录需要密码：")
    from app.services.sync import sign_in
    from app.ui.sync_text import account_line

    account = sign_in(server, user, password, ca_file=str(args.ca_file) if args.ca_file else None)
    print(f"已登录：{account_line(account)}")
    print(f"默认用户配置现在是 {account.profile}：以后运行 {prog()}（不加 {'--profile'}）就打开这个用户的数据。")
    print(KEYRING_TEXT if account.keyring_ok else NO_KEYRING_TEXT)
    return EXIT_OK
