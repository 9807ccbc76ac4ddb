"""工作台, the first view: for my organizations, what is due or overdue this month (counted by kind, worst
first), the month × 党组织 compliance grid of the last 12 months with a legend, and on the right what is
behind the chosen cell or line, upcoming 换届, 应建未建 and incomplete records.

It composes; ``DashboardModel`` reads (off the UI thread) and follows the change bus.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.compliance import WAIVABLE_RULES
from app.services.compliance.dashboard import Dashboard
from app.services.compliance.dto import CellDetail, FindingRow
from app.services.core.error_text import describe_error
from app.ui.context import UiContext
from app.ui.itemmodels.compliance_grid import CHECKING, LEGEND_ORDER, STYLES
from app.ui.itemmodels.dashboard_model import DashboardModel
from app.ui.operations import dashboard as ops
from app.ui.views.dashboard_empty import PARTY_SECTION, SYNC_SECTION, DashboardEmptyState
from app.ui.views.dashboard_grid import ComplianceGrid
from app.ui.views.dashboard_panel import LEVEL_COLORS, DashboardPanel
from app.ui.views.dashboard_rectification import OVERDUE_COLOR, OverdueRectifications

LEDGER_SECTION = "组织台账"
DUE_ROWS_SHOWN = 5  # the list grows to this many lines, then scrolls
PANEL_MIN_WIDTH = 320  # the panel's four tabs fit; wider windows give it a share of the extra room
NOT_MINE_TEXT = ("尚未标记“我负责的”组织，下面显示全部 {count:,} 个党组织。在“组织台账”中选中组织，"
                 "点“我负责的 → 标记为我负责的”，工作台就只显示您负责的。")


def legend_html() -> str:
    chips = [f'<span style="background:{s.background};color:{s.foreground}">&nbsp;{s.mark}&nbsp;</span> {s.label}'
             for s in (STYLES[state] for state in LEGEND_ORDER)]
    return ("　".join(chips) + f'　<span style="color:#5f6368">格中数字：问题项数　{CHECKING.mark} {CHECKING.label}'
            "</span>")


class DashboardView(QWidget):
    statusMessage = Signal(str)
    demoRequested = Signal()  # the empty 工作台's 载入演示数据: the window opens the demo profile
    importRequested = Signal()  # its 导入 Excel 台账…: the window runs 文件 → 导入台账…
    sectionRequested = Signal(str)  # show another section (e.g. 党组织 to create one)
    title = "工作台"

    def __init__(self, model: DashboardModel, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self._ctx = model, ctx
        self._detail: CellDetail | None = None  # the chosen cell's, once read (豁免… acts on it)
        if model.parent() is None:  # it dies with the view (a profile switch rebuilds both)
            model.setParent(self)
        self.overdue = OverdueRectifications(ctx, self)  # the 逾期整改 line under 本月待办与逾期
        self.overdue.changed.connect(self._overdue_read)
        self._build()
        model.loaded.connect(self._loaded)
        model.failed.connect(self._failed)
        model.checkingChanged.connect(self._checking_changed)
        if model.dashboard is not None:
            self._loaded(model.dashboard)
        else:
            self.scope_label.setText("正在读取…")
            model.refresh()

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.no_data = DashboardEmptyState()
        self.no_data.importRequested.connect(self.importRequested)
        self.no_data.demoRequested.connect(self._demo)
        self.no_data.syncRequested.connect(lambda: self.sectionRequested.emit(SYNC_SECTION))
        self.body = QStackedWidget()
        self.body.addWidget(self._content())
        self.body.addWidget(self.no_data)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)

    def _content(self) -> QWidget:
        self.scope_label = QLabel()
        self.scope_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        header = QHBoxLayout()
        header.addWidget(self.scope_label, 1)
        header.addWidget(self.status_label)
        self.due_title = QLabel()
        self.due_list = QListWidget()
        self.due_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.due_list.setUniformItemSizes(True)
        self.due_list.itemClicked.connect(self._line_chosen)
        self.due_list.itemActivated.connect(self._line_chosen)
        self.grid = ComplianceGrid(self.model.grid)
        self.grid.cellChosen.connect(self._cell_chosen)
        self.no_party = DashboardEmptyState()
        self.no_party.partyRequested.connect(lambda: self.sectionRequested.emit(PARTY_SECTION))
        self.grid_stack = QStackedWidget()
        self.grid_stack.addWidget(self.grid)
        self.grid_stack.addWidget(self.no_party)
        self.grid_title = QLabel()
        self.legend = QLabel(legend_html())
        self.legend.setWordWrap(True)
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        for widget in (self.due_title, self.due_list, self.grid_title):
            left.addWidget(widget)
        left.addWidget(self.grid_stack, 1)
        left.addWidget(self.legend)
        self.panel = DashboardPanel()
        self.panel.setMinimumWidth(PANEL_MIN_WIDTH)
        self.waive_button = QPushButton("豁免…")
        self.waive_button.setToolTip("所选格子中不适用于本党组织的问题（如支部于季度中途成立），写明理由后不再计为问题")
        self.waive_button.setEnabled(False)
        self.waive_button.clicked.connect(self.waive)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.panel, 1)
        right.addWidget(self.waive_button, 0, Qt.AlignmentFlag.AlignRight)
        columns = QHBoxLayout()
        columns.addLayout(left, 5)
        columns.addLayout(right, 2)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addLayout(columns, 1)
        return content

    def set_sections(self, titles: Sequence[str]) -> None:
        """The window's sections: offer to go to 党组织 only where it exists."""
        self.no_party.party_section_available = PARTY_SECTION in titles
        if self.model.dashboard is not None:
            self._loaded(self.model.dashboard)

    # -- showing a read --------------------------------------------------------------------------
    def _loaded(self, dashboard: Dashboard) -> None:
        if dashboard.org_count == 0 and dashboard.party_org_count == 0:
            self.no_data.show_no_data(can_sign_in=not self._ctx.is_demo)
            self.body.setCurrentWidget(self.no_data)
            return
        self.body.setCurrentIndex(0)
        self._show_scope(dashboard)
        self._show_due(dashboard)
        self.grid_title.setText(f"<b>近 12 个月落实情况</b>（{dashboard.months[0].label()}—{dashboard.month.label()}，"
                                f"{len(dashboard.rows)} 个党组织）")
        if dashboard.rows:
            self.grid_stack.setCurrentWidget(self.grid)
            if not self.grid.currentIndex().isValid():  # first read, or the 党组织 the user was on is gone
                self.grid.select_first_current_month()
        else:
            self.no_party.show_no_party_org(org_count=dashboard.my_org_count if dashboard.mine else dashboard.org_count,
                                            mine=dashboard.mine)
            self.grid_stack.setCurrentWidget(self.no_party)
        self.legend.setVisible(bool(dashboard.rows))
        self.panel.show_lists(dashboard)
        self._show_status()
        if self.overdue.found is None:  # the first read: after the first paint (it loads SQLAlchemy, ~0.3 s)
            self.overdue.refresh_soon()
        else:
            self.overdue.refresh()

    def _show_scope(self, dashboard: Dashboard) -> None:
        if dashboard.mine:
            self.scope_label.setText(f"<b>我负责的 {dashboard.my_org_count:,} 个组织</b>，"
                                     f"涉及 {len(dashboard.rows):,} 个党组织")
        elif dashboard.party_org_count == 0:  # nothing to narrow yet: the grid's place says what to do
            self.scope_label.setText(f"<b>全部 {dashboard.org_count:,} 个组织</b>（尚未标记“我负责的”组织）")
        else:
            self.scope_label.setText(NOT_MINE_TEXT.format(count=dashboard.party_org_count))

    def _show_due(self, dashboard: Dashboard) -> None:
        self.due_title.setText(f"<b>本月待办与逾期</b>（{dashboard.month.label()}）")
        self.due_list.clear()
        for line in dashboard.due:
            item = QListWidgetItem(f"●  {line.text}")
            item.setForeground(QBrush(QColor(LEVEL_COLORS[line.level])))
            item.setToolTip("单击查看涉及的组织")
            self.due_list.addItem(item)
        if self.overdue.count:
            item = QListWidgetItem(f"●  {self.overdue.line_text()}")
            item.setForeground(QBrush(QColor(OVERDUE_COLOR)))
            item.setToolTip("单击查看逾期的整改事项")
            self.due_list.addItem(item)
        elif not dashboard.due:
            item = QListWidgetItem("√  本月没有待办或逾期事项" if self.model.grid.known else "正在核查…")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.due_list.addItem(item)
        rows = min(max(self.due_list.count(), 1), DUE_ROWS_SHOWN)
        self.due_list.setFixedHeight(rows * max(self.due_list.sizeHintForRow(0), 1) + 2 * self.due_list.frameWidth())

    def _overdue_read(self) -> None:
        if self.model.dashboard is not None:
            self._show_due(self.model.dashboard)

    def _show_status(self) -> None:
        dashboard = self.model.dashboard
        if self.model.checking:
            self.status_label.setText('<span style="color:#9a4a00">正在按党内法规核查…</span>')
        elif dashboard is not None:
            today = dashboard.today
            self.status_label.setText(f'<span style="color:#5f6368">截至 {today.year}年{today.month}月{today.day}日'
                                      "　F5 刷新</span>")

    def _checking_changed(self, _checking: bool) -> None:
        self._show_status()

    def _failed(self, text: str) -> None:
        self.status_label.setText(f'<span style="color:#b3261e">读取失败：{text}</span>')
        self.statusMessage.emit(f"工作台读取失败：{text}")

    # -- choosing a cell or a line ---------------------------------------------------------------
    def _cell_chosen(self, index: QModelIndex) -> None:
        chosen = self.model.grid.cell_at(index)
        if chosen is None:
            return
        row, cell = chosen
        self._detail = None
        self.waive_button.setEnabled(False)
        self.panel.show_message(f"正在读取 {row.name} {cell.month.label()} 的记录…")
        ops.load_cell_detail(ctx=self._ctx, party_org_id=row.party_org_id, month=cell.month, owner=self,
                             on_done=self._cell_loaded, on_error=lambda exc: self._failed(str(exc)))

    def _cell_loaded(self, detail: CellDetail) -> None:
        current = self.model.grid.cell_at(self.grid.currentIndex())
        if current is not None and (current[0].party_org_id, current[1].month) != (detail.party_org_id, detail.month):
            return  # the user has moved on to another cell meanwhile
        self.panel.show_cell(detail)
        self._detail = detail
        self.waive_button.setEnabled(any(f.rule_id in WAIVABLE_RULES and not f.waived for f in detail.findings))

    # -- 豁免 ----------------------------------------------------------------------------------------
    def ask_waiver(self, detail: CellDetail) -> tuple[Sequence[FindingRow], str, str] | None:
        from app.ui.dialogs.waiver_dialog import WaiverDialog  # imported when first used

        return WaiverDialog.ask(detail, self)

    def waive(self) -> None:
        """豁免… on the chosen cell: the findings ticked in the dialog, with its reason."""
        detail = self._detail
        if detail is None:
            return
        answer = self.ask_waiver(detail)
        if answer is None:
            return
        findings, reason, approved_by = answer
        self.waive_button.setEnabled(False)
        ops.add_waivers(ctx=self._ctx, party_org_id=detail.party_org_id, findings=findings, reason=reason,
                        approved_by=approved_by, owner=self, on_done=lambda ids: self._waived(detail, len(ids)),
                        on_error=self._waive_failed)

    def _waived(self, detail: CellDetail, count: int) -> None:
        self.statusMessage.emit(f"已豁免 {detail.party_org_name} {detail.month.label()} 的 {count} 项问题")
        ops.load_cell_detail(ctx=self._ctx, party_org_id=detail.party_org_id, month=detail.month, owner=self,
                             on_done=self._cell_loaded, on_error=lambda exc: self._failed(str(exc)))

    def _waive_failed(self, exc: BaseException) -> None:
        self.waive_button.setEnabled(self._detail is not None)
        QMessageBox.warning(self, "没有豁免", describe_error(exc))

    def _line_chosen(self, item: QListWidgetItem) -> None:
        self._detail = None  # the panel shows a line now: 豁免… acts on a cell only
        self.waive_button.setEnabled(False)
        dashboard = self.model.dashboard
        row = self.due_list.row(item)
        if dashboard is not None and row == len(dashboard.due) and self.overdue.count:
            self.panel.detail.setHtml(self.overdue.html())
            self.panel.setCurrentWidget(self.panel.detail)
            return
        if dashboard is None or not 0 <= row < len(dashboard.due):
            return
        line = dashboard.due[row]
        self.panel.show_line(line, dashboard.findings_of(line), dashboard.month.label())

    # -- actions ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """F5: bring the compliance results up to date and read again."""
        self.model.refresh(freshen=True)

    def _demo(self) -> None:
        self.no_data.demo_button.setEnabled(False)
        self.demoRequested.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.model.active = True
        if self.model.stale:
            self.model.refresh()
        if self.grid_stack.currentWidget() is self.grid:
            self.grid.setFocus()

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        self.model.active = False
