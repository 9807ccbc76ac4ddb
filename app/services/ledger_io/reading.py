"""A 台账 file -> its sheets as raw rows, each with its sheet row number (what the user sees in Excel).

Reads .xlsx (openpyxl, read-only: a district file of 100,000 rows streams), the older .xls (xlrd) and
.csv (UTF-8 with or without BOM, else GBK/GB18030).  The kind is told by the file's content, not its
name, so a renamed file gets a message saying what it really is.  Merged cells give their value to
every cell they cover (a 街道 merged down ten rows is the 街道 of each).  Files only; any thread.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.services.ledger_io.cells import Raw
from app.services.ledger_io.errors import PASSWORD_PROTECTED, LedgerFileError, Steps

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .xls, or an encrypted .xlsx
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTION_STREAM = "EncryptionInfo".encode("utf-16-le")  # the stream an encrypted OOXML file carries
_NOT_SHEETS = ((b"\x89PNG", "PNG 图片"), (b"\xff\xd8\xff", "JPEG 图片"), (b"GIF8", "GIF 图片"), (b"BM", "BMP 图片"),
               (b"%PDF", "PDF 文件"), (b"Rar!", "RAR 压缩包"), (b"7z\xbc\xaf", "7z 压缩包"))
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+)(\d+):([A-Z]+)(\d+)\"")
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+:[A-Z]+(\d+)\"")
READ_STAGE = "读取文件"
CSV_SHEET = ""  # a CSV has no sheet (nor a sheet name)
Row = tuple[int, tuple[Raw, ...]]


@dataclass(frozen=True)
class RawSheet:
    name: str
    rows: list[Row]  # (sheet row number from 1, cells from column A)


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index - 1


def _fill_merged(rows: list[Row], merged: list[tuple[int, int, int, int]]) -> list[Row]:
    """Copy each merged range's top-left value into every cell it covers (rows/cols 0-based, inclusive)."""
    if not merged:
        return rows
    by_number = {number: list(cells) for number, cells in rows}
    for top, bottom, left, right in merged:
        value = by_number.get(top + 1, [])[left] if left < len(by_number.get(top + 1, [])) else None
        if value is None:
            continue
        for number in range(top + 1, bottom + 2):
            cells = by_number.setdefault(number, [])
            cells.extend([None] * (right + 1 - len(cells)))
            for col in range(left, right + 1):
                cells[col] = value
    return [(number, tuple(by_number[number])) for number in sorted(by_number)]


def _sheet_xml(path: Path, sheet_part: str | None) -> bytes:
    if not sheet_part:
        return b""
    with zipfile.ZipFile(path) as archive:
        return archive.read(sheet_part.lstrip("/"))


def _xlsx_merges(data: bytes) -> list[tuple[int, int, int, int]]:
    return [(int(r1) - 1, int(r2) - 1, _column_index(c1), _column_index(c2))
            for c1, r1, c2, r2 in _MERGE.findall(data)]


def _xlsx_rows(data: bytes) -> int:
    """The row count the sheet declares (0: not declared; openpyxl would parse the whole sheet to count)."""
    found = _DIMENSION.search(data, 0, 4096)
    return int(found.group(1)) if found else 0


def _xlsx_sheets(path: Path, steps: Steps) -> Iterator[RawSheet]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise LedgerFileError(f"无法读取 {path.name}：文件已损坏或不是有效的 .xlsx 文件（{exc}）") from exc
    try:
        for sheet in book.worksheets:
            xml = _sheet_xml(path, getattr(sheet, "_worksheet_path", None))
            total = _xlsx_rows(xml)
            rows: list[Row] = []
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                if any(cell is not None for cell in cells):
                    rows.append((number, tuple(cells)))
                steps.step(READ_STAGE, number, total)  # total 0: not declared (progress counts rows)
            yield RawSheet(sheet.title, _fill_merged(rows, _xlsx_merges(xml)))
    finally:
        book.close()


def _xls_value(cell: object, datemode: int) -> Raw:
    import xlrd

    kind, value = cell.ctype, cell.value  # type: ignore[attr-defined]
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            day: date = xlrd.xldate.xldate_as_datetime(value, datemode).date()
            return day
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return float(value)
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    return value  # type: ignore[no-any-return]  # xlrd is untyped: a float (number) or a str (text)


