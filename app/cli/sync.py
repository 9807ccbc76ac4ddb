"""``sync [--password-stdin]``: send this profile's changes to the district server and receive the others'."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app import paths
from app.cli.common import EXIT_OK, fail, prog, progress_printer
from app.cli.sync_common import PASSWORD_STDIN, read_password

if TYPE_CHECKING:
    from app.services.sync import SyncProgress


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "sync", help="与区服务器同步（先发送本机的修改，再接收他人的修改）",
        description="把当前用户配置中尚未发送的修改发送到区服务器，再接收区里和其他人的修改。\n"
                    "输出发送和接收的条数、冲突、被拒绝的修改及原因、区服务器确认的文书编号、"
                    "不再负责但仍有未发送修改（暂时保留为只读）的组织。\n"
                    "登录凭据保存在系统钥匙串中时无需密码；本机没有系统钥匙串或登录已过期时，"
                    f"用 {PASSWORD_STDIN} 提供密码。先用 {prog()} sign-in 登录。"
                    "图形界面开着这个用户配置时不运行（请在图形界面中按 F9）。\n\n"
                    "退出码：0 同步完成（冲突和被拒绝的修改另行列出）；1 同步失败（原因见输出）；2 用法错误。")
    parser.add_argument(PASSWORD_STDIN, action="store_true", dest="password_stdin",
                        help="从标准输入的第一行读取密码（本机没有系统钥匙串或登录已过期时需要）")
    parser.set_defaults(handler=handle)


def _progress() -> tuple[Callable[[SyncProgress], None] | None, Callable[[], None]]:
    """The progress line on stderr at a terminal, and what ends it (so the report starts on a line of its
    own); nothing when stderr is not a terminal."""
    show = progress_printer(sys.stderr)
    if show is None:
        return None, lambda: None
    shown: list[bool] = []

    def step(progress: SyncProgress) -> None:
        shown.append(True)
        show(progress.stage, progress.done, progress.total or 0)

    def finish() -> None:
        if shown:
            sys.stderr.write("\n")
            sys.stderr.flush()

    return step, finish


def handle(args: argparse.Namespace) -> int:
    from app.services.core import app_lock
    from app.services.core.app_lock import ProfileInUseError
    from app.services.core.identity import current_user

    profile = current_user()
    if paths.is_demo_profile(profile):
        return fail("演示数据不参与同步。")
    if not paths.database_file(profile).is_file():
        return fail(f"用户配置 {profile} 还没有登录区服务器：请先运行 {prog()} sign-in。")
    try:
        lock = app_lock.acquire(profile)  # not beside a window on this profile: one sync at a time, one owner
    except ProfileInUseError:
        return fail(f"用户配置 {profile} 正在被图形界面或另一个命令使用：图形界面开着时请在那里按 F9（立即同步），"
                    f"否则等它结束后再运行 {prog()} sync。")
    try:
        return _sync(profile, args)
    finally:
        lock.release()


def _sync(profile: str, args: argparse.Namespace) -> int:
    from app.services.core.database import open_database
    from app.services.sync import PasswordNeeded, WrongPassword, account_of, run_sync
    from app.ui.sync_text import report_lines

    database = open_database(paths.database_path(profile))
    try:
        factory = database.session_factory
        account = account_of(factory)
        if account is None:
            return fail(f"用户配置 {profile} 还没有登录区服务器：请先运行 {prog()} sign-in。")
        password = None
        if args.password_stdin or not account.keyring_ok:
            password = read_password(args.password_stdin, "本机没有可用的系统钥匙串，登录凭据没有保存，同步需要密码：")
        progress, end_progress = _progress()
        needed = ""
        try:
            report = run_sync(factory, password=password, progress=progress)
        except WrongPassword as exc:  # the password given was refused: saying to give one would mislead
            return fail(f"{str(exc).rstrip('。')}：请检查密码后再试。")
        except PasswordNeeded as exc:  # the sign-in expired or was revoked
            needed = str(exc)
        finally:
            end_progress()  # before any message: the progress line is left as it stood
        if needed:
            hint = "" if PASSWORD_STDIN in needed else f"：请加 {PASSWORD_STDIN} 提供密码。"
            return fail(f"{needed.rstrip('。')}{hint}" if hint else needed)
    finally:
        database.close()
    for line in report_lines(report):
        print(line)
    return EXIT_OK
