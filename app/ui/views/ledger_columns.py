"""How the ledger's columns share the table's width.

Every column has a preferred width (``Column.width``: fixed, so 100,000 rows are never measured) and a
minimum (what must stay readable: a whole credit code, a whole date).  With room to spare the others keep
their preferred width and 名称 takes all the rest (a maximized window widens the names, not 成立日期).
With less room (1366×768 at 125 %: a table ~900 px wide) each narrows in proportion to what it can give
up, so the whole ledger stays visible without sideways scrolling; longer text is elided.  A column the
user drags keeps its width until the table is resized again.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView

CELL_PADDING = 14  # the cell's margins and the header's sort arrow

MIN_COLUMN = 40


class ColumnFitter(QObject):
    """Keeps ``table``'s columns within its viewport; column ``stretch`` takes what the others leave."""

    def __init__(self, table: QTableView, widths: Sequence[int], minimums: Sequence[int], stretch: int = 0) -> None:
        super().__init__(table)
        self._table, self._widths, self._stretch = table, tuple(widths), stretch
        self._minimums = tuple(max(MIN_COLUMN, min(low, high)) for low, high in zip(minimums, widths, strict=True))
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(MIN_COLUMN)
        for column in range(len(self._widths)):
            mode = QHeaderView.ResizeMode.Stretch if column == stretch else QHeaderView.ResizeMode.Interactive
            header.setSectionResizeMode(column, mode)
            table.setColumnWidth(column, self._widths[column])
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def widths_for(self, available: int) -> list[int]:
        """The width of each column (the stretched one included) in ``available`` pixels."""
        deficit = sum(self._widths) - available
        slack = sum(self._widths) - sum(self._minimums)
        share = min(1.0, deficit / slack) if deficit > 0 and slack > 0 else 0.0
        widths = [high - int((high - low) * share) for high, low in zip(self._widths, self._minimums, strict=True)]
        others = sum(w for i, w in enumerate(widths) if i != self._stretch)
        widths[self._stretch] = max(MIN_COLUMN, available - others)
        return widths

    def fit(self) -> None:
        widths = self.widths_for(self._table.viewport().width())
        for column, width in enumerate(widths):
            if column != self._stretch:
                self._table.setColumnWidth(column, width)


def minimum_width(table: QTableView, title: str, sample: str = "") -> int:
    """What a column needs to show its title, and ``sample`` (its typical longest must-read text), whole."""
    header_metrics = table.horizontalHeader().fontMetrics()
    return max(header_metrics.horizontalAdvance(title), table.fontMetrics().horizontalAdvance(sample)) + CELL_PADDING
