"""One records tab of the organization window: a small table of one kind of record, 新增 / 编辑 / 删除.

The table is a plain model over the organization's records (a few dozen at most); the tab re-reads them
when the change bus says a record of its kind changed, whoever changed it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.services.orgs.record_dto import OrgRecord
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.dialogs.org_records.editor import RecordEditor
from app.ui.dialogs.org_records.specs import KindSpec, record_row
from app.ui.operations import org_records as ops

ORIGIN = "records_tab"
AnyIndex = QModelIndex | QPersistentModelIndex


class RecordsModel(QAbstractTableModel):
    """The records of one kind, as the tab lists them (newest first, as the service orders them)."""

    def __init__(self, spec: KindSpec) -> None:
        super().__init__()
        self.spec = spec
        self.records: tuple[OrgRecord, ...] = ()
        self._rows: list[list[str]] = []

    def set_records(self, records: tuple[OrgRecord, ...]) -> None:
        self.beginResetModel()
        self.records = records
        self._rows = [record_row(self.spec, r) for r in records]
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) and index.isValid():
            return self._rows[index.row()][index.column()]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.spec.columns[section].title
        return None


class RecordsTab(QWidget):
    """The table and its buttons for one organization (``org_id``).  ``changed`` fires after this tab
    saved or deleted a record (the window refreshes what the record bears on, e.g. the grade)."""

    changed = Signal()

    def __init__(self, model: RecordsModel, ctx: UiContext, org_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self._ctx, self._org_id, self.spec = model, ctx, org_id, model.spec
        self.editor_dialog: RecordEditor | None = None
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, spec in enumerate(self.spec.columns):
            self.table.setColumnWidth(column, spec.width)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.add_button = QPushButton(f"新增{self.spec.noun}")
        self.edit_button = QPushButton("编辑")
        self.delete_button = QPushButton("删除")
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.empty_label = QLabel(f"尚未录入{self.spec.noun}。")
        self.empty_label.setStyleSheet("color: #5f6368;")
        buttons = QHBoxLayout()
        buttons.addWidget(self.empty_label)
        buttons.addStretch(1)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        ctx.bus.changed.connect(self._on_change)
        self._update_buttons()
        self.refresh()

    def refresh(self) -> None:
        ops.list_records(ctx=self._ctx, org_id=self._org_id, kind=self.spec.kind, on_done=self._listed,
                         on_error=self._show_error, owner=self)

    def _listed(self, records: tuple[OrgRecord, ...]) -> None:
        selected = self.selected()
        self.model.set_records(records)
        self.empty_label.setVisible(not records)
        if selected is not None:
            row = next((n for n, r in enumerate(records) if r.id == selected.id), None)
            if row is not None:
                self.table.selectRow(row)
        self._update_buttons()

    def _on_change(self, change: Change) -> None:
        if change.entity == self.spec.kind.value:
            self.refresh()

    def selected(self) -> OrgRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def add(self) -> RecordEditor:
        return self._open(None)

    def edit_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self._open(record)

    def _open(self, record: OrgRecord | None) -> RecordEditor:
        dialog = RecordEditor(self._ctx, self.spec, self._org_id, record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(lambda _record: self.changed.emit())
        dialog.destroyed.connect(lambda *_: setattr(self, "editor_dialog", None))
        self.editor_dialog = dialog
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        record = self.selected()
        if record is None or not self.confirm_delete(self.spec.describe(record.data)):
            return
        ops.delete_record(ctx=self._ctx, kind=self.spec.kind, record_id=record.id, origin=ORIGIN, owner=self,
                          on_done=lambda _org: self.changed.emit(), on_error=self._show_error)

    def confirm_delete(self, what: str) -> bool:
        """Ask before deleting (tests replace this)."""
        answer = QMessageBox.question(self, f"删除{self.spec.noun}", f"删除{what}？删除后不再列出。")
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, exc: BaseException) -> None:
        QMessageBox.critical(self, "操作失败", describe_error(exc))
