"""Command line: ``python -m app <子命令>`` (DESIGN §6), sharing the services with the GUI.

Every subcommand answers bad input with one clear line on stderr and a non-zero exit (2 for usage,
1 for a failure), never a traceback (``DANGJIAN_DEBUG=1`` shows one for an unexpected error).
Heavy imports (SQLAlchemy, Qt) happen inside the subcommand that needs them.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, NoReturn

from app import APP_NAME, __version__
from app.services.errors import ServiceError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_YEARS = 30
SELF_CHECK_ORGS = 30

# argparse's own (English) messages, as Python 3.11-3.13 word them, in Chinese.
_MESSAGES = (
    (re.compile(r"^argument (\S+): "), r"参数 \1："),
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"invalid choice: (.*?) \(choose from (.*)\)"), r"无效的选择：\1（可选：\2）"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (re.compile(r"expected one argument"), "缺少参数值"),
    (re.compile(r"expected at least one argument"), "至少需要一个参数值"),
    (re.compile(r"invalid (\w+) value: (.*)"), r"无效的值：\2"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"选项 \1 不明确，可能是：\2"),
    (re.compile(r"ignored explicit argument (.*)"), r"多余的参数值：\1"),
)


class UsageError(Exception):
    """Bad command-line input; ``str()`` is the one line shown."""


def _chinese(message: str) -> str:
    for pattern, replacement in _MESSAGES:
        message = pattern.sub(replacement, message)
    return message


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法 (usage)：")


class _Parser(argparse.ArgumentParser):
    """Chinese help; an error is one line (argparse prints usage and the error on several)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}：{_chinese(message)}（用 {self.prog} --help 查看用法 / usage）")


def _count(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"应为整数，而不是“{text}”") from None
        if value < minimum or (maximum is not None and value > maximum):
            limit = f" {minimum} 到 {maximum} 之间" if maximum is not None else f"不小于 {minimum} "
            raise argparse.ArgumentTypeError(f"应为{limit}的整数，而不是 {value}")
        return value

    return parse


def _prog() -> str:
    return Path(sys.argv[0]).name if getattr(sys, "frozen", False) else "python -m app"


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=_prog(), description=f"{APP_NAME}：不带参数运行时打开图形界面；下列子命令在命令行中运行。")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本并退出")
    commands = parser.add_subparsers(metavar="子命令", dest="command", required=True)

    seed = commands.add_parser("seed-demo", help="向当前用户的数据库写入演示数据",
                               description="向当前用户的数据库写入演示数据（福州市鼓楼区的社会组织、党组织、"
                                           "三会一课、走访和整改）。同一种子生成相同的内容。")
    seed.add_argument("--orgs", type=_count(1), default=300, metavar="N", help="社会组织数（默认 300）")
    seed.add_argument("--years", type=_count(0, MAX_YEARS), default=3, metavar="Y",
                      help=f"历史年数：三会一课、走访、年检等（默认 3，最多 {MAX_YEARS}）")
    seed.add_argument("--seed", type=_count(0), default=2026, metavar="S", help="随机种子（默认 2026）")
    seed.add_argument("--force", action="store_true",
                      help="数据库中已有社会组织时仍然追加（不会产生重复的名称或统一社会信用代码）")
    seed.set_defaults(handler=_seed_demo)

    check = commands.add_parser("validate-uscc", help="校验统一社会信用代码",
                                description="校验统一社会信用代码（GB 32100-2015）。每个代码输出一行："
                                            "代码<TAB>ok|warning|error<TAB>原因。有 error 时退出码为 1。")
    check.add_argument("codes", nargs="+", metavar="CODE", help="要校验的代码，可多个")
    check.set_defaults(handler=_validate_uscc)

    self_check = commands.add_parser("self-check", help="自检：迁移临时数据库并离屏绘制主窗口",
                                     description="在临时目录中新建并迁移数据库、写入少量演示数据、"
                                                 "离屏绘制主窗口；每项检查输出一行，全部通过时退出码为 0。")
    self_check.add_argument("--screenshot", type=Path, metavar="FILE.png", help="把主窗口截图保存到此文件")
    self_check.set_defaults(handler=_self_check)
    return parser


