"""The 三会一课 list as a table model over ``MeetingRow`` DTOs (newest first, as the service orders them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.services.meetings.dto import MeetingRow, MeetingStatus

COLUMNS = ("会议时间", "党组织", "类型", "议题 / 主题", "应到", "实到", "状态")
DRAFT_COLOR = QColor("#b05a00")
_Index = QModelIndex | QPersistentModelIndex


class MeetingListModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[MeetingRow] = []
        self.total = 0

    def set_rows(self, rows: tuple[MeetingRow, ...], total: int) -> None:
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
            return (f"{row.started_at:%Y-%m-%d %H:%M}", row.party_org_name, row.kind.label, row.topic,
                    str(row.expected), str(row.present), row.status.label)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row.status is MeetingStatus.DRAFT:
            return DRAFT_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (4, 5):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def row_at(self, index: int) -> MeetingRow | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None
