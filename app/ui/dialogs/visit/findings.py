"""发现的问题: the findings of the visit (add / edit / remove), each with the checklist item it came from and
the 整改事项 raised from it.  “转为整改事项…” turns the selected saved finding into an item in one action
(the dialog asks the deadline); a finding already raised says so and cannot be removed here."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.visits.dto import FindingInput, SavedFinding

NOT_RAISED = "未转整改"
RAISED = "已转为整改事项"


@dataclass
class FindingEntry:
    id: str | None
    item_code: str
    rectification_title: str = ""


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    return button


class FindingsPanel(QWidget):
    edited = Signal()
    convertWanted = Signal(int)  # the row of a saved finding to turn into a 整改事项

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[FindingEntry] = []
        self.items: dict[str, str] = {}  # checklist code -> text, to name the item a finding came from
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(("问题描述（可直接编辑）", "来自检查项", "整改"))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(1, 120)
        self.table.setColumnWidth(2, 120)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.itemChanged.connect(lambda _item: self.edited.emit())
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.add_button, self.remove_button = _button("添加问题"), _button("删除")
        self.convert_button = _button("转为整改事项…")
        self.convert_button.setToolTip("用这条问题的内容建立整改事项（草稿），只需填写整改期限")
        self.add_button.clicked.connect(self.add_new)
        self.remove_button.clicked.connect(self.remove_selected)
        self.convert_button.clicked.connect(self._convert)
        self.hint = QLabel("已保存的问题可以“转为整改事项”；新添加的问题请先保存走访记录。")
        self.hint.setStyleSheet("color: #5f6368;")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.convert_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.hint)
        self._update_buttons()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()  # long findings wrap, once the columns have their widths

    def set_findings(self, findings: tuple[FindingInput, ...], saved: tuple[SavedFinding, ...] = ()) -> None:
        raised = {f.id: f.rectification_title for f in saved if f.rectification_id}
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.entries = []
        self.table.blockSignals(False)
        for finding in findings:
            self.append(finding.description, finding.item_code, finding.id,
                        raised.get(finding.id or "", ""), edited=False)

    def append(self, description: str, item_code: str = "", finding_id: str | None = None,
               rectification_title: str = "", *, edited: bool = True) -> int:
        self.table.blockSignals(True)
        row = self.table.rowCount()
        self.table.insertRow(row)
        text = QTableWidgetItem(description)
        asked = self.items.get(item_code, item_code)
        code = QTableWidgetItem(asked.split("：")[0] if item_code else "—")  # the item's short name
        code.setToolTip(asked)
        state = QTableWidgetItem()
        self.table.setItem(row, 0, text)
        for item in (code, state):
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.setItem(row, 1, code)
        self.table.setItem(row, 2, state)
        self.table.blockSignals(False)
        self.entries.append(FindingEntry(finding_id, item_code, ""))
        if rectification_title:
            self.mark_raised(row, rectification_title)
        else:
            state.setText(NOT_RAISED)
        if edited:
            self.edited.emit()
        return row

    def add_new(self) -> None:
        row = self.append("")
        self.table.setCurrentCell(row, 0)
        cell = self.table.item(row, 0)
        if cell is not None:
            self.table.editItem(cell)

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else self.table.currentRow()

    def remove_selected(self) -> None:
        row = self.selected_row()
        if not 0 <= row < len(self.entries):
            return
        if self.entries[row].rectification_title:
            title = self.entries[row].rectification_title
            QMessageBox.information(self, "不能删除", f"这条问题已转为整改事项“{title}”，不能删除："
                                                      "如需撤销，请先在“整改”中删除那个整改事项。")
            return
        self.table.removeRow(row)
        del self.entries[row]
        self.edited.emit()

    def mark_raised(self, row: int, title: str) -> None:
        """The finding has a 整改事项 now: said in its row, and its text is no longer edited here (the item
        carries the text it was raised with)."""
        self.entries[row].rectification_title = title
        self.table.blockSignals(True)
        state, text = self.table.item(row, 2), self.table.item(row, 0)
        if state is not None:
            state.setText(RAISED)
            state.setToolTip(f"整改事项：{title}")
        if text is not None:
            text.setFlags(text.flags() & ~Qt.ItemFlag.ItemIsEditable)
        self.table.blockSignals(False)
        self._update_buttons()

    def _convert(self) -> None:
        row = self.selected_row()
        if 0 <= row < len(self.entries):
            self.convertWanted.emit(row)

    def _update_buttons(self) -> None:
        row = self.selected_row()
        entry = self.entries[row] if 0 <= row < len(self.entries) else None
        self.remove_button.setEnabled(entry is not None and not entry.rectification_title)
        self.convert_button.setEnabled(entry is not None and not entry.rectification_title)

    def description(self, row: int) -> str:
        cell = self.table.item(row, 0)
        return cell.text().strip() if cell is not None else ""

    def values(self) -> tuple[FindingInput, ...]:
        return tuple(FindingInput(self.description(row), entry.item_code, entry.id)
                     for row, entry in enumerate(self.entries) if self.description(row) or entry.id)
