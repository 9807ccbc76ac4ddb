"""走访: this month's plan at the top (my organizations: due / visited / overdue under the policy pack's rule,
with a month picker), the visits below (search, filters; Enter or a double click opens).  Ctrl+N (新建)
opens an empty visit form — for the organization chosen in the plan, when the plan has the focus.
Nothing is read before the section is first shown; saves elsewhere (``Change("visit", …)``) refresh it."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.visits.dto import (
    MonthPlan,
    Period,
    PlanRow,
    PlanState,
    VisitDetail,
    VisitList,
    VisitMode,
    VisitRow,
    VisitStatus,
    month_of,
)
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.itemmodels.visit_model import PlanModel, VisitListModel
from app.ui.operations import visits as ops
from app.ui.widgets import ChoiceBox

SEARCH_DELAY_MS = 200
ORIGIN = "visits_view"
COUNTING_NOTE = "只有“实地走访”计入走访要求；电话、线上走访会记录在案，但不计入。"


def month_choices(today: date) -> list[tuple[str, Period]]:
    """Three months ahead (for plans), this month, and the twelve before it; this month first chosen."""
    month = month_of(today)
    ahead = [month]
    for _ in range(3):
        ahead.append(month_of(ahead[-1].last + timedelta(days=1)))
    choices = [(p.label() + ("（本月）" if p == month else ""), p) for p in reversed(ahead)]
    back = month
    for _ in range(12):
        back = back.previous()
        choices.append((back.label(), back))
    return choices


def _table(model: object) -> QTableView:
    table = QTableView()
    table.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move within
    table.setModel(model)  # type: ignore[arg-type]
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


class VisitsView(QWidget):
    statusMessage = Signal(str)
    title = "走访"

    def __init__(self, plan_model: PlanModel, model: VisitListModel, ctx: UiContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan_model, self.model, self._ctx = plan_model, model, ctx
        self.dialog: QWidget | None = None
        self._shown = False
        self._generation = 0
        self._select_after: str | None = None
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh_list)
        self._build()
        ctx.bus.changed.connect(self._on_change)

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.month = ChoiceBox(month_choices(clock.today()))
        self.month.setCurrentIndex(3)  # this month
        self.month.currentIndexChanged.connect(lambda _i: self.refresh_plan())
        self.plan_summary = QLabel()
        self.plan_summary.setTextFormat(Qt.TextFormat.RichText)
        self.plan_table = _table(self.plan_model)
        self.plan_table.doubleClicked.connect(lambda _i: self.new_visit())
        plan_header = self.plan_table.horizontalHeader()
        plan_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 90), (2, 70), (3, 130), (4, 130), (5, 120)):
            self.plan_table.setColumnWidth(column, width)
        plan_top = QHBoxLayout()
        plan_top.addWidget(QLabel("走访计划"))
        plan_top.addWidget(self.month)
        plan_top.addWidget(self.plan_summary, 1)
        note = QLabel(COUNTING_NOTE)
        note.setStyleSheet("color: #5f6368;")
        plan_box = QWidget()
        plan_layout = QVBoxLayout(plan_box)
        plan_layout.setContentsMargins(0, 0, 0, 0)
        plan_layout.addLayout(plan_top)
        plan_layout.addWidget(self.plan_table, 1)
        plan_layout.addWidget(note)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索组织名称、见到的人、情况记录或发现的问题")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.new_button, self.open_button, self.delete_button = (QPushButton("新建走访"), QPushButton("打开"),
                                                                 QPushButton("删除"))
        self.new_button.clicked.connect(self.new_visit)
        self.open_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.status_filter = ChoiceBox([("计划和已走访", None), ("已走访", VisitStatus.DONE),
                                        ("计划", VisitStatus.PLANNED)])
        self.mode_filter = ChoiceBox([("全部方式", None), *((m.label, m) for m in VisitMode)])
        self.period_filter = ChoiceBox([("全部时间", None), *month_choices(clock.today())[3:]])
        self.org_filter = ChoiceBox([("全部组织", None)])
        self.org_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.org_filter.setMinimumContentsLength(10)  # a long name is cut in the box, whole in its list
        self.open_only = QCheckBox("有未转整改的问题")
        self.count_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for widget in (self.org_filter, self.status_filter, self.mode_filter, self.period_filter, self.open_only):
            top.addWidget(widget)
        for box in (self.org_filter, self.status_filter, self.mode_filter, self.period_filter):
            box.currentIndexChanged.connect(lambda _i: self.refresh_list())
        self.open_only.toggled.connect(lambda _on: self.refresh_list())
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        for button in (self.new_button, self.open_button, self.delete_button):
            buttons.addWidget(button)
        self.table = _table(self.model)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (2, 130), (3, 70), (4, 140), (5, 150), (6, 80)):
            self.table.setColumnWidth(column, width)
        list_box = QWidget()
        list_layout = QVBoxLayout(list_box)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(top)
        list_layout.addWidget(self.table, 1)
        list_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(plan_box)
        self.splitter.addWidget(list_box)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._update_actions()

    # -- reading ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:  # nothing is read at start-up, only once the section is first shown
            self._shown = True
            ops.load_form_choices(ctx=self._ctx, on_done=self._orgs_loaded, owner=self)
            self.refresh()

    def _orgs_loaded(self, choices: ops.FormChoices) -> None:
        current = self.org_filter.value()
        self.org_filter.blockSignals(True)
        self.org_filter.set_choices([("全部组织", None), *((c.name, c.id) for c in choices.orgs)])
        self.org_filter.setCurrentIndex(max(self.org_filter.index_of(current), 0))
        self.org_filter.blockSignals(False)

    def shown_month(self) -> Period:
        value = self.month.value()
        return value if isinstance(value, Period) else month_of(clock.today())

    def refresh_plan(self) -> None:
        self.plan_summary.setText("正在读取…")
        month = self.shown_month()
        ops.load_month_plan(ctx=self._ctx, month=month.first, on_done=self._plan_loaded, on_error=self._failed,
                            owner=self)

    def _plan_loaded(self, plan: MonthPlan) -> None:
        if plan.month != self.shown_month():
            return  # another month was chosen meanwhile
        self.plan_model.set_rows(plan.rows)
        if not plan.rows:
            self.plan_summary.setText("还没有“我负责的”组织：请在“组织台账”中把负责的组织标为我负责的")
            return
        rule = f"每{'月' if plan.period == plan.month else plan.period.label() + '内'}至少实地走访 {plan.required} 次"
        self.plan_summary.setText(
            f"{len(plan.rows)} 个组织，{rule}：已走访 <b style='color:#188038'>{plan.count(PlanState.VISITED)}</b>，"
            f"待走访 <b style='color:#b05a00'>{plan.count(PlanState.DUE)}</b>，"
            f"逾期 <b style='color:#c5221f'>{plan.count(PlanState.OVERDUE)}</b>"
            + (f"，未开始 {plan.count(PlanState.UPCOMING)}" if plan.count(PlanState.UPCOMING) else ""))

    def refresh(self) -> None:
        """F5: the plan and the list read again."""
        self.refresh_plan()
        self.refresh_list()

    def refresh_list(self) -> None:
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        status, mode, period = self.status_filter.value(), self.mode_filter.value(), self.period_filter.value()
        org = self.org_filter.value()
        self.count_label.setText("正在读取…")
        ops.list_visits(ctx=self._ctx, org_id=org if isinstance(org, str) else None,
                        status=status if isinstance(status, VisitStatus) else None,
                        mode=mode if isinstance(mode, VisitMode) else None,
                        period=period if isinstance(period, Period) else None, text=self.search.text(),
                        open_findings_only=self.open_only.isChecked(),
                        on_done=lambda found: self._listed(generation, found), on_error=self._failed, owner=self)

    def _listed(self, generation: int, found: VisitList) -> None:
        if generation != self._generation:
            return
        self.model.set_list(found.rows, found.total)
        if self._select_after is not None:
            row = next((i for i, r in enumerate(found.rows) if r.id == self._select_after), None)
            if row is not None:
                self._select_after = None
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        shown = len(found.rows)
        self.count_label.setText(f"共 {found.total} 次走访" if shown == found.total
                                 else f"共 {found.total} 次走访，显示最近 {shown} 次（可用筛选缩小范围）")
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText("读取失败")
        self.statusMessage.emit(describe_error(exc))

    def _on_change(self, change: Change) -> None:
        if self._shown and change.entity in (ops.VISIT_ENTITY, ops.RECTIFICATION_ENTITY, "social_org", "assignment"):
            self.refresh()

    def _update_actions(self) -> None:
        has = self.selected() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def selected(self) -> VisitRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def selected_plan(self) -> PlanRow | None:
        rows = self.plan_table.selectionModel().selectedRows()
        return self.plan_model.row_at(rows[0].row()) if rows else None

    # -- actions (the menu's names: 新建 Ctrl+N, 打开 Enter, 查找 Ctrl+F, 刷新 F5) ----------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_org(self) -> None:
        """Ctrl+N (the main window's name for 新建 in every section)."""
        self.new_visit()

    def new_visit(self) -> None:
        """A new visit (for the organization chosen in the plan, when the plan has the focus or was clicked;
        if a visit is planned for it this month, that plan opens, to be recorded as 已走访)."""
        plan = self.selected_plan() if self.plan_table.hasFocus() or self.sender() is self.plan_table else None
        if plan is not None and plan.planned_ids and plan.state != PlanState.VISITED:
            ops.load_visit(ctx=self._ctx, visit_id=plan.planned_ids[0], owner=self, on_done=self._loaded,
                           on_error=lambda exc: self._warn("无法打开", exc))
            return
        self.open_dialog(None, org_id=plan.org_id if plan else None)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            ops.load_visit(ctx=self._ctx, visit_id=row.id, owner=self, on_done=self._loaded,
                           on_error=lambda exc: self._warn("无法打开", exc))

    def _loaded(self, detail: VisitDetail) -> None:
        self.open_dialog(detail)

    def open_dialog(self, detail: VisitDetail | None, *, org_id: str | None = None) -> QWidget:
        from app.ui.dialogs.visit.dialog import VisitDialog  # the form is imported when first opened

        dialog = VisitDialog(self._ctx, detail, org_id=org_id, parent=self)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, detail: VisitDetail) -> None:
        self._select_after = detail.id
        data = detail.data
        self.statusMessage.emit(f"已保存：{detail.org_name} {data.visited_on:%Y-%m-%d} {data.mode.label}"
                                f"（{data.status.label}）" + ("，已建立下次走访计划" if detail.planned_next_id else ""))

    def _warn(self, title: str, exc: BaseException) -> None:
        QMessageBox.warning(self, title, describe_error(exc))

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        what = f"{row.visited_on:%Y-%m-%d} 对{row.org_name}的{row.mode.label}（{row.status.label}）"
        answer = QMessageBox.question(self, "删除走访", f"删除 {what}？检查表回答、发现的问题和照片一并删除。")
        if answer == QMessageBox.StandardButton.Yes:
            ops.delete_visit(ctx=self._ctx, visit_id=row.id, origin=ORIGIN, owner=self,
                             on_done=lambda _o: self.statusMessage.emit("走访记录已删除"),
                             on_error=lambda exc: self._warn("无法删除", exc))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.table.hasFocus():
                self.edit_selected()
                return
            if self.plan_table.hasFocus():
                self.new_visit()
                return
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)
            return
        super().keyPressEvent(event)
