"""``validate-uscc``: check 统一社会信用代码 from the command line."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_FAILED, EXIT_OK


def register(commands: Any) -> None:
    check = commands.add_parser("validate-uscc", help="校验统一社会信用代码",
                                description="校验统一社会信用代码（GB 32100-2015）。每个代码输出一行："
                                            "代码<TAB>ok|warning|error<TAB>原因。有 error 时退出码为 1。")
    check.add_argument("codes", nargs="+", metavar="CODE", help="要校验的代码，可多个")
    check.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from app.domain.uscc import Severity, validate

    failed = False
    for code in args.codes:
        result = validate(code)
        failed = failed or result.severity is Severity.ERROR
        print(f"{code}\t{result.severity.value}\t{result.reason}")
    return EXIT_FAILED if failed else EXIT_OK
