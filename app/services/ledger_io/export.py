"""组织台账 -> an .xlsx file: the organizations of a ledger filter with every field a user enters.

Chinese headers (the import's own, so the file imports back as it is), enums as the labels the UI shows,
dates as real Excel dates, counts blank when unknown (never 0), a frozen header row with Excel's filter
on it and column widths fitted to the content.  A file that cannot be written is said in Chinese (文件夹
不存在 / 没有写入权限 / 文件正被其他程序打开, the last only when that is the likely cause).  Written to
a temporary file beside the target and moved into place, so a cancelled or failed export leaves no
half-written file.  Read-only on the database; any worker thread.
"""

from __future__ import annotations

import contextlib
import errno
import os
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import EvaluationGrade, OrgType
from app.domain.unknown_values import UnknownValue
from app.services.core.errors import ServiceError
from app.services.ledger_io import existing
from app.services.ledger_io.columns import COLUMNS, Kind, LedgerColumn
from app.services.ledger_io.errors import Cancelled, ExportCancelled, Progress, Steps
from app.services.orgs import ledger
from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerSort

DATE_FORMAT = "yyyy-mm-dd"
SHEET_TITLE = "组织台账"
EXPORT_STAGE = "写入表格"
WIDTH_SAMPLE = 2000  # rows whose text sizes the columns
MIN_WIDTH, MAX_WIDTH = 6, 50


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _text(value: str) -> str:
    """Text as a cell can hold it: control characters (pasted into notes) are not allowed in .xlsx."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    return cleaned


def cell_value(column: LedgerColumn, org: existing.Existing) -> object:
    """What the file holds for ``column`` of ``org``."""
    value = _value(column, org)
    return _text(value) if isinstance(value, str) else value


def _value(column: LedgerColumn, org: existing.Existing) -> object:
    if column.key == "archived":
        return "是" if org.archived else "否"
    if column.key == "archive_reason":
        return org.archive_reason
    value = getattr(org.data, column.key)
    if isinstance(value, OrgType | UnknownValue):
        return value.label
    if isinstance(value, EvaluationGrade):
        return value.value
    if column.kind is Kind.YES_NO:
        return "是" if value else "否"
    return value


def display_width(value: object) -> int:
    """Width of a cell's text in Excel's character units (CJK characters count double)."""
    if isinstance(value, date):
        return 10
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(rows: list[list[object]]) -> list[int]:
    widths: list[int] = []
    for index, column in enumerate(COLUMNS):
        content = max((display_width(row[index]) for row in rows[:WIDTH_SAMPLE]), default=0)
        widths.append(min(MAX_WIDTH, max(MIN_WIDTH, display_width(column.header), content)) + 2)
    return widths


def _write(target: Path, rows: list[list[object]], steps: Steps) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"  # Excel's 筛选 on the header
    for index, width in enumerate(_widths(rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, column.header)
        cell.font, cell.fill, cell.alignment = bold, fill, Alignment(horizontal="center", vertical="center")
        header.append(cell)
    sheet.append(header)
    date_columns = {i for i, c in enumerate(COLUMNS) if c.kind is Kind.DATE}
    try:
        for n, row in enumerate(rows):
            out: list[object] = list(row)
            for i, value in enumerate(row):
                if i in date_columns and value is not None:
                    cell = WriteOnlyCell(sheet, value)
                    cell.number_format = DATE_FORMAT
                    out[i] = cell
                elif isinstance(value, str) and value.startswith("="):
                    cell = WriteOnlyCell(sheet, value)
                    cell.data_type = "s"  # text, never a formula Excel would run ("=HYPERLINK(…)" in a name)
                    out[i] = cell
            sheet.append(out)
            steps.step(EXPORT_STAGE, n + 1, len(rows))
        book.save(target)
    except BaseException:
        _finish(sheet)
        raise


def _finish(sheet: object) -> None:
    """Finish a sheet's streaming writer after a failure: abandoned, it prints a traceback when collected."""
    with contextlib.suppress(Exception):  # already finished (the save got that far): nothing left to close
        sheet.close()  # type: ignore[attr-defined]


def export_ledger(factory: sessionmaker[Session], path: Path, *, flt: LedgerFilter | None = None,
                  progress: Progress | None = None, cancelled: Cancelled | None = None) -> ExportResult:
    """Write the organizations matching ``flt`` (default: every live one, archived included) to ``path``
    (.xlsx).  Raises ServiceError when the file cannot be written, ExportCancelled on cancel."""
    steps = Steps(progress, cancelled, ExportCancelled)
    flt = flt if flt is not None else LedgerFilter(archived=ArchivedFilter.ALL)
    ids = ledger.query_ledger(factory, flt, LedgerSort()).ids
    with factory() as session:
        orgs = existing.read_in_file_order(session, ids)
    rows = [[cell_value(column, org) for column in COLUMNS] for org in orgs]
    if not path.parent.is_dir():
        raise ServiceError(f"文件夹不存在：{path.parent}")
    temp = path.with_name(f".{path.name}.part")
    try:
        _write(temp, rows, steps)
        os.replace(temp, path)
    except OSError as exc:
        raise ServiceError(write_error(path, exc)) from exc
    finally:
        with contextlib.suppress(OSError):  # the folder refused the temporary file too: nothing to remove
            temp.unlink(missing_ok=True)
    return ExportResult(path, len(rows))


def write_error(path: Path, exc: OSError) -> str:
    """Why ``path`` could not be written, in Chinese (never the system's English), with its likely cause."""
    folder = path.parent
    if not folder.is_dir():
        return f"文件夹不存在：{folder}"
    if path.is_dir():
        return f"“{path.name}”是一个文件夹，请换一个文件名：{path}"
    if isinstance(exc, PermissionError):
        if not os.access(folder, os.W_OK):
            return f"没有写入权限：{folder}（请换一个文件夹，例如“文档”）"
        if path.exists() and not os.access(path, os.W_OK):
            return f"没有写入权限：{path}（文件是只读的，请换一个文件名）"
        return f"文件正被其他程序打开：{path}（请在 Excel 等程序中关闭它后再导出）"
    if exc.errno == errno.ENOSPC:
        return f"磁盘空间不足，无法写入：{path}"
    return f"无法写入：{path}（系统错误代码 {exc.errno}），请换一个文件夹或文件名再试"
