"""The 文书 list as a table model over ``NoticeRow`` DTOs (drafts first, then the latest issued, as the service
orders them).  A provisional number is shown as 临时编号 in its own colour, a 作废 notice greyed."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.domain.enums import NoticeStatus
from app.services.notices.dto import NoticeRow

COLUMNS = ("种类", "文号", "组织", "状态", "成文日期", "送达日期", "签收日期", "事项")
KIND, NUMBER, ORG, STATUS, ISSUED, DELIVERED, SIGNED, ITEMS = range(len(COLUMNS))
PROVISIONAL_COLOR = QColor("#b05a00")
DRAFT_COLOR = QColor("#555555")
VOID_COLOR = QColor("#9a9a9a")
PROVISIONAL_TIP = "临时编号：离线签发时本机分配的文号，同步后由区服务器确认为正式文号；打印件上标有“临时编号”。"
_Index = QModelIndex | QPersistentModelIndex


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value is not None else "—"


def number_label(row: NoticeRow) -> str:
    """What the 文号 column says: the number (a provisional one marked 临时编号 in words), or 未签发."""
    if row.status is NoticeStatus.DRAFT:
        return "未签发（无文号）"
    return row.number


class NoticeListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[NoticeRow] = []

    def set_rows(self, rows: list[NoticeRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.status is NoticeStatus.VOID:
                return VOID_COLOR
            if column == NUMBER and row.provisional:
                return PROVISIONAL_COLOR
            if row.status is NoticeStatus.DRAFT:
                return DRAFT_COLOR
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NUMBER and row.provisional:
                return PROVISIONAL_TIP
            if column == ORG:
                return f"{row.org_name}\n{row.title}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ITEMS:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    @staticmethod
    def _text(row: NoticeRow, column: int) -> str:
        if column == KIND:
            return row.kind.label
        if column == NUMBER:
            return number_label(row)
        if column == ORG:
            return row.org_name
        if column == STATUS:
            return row.status.label
        if column in (ISSUED, DELIVERED, SIGNED):
            return _day((row.issued_on, row.delivered_on, row.signed_on)[column - ISSUED])
        return str(row.item_count) if row.item_count else ""

    def row_at(self, index: int) -> NoticeRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def index_of(self, notice_id: str) -> int | None:
        return next((i for i, row in enumerate(self.rows) if row.id == notice_id), None)
