"""Command line: ``python -m app <子命令>`` (DESIGN §6), sharing the services with the GUI.

One module per subcommand, each with ``register(commands)``.  Every subcommand answers bad input with one
clear line on stderr and a non-zero exit (2 for usage, 1 for a failure), never a traceback
(``DANGJIAN_DEBUG=1`` shows one for an unexpected error).  Heavy imports (SQLAlchemy, Qt) happen inside the
subcommand that needs them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence

from app import APP_NAME, __version__, paths
from app.cli import (
    backup,
    compliance,
    export_ledger,
    import_ledger,
    integrity_check,
    print_notice,
    restore,
    salvage,
    seed_demo,
    self_check,
    sign_in,
    sign_out,
    sync,
    validate_uscc,
)
from app.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    PROFILE_OPTION,
    Parser,
    UsageError,
    fail,
    prog,
    split_profile,
)
from app.services.core.errors import ServiceError

SUBCOMMANDS = (seed_demo, import_ledger, export_ledger, validate_uscc, compliance, print_notice, self_check,
               integrity_check, backup, restore, salvage, sign_in, sync, sign_out)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog=prog(), description=f"{APP_NAME}：不带参数运行时打开图形界面；下列子命令在命令行中运行。")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本并退出")
    parser.add_argument(PROFILE_OPTION, metavar="NAME", dest="global_profile",
                        help=f"使用哪个用户配置的数据（默认取环境变量 {paths.PROFILE_ENV}，再默认 "
                             f"{paths.DEFAULT_PROFILE}；{paths.DEMO_PROFILE} 是演示数据）；须写在子命令之前")
    commands = parser.add_subparsers(metavar="子命令", dest="command", required=True)
    for module in SUBCOMMANDS:
        module.register(commands)
    return parser


def run(argv: Sequence[str]) -> int:
    """Run one subcommand; returns the process exit code (never raises, never prints a traceback)."""
    try:
        profile, rest = split_profile(list(argv))
        if profile is not None:
            paths.set_active_profile(profile)
        paths.active_profile()  # a bad DANGJIAN_PROFILE is one clear line too
        args = build_parser().parse_args(rest)
        args.global_profile = profile
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except (UsageError, paths.ProfileNameError) as exc:
        return fail(str(exc), EXIT_USAGE)
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else EXIT_FAILED if exc.code else EXIT_OK
    except ServiceError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("已取消。", EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("DANGJIAN_DEBUG"):
            raise
        return fail(_describe(exc))


def _describe(exc: Exception) -> str:
    from app.services.core.error_text import describe_error

    text = describe_error(exc)
    if text.startswith("内部错误"):
        text += "（设置环境变量 DANGJIAN_DEBUG=1 可查看详细信息）"
    return text
