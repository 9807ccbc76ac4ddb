"""``self-check``: migrate a temporary database, write a little demo data, read the policy pack, render a
document with the shipped fonts, paint the main window."""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, fail

SELF_CHECK_ORGS = 30


def register(commands: Any) -> None:
    self_check = commands.add_parser("self-check", help="自检：迁移临时数据库并离屏绘制主窗口",
                                     description="在临时目录中新建并迁移数据库、写入少量演示数据、"
                                                 "离屏绘制主窗口；每项检查输出一行，全部通过时退出码为 0。")
    self_check.add_argument("--screenshot", type=Path, metavar="FILE.png", help="把主窗口截图保存到此文件")
    self_check.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
    from app import paths
    from app.demo.data import seed_demo
    from app.services.core.database import Database, open_database
    from app.services.meetings import load_policy

    with tempfile.TemporaryDirectory(prefix="dangjian-self-check-") as folder, \
            paths.temporary_home(Path(folder)):  # a scratch demo profile: demo data is written nowhere else
        database: Database | None = None
        try:
            database = _step("数据库迁移", lambda: open_database(paths.database_path(paths.DEMO_PROFILE)))
            db = database
            _step("演示数据写入", lambda: seed_demo(db.session_factory, orgs=SELF_CHECK_ORGS, years=1))
            _step("中文字体文件", lambda: _require_file(paths.font_path()))
            _step("规则包（全国默认值）", load_policy)  # the frozen build ships resources/policy
            _step("文书 PDF（嵌入字体）", _render_document)  # resources/fonts and reportlab ship
            _step("主窗口离屏绘制", lambda: _paint(db, args.screenshot))
        except _CheckFailed as failed:
            return fail(str(failed))
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


def _render_document() -> None:
    from datetime import date

    from app.domain.doc_numbers import ProvisionalNumber
    from app.services.documents import ReminderLetter, render_reminder_letter

    letter = ReminderLetter(title="关于自检的提醒函", number=ProvisionalNumber("自检", 2026, 1),
                            addressee="自检党支部", paragraphs=("自检正文，含生僻字堃、喆、叕。",),
                            issuer="自检单位", dated=date(2026, 1, 1))
    if b"/FontFile2" not in render_reminder_letter(letter).data:
        raise RuntimeError("PDF 未嵌入字体")


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise FileNotFoundError(f"缺少文件 {path}")


def _paint(database: Any, screenshot: Path | None) -> None:
    from app import paths
    from app.ui.self_check import paint_main_window

    paint_main_window(database, screenshot, profile=paths.DEMO_PROFILE)
