"""Finding the header row of a 台账 sheet: title rows above it, synonyms, any column order.

The header is the row among the first :data:`HEADER_SEARCH_ROWS` that names the most known columns,
one of them the organization's name.  Columns nobody knows are ignored (and listed); a column named
twice is read from its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.ledger_io.cells import text_of
from app.services.ledger_io.columns import COLUMNS, HEADER_INDEX, LedgerColumn, header_key
from app.services.ledger_io.reading import RawSheet

HEADER_SEARCH_ROWS = 30
MIN_KNOWN = 2  # the name and at least one other known column


@dataclass(frozen=True)
class SheetHeader:
    row: int  # the header's sheet row number
    columns: tuple[tuple[int, LedgerColumn], ...]  # (0-based column index, column) in file order
    titles: dict[str, str]  # column key -> the header text as the file writes it
    ignored: tuple[str, ...]  # header texts of columns not imported

    def has(self, key: str) -> bool:
        return key in self.titles


def column_letter(index: int) -> str:
    """0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _read_header(number: int, cells: tuple[object, ...]) -> SheetHeader:
    columns: list[tuple[int, LedgerColumn]] = []
    titles: dict[str, str] = {}
    ignored: list[str] = []
    for index, cell in enumerate(cells):
        text = text_of(cell)  # type: ignore[arg-type]
        if not text:
            continue
        column = HEADER_INDEX.get(header_key(text))
        if column is None or column.key in titles:
            ignored.append(text)
            continue
        columns.append((index, column))
        titles[column.key] = text
    return SheetHeader(number, tuple(columns), titles, tuple(dict.fromkeys(ignored)))


def find_header(sheet: RawSheet) -> SheetHeader | None:
    """The sheet's header row, or None when no row of the first ones names the organization and more."""
    best: SheetHeader | None = None
    for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        header = _read_header(number, cells)
        if header.has("name") and len(header.columns) >= MIN_KNOWN and (
                best is None or len(header.columns) > len(best.columns)):
            best = header
    return best


def no_header_message(file_name: str) -> str:
    name = next(c for c in COLUMNS if c.key == "name")
    others = "、".join(c.header for c in COLUMNS if c.key != "name")
    return (f"{file_name} 中没有找到台账的表头：前 {HEADER_SEARCH_ROWS} 行里应有一行列名，其中有“{name.header}”"
            f"（或 {'、'.join(name.synonyms)}），以及下列至少一项：{others}。")
