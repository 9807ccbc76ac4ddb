"""The 整改 list as a table model over ``RectificationRow`` DTOs (the overdue first, as the service orders
them).  An overdue item is red with "逾期 N 天"; a deadline moved by 延期 says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from app.services.rectification.dto import RectificationRow, RectificationStatus

COLUMNS = ("社会组织", "存在问题", "来源", "状态", "整改期限", "逾期", "责任人")
OVERDUE_COLUMN = 5
OVERDUE_COLOR = QColor("#c5221f")
DONE_COLOR = QColor("#5f6368")
DRAFT_COLOR = QColor("#b05a00")
_Index = QModelIndex | QPersistentModelIndex
_FINISHED = (RectificationStatus.REVIEW_PASSED, RectificationStatus.CLOSED)


def overdue_text(days: int) -> str:
    return f"逾期 {days} 天" if days > 0 else ""


def deadline_text(row: RectificationRow) -> str:
    return f"{row.deadline_in_force:%Y-%m-%d}" + ("（已延期）" if row.extended else "")


class RectificationListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[RectificationRow] = []
        self.total = 0
        self._bold = QFont()
        self._bold.setBold(True)

    def set_rows(self, rows: tuple[RectificationRow, ...], total: int) -> None:
        self.beginResetModel()
        self.rows, self.total = list(rows), total
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
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.org_name, row.title, row.source.label, row.status.label, deadline_text(row),
                    overdue_text(row.overdue_days), row.responsible_person)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole and index.column() in (0, 1):
            return (row.org_name, row.title)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(row)
        if role == Qt.ItemDataRole.FontRole and row.overdue and index.column() == OVERDUE_COLUMN:
            return self._bold
        return None

    @staticmethod
    def _color(row: RectificationRow) -> QColor | None:
        if row.overdue:
            return OVERDUE_COLOR
        if row.status is RectificationStatus.DRAFT:
            return DRAFT_COLOR
        return DONE_COLOR if row.status in _FINISHED else None

    def row_at(self, index: int) -> RectificationRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None
