"""The 走访 section's two tables: the month's plan (one row per organization of mine) and the visits list
(newest first, as the service orders them), over the service's DTOs."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.services.visits.dto import PlanRow, PlanState, VisitRow, VisitStatus

_Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
OVERDUE_COLOR = QColor("#c5221f")
DUE_COLOR = QColor("#b05a00")
DONE_COLOR = QColor("#188038")
PLANNED_COLOR = QColor("#1a5fb4")


class _RowsModel(QAbstractTableModel, Generic[Row]):
    columns: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []

    def set_rows(self, rows: tuple[Row, ...]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def row_at(self, index: int) -> Row | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None


class PlanModel(_RowsModel[PlanRow]):
    columns = ("社会组织", "本期状态", "实地走访", "电话/线上（不计入）", "本月计划", "最近一次实地走访")
    COLORS: ClassVar[dict[str, QColor]] = {PlanState.OVERDUE: OVERDUE_COLOR, PlanState.DUE: DUE_COLOR,
                                           PlanState.VISITED: DONE_COLOR}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            planned = "、".join(f"{d.month}月{d.day}日" for d in row.planned) or "—"
            last = f"{row.last_visit:%Y-%m-%d}" if row.last_visit else "从未"
            return (row.org_name, row.state_label, f"{row.on_site}/{row.required}", str(row.other_modes), planned,
                    last)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1:
            return self.COLORS.get(row.state)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (2, 3):
            return Qt.AlignmentFlag.AlignCenter
        return None


class VisitListModel(_RowsModel[VisitRow]):
    columns = ("日期", "社会组织", "状态", "方式", "见到的人", "发现问题", "检查表版本")

    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def set_list(self, rows: tuple[VisitRow, ...], total: int) -> None:
        self.total = total
        self.set_rows(rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            when = f"{row.visited_on:%Y-%m-%d}" + (f" {row.started_at:%H:%M}" if row.started_at else "")
            status = row.status.label + ("（不打招呼）" if row.surprise else "")
            findings = "—" if not row.findings else (
                f"{row.findings} 条" + (f"，{row.open_findings} 条未转整改" if row.open_findings else ""))
            return (when, row.org_name, status, row.mode.label, row.met_with, findings,
                    row.checklist_version or "—")[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and row.status is VisitStatus.PLANNED:
            return PLANNED_COLOR
        return None
