"""What ``sign-in`` and ``sync`` share: reading a password (``--password-stdin``, or a prompt at a terminal)."""

from __future__ import annotations

import sys

from app.cli.common import UsageError, prog

PASSWORD_STDIN = "--password-stdin"


def read_password(from_stdin: bool, why: str) -> str:
    """The password: the first line of standard input with ``--password-stdin``, else asked at a terminal
    (not echoed).  Without either: UsageError saying to pass ``--password-stdin`` and ``why`` it is needed."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password.removesuffix("\r")
        if not password:
            raise UsageError(f"{prog()}：{PASSWORD_STDIN} 读到的是空行：请在标准输入的第一行提供密码"
                             f"（例如 echo 密码 | {prog()} … {PASSWORD_STDIN}）。")
        return password
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("密码：")
        if not password:
            raise UsageError(f"{prog()}：没有输入密码。")
        return password
    raise UsageError(f"{prog()}：{why}请加 {PASSWORD_STDIN}，并在标准输入的第一行提供密码。")
