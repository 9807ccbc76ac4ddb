"""The 工作台's month × 党组织 grid as a table model: one row per 党组织, its name then one column per month.

A cell reads at a glance and not by colour alone: a colour, a mark (√ ○ ! × —) and the number of findings
behind it; its tooltip lists those findings (filled in by ``set_tips`` a moment after the grid, a second
read).  While the rules have never been evaluated on this database the cells say 核查中, not 达标.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.compliance.dashboard import GridTips
from app.services.compliance.dto import CellState, GridCell, GridRow, Period

AnyIndex = QModelIndex | QPersistentModelIndex
NAME_COLUMN = 0
CELL_ROLE = Qt.ItemDataRole.UserRole + 1  # the GridCell of a month column
PARTY_ID_ROLE = Qt.ItemDataRole.UserRole + 2
CHECKING_LABEL = "核查中"
CHOSEN_DARKER = 150  # the chosen cell: its colour this much darker (QColor.darker)
_DISPLAY, _TOOLTIP, _ACCESSIBLE = (int(role) for role in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole))
_CELL, _PARTY_ID = int(CELL_ROLE), int(PARTY_ID_ROLE)
# role → its place in a cell's look (text, background, foreground, alignment)
_LOOK_ROLES = {_DISPLAY: 0, int(Qt.ItemDataRole.BackgroundRole): 1, int(Qt.ItemDataRole.ForegroundRole): 2,
               int(Qt.ItemDataRole.TextAlignmentRole): 3}
_ROLES = frozenset({*_LOOK_ROLES, _TOOLTIP, _ACCESSIBLE, _CELL, _PARTY_ID})


@dataclass(frozen=True)
class CellStyle:
    mark: str
    background: str
    foreground: str
    label: str


STYLES = {
    CellState.OK: CellStyle("√", "#d5efdc", "#1e6b34", CellState.OK.label),
    CellState.DUE: CellStyle("○", "#fff0b3", "#6b5200", CellState.DUE.label),
    CellState.WARNING: CellStyle("!", "#ffcf99", "#7a3300", CellState.WARNING.label),
    CellState.VIOLATION: CellStyle("×", "#d93a30", "#ffffff", CellState.VIOLATION.label),
    CellState.NOT_FORMED: CellStyle("—", "#eceff1", "#80868b", CellState.NOT_FORMED.label),
}
CHECKING = CellStyle("…", "#f4f4f4", "#9aa0a6", CHECKING_LABEL)
LEGEND_ORDER = (CellState.VIOLATION, CellState.WARNING, CellState.DUE, CellState.OK, CellState.NOT_FORMED)


def cell_text(cell: GridCell, *, known: bool = True) -> str:
    """The mark, with the number of findings where there are any (×2)."""
    if not known and cell.state is not CellState.NOT_FORMED:
        return CHECKING.mark
    mark = STYLES[cell.state].mark
    return f"{mark}{cell.findings}" if cell.findings and cell.state not in (CellState.OK, CellState.NOT_FORMED) \
        else mark


def short_party_name(name: str) -> str:
    """The name as the grid's narrow column shows it: without the 中共 every name starts with, and 支部委员会
    said 支部 (中共福州市家政服务协会支部委员会 → 福州市家政服务协会支部); elided on the left, so the unit's own
    name shows; the full name is the tooltip."""
    short = name.removeprefix("中共") if len(name) > 4 else name
    for long_form, short_form in (("总支部委员会", "总支"), ("支部委员会", "支部"), ("委员会", "")):
        if short.endswith(long_form) and len(short) > len(long_form) + 1:
            return short[: -len(long_form)] + short_form
    return short


def month_header(months: tuple[Period, ...], column: int) -> str:
    """Two lines: the year where it changes (the first month and every January), then the month."""
    month = months[column]
    year = f"{month.first.year}" if column == 0 or month.first.month == 1 else ""
    return f"{year}\n{month.first.month}月"


class ComplianceGridModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: tuple[GridRow, ...] = ()
        self.months: tuple[Period, ...] = ()
        self.known = True  # False: the rules were never evaluated here and are being evaluated now
        self._tips: GridTips | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._looks: dict[tuple[CellState, int, bool, bool], tuple[str, QBrush, QBrush, Qt.AlignmentFlag]] = {}
        self.chosen: tuple[int, int] | None = None  # (row, column) of the cell the user is on

    # -- content ---------------------------------------------------------------------------------
    def set_grid(self, rows: tuple[GridRow, ...], months: tuple[Period, ...], *, known: bool) -> None:
        self.beginResetModel()
        self.rows, self.months, self.known = rows, months, known
        self._tips = None
        self.chosen = None
        self.endResetModel()

    def set_tips(self, tips: GridTips) -> None:
        self._tips = tips
        if self.rows:
            self.dataChanged.emit(self.index(0, 1), self.index(len(self.rows) - 1, len(self.months)),
                                  [Qt.ItemDataRole.ToolTipRole])

    def cell_at(self, index: AnyIndex) -> tuple[GridRow, GridCell] | None:
        """The row and month of a month cell (None for the name column or an invalid index)."""
        if not index.isValid() or index.column() == NAME_COLUMN or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        return row, row.cells[index.column() - 1]

    def current_month_column(self) -> int:
        return len(self.months)

    # -- Qt model --------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 1 + len(self.months)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if section == NAME_COLUMN:
            return "党组织" if role == Qt.ItemDataRole.DisplayRole else None
        month = self.months[section - 1]
        if role == Qt.ItemDataRole.DisplayRole:
            return month_header(self.months, section - 1)
        if role == Qt.ItemDataRole.ToolTipRole:
            return month.label() + ("（本月）" if section == self.current_month_column() else "")
        if role == Qt.ItemDataRole.FontRole and section == self.current_month_column():
            return self._bold
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint (seven per cell): roles the grid does not
        # use leave at once, and a cell's text and brushes come from a small cache by how it looks.
        if role not in _ROLES or not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == _PARTY_ID:
            return row.party_org_id
        column = index.column()
        if column == NAME_COLUMN:
            return short_party_name(row.name) if role == _DISPLAY else row.name if role == _TOOLTIP else None
        cell = row.cells[column - 1]
        if role in _LOOK_ROLES:
            return self._look(cell, (index.row(), column) == self.chosen)[_LOOK_ROLES[role]]
        if role == _TOOLTIP:
            return self._tip(row, cell, self.style_of(cell))
        if role == _ACCESSIBLE:
            return f"{row.name} {cell.month.label()} {self.style_of(cell).label}"
        return cell if role == _CELL else None

    def _look(self, cell: GridCell, chosen: bool) -> tuple[str, QBrush, QBrush, Qt.AlignmentFlag]:
        key = (cell.state, cell.findings, self.known, chosen)
        look = self._looks.get(key)
        if look is None:
            style = self.style_of(cell)
            background, foreground = QColor(style.background), QColor(style.foreground)
            if chosen:  # the same hue, darker, in white: still reads as its state
                background, foreground = background.darker(CHOSEN_DARKER), QColor("#ffffff")
            look = self._looks[key] = (cell_text(cell, known=self.known), QBrush(background), QBrush(foreground),
                                       Qt.AlignmentFlag.AlignCenter)
        return look

    def choose(self, row: int, column: int) -> None:
        """Mark the cell the user is on (the name column: none); the grid has no selection of its own."""
        before, self.chosen = self.chosen, (row, column)
        for changed in {before, self.chosen}:
            if changed is not None and changed[1] != NAME_COLUMN:
                index = self.index(*changed)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole])

    def style_of(self, cell: GridCell) -> CellStyle:
        return CHECKING if not self.known and cell.state is not CellState.NOT_FORMED else STYLES[cell.state]

    def _tip(self, row: GridRow, cell: GridCell, style: CellStyle) -> str:
        lines = [f"{row.name}　{cell.month.label()}：{style.label}"]
        if cell.state is CellState.NOT_FORMED:
            return lines[0] + "（该党组织当时尚未成立）"
        if not self.known:
            return lines[0] + "（正在按党内法规核查，稍后自动更新）"
        key = (row.party_org_id, cell.month.first)
        shown = self._tips.findings.get(key, ()) if self._tips is not None else ()
        lines += [f"{f.level.label}：{f.message}" for f in shown]
        if cell.findings > len(shown):
            lines.append(f"……共 {cell.findings} 项" if shown else f"问题 {cell.findings} 项")
        if self._tips is not None:
            held = self._tips.meetings.get(key, 0)
            lines.append(f"当月已完成会议 {held} 次" if held else "当月没有已完成的会议记录")
        lines.append("单击或按回车查看详情")
        return "\n".join(lines)

    def month_first(self, column: int) -> date:
        return self.months[column - 1].first
