"""Ruled tables for form-style documents (签到表, 走访记录表, 整改反馈表, 存根, 回执) as bands.  Pure.

A table spans the type area's width; its columns are weights of that width.  Each cell's text is broken
into lines of the cell's width (the same 避头尾 rules as the body; a paragraph per ``\\n``; full lines
spread to the cell's width), and a row becomes a band per text line between two padding bands, so a
row taller than a page flows on, line by line.  The header rows are set again at the top of each page
the table runs onto, and a page that ends inside the table closes its box with a rule; a row split over
pages shows its label again, with （续）, where it goes on.  A short row
(at most ``SHORT_ROW_LINES`` lines) never splits; a ``keep_together`` table (a 签收栏, a 回执) moves
whole to the next page rather than split.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

from app.services.documents import layout as L
from app.services.documents.bands import Band, Op, RuleOp, TextOp
from app.services.documents.typeset import Align

TABLE_PT = 12.0  # 小四
LINE_PITCH_MM = TABLE_PT * 1.5 * L.MM_PER_PT
PAD_MM = 1.6  # above the first and below the last line of a row
INSET_MM = 1.8  # text from the cell's rules
SHORT_ROW_LINES = 6
OUTER_PT, INNER_PT = 0.9, 0.5


@dataclass(frozen=True)
class Cell:
    text: str = ""
    span: int = 1  # columns
    align: Align = Align.LEFT  # LEFT: at the top, full lines spread to the width; CENTRE, RIGHT: centred vertically
    heading: bool = False
    min_lines: int = 1  # writing space for the pen


def answer_cell(text: str, blank_lines: int, *, span: int = 1) -> Cell:
    """A cell for what a record says, or, when it says nothing, ``blank_lines`` of space to write it in
    by hand (a printed record is often completed with a pen)."""
    return Cell(text, span=span, min_lines=1 if text.strip() else blank_lines)


@dataclass(frozen=True)
class Table:
    widths: tuple[float, ...]  # column weights
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0
    keep_together: bool = False
    keep_with_previous: bool = False  # the first row stays with what stands above (a caption)
    size_pt: float = TABLE_PT
    pitch_mm: float = field(default=LINE_PITCH_MM)

    def edges(self) -> list[float]:
        total = sum(self.widths)
        edges, x = [L.LEFT_MARGIN_MM], L.LEFT_MARGIN_MM
        for weight in self.widths:
            x += L.TYPE_WIDTH_MM * weight / total
            edges.append(x)
        return edges


def table_bands(table: Table) -> list[Band]:
    """The table as bands, ready to stack after body lines (see the module doc)."""
    edges = table.edges()
    header: list[Band] = []
    kept: list[tuple[Band, bool, tuple[Band, ...]]] = []  # (band, keep_with_previous, repeat)
    last_row = len(table.rows) - 1
    for index, row in enumerate(table.rows):
        in_header = index < table.header_rows
        row_bands = _laid_out_row(table.widths, table.size_pt, table.pitch_mm, row, index == 0, index == last_row)
        keep_first = (table.keep_with_previous if index == 0
                      else table.keep_together or in_header or index == table.header_rows)
        short = len(row_bands) - 2 <= SHORT_ROW_LINES
        repeat = () if in_header else tuple(header)
        for position, band in enumerate(row_bands):
            edge = position in (1, len(row_bands) - 1)  # a row's first line stays with its top padding …
            keep = keep_first if position == 0 else (table.keep_together or in_header or short or edge)
            kept.append((band, keep, repeat))
        if in_header:
            header = [_header(band, keep) for band, keep, _ in kept]
    # the rules that shut the table's box where a page opens or ends at a band
    opening = (RuleOp(edges[0], 0.0, edges[-1], 0.0, width_pt=OUTER_PT),)
    shut: dict[float, tuple[Op, ...]] = {}
    last = len(kept) - 1
    bands = []
    for i, (band, keep, repeat) in enumerate(kept):
        close: tuple[Op, ...] = ()
        if i < last:
            close = shut.get(band.height) or shut.setdefault(
                band.height, (RuleOp(edges[0], band.height, edges[-1], band.height, width_pt=OUTER_PT),))
        bands.append(Band(band.height, band.ops, keep, repeat, close, (*opening, *band.open)))
    return bands


def _header(band: Band, keep: bool) -> Band:
    """A header band as it is set again above a page's first row (without the box's shutting rules)."""
    return Band(band.height, band.ops, keep, open=band.open)


@functools.lru_cache(maxsize=2048)
def _laid_out_row(widths: tuple[float, ...], size_pt: float, pitch_mm: float, row: tuple[Cell, ...], first: bool,
                  last: bool) -> tuple[Band, ...]:
    """A row's bands, laid out once for the same row in the same columns (bands are immutable): the rows of
    a form — its labels, its writing space — come back in every document of a batch."""
    table = Table(widths, (), size_pt=size_pt, pitch_mm=pitch_mm)
    return tuple(_row_bands(table, row, table.edges(), first=first, last=last))


def _row_bands(table: Table, row: tuple[Cell, ...], edges: list[float], *, first: bool, last: bool) -> list[Band]:
    spans = _spans(row, edges, len(table.widths))
    lines = [_cell_lines(cell, right - left - 2 * INSET_MM, table.size_pt) for cell, (left, right) in spans]
    count = max(max(len(cell_lines), cell.min_lines) for cell_lines, cell in zip(lines, row, strict=True))
    verticals = sorted({left for _, (left, _r) in spans} | {edges[-1]})

    def walls(height: float) -> list[Op]:
        return [_rule(x, x, 0.0, OUTER_PT if x in (edges[0], edges[-1]) else INNER_PT, y2=height)
                for x in verticals]

    line_walls = walls(table.pitch_mm)  # the same rules for every line of the row
    pad_walls = walls(PAD_MM)
    top: list[Op] = [*pad_walls, _rule(edges[0], edges[-1], 0.0, OUTER_PT if first else INNER_PT)]
    bands = [Band(PAD_MM, tuple(top))]
    for number in range(count):
        texts = [op for (cell, (left, right)), cell_lines in zip(spans, lines, strict=True)
                 if (op := _text(table, cell, cell_lines, number, count, left, right)) is not None]
        continued = tuple(op for (cell, (left, right)), cell_lines in zip(spans, lines, strict=True)
                          if count > SHORT_ROW_LINES and cell.align is Align.CENTRE and cell_lines
                          and len(cell_lines) <= number < count - 1
                          for op in _continued(table, cell_lines[0][0], left, right))
        bands.append(Band(table.pitch_mm, (*line_walls, *texts), open=continued))
    bottom: list[Op] = [*pad_walls]
    if last:
        bottom.append(_rule(edges[0], edges[-1], PAD_MM, OUTER_PT))
    bands.append(Band(PAD_MM, tuple(bottom)))
    return bands


def _spans(row: tuple[Cell, ...], edges: list[float], columns: int) -> list[tuple[Cell, tuple[float, float]]]:
    spans, column = [], 0
    for cell in row:
        end = min(column + max(cell.span, 1), columns)
        spans.append((cell, (edges[column], edges[end])))
        column = end
    if column != columns:
        raise ValueError(f"表格行有 {column} 列，应为 {columns} 列")
    return spans


def _cell_lines(cell: Cell, width_mm: float, size_pt: float) -> list[tuple[str, bool]]:
    """(line, spread to the width) per line of the cell's text."""
    width = width_mm / (size_pt * L.MM_PER_PT)
    lines: list[tuple[str, bool]] = []
    for paragraph in cell.text.split("\n"):
        parts = L.break_lines(paragraph, width=width, indent=0) or [""]
        lines += [(part, cell.align is Align.LEFT and i < len(parts) - 1) for i, part in enumerate(parts)]
    return [] if lines == [("", False)] else lines


