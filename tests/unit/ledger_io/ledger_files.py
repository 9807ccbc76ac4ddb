"""Builders of 台账 files for the import tests: .xlsx (openpyxl), .xls (xlwt), .csv, and a password-protected
Office file (a minimal OLE compound file holding the EncryptionInfo / EncryptedPackage streams an
encrypted .xlsx carries)."""

from __future__ import annotations

import csv
import struct
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from app.domain.uscc import make_code

HEADER = ["组织名称", "组织类型", "统一社会信用代码", "成立日期", "所在街道", "所在社区", "党员人数"]


def code(type_digit: str, n: int) -> str:
    """A valid 统一社会信用代码 of a 社会组织 (类别 ``type_digit``: 1 社团, 2 民非, 3 基金会, 9 备案)."""
    return make_code(type_digit, "350102", f"MJ{n:07d}")


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], *, merges: Sequence[str] = (),
               date_format: str = "yyyy-mm-dd", extra_sheets: Sequence[str] = ()) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "台账"
    for name in extra_sheets:
        book.create_sheet(name, 0)  # empty sheets before the data
    for row in rows:
        sheet.append(list(row))
    for line in sheet.iter_rows():
        for cell in line:
            if isinstance(cell.value, date | datetime):
                cell.number_format = date_format
    for ref in merges:
        sheet.merge_cells(ref)
    book.save(path)
    return path


def write_xls(path: Path, rows: Sequence[Sequence[object]], *, merges: Sequence[tuple[int, int, int, int]] = ()
              ) -> Path:
    """``merges``: (first row, last row, first col, last col), 0-based inclusive."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("台账")
    dated = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    covered = {(r, c) for r1, r2, c1, c2 in merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) in covered or value is None:
                continue
            if isinstance(value, date):
                sheet.write(r, c, value, dated)
            else:
                sheet.write(r, c, value)
    for r1, r2, c1, c2 in merges:
        value = rows[r1][c1]
        sheet.write_merge(r1, r2, c1, c2, value)
    book.save(str(path))
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as out:
        csv.writer(out).writerows([["" if v is None else v for v in row] for row in rows])
    return path


def _dir_entry(name: str, kind: int, child: int = 0xFFFFFFFF, right: int = 0xFFFFFFFF) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", 0xFFFFFFFF, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", 0xFFFFFFFE, 0))


def write_encrypted_office_file(path: Path) -> Path:
    """A compound file shaped like a password-protected .xlsx (streams empty: only the shape matters)."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, end, 0, end, 0)
    struct.pack_into("<" + "I" * 109, header, 76, 0, *([free] * 108))
    fat = struct.pack("<" + "I" * 128, fat_sector, end, *([free] * 126))
    directory = (_dir_entry("Root Entry", 5, child=1) + _dir_entry("EncryptionInfo", 2, right=2)
                 + _dir_entry("EncryptedPackage", 2) + b"\0" * 128)
    path.write_bytes(bytes(header) + fat + directory)
    return path
