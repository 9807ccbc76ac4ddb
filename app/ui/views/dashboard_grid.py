"""The month × 党组织 grid widget: a table over ``ComplianceGridModel`` whose cells open their detail on a
click or on Enter; the arrows move from cell to cell."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.ui.itemmodels.compliance_grid import NAME_COLUMN, ComplianceGridModel

MONTH_WIDTH_TEXT = "×12"  # the widest a cell gets (a mark and a two-digit count)
NAME_MIN_WIDTH = 120


# The chosen cell: a translucent dark blue over the cell's own colour (the style paints the highlight over
# the background), so its state still reads; no Python delegate paints cells (each one would cost a call).
SELECTION = QColor(10, 30, 90, 95)


class ComplianceGrid(QTableView):
    """``cellChosen(index)`` on a click or Enter on a month cell (Enter on a name: that row's current month)."""

    cellChosen = Signal(QModelIndex)

    def __init__(self, model: ComplianceGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideLeft)  # names differ at the end (…家政服务协会支部)
        self.setCornerButtonEnabled(False)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 9)
        header = self.horizontalHeader()
        header.setHighlightSections(True)
        header.setMinimumSectionSize(24)
        palette = self.palette()  # (a palette, not a style sheet: every cell would be painted through it)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Highlight, SELECTION)
            palette.setColor(group, QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
            palette.setColor(group, QPalette.ColorRole.Midlight, QColor("#ffffff"))  # the grid's lines: white gaps
        self.setPalette(palette)
        self.clicked.connect(self._clicked)
        model.modelReset.connect(self._fit_columns)

    def grid_model(self) -> ComplianceGridModel:
        model = self.model()
        assert isinstance(model, ComplianceGridModel)
        return model

    def _fit_columns(self) -> None:
        header = self.horizontalHeader()
        month_width = max(self.fontMetrics().horizontalAdvance(MONTH_WIDTH_TEXT),
                          self.horizontalHeader().fontMetrics().horizontalAdvance("10月")) + 10
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.grid_model().columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, month_width)
        self.setMinimumWidth(NAME_MIN_WIDTH + month_width * (self.grid_model().columnCount() - 1) + 4)

    def select_first_current_month(self) -> None:
        """The current month of the first row, not highlighted (every colour reads as it is until the user
        moves): the arrows work from there at once."""
        model, selection = self.grid_model(), self.selectionModel()
        if model.rowCount() and selection is not None:
            selection.setCurrentIndex(model.index(0, model.current_month_column()),
                                      QItemSelectionModel.SelectionFlag.NoUpdate)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() != NAME_COLUMN:
            self.cellChosen.emit(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            index = self.currentIndex()
            if index.column() == NAME_COLUMN:
                index = index.siblingAtColumn(self.grid_model().current_month_column())
            self.cellChosen.emit(index)
            event.accept()
            return
        super().keyPressEvent(event)
