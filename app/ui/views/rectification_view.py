"""整改: every rectification item, the overdue first (red, "逾期 N 天"), with filters (状态, 只看逾期, 社会组织,
来源) and search; Ctrl+N (新建整改事项…) opens the guided form, Enter or a double click opens the item with
its history and the follow-ups allowed now.  Nothing is read before the section is first shown; writes
anywhere (``Change("rectification", …)``) refresh it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.services.rectification.dto import (
    OrgChoice,
    RectificationList,
    RectificationRow,
    RectificationSource,
    RectificationStatus,
)
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.itemmodels.rectification_model import RectificationListModel
from app.ui.operations import rectification as ops
from app.ui.widgets import ChoiceBox

SEARCH_DELAY_MS = 200
ORIGIN = "rectification_view"
ALL_ORGS = "全部社会组织"
EMPTY_HINT = ("还没有整改事项。走访中发现的问题，可在走访记录的“发现的问题”中选中后点“转为整改事项…”；"
              "督查、年检等发现的问题，点右上角“新建整改事项…”登记。登记后可在“文书”中列入整改通知书签发。")
EMPTY_NARROWED = "没有符合当前筛选或搜索条件的整改事项：可清空搜索框，或把筛选改回“全部”。"


class RectificationView(QWidget):
    statusMessage = Signal(str)
    title = "整改"

    def __init__(self, model: RectificationListModel, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self._ctx = model, ctx
        self.dialog: QWidget | None = None
        self._select_after: str | None = None
        self._shown = False
        self._generation = 0
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self._build()
        ctx.bus.changed.connect(self._on_change)

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索问题、依据、整改要求、来源说明、责任人或组织名称")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.new_button, self.open_button = QPushButton("新建整改事项…"), QPushButton("打开")
        self.new_button.clicked.connect(self.new_org)
        self.open_button.clicked.connect(self.edit_selected)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.open_button)
        self.status_filter = ChoiceBox([("全部状态", None), *((s.label, s) for s in RectificationStatus)])
        self.overdue_filter = QCheckBox("只看逾期")
        self.org_filter = ChoiceBox([(ALL_ORGS, None)])
        self.org_filter.setSizeAdjustPolicy(ChoiceBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.org_filter.setMinimumContentsLength(16)  # a long name must not push the filters off the row
        self.source_filter = ChoiceBox([("全部来源", None), *((s.label, s) for s in RectificationSource)])
        self.count_label = QLabel()
        self.empty_hint = QLabel()  # what to do when there is nothing to list
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setStyleSheet("color: #5f6368; padding: 6px 2px;")
        self.empty_hint.hide()
        filters = QHBoxLayout()
        for box in (self.status_filter, self.org_filter, self.source_filter):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
            filters.addWidget(box)
        self.overdue_filter.toggled.connect(lambda _on: self.refresh())
        filters.addWidget(self.overdue_filter)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move within
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 200), (2, 50), (3, 80), (4, 150), (5, 80), (6, 70)):
            self.table.setColumnWidth(column, width)
        legend = QLabel('<span style="color:#c5221f">红色：逾期（已过现行整改期限，仍未反馈或复查未通过）</span>　'
                        '<span style="color:#b05a00">橙色：草稿（未签发）</span>　整改期限为延期后的现行期限')
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self.setFocusProxy(self.search)

    # -- reading ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:  # nothing is read at start-up, only once the section is first shown
            self._shown = True
            self._load_orgs()
            self.refresh()

    def _load_orgs(self) -> None:
        ops.load_org_choices(ctx=self._ctx, on_done=self._orgs_loaded, owner=self)

    def _orgs_loaded(self, choices: tuple[OrgChoice, ...]) -> None:
        current = self.org_filter.value()
        self.org_filter.blockSignals(True)
        self.org_filter.set_choices([(ALL_ORGS, None), *((c.name, c.id) for c in choices)])
        self.org_filter.setCurrentIndex(max(self.org_filter.index_of(current), 0))
        self.org_filter.blockSignals(False)

    def show_overdue(self) -> None:
        """The 工作台's "逾期整改" asks for this: every overdue item, whatever else was filtered."""
        for box in (self.status_filter, self.org_filter, self.source_filter):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        if self.overdue_filter.isChecked():
            self.refresh()
        else:
            self.overdue_filter.setChecked(True)

    def refresh(self) -> None:
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        status, org, source = self.status_filter.value(), self.org_filter.value(), self.source_filter.value()
        self.count_label.setText("正在读取…")
        ops.list_items(ctx=self._ctx, status=status if isinstance(status, RectificationStatus) else None,
                       overdue_only=self.overdue_filter.isChecked(), org_id=org if isinstance(org, str) else None,
                       source=source if isinstance(source, RectificationSource) else None, search=self.search.text(),
                       on_done=lambda found: self._listed(generation, found), on_error=self._failed, owner=self)

    def _listed(self, generation: int, found: RectificationList) -> None:
        if generation != self._generation:
            return
        chosen = self._select_after or (row.id if (row := self.selected()) else None)
        self.model.set_rows(found.rows, found.total)
        index = next((i for i, r in enumerate(found.rows) if r.id == chosen), None)
        if index is not None:
            self._select_after = None
            self.table.selectRow(index)
            self.table.scrollTo(self.model.index(index, 0))
        shown = len(found.rows)
        self._show_empty_hint(found.total)
        text = f"共 {found.total} 条" + (f"，其中逾期 {found.overdue} 条" if found.overdue else "")
        self.count_label.setText(text if shown == found.total else f"{text}，显示前 {shown} 条（可用筛选缩小范围）")
        self._update_actions()

    def _show_empty_hint(self, total: int) -> None:
        narrowed = bool(self.search.text().strip()) or self.overdue_filter.isChecked() or any(
            box.currentIndex() > 0 for box in (self.status_filter, self.org_filter, self.source_filter))
        self.empty_hint.setText(EMPTY_NARROWED if narrowed else EMPTY_HINT)
        self.empty_hint.setVisible(total == 0)

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText("读取失败")
        self.statusMessage.emit(describe_error(exc))

    def _on_change(self, change: Change) -> None:
        if not self._shown:
            return
        if change.entity in (ops.RECTIFICATION_ENTITY, "finding", "visit"):
            self.refresh()
        elif change.entity == "social_org":
            self._load_orgs()
            self.refresh()

    def _update_actions(self) -> None:
        self.open_button.setEnabled(self.selected() is not None)

    def selected(self) -> RectificationRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- actions (the menu's names: 新建 Ctrl+N, 打开 Enter, 查找 Ctrl+F, 刷新 F5) ----------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_org(self) -> None:
        """Ctrl+N: a new item (for the organization filtered on, if one is)."""
        from app.ui.dialogs.rectification.item_form import ItemDialog  # imported when first opened

        org = self.org_filter.value()
        dialog = ItemDialog(self._ctx, None, org_id=org if isinstance(org, str) else None, parent=self)
        dialog.saved.connect(self._created)
        self.dialog = dialog
        dialog.open()

    def _created(self, item_id: str) -> None:
        self._select_after = item_id
        self.statusMessage.emit("整改事项已保存为草稿：签发后开始计算整改期限")
        self.open_item(item_id)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_item(row.id)

    def open_item(self, item_id: str) -> QWidget:
        from app.ui.dialogs.rectification.detail import DetailDialog

        dialog = DetailDialog(self._ctx, item_id, parent=self)
        dialog.statusMessage.connect(self.statusMessage)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _warn(self, title: str, exc: BaseException) -> None:
        QMessageBox.warning(self, title, describe_error(exc))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self.edit_selected()
            return
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and self.model.rows:
            self.table.setFocus()
            if self.selected() is None:
                self.table.selectRow(0)
            return
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return
        super().keyPressEvent(event)
