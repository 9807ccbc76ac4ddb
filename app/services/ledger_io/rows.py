"""Sheet rows -> the values they give, per column, with the cells that could not be read.

A row below the header is skipped (and said so) when it is blank in every imported column, is a 合计 /
总计 row, or repeats the header (a sheet printed with the header on every page).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain import uscc as uscc_rules
from app.services.ledger_io.cells import Raw, is_blank, read_cell, text_of
from app.services.ledger_io.columns import LABELS, header_key
from app.services.ledger_io.headers import SheetHeader, column_letter
from app.services.ledger_io.reading import Row

TOTAL_WORDS = ("合计", "总计", "小计", "共计")


@dataclass(frozen=True)
class RowProblem:
    """One reason a row is refused (or a warning about it): where, and what to fix."""

    column: str  # e.g. "C列“统一社会信用代码”"; "" for the row as a whole
    message: str

    def __str__(self) -> str:
        return f"{self.column}：{self.message}" if self.column else self.message


@dataclass(frozen=True)
class SheetRow:
    number: int  # the sheet row number
    values: dict[str, object]  # column key -> value read (blank cells absent)
    problems: tuple[RowProblem, ...]  # cells that could not be read

    @property
    def name(self) -> str:
        return str(self.values.get("name") or "")

    @property
    def uscc(self) -> str:
        return uscc_rules.normalize(str(self.values.get("uscc") or ""))

    @property
    def street(self) -> str:
        return str(self.values.get("sub_district") or "").strip()


def where(header: SheetHeader, key: str) -> str:
    """How a row problem names the column of ``key``: its letter and header in the file, else its label."""
    for index, column in header.columns:
        if column.key == key:
            return f"{column_letter(index)}列“{header.titles[key]}”"
    return f"“{LABELS.get(key, key)}”（文件中没有这一列）"


def _skip_reason(header: SheetHeader, cells: tuple[Raw, ...]) -> str | None:
    first = next((text_of(c) for c in cells if not is_blank(c)), "")
    if first.replace(" ", "").startswith(TOTAL_WORDS):  # often in a column not imported (序号)
        return "合计行"
    present = [(index, cells[index]) for index, _ in header.columns if index < len(cells)]
    if all(is_blank(value) for _, value in present):
        return "空行"
    name = next((cells[index] for index, column in header.columns if column.key == "name" and index < len(cells)),
                None)
    if not is_blank(name) and header_key(text_of(name)) == header_key(header.titles["name"]):
        return "重复的表头"  # the name column holds its own header: the header again (a page break)
    return None


def read_rows(header: SheetHeader, rows: list[Row]) -> tuple[list[SheetRow], list[tuple[int, str]]]:
    """The data rows below the header, and the skipped ones as (sheet row, why)."""
    found: list[SheetRow] = []
    skipped: list[tuple[int, str]] = []
    for number, cells in rows:
        if number <= header.row:
            continue
        reason = _skip_reason(header, cells)
        if reason is not None:
            if reason != "空行":
                skipped.append((number, reason))
            continue
        values: dict[str, object] = {}
        problems: list[RowProblem] = []
        for index, column in header.columns:
            raw = cells[index] if index < len(cells) else None
            try:
                value = read_cell(column, raw)
            except ValueError as exc:
                problems.append(RowProblem(where(header, column.key), str(exc)))
                continue
            if value is not None:
                values[column.key] = value
        found.append(SheetRow(number, values, tuple(problems)))
    return found, skipped
