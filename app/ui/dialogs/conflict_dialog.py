"""查看冲突…: the fields that two people changed differently, one at a time, and which value to keep.

The server already holds one value live (the later push, or the first for a confirmed number); the
conflict keeps both.  For the selected conflict the three values stand side by side, each titled by who
wrote it — "李四的值", "张三的值（本机）" (the one this laptop wrote, as the service works it out; a
supervisor's laptop wrote neither) — and 当前值 (what the record holds now); 采用这个值 under either, or
保留当前, settles it (``resolve_conflict``: a changed value goes out with the next sync, and the other
laptops see it settled).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.core.clock import to_civil
from app.services.core.error_text import describe_error
from app.ui.context import UiContext
from app.ui.operations import sync as ops
from app.ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from app.services.sync import ConflictItem

Keep = Literal["kept", "other", "yours"]
COLUMNS = ("记录", "项目", "时间", "修改的人")  # the record's label names its kind: 社会组织“…”
VALUE_TITLES: tuple[tuple[Keep, str, str], ...] = (  # the two writers' titles name them (see value_title)
    ("yours", "一方的值", "采用这个值"), ("other", "另一方的值", "采用这个值"), ("kept", "当前值", "保留当前"))
MINE_MARK = "（本机）"
EMPTY_TEXT = "没有待确认的冲突。"


class ConflictDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.items: list[ConflictItem] = []
        self.setWindowTitle("同步冲突")
        intro = QLabel("下列项目有两人改成了不同的值。区服务器已按规则保留了一个（当前值），两个值都记下了："
                       "请逐条确认保留哪一个；选择其他值时，修改在下次同步时发送。")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.values: dict[Keep, QPlainTextEdit] = {}
        self.titles: dict[Keep, QLabel] = {}
        self.choose: dict[Keep, QPushButton] = {}
        detail = QGroupBox("所选冲突")
        grid = QGridLayout(detail)
        for column, (keep, title, button_text) in enumerate(VALUE_TITLES):
            self.titles[keep] = QLabel(f"<b>{title}</b>")
            grid.addWidget(self.titles[keep], 0, column)
            box = QPlainTextEdit()
            box.setReadOnly(True)
            box.setTabChangesFocus(True)
            self.values[keep] = box
            grid.addWidget(box, 1, column)
            button = QPushButton(button_text)
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=keep: self.resolve(k))
            self.choose[keep] = button
            grid.addWidget(button, 2, column)
        self.where = QLabel(" ")
        self.where.setWordWrap(True)
        grid.addWidget(self.where, 3, 0, 1, 3)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table)
        top_layout.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(detail)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        fit_to_screen(self, (900, 600))
        self.reload()

    def reload(self) -> None:
        ops.list_conflicts(ctx=self._ctx, owner=self, on_done=self._listed, on_error=self._failed)

    def _listed(self, items: list[ConflictItem]) -> None:
        selected = self.selected()
        self.items = list(items)
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            at = f"{to_civil(item.at):%Y-%m-%d %H:%M}" if item.at is not None else ""
            people = "、".join(name for name in (item.by, item.other_by) if name)
            for column, text in enumerate((item.record_label, item.field_label, at, people)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        for column in (1, 2, 3):
            self.table.resizeColumnToContents(column)
        self.table.setVisible(bool(self.items))
        self.empty.setVisible(not self.items)
        keep_id = selected.id if selected is not None else None
        row = next((i for i, item in enumerate(self.items) if item.id == keep_id), 0)
        if self.items:
            self.table.selectRow(row)
            self.table.setFocus()
        self._show_selected()

    def selected(self) -> ConflictItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _show_selected(self) -> None:
        item = self.selected()
        for keep, box in self.values.items():
            box.setPlainText("" if item is None else getattr(item, keep) or "（空）")
            self.titles[keep].setText(f"<b>{value_title(item, keep)}</b>")
        for button in self.choose.values():
            button.setEnabled(item is not None)
        self.where.setText(" " if item is None else f"{item.record_label}的{item.field_label}")

    def resolve(self, keep: Keep) -> None:
        item = self.selected()
        if item is None:
            return
        ops.resolve_conflict(ctx=self._ctx, item=item, keep=keep, owner=self,
                             on_done=lambda _none: self.reload(), on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.critical(self, "冲突", describe_error(exc))


def value_title(item: ConflictItem | None, keep: Keep) -> str:
    """``李四的值`` / ``张三的值（本机）`` / ``当前值``: whose each value is, from this laptop's point of view."""
    if keep == "kept" or item is None:
        return dict((k, title) for k, title, _button in VALUE_TITLES)[keep]
    name = (item.by if keep == "yours" else item.other_by) or ("一方" if keep == "yours" else "另一方")
    return f"{name}的值{MINE_MARK if item.mine == keep else ''}"


def show_conflicts(ctx: UiContext, parent: QWidget | None) -> None:
    ConflictDialog(ctx, parent).exec()