def _text(table: Table, cell: Cell, lines: list[tuple[str, bool]], number: int, count: int,
          left: float, right: float) -> TextOp | None:
    offset, half = 0, 0.0
    if cell.align in (Align.CENTRE, Align.RIGHT):  # centred vertically too: by half lines where the row never splits
        offset, odd = divmod(count - len(lines), 2)
        half = table.pitch_mm / 2 if odd and count <= SHORT_ROW_LINES else 0.0
        if count > SHORT_ROW_LINES:  # a row that may split: its label at its top, where it starts
            offset = 0
    if not 0 <= number - offset < len(lines):
        return None
    line, spread = lines[number - offset]
    if not line:
        return None
    em = table.size_pt * L.MM_PER_PT
    width = (right - left - 2 * INSET_MM) / em
    steps = tuple(step * em for step in L.advances(line, width=width, justify=spread))
    x = left + INSET_MM
    if cell.align is Align.CENTRE:
        x = (left + right - sum(steps)) / 2
    elif cell.align is Align.RIGHT:
        x = right - INSET_MM - sum(steps)
    baseline = table.pitch_mm / 2 + (0.88 - 0.5) * em + half
    return TextOp(x, baseline, line, table.size_pt, steps, heading=cell.heading)


def _continued(table: Table, label: str, left: float, right: float) -> tuple[TextOp, ...]:
    """A split row's label again where the row goes on at the top of a page: its first line, and （续）
    under it."""
    ops = [_text(table, Cell(text, align=Align.CENTRE, heading=True), [(text, False)], 0, 1, left, right)
           for text in (label, "（续）")]
    first, then = (op for op in ops if op is not None)
    return first, replace(then, baseline=then.baseline + table.pitch_mm)


def _rule(x1: float, x2: float, y: float, width: float, *, y2: float | None = None) -> RuleOp:
    return RuleOp(x1, y, x2, y if y2 is None else y2, width_pt=width)