def run(argv: Sequence[str]) -> int:
    """Run one subcommand; returns the process exit code (never raises, never prints a traceback)."""
    try:
        args = build_parser().parse_args(list(argv))
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except UsageError as exc:
        return _fail(str(exc), EXIT_USAGE)
    except SystemExit as exc:  # --help, --version
        return exc.code if isinstance(exc.code, int) else EXIT_FAILED if exc.code else EXIT_OK
    except ServiceError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return _fail("已取消。", EXIT_INTERRUPTED)
    except Exception as exc:
        if os.environ.get("DANGJIAN_DEBUG"):
            raise
        return _fail(_describe(exc))


def _describe(exc: Exception) -> str:
    from app.services.error_text import describe_error

    text = describe_error(exc)
    if text.startswith("内部错误"):
        text += "（设置环境变量 DANGJIAN_DEBUG=1 可查看详细信息）"
    return text


def _fail(message: str, code: int = EXIT_FAILED) -> int:
    print(" ".join(message.split()), file=sys.stderr)
    return code


# --- seed-demo --------------------------------------------------------------------------------------------

def _seed_demo(args: argparse.Namespace) -> int:
    from app import paths
    from app.services.database import open_database
    from app.services.demo_data import existing_org_count, seed_demo
    from app.services.identity import current_actor, current_user

    path = paths.database_path(current_user())
    database = open_database(path)
    try:
        existing = existing_org_count(database.session_factory)
        if existing and not args.force:
            return _fail(f"数据库 {path} 中已有 {existing} 个社会组织，未写入演示数据。"
                         "如确要追加，请加 --force（不会产生重复的名称或统一社会信用代码）。")
        started = time.perf_counter()
        summary = seed_demo(database.session_factory, orgs=args.orgs, years=args.years, seed=args.seed,
                            progress=_progress_printer(sys.stderr), actor=current_actor(), me=current_user())
        elapsed = time.perf_counter() - started
    finally:
        database.close()
    print(f"已写入演示数据：社会组织 {summary.orgs} 个，党组织 {summary.party_orgs} 个，党员 {summary.members} 名，"
          f"党建指导员 {summary.instructors} 名，会议 {summary.meetings} 次，走访 {summary.visits} 次，"
          f"整改事项 {summary.rectifications} 项，共 {summary.total_rows} 行，用时 {elapsed:.1f} 秒；数据库：{path}")
    return EXIT_OK


def _progress_printer(stream: IO[str]) -> Callable[[str, int, int], None] | None:
    """Progress on one rewritten line, only when a person is watching (a terminal)."""
    if not stream.isatty():
        return None

    def show(stage: str, done: int, total: int) -> None:
        end = "\n" if stage == "完成" else ""
        stream.write(f"\r{stage} {done}/{total}    {end}")
        stream.flush()

    return show


# --- validate-uscc ----------------------------------------------------------------------------------------

def _validate_uscc(args: argparse.Namespace) -> int:
    from app.services.uscc import Severity, validate

    failed = False
    for code in args.codes:
        result = validate(code)
        failed = failed or result.severity is Severity.ERROR
        print(f"{code}\t{result.severity.value}\t{result.reason}")
    return EXIT_FAILED if failed else EXIT_OK


# --- self-check -------------------------------------------------------------------------------------------

def _self_check(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
    from app import paths
    from app.services.database import Database, open_database
    from app.services.demo_data import seed_demo

    with tempfile.TemporaryDirectory(prefix="dangjian-self-check-") as folder:
        database: Database | None = None
        try:
            database = _step("数据库迁移", lambda: open_database(Path(folder) / "self-check.sqlite3"))
            db = database
            _step("演示数据写入", lambda: seed_demo(db.session_factory, orgs=SELF_CHECK_ORGS, years=1))
            _step("中文字体文件", lambda: _require_file(paths.font_path()))
            _step("主窗口离屏绘制", lambda: _paint(db, args.screenshot))
        except _CheckFailed as failed:
            return _fail(str(failed))
        finally:
            if database is not None:
                database.close()
    print("自检通过。")
    return EXIT_OK


class _CheckFailed(Exception):
    pass


def _step(label: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        result = action()
    except Exception as exc:
        raise _CheckFailed(f"[失败] {label}：{type(exc).__name__}: {exc}") from exc
    print(f"[通过] {label}（{time.perf_counter() - started:.2f} 秒）", flush=True)
    return result


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"缺少文件 {path}")


def _paint(database: Any, screenshot: Path | None) -> None:
    from app.ui.self_check import paint_main_window

    paint_main_window(database, screenshot)
