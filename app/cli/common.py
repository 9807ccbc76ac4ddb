"""What every subcommand shares: the Chinese argument parser, exit codes, one-line failures, progress."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

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
    (re.compile(r"one of the arguments (.*) is required"), r"缺少必需的参数：\1 之一"),
    (re.compile(r"not allowed with argument (\S+)"), r"不能与 \1 同时使用"),
)


class UsageError(Exception):
    """Bad command-line input; ``str()`` is the one line shown."""


def _chinese(message: str) -> str:
    for pattern, replacement in _MESSAGES:
        message = pattern.sub(replacement, message)
    return message


class Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法 (usage)：")


class Parser(argparse.ArgumentParser):
    """Chinese help; an error is one line (argparse prints usage and the error on several)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}：{_chinese(message)}（用 {self.prog} --help 查看用法 / usage）")


def count(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
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


PROFILE_OPTION = "--profile"


def split_profile(argv: list[str]) -> tuple[str | None, list[str]]:
    """Take the global ``--profile NAME`` (or ``--profile=NAME``) given before the subcommand out of
    ``argv``: (the name or None, the rest).  UsageError for a missing value."""
    profile: str | None = None
    rest: list[str] = []
    index = 0
    while index < len(argv) and argv[index].startswith("-"):  # options before the subcommand
        item = argv[index]
        if item == PROFILE_OPTION:
            if index + 1 >= len(argv) or argv[index + 1].startswith("-"):
                raise UsageError(f"{prog()}：{PROFILE_OPTION} 缺少用户配置名（例如 {PROFILE_OPTION} demo）")
            profile = argv[index + 1]
            index += 2
            continue
        if item.startswith(PROFILE_OPTION + "="):
            profile = item.split("=", 1)[1]
        else:
            rest.append(item)
        index += 1
    return profile, rest + argv[index:]


def prog() -> str:
    return Path(sys.argv[0]).name if getattr(sys, "frozen", False) else "python -m app"


def fail(message: str, code: int = EXIT_FAILED) -> int:
    """Print one line on stderr (never a traceback) and return ``code``."""
    print(" ".join(message.split()), file=sys.stderr)
    return code


def progress_printer(stream: IO[str]) -> Callable[[str, int, int], None] | None:
    """Progress on one rewritten line (stage, done/total, percent), only when a person is watching (a
    terminal).  The line is rewritten whenever the stage or its whole percent changes."""
    if not stream.isatty():
        return None
    last: list[tuple[str, int]] = []

    def show(stage: str, done: int, total: int) -> None:
        percent = done * 100 // total if total else done // 1000  # total 0: not known, count in thousands
        if last and last[-1] == (stage, percent) and stage != "完成":
            return
        last[:] = [(stage, percent)]
        end = "\n" if stage == "完成" else ""
        shown = f"{done}/{total}（{percent}%）" if total else f"{done}"
        stream.write(f"\r{stage} {shown}    {end}")
        stream.flush()

    return show
