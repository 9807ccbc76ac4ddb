"""The rows of an import preview as a table: 行号, 结果 (新增 / 更新 / 不变 / 拒绝), 组织名称, 说明.

A file of 100,000 rows is shown without copying: the model holds the plan's rows (a tuple) and the
indices of those the status filter lets through.  By default the dialog shows the rows that need a look
(拒绝, then 新增, then 更新); the 不变 ones are behind the filter."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.services.ledger_io.plan import PlanRow, RowStatus

AnyIndex = QModelIndex | QPersistentModelIndex
HEADERS = ("行号", "结果", "组织名称", "说明")
NEEDS_ATTENTION = "attention"  # the filter showing the rows to look at: 拒绝, 新增, 更新 (not 不变)
ATTENTION_ORDER = (RowStatus.REJECTED, RowStatus.NEW, RowStatus.UPDATE)
STATUS_COLORS = {RowStatus.NEW: "#1a7f37", RowStatus.UPDATE: "#0b5cad", RowStatus.UNCHANGED: "#6e7781",
                 RowStatus.REJECTED: "#c62828"}


def explain(row: PlanRow) -> str:
    """The 说明 of a row: why it is refused, what an update changes, and any warnings."""
    parts = []
    if row.status is RowStatus.REJECTED:
        parts.append(row.reason_text)
    elif row.status is RowStatus.UPDATE:
        parts.append("更改：" + row.change_text)
    elif row.status is RowStatus.UNCHANGED:
        parts.append("与台账中的内容相同")
    if row.warnings:
        parts.append("提示：" + "；".join(str(w) for w in row.warnings))
    return "；".join(part for part in parts if part)


class PlanTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[PlanRow, ...] = ()
        self._shown: list[int] = []

    def set_rows(self, rows: tuple[PlanRow, ...], status: RowStatus | str | None = None) -> None:
        """Show ``rows`` with ``status`` (None: all in file order; NEEDS_ATTENTION: 拒绝, then 新增, then 更新)."""
        self.beginResetModel()
        self._rows = rows
        if status == NEEDS_ATTENTION:
            rank = {s: n for n, s in enumerate(ATTENTION_ORDER)}
            picked = [i for i, row in enumerate(rows) if row.status in rank]
            self._shown = sorted(picked, key=lambda i: rank[rows[i].status])  # stable: file order within each
        else:
            self._shown = [i for i, row in enumerate(rows) if status is None or row.status is status]
        self.endResetModel()

    def row_at(self, row: int) -> PlanRow:
        return self._rows[self._shown[row]]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._shown)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = self.row_at(index.row()), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (f"第 {row.sheet_row} 行", row.status.value, row.name or "（无名称）", explain(row))[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QColor(STATUS_COLORS[row.status])
        if role == Qt.ItemDataRole.TextAlignmentRole and column < 2:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
