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

from app.services.orgs.dto import SortKey
from app.ui.itemmodels.ledger_model import COLUMNS

CELL_PADDING = 14  # the cell's margins and the header's sort arrow

MIN_COLUMN = 40
# what a narrow window still shows whole in each column of the ledger (the rest of a longer text is elided)
MUST_READ = {
    SortKey.NAME: "福州市鼓楼区爱心养",
    SortKey.ORG_TYPE: "民办非企业单位",
    SortKey.USCC: "91350102MJQ28858XW",
    SortKey.LOCATION: "安泰街道 / 新开河社区",
    SortKey.COVERAGE: "工作覆盖",
    SortKey.FOUNDED: "2024-12-16",
}


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


def fit_ledger_columns(table: QTableView) -> ColumnFitter:
    """The ledger's columns (``COLUMNS``) kept within ``table``'s width, 名称 stretching."""
    minimums = [minimum_width(table, spec.title, MUST_READ.get(spec.sort_key, "")) for spec in COLUMNS]
    name = next(i for i, spec in enumerate(COLUMNS) if spec.sort_key is SortKey.NAME)
    return ColumnFitter(table, [spec.width for spec in COLUMNS], minimums, stretch=name)
