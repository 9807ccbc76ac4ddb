"""``python -m server serve [--host H] [--port N]`` | ``python -m server admin <command> …`` |
``python -m server demo-init``.

A failure — a bad DATABASE_URL, a database that cannot be reached, bad input to an admin command — is one
Chinese line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.exc import SQLAlchemyError

from server.cli_parser import EXIT_FAILED, EXIT_USAGE, Parser, UsageError, port_number
from server.config import SettingsError, load_settings
from server.serve import DEFAULT_HOST, DEFAULT_PORT


def build_parser() -> argparse.ArgumentParser:
    from server import admin

    parser = Parser(prog="python -m server", description="党建指导员工作台 区服务器")
    commands = parser.add_subparsers(dest="command", metavar="<命令>", title="命令", required=True,
                                     parser_class=Parser)
    about = "启动区服务器（先升级数据库）"
    serve = commands.add_parser("serve", help=about, description=about)
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"监听地址（默认 {DEFAULT_HOST}；对局域网开放写 0.0.0.0）")
    serve.add_argument("--port", type=port_number, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}）")
    admin_parser = commands.add_parser("admin", help="管理账号、组织和分配", description="管理账号、组织和分配")
    admin.add_parsers(admin_parser)
    commands.add_parser("demo-init", help="在空的数据目录里建一个演示区（3 个账号、20 个组织）",
                        description="在空的数据目录里建一个演示区（3 个账号、20 个组织），并列出演示账号和密码")
    return parser


def _database_error(exc: SQLAlchemyError) -> str:
    detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return f"无法使用数据库：{detail[0] if detail else type(exc).__name__}（请检查 DATABASE_URL 和数据库服务）"


def run(argv: list[str]) -> int:
    from server import admin, demo
    from server.serve import serve

    args = build_parser().parse_args(argv)
    settings = load_settings()
    if args.command == "serve":
        serve(settings, host=args.host, port=args.port)
        return 0
    if args.command == "demo-init":
        return demo.init(settings)
    return admin.run(args, settings)


def main(argv: list[str] | None = None) -> int:
    from server.admin import FAILURES

    try:
        return run(sys.argv[1:] if argv is None else argv)
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except (SettingsError, *FAILURES) as exc:
        print(exc, file=sys.stderr)
        return EXIT_FAILED
    except SQLAlchemyError as exc:
        print(_database_error(exc), file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"无法读写数据目录：{exc.strerror or exc}（{exc.filename or ''}）", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
