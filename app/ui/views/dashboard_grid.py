"""The month × 党组织 grid widget: a table over ``ComplianceGridModel`` whose cells open their detail on a
click or on Enter; the arrows move from cell to cell."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.ui.itemmodels.compliance_grid import NAME_COLUMN, PARTY_ID_ROLE, ComplianceGridModel

MONTH_WIDTH_TEXT = "×12"  # the widest a cell gets (a mark and a two-digit count)
NAME_MIN_WIDTH = 120


class ComplianceGrid(QTableView):
    """``cellChosen(index)`` on a click or Enter on a month cell (Enter on a name: that row's current month)."""

    cellChosen = Signal(QModelIndex)

    def __init__(self, model: ComplianceGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        # No selection of Qt's own: its fill would hide the cell's colour.  The model shows the current cell
        # in a darker shade of its own colour (ComplianceGridModel.choose); no Python delegate paints cells.
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
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
            palette.setColor(group, QPalette.ColorRole.Midlight, QColor("#ffffff"))  # the grid's lines: white gaps
        self.setPalette(palette)
        self.clicked.connect(self._clicked)
        self._kept: tuple[str, int, bool] | None = None  # across a re-read: the party org, column, marked
        model.modelAboutToBeReset.connect(self._keep_place)
        model.modelReset.connect(self._fit_columns)
        model.modelReset.connect(self._restore_place)
        selection = self.selectionModel()
        assert selection is not None
        selection.currentChanged.connect(lambda current, _previous: model.choose(current.row(), current.column()))

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

    def _keep_place(self) -> None:
        model, current = self.grid_model(), self.currentIndex()
        party_org_id = model.data(current, PARTY_ID_ROLE) if current.isValid() else None
        self._kept = (party_org_id, current.column(), model.chosen is not None) if party_org_id else None

    def _restore_place(self) -> None:
        """After a re-read (a change on the bus, F5) the user stays on the same 党组织 and month."""
        kept, self._kept = self._kept, None
        model = self.grid_model()
        row = next((i for i, r in enumerate(model.rows) if kept and r.party_org_id == kept[0]), None)
        if kept is None or row is None or kept[1] >= model.columnCount():
            return
        self._set_current(model.index(row, kept[1]), mark=kept[2])

    def _set_current(self, index: QModelIndex, *, mark: bool) -> None:
        selection = self.selectionModel()
        if selection is None:
            return
        selection.blockSignals(not mark)  # unmarked: the model is not told, the colours stay as they are
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        selection.blockSignals(False)

    def select_first_current_month(self) -> None:
        """The current month of the first row, not marked (every colour reads as it is until the user moves):
        the arrows work from there at once."""
        model = self.grid_model()
        if model.rowCount():
            self._set_current(model.index(0, model.current_month_column()), mark=False)

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
