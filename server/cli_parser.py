"""The server's command-line parser: Chinese help, and a bad argument as one line (never usage + traceback).

(The client has the same habit in app/cli/common.py; the server may not import it.)
"""

from __future__ import annotations

import argparse
import re
from typing import Any, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

# argparse's English messages (Python 3.11–3.13 wording), in Chinese.
_MESSAGES = (
    (re.compile(r"^argument (\S+): "), r"参数 \1："),
    (re.compile(r"the following arguments are required: (.*)"), r"缺少必需的参数：\1"),
    (re.compile(r"invalid choice: (.*?) \(choose from (.*)\)"), r"无效的选择：\1（可选：\2）"),
    (re.compile(r"unrecognized arguments: (.*)"), r"无法识别的参数：\1"),
    (re.compile(r"expected one argument"), "缺少参数值"),
    (re.compile(r"expected at least one argument"), "至少需要一个参数值"),
    (re.compile(r"invalid (\w+) value: (.*)"), r"无效的值：\2"),
    (re.compile(r"ambiguous option: (\S+) could match (.*)"), r"选项 \1 不明确，可能是：\2"),
)


class UsageError(Exception):
    """Bad command-line input; ``str()`` is the one line shown."""


class Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "用法：")


class Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _MESSAGES:
            message = pattern.sub(replacement, message)
        raise UsageError(f"{self.prog}：{message}（用 {self.prog} --help 查看用法）")


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应为 1–65535 的整数，而不是“{text}”") from None
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"端口应为 1–65535 的整数，而不是 {value}")
    return value