def _xls_sheets(path: Path, data: bytes, steps: Steps) -> Iterator[RawSheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True)
    except xlrd.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise LedgerFileError(PASSWORD_PROTECTED) from exc
        raise LedgerFileError(f"无法读取 {path.name}：不是有效的 .xls 文件（{exc}）") from exc
    except Exception as exc:
        raise LedgerFileError(f"无法读取 {path.name}：文件已损坏（{exc}）") from exc
    for index in range(book.nsheets):
        sheet = book.sheet_by_index(index)
        rows: list[Row] = []
        for r in range(sheet.nrows):
            cells = tuple(_xls_value(cell, book.datemode) for cell in sheet.row(r))
            if any(cell is not None for cell in cells):
                rows.append((r + 1, cells))
            steps.step(READ_STAGE, r + 1, sheet.nrows)
        merged = [(rlo, rhi - 1, clo, chi - 1) for rlo, rhi, clo, chi in sheet.merged_cells]
        yield RawSheet(sheet.name, _fill_merged(rows, merged))


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # Excel's "Unicode 文本" (.txt, tab-separated) is UTF-16


def _decode(path: Path, data: bytes) -> str:
    for encoding in ("utf-16",) if data.startswith(UTF16_BOMS) else ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LedgerFileError(f"无法识别 {path.name} 的文字编码：请在 Excel 中另存为 .xlsx，或保存为 UTF-8 编码的 CSV")


def _csv_sheet(path: Path, data: bytes, steps: Steps) -> Iterator[RawSheet]:
    text = _decode(path, data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    rows: list[Row] = []
    lines = text.count("\n") + 1
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
        values: tuple[Raw, ...] = tuple(cell if cell.strip() else None for cell in cells)
        if any(value is not None for value in values):
            rows.append((number, values))
        steps.step(READ_STAGE, number, lines)
    yield RawSheet(CSV_SHEET, rows)


def folder_message(path: Path) -> str:
    return f"这是一个文件夹，请选择台账文件（.xlsx、.xls 或 .csv）：{path}"


def _damaged_zip(path: Path, data: bytes) -> str:
    """What a zip package that cannot be opened was, told by the part names its local headers still carry."""
    if b"[Content_Types].xml" in data and b"word/" in data:
        return f"{path.name} 是 Word 文档（而且已损坏），不是 Excel 表格：请把台账放在 Excel 表格中再导入"
    if b"xl/" in data:
        return f"无法读取 {path.name}：Excel 文件已损坏（不完整）。请在 Excel 中打开并“另存为”新的 .xlsx 后再导入"
    return f"无法读取 {path.name}：文件已损坏（不完整的 zip 压缩包），不是可以导入的表格"


def _refuse_zip(path: Path, data: bytes) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise LedgerFileError(_damaged_zip(path, data)) from exc
    if "xl/workbook.xml" in names:
        return
    if "word/document.xml" in names:
        raise LedgerFileError(f"{path.name} 是 Word 文档，不是 Excel 表格：请把台账放在 Excel 表格中再导入")
    raise LedgerFileError(f"{path.name} 是 zip 压缩包，不是 Excel 表格："
                          "请先解压，再导入其中的 .xlsx、.xls 或 .csv 文件")


def read_sheets(path: Path, steps: Steps) -> Iterator[RawSheet]:
    """Every sheet of the file, in order (a CSV is one sheet).  LedgerFileError says what is wrong."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise LedgerFileError(f"找不到文件：{path}") from exc
    except IsADirectoryError as exc:
        raise LedgerFileError(folder_message(path)) from exc
    except OSError as exc:
        raise LedgerFileError(f"无法打开 {path.name}：{exc.strerror or exc}（文件是否正在被 Excel 使用？）") from exc
    if not data.strip():
        raise LedgerFileError(f"{path.name} 是空文件，没有可导入的内容")
    if data.startswith(ZIP_MAGIC):
        _refuse_zip(path, data)
        return _xlsx_sheets(path, steps)
    if data.startswith(OLE_MAGIC):
        if ENCRYPTION_STREAM in data:
            raise LedgerFileError(PASSWORD_PROTECTED)
        return _xls_sheets(path, data, steps)
    for magic, what in _NOT_SHEETS:
        if data.startswith(magic):
            raise LedgerFileError(f"{path.name} 是 {what}，不是表格：请选择 .xlsx、.xls 或 .csv 文件")
    if b"\x00" in data[:4096] and not data.startswith(UTF16_BOMS):
        raise LedgerFileError(f"{path.name} 不是表格文件：请选择 .xlsx、.xls 或 .csv 文件")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<?xml", b"<table")):
        raise LedgerFileError(f"{path.name} 实际是网页（HTML/XML）文件，不是 Excel 表格：请在 Excel 中打开并"
                              "“另存为” .xlsx 后再导入")
    if path.suffix.lower() not in (".csv", ".txt"):
        raise LedgerFileError(f"{path.name} 不是 Excel 文件（内容是纯文本）：如果它是 CSV，请把扩展名改为 .csv 再导入")
    return _csv_sheet(path, data, steps)
