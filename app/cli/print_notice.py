"""``print-notice``: a record's document as a PDF file — a notice (整改通知书, 走访通知, 提醒函), a meeting's
record with its 签到表, a visit's 走访记录表 — or all notices issued in a month in one PDF."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, fail, progress_printer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from app.services.documents.typeset import RenderedPdf

KINDS = ("rectification", "visit", "reminder", "meeting", "visit-record")
_KIND_HELP = ("rectification 整改通知书、visit 走访通知、reminder 提醒函（--id 为通知的 ID）；"
              "meeting 三会一课会议记录和签到表（会议的 ID）；visit-record 走访记录表（走访的 ID）")
_MONTH = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})月?")


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "print-notice", help="把通知、会议记录或走访记录表生成为 PDF 文件",
        description="生成一份文书的 PDF（A4，内嵌字体，可直接打印）：整改通知书（存根、送达联）、走访通知、提醒函、"
                    "三会一课会议记录和签到表、走访记录表。默认隐去电话号码和身份证号的中间几位；通知的每次打印"
                    "（保存）都记下 PDF 的 SHA-256，重印未改动的通知得到完全相同的文件。"
                    "用 --month 把某月签发的全部通知合并为一个 PDF。")
    parser.add_argument("--kind", choices=KINDS, metavar="种类", help=_KIND_HELP)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", metavar="ID",
                       help="记录的 ID（通知、会议或走访）；通知也可写文号，如 社党整改〔2026〕7号")
    which.add_argument("--latest", action="store_true",
                       help="该种类最近的一份：最近签发的通知（不含作废）、最近的会议、最近完成的走访")
    which.add_argument("--month", metavar="YYYY-MM", help="该月签发的全部通知（不含作废），合并为一个 PDF")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="要写入的 PDF 文件")
    parser.add_argument("--unmasked", action="store_true", help="不隐去电话号码和身份证号（仅限内部存档）")
    parser.add_argument("--force", action="store_true", help="文件已存在时覆盖")
    parser.set_defaults(handler=handle)


def _check_out(target: Path, force: bool) -> tuple[str, int] | None:
    """What is wrong with the output path, and the exit code (usage: not a PDF file name)."""
    if target.is_dir():
        return f"{target} 是一个文件夹，请给出文件名（例如：{target / '整改通知书.pdf'}）", EXIT_USAGE
    if target.suffix.lower() != ".pdf":
        return f"只能保存为 .pdf 文件，而不是“{target.name}”（例如：整改通知书.pdf）", EXIT_USAGE
    if target.exists() and not force:
        return f"{target} 已存在，没有覆盖：换一个文件名，或加 --force 覆盖。", EXIT_FAILED
    if not target.parent.is_dir():
        return f"文件夹不存在：{target.parent}", EXIT_FAILED
    return None


def handle(args: argparse.Namespace) -> int:
    target: Path = args.out
    if args.month is None and args.kind is None:
        return fail("print-notice：请用 --kind 指定文书种类（" + "、".join(KINDS) + "）", EXIT_USAGE)
    month = _parse_month(args.month) if args.month is not None else None
    if args.month is not None and month is None:
        return fail(f"print-notice：无法识别的月份“{args.month}”，请写成如 2026-03", EXIT_USAGE)
    if args.id is not None and not args.id.strip():
        return fail("print-notice：--id 不能为空：请给出记录的 ID，或通知的文号（如 社党整改〔2026〕7号）", EXIT_USAGE)
    problem = _check_out(target, args.force)
    if problem:
        return fail(*problem)
    from app import paths
    from app.services.core.database import open_database
    from app.services.core.identity import current_actor, current_user

    database = open_database(paths.database_path(current_user()))
    try:
        factory, actor, masked = database.session_factory, current_actor(), not args.unmasked
        if month is not None:
            return _batch(factory, month, target, masked=masked, actor=actor)
        return _one(factory, args.kind, args.id, target, masked=masked, actor=actor)
    finally:
        database.close()


def _parse_month(text: str) -> tuple[int, int] | None:
    found = _MONTH.fullmatch(text.strip())
    if found is None or not 1 <= int(found[2]) <= 12:
        return None
    return int(found[1]), int(found[2])


def _one(factory: sessionmaker[Session], kind: str, record_id: str | None, target: Path, *, masked: bool,
         actor: str) -> int:
    from app.services.notices import latest_record_id, record_print, render_record
    from app.services.notices.render import KIND_LABELS, NOTICE_KINDS, resolve_record_id

    if record_id is not None:
        record_id = resolve_record_id(factory, kind=kind, record_id=record_id)
    else:
        record_id = latest_record_id(factory, kind)
    if record_id is None:
        what = "已签发、未作废的" if kind in NOTICE_KINDS else "已完成的" if kind == "visit-record" else ""
        return fail(f"没有可打印的{what}{KIND_LABELS[kind]}。")
    pdf = render_record(factory, kind=kind, record_id=record_id, masked=masked)
    if (written := _write(pdf, target)) is not None:
        return written
    noted = record_print(factory, record_id, pdf, masked=masked, actor=actor) if kind in NOTICE_KINDS else True
    check_copy = "" if noted is not None else "；草稿或已作废，每页标明，仅供核对，不登记为打印"
    print(f"已生成{KIND_LABELS[kind]}：{target}（{pdf.pages} 页，SHA-256 {pdf.sha256}{check_copy}）")
    return EXIT_OK


def _batch(factory: sessionmaker[Session], month: tuple[int, int], target: Path, *, masked: bool, actor: str) -> int:
    from app.services.notices import record_print, render_month_batch

    result = render_month_batch(factory, year=month[0], month=month[1], masked=masked,
                                progress=progress_printer(sys.stderr))
    if result.pdf is None:
        return fail(result.message)
    if (written := _write(result.pdf, target)) is not None:
        return written
    for notice_id in result.notice_ids:
        record_print(factory, notice_id, result.pdf, masked=masked, actor=actor)
    print(f"{result.message}：{target}")
    return EXIT_OK


def _write(pdf: RenderedPdf, target: Path) -> int | None:
    from app.services.documents.output import write_pdf

    try:
        write_pdf(pdf, target)
    except OSError as exc:
        return fail(f"无法写入 {target}：{exc.strerror or exc}。请换一个可写的位置。")
    return None
