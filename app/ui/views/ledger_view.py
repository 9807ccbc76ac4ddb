"""组织台账: search-as-you-type, filters, a SQL-sorted table, and the actions on one organization."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.services.orgs.dto import (
    DEFAULT_COMMUNITY_CATEGORIES,
    ArchivedFilter,
    Coverage,
    LedgerFilter,
    OrgDetail,
    OrgType,
)
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.itemmodels.ledger_model import COLUMNS, CREDIT_COLOR, LedgerModel
from app.ui.operations import organizations as ops
from app.ui.views.ledger_columns import fit_ledger_columns
from app.ui.views.ledger_empty import LedgerEmptyState
from app.ui.views.ledger_keys import LedgerKeys
from app.ui.views.ledger_places import MineActions, PlaceFilters
from app.ui.widgets import ChoiceBox

if TYPE_CHECKING:  # the form is imported when first opened, not at start-up
    from app.ui.dialogs.org_dialog import OrgDialog

SEARCH_DELAY_MS = 150
RESELECT_MAX = 500  # selected rows kept across a refresh (a bulk 我负责的 of a whole street)
ORIGIN = "ledger_view"


def _combo(items: Sequence[tuple[str, object]], tip: str) -> ChoiceBox:
    box = ChoiceBox(items)
    box.setToolTip(tip)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # as wide as its longest choice…
    # …when there is room; a narrow window (1366×768 at 125 %) shrinks it, eliding the text, instead of
    # the longest choices of every filter together setting the window's minimum width
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance("全部") + 28)
    return box


class LedgerView(QWidget):
    """The ledger over a ``LedgerModel``; edits go through operations, refreshes follow the change bus."""

    statusMessage = Signal(str)
    demoRequested = Signal()  # the empty ledger's 载入演示数据: the window opens the demo profile
    importRequested = Signal()  # the empty ledger's 导入 Excel 台账…: the window runs 文件 → 导入台账…
    title = "组织台账"

    def __init__(self, model: LedgerModel, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self._ctx = model, ctx
        self.dialog: OrgDialog | None = None
        self._select_after_refresh: list[str] = []
        self._shown_query: tuple[object, object] | None = None
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self._build()
        model.totalChanged.connect(self._on_total)
        self.keys = LedgerKeys(self)  # Esc, Down, Enter, Tab
        model.dataChanged.connect(lambda *_: self._update_actions())
        model.failed.connect(self._show_error_text)
        ctx.bus.changed.connect(self._on_change)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self._update_actions()
        if model.loaded:  # a synchronous runner may already have answered the first query
            self._on_total(model.total)
        else:
            self.count_label.setText("正在读取…")
        if not model.generation:  # no query issued yet (setSortingEnabled may already have issued one)
            model.refresh()

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索名称、简称、信用代码、地址、街道、社区，或拼音、拼音首字母")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.new_button = QPushButton("新建组织")
        self.edit_button = QPushButton("编辑")
        self.archive_button = QPushButton("归档")
        self.new_button.clicked.connect(lambda: self.open_dialog(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.archive_button.clicked.connect(self.archive_or_restore_selected)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        self.mine_actions = MineActions(self._ctx, self.selected_ids, self)
        self.mine_actions.statusMessage.connect(self.statusMessage)
        for button in (self.new_button, self.edit_button, self.archive_button, self.mine_actions.button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self._filter_bar())
        self.empty_state = LedgerEmptyState()
        self.empty_state.newRequested.connect(lambda: self.open_dialog(None))
        self.empty_state.importRequested.connect(self.importRequested)
        self.empty_state.demoRequested.connect(self.load_demo_data)
        self.empty_state.clearFiltersRequested.connect(self.clear_filters)
        self.empty_state.archivedRequested.connect(self.show_archived)
        self.body = QStackedWidget()
        self.body.addWidget(self._table())
        self.body.addWidget(self.empty_state)
        layout.addWidget(self.body, 1)
        legend = QLabel(f'<span style="color:{CREDIT_COLOR.name()}"><b>!</b> 红色粗体：'
                        '已列入活动异常名录或严重违法失信名单</span>　　'
                        '<span style="color:#80868b"><i>灰色斜体：已归档</i></span>')
        layout.addWidget(legend)

    def _filter_bar(self) -> QHBoxLayout:
        self.type_filter = _combo([("全部类型", None)] + [(t.label, t) for t in OrgType], "组织类型")
        self.category_filter = _combo([("全部类别", "")] + [(c, c) for c in DEFAULT_COMMUNITY_CATEGORIES],
                                      "社区社会组织类别")
        self.coverage_filter = _combo([("全部覆盖情况", None)] + [(c.label, c) for c in Coverage], "两个覆盖")
        self.credit_filter = _combo(
            [("全部信用状况", None), ("列入异常名录/严重失信", True), ("未列入", False)], "信用")
        self.archived_filter = _combo(
            [("在册", ArchivedFilter.ACTIVE), ("已归档", ArchivedFilter.ARCHIVED), ("全部", ArchivedFilter.ALL)],
            "归档")
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        # 街道 / 社区 from the data (read after the first result), 我负责的
        self.places = PlaceFilters(self._ctx, self, first_result=self.model.totalChanged, ready=self.model.loaded)
        self.places.changed.connect(self._apply_filters)
        bar = QHBoxLayout()
        bar.setSpacing(4)
        # no captions: each list's first entry (全部类型, 全部街道 …) says what it filters, and the bar fits a
        # 1093-px window (1366×768 at 125 %)
        for box in (self.type_filter, self.category_filter, self.places.street, self.places.community,
                    self.coverage_filter, self.credit_filter, self.archived_filter):
            bar.addWidget(box)
            if box is not self.places.street and box is not self.places.community:
                box.currentIndexChanged.connect(self._apply_filters)
        bar.addWidget(self.places.mine)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        return bar

    def _table(self) -> QTableView:
        table = self.table = QTableView()
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # bulk 我负责的
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(
            lambda pos: self.mine_actions.context_menu(table).popup(table.viewport().mapToGlobal(pos)))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # similar names differ at the end, not the start
        table.verticalHeader().hide()
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        self.columns = fit_ledger_columns(table)  # 名称 takes the room; narrow windows narrow every column
        sort = self.model.ledger_sort
        order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(next(i for i, c in enumerate(COLUMNS) if c.sort_key is sort.key), order)
        table.setSortingEnabled(True)  # header clicks call model.sort(), which re-queries in SQL
        table.doubleClicked.connect(self._double_clicked)
        return table

    # -- keyboard (LedgerKeys) and the menu's actions --------------------------------------------
    def focus_search(self) -> None:
        """Ctrl+F: the cursor in the search box, its text selected."""
        self.keys.focus_search()

    def focus_results(self) -> None:
        """Down from the search box: on to the results."""
        self.keys.focus_results()

    def flush_search(self) -> None:
        """Typed faster than the search delay: search for what was typed now."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._apply_search()

    def new_org(self) -> None:
        """Ctrl+N: the new-organization form."""
        self.open_dialog(None)

    def refresh(self) -> None:
        """F5: read the ledger again (the current search, filters and order)."""
        self.model.refresh()

    # -- query -----------------------------------------------------------------------------------
    def current_filter(self) -> LedgerFilter:
        org_type = self.type_filter.value()
        coverage, credit, archived = (self.coverage_filter.value(), self.credit_filter.value(),
                                      self.archived_filter.value())
        assert org_type is None or isinstance(org_type, OrgType)
        assert coverage is None or isinstance(coverage, Coverage)
        assert credit is None or isinstance(credit, bool)
        assert isinstance(archived, ArchivedFilter)
        return self.places.apply_to(LedgerFilter(
            text=self.search.text().strip(),
            org_types=frozenset({org_type}) if org_type else frozenset(),
            community_category=str(self.category_filter.value() or ""),
            coverage=coverage, credit_listed=credit, archived=archived,
        ))

    def _apply_filters(self) -> None:
        self.model.set_filter(self.current_filter())

    def _apply_search(self) -> None:
        self.model.set_search_text(self.search.text())

    def _on_total(self, total: int) -> None:
        self.count_label.setText(f"共 {total:,} 个组织")
        if total == 0:
            filtered = self.model.ledger_filter != LedgerFilter()
            self.empty_state.show_for(filtered=filtered)
            self.body.setCurrentWidget(self.empty_state)
            if not filtered:  # empty ledger: is it a new database, or is everything archived?
                ops.query_ledger(ctx=self._ctx, flt=LedgerFilter(archived=ArchivedFilter.ARCHIVED),
                                 sort=self.model.ledger_sort, owner=self,
                                 on_done=lambda result: self._archived_count(result[0].total))
        else:
            self.body.setCurrentWidget(self.table)
        query = (self.model.ledger_filter, self.model.ledger_sort)
        if query != self._shown_query:  # a new filter or order starts at the top; a refresh stays put
            self._shown_query = query
            self.table.scrollToTop()
        if self._select_after_refresh:
            self.select_orgs(self._select_after_refresh)
        self._update_actions()

    def _on_change(self, change: Change) -> None:
        if change.entity != ORG_ENTITY:
            return
        if change.action in ("create", "update", "restore") and change.ids:
            self._select_after_refresh = [change.ids[0]]
        else:  # 我负责的, a record, an import: the rows the user was working on stay selected
            self._select_after_refresh = self.selected_ids()[:RESELECT_MAX]
        self.model.refresh()

    def _archived_count(self, archived: int) -> None:
        if archived and self.model.total == 0 and self.model.ledger_filter == LedgerFilter():
            self.empty_state.show_archived_only(archived)

    def show_archived(self) -> None:
        self.archived_filter.setCurrentIndex(self.archived_filter.findText("已归档"))

    def clear_filters(self) -> None:
        for box in (self.type_filter, self.category_filter, self.coverage_filter, self.credit_filter,
                    self.archived_filter):
            box.blockSignals(True)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        self.places.clear()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.set_filter(self.current_filter())

    def load_demo_data(self) -> None:
        self.empty_state.demo_button.setEnabled(False)
        self.demoRequested.emit()

    def select_org(self, org_id: str) -> bool:
        return self.select_orgs([org_id]) == 1

    def select_orgs(self, org_ids: list[str]) -> int:
        """Select the rows of these organizations (those still shown) and bring the first into view; the
        number selected."""
        self._select_after_refresh = []
        rows = self.model.rows_of(org_ids)
        if not rows:
            return 0
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for row in rows:
            selection.select(self.model.index(row, 0), self.model.index(row, last))
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().select(selection, flags)
        self.table.selectionModel().setCurrentIndex(self.model.index(rows[0], 0),
                                                    QItemSelectionModel.SelectionFlag.NoUpdate)
        self.table.scrollTo(self.model.index(rows[0], 0))
        return len(rows)

    # -- actions ---------------------------------------------------------------------------------
    def selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_ids(self) -> list[str]:
        """The ids of every selected row (rows whose id is known), in row order."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [org_id for org_id in map(self.model.id_at, rows) if org_id]

    def selected_id(self) -> str | None:
        row = self.selected_row()
        return None if row is None else self.model.id_at(row)

    def _update_actions(self) -> None:
        row = self.selected_row()
        loaded = None if row is None else self.model.row_at(row)
        self.edit_button.setEnabled(row is not None)
        self.archive_button.setEnabled(loaded is not None)
        self.archive_button.setText("恢复" if loaded is not None and loaded.archived else "归档")
        self.mine_actions.update_enabled(row is not None)

    def _double_clicked(self, index: QModelIndex) -> None:
        org_id = self.model.id_at(index.row())
        if org_id:
            self.edit_org(org_id)

    def edit_selected(self) -> None:
        org_id = self.selected_id()
        if org_id:
            self.edit_org(org_id)

    def edit_org(self, org_id: str) -> None:
        ops.get_org(ctx=self._ctx, org_id=org_id, on_done=lambda detail: self._open_existing(detail),
                    on_error=self._show_error, owner=self)

    def _open_existing(self, detail: OrgDetail) -> None:
        if self.dialog is not None and self.dialog.isVisible():  # one form at a time (a second click)
            self.dialog.raise_()
            self.dialog.activateWindow()
            return
        self.open_dialog(detail)

    def open_dialog(self, detail: OrgDetail | None) -> OrgDialog:
        """Open the detail form (non-blocking, window-modal); new when ``detail`` is None."""
        from app.ui.dialogs.org_dialog import OrgDialog

        dialog = OrgDialog(self._ctx, detail, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.destroyed.connect(lambda *_: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, detail: OrgDetail) -> None:
        message = f"已保存“{detail.data.name}”"
        if detail.warnings:
            notes = "；".join(w.removeprefix("请核对：") for w in detail.warnings.values())
            message += f"（请核对：{notes}）"
        self.statusMessage.emit(message)

    def archive_or_restore_selected(self) -> None:
        row = self.selected_row()
        loaded = None if row is None else self.model.row_at(row)
        if loaded is None:
            return
        if loaded.archived:
            if self.confirm_restore(loaded.name):
                ops.restore_org(ctx=self._ctx, org_id=loaded.id, origin=ORIGIN, owner=self,
                                on_done=lambda d: self.statusMessage.emit(f"已恢复“{d.data.name}”"),
                                on_error=self._show_error)
            return
        reason = self.ask_archive_reason(loaded.name)
        if reason is not None:
            ops.archive_org(ctx=self._ctx, org_id=loaded.id, reason=reason, origin=ORIGIN, owner=self,
                            on_done=lambda d: self.statusMessage.emit(f"已归档“{d.data.name}”"),
                            on_error=self._show_error)

    def ask_archive_reason(self, name: str) -> str | None:
        """The reason typed by the user, or None if cancelled (tests replace this)."""
        from app.ui.dialogs.archive_dialog import ArchiveReasonDialog

        dialog = ArchiveReasonDialog(name, self)  # an empty reason is corrected in place, nothing retyped
        return dialog.reason() if dialog.exec() else None

    def confirm_restore(self, name: str) -> bool:
        answer = QMessageBox.question(self, "恢复组织", f"把“{name}”恢复到在册台账？")
        return answer == QMessageBox.StandardButton.Yes

    def _show_error(self, exc: BaseException) -> None:
        self._show_error_text(describe_error(exc))

    def _show_error_text(self, text: str) -> None:
        QMessageBox.critical(self, "操作失败", text)
