"""文书: the notices (走访通知, 整改通知书, 提醒函), drafts first then the latest issued, with filters (种类, 状态,
month issued) and a search; Enter (or a double click) previews the selected one, where it is printed or
saved (a 草稿 or a 作废 one as a check copy marked on every page).  The actions follow the notice's status:
修改草稿… / 删除草稿 / 签发 (a 草稿: it takes a 临时编号) / 送达… / 签收… / 作废… (with a reason).
新建整改通知书… (Ctrl+N), 新建走访通知…, 新建提醒函… make 草稿s; 本月通知书批量打印… puts a month's
notices into one PDF; 文书设置… edits the series and the instructor's name and phone.  Nothing is read before
the section is first shown; writes elsewhere (``Change("notice" | "rectification" | "visit", …)``) refresh it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from app.domain.enums import NoticeKind, NoticeStatus
from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.notices.dto import NoticeRow
from app.services.notices.settings import InstructorNotSet
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.itemmodels.notice_model import NoticeListModel
from app.ui.operations import documents as ops
from app.ui.widgets import ChoiceBox

SEARCH_DELAY_MS = 200
ORIGIN = "documents_view"
PREVIEW_TIPS = {NoticeStatus.DRAFT: "预览草稿：每页标“草稿”，不编号，仅供核对（打印不登记）",
                NoticeStatus.VOID: "预览已作废的通知：每页标“作废”，仅供核对（打印不登记）"}
PREVIEW_TIP = "预览所选文书，可打印或另存为 PDF（Enter）"
MARKED = {NoticeStatus.DRAFT: "（草稿）", NoticeStatus.VOID: "（作废）"}
DELETE_QUESTION = "删除{kind}草稿“{org}”？\n草稿没有文号，删除后其中的整改事项可列入新的通知书。"
ISSUE_QUESTION = ("签发{kind}“{org}”？\n签发后分配文号（离线时为临时编号，同步后由区服务器确认），内容不能再改；"
                  "如有错误只能作废后重开，文号不再使用。")
# what each status allows (作废 from any status but 作废 itself)
ALLOWED: dict[NoticeStatus, frozenset[str]] = {
    NoticeStatus.DRAFT: frozenset({"edit", "delete", "issue", "void"}),
    NoticeStatus.ISSUED: frozenset({"deliver", "void"}),
    NoticeStatus.DELIVERED: frozenset({"sign", "void"}),
    NoticeStatus.SIGNED: frozenset({"void"}),
    NoticeStatus.VOID: frozenset(),
}


def month_choices(today: date) -> list[tuple[str, tuple[int, int | None] | None]]:
    """全部时间, the last 12 months (this one first), then this year and the four before it."""
    choices: list[tuple[str, tuple[int, int | None] | None]] = [("全部时间", None)]
    year, month = today.year, today.month
    for _ in range(12):
        choices.append((f"{year} 年 {month} 月签发", (year, month)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    choices += [(f"{today.year - back} 年签发", (today.year - back, None)) for back in range(5)]
    return choices


class DocumentsView(QWidget):
    statusMessage = Signal(str)
    title = "文书"

    def __init__(self, model: NoticeListModel, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self._ctx = model, ctx
        self.dialog: QWidget | None = None  # the last dialog opened (tests and the window look at it)
        self._select_after: str | None = None
        self._shown = False
        self._generation = 0
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self._build()
        ctx.bus.changed.connect(self._on_change)

    # -- layout ----------------------------------------------------------------------------------
    def _button(self, text: str, slot: object, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        if tip:
            button.setToolTip(tip)
        return button

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索组织名称、标题或主送单位")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.preview_button = self._button("预览", self.edit_selected, PREVIEW_TIP)
        self.edit_button = self._button("修改草稿…", self.edit_draft, "签发前修改标题、主送、正文和所列事项")
        self.delete_button = self._button("删除草稿", self.delete_draft, "草稿没有文号，可以删除")
        self.issue_button = self._button("签发", self.issue_selected, "签发草稿：分配文号（临时编号）")
        self.deliver_button = self._button("送达…", lambda: self.step_selected("deliver"))
        self.sign_button = self._button("签收…", lambda: self.step_selected("sign"))
        self.void_button = self._button("作废…", lambda: self.step_selected("void"), "作废须写明原因，文号不再使用")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for button in (self.preview_button, self.edit_button, self.delete_button, self.issue_button,
                       self.deliver_button, self.sign_button, self.void_button):
            top.addWidget(button)
        self.kind_filter = ChoiceBox([("全部种类", None), *((k.label, k) for k in NoticeKind)])
        self.status_filter = ChoiceBox([("全部状态", None), *((s.label, s) for s in NoticeStatus)])
        self.month_filter = ChoiceBox(month_choices(clock.today()))
        self.count_label = QLabel()
        filters = QHBoxLayout()
        for box in (self.kind_filter, self.status_filter, self.month_filter):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
            filters.addWidget(box)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        self.new_rectification_button = self._button("新建整改通知书…", self.new_org, "Ctrl+N")
        self.new_visit_button = self._button("新建走访通知…", self.new_visit_notice)
        self.new_reminder_button = self._button("新建提醒函…", self.new_reminder_letter)
        self.batch_button = self._button("本月通知书批量打印…", self.print_month_batch,
                                         "把一个月签发的通知书合成一个 PDF，预览后打印")
        self.series_button = self._button("文书设置…", lambda: self.edit_series())
        actions = QHBoxLayout()
        for button in (self.new_rectification_button, self.new_visit_button, self.new_reminder_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.batch_button)
        actions.addWidget(self.series_button)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move within
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a long number keeps its （临时编号）
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 84), (1, 290), (3, 60), (4, 86), (5, 86), (6, 86), (7, 40)):
            self.table.setColumnWidth(column, width)
        legend = QLabel('<span style="color:#b05a00">橙色文号：临时编号</span>（离线签发时本机分配，同步后由区服务器'
                        "确认为正式文号）　灰色：已作废")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)
        self._update_actions()

    # -- reading ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:  # nothing is read at start-up, only once the section is first shown
            self._shown = True
            self.refresh()

    def current_filter(self) -> ops.NoticeFilter:
        kind, status, month = self.kind_filter.value(), self.status_filter.value(), self.month_filter.value()
        year_month = month if isinstance(month, tuple) else (None, None)
        return ops.NoticeFilter(kind=kind if isinstance(kind, NoticeKind) else None,
                                status=status if isinstance(status, NoticeStatus) else None,
                                year=year_month[0], month=year_month[1], search=self.search.text())

    def refresh(self) -> None:
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        self.count_label.setText("正在读取…")
        ops.list_notices(ctx=self._ctx, flt=self.current_filter(),
                         on_done=lambda rows: self._listed(generation, rows), on_error=self._failed, owner=self)

    def _listed(self, generation: int, rows: list[NoticeRow]) -> None:
        if generation != self._generation:
            return
        selected = self.selected()
        keep = self._select_after or (selected.id if selected is not None else None)
        self.model.set_rows(rows)
        row = self.model.index_of(keep) if keep is not None else None
        if row is not None:
            self._select_after = None
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        drafts = sum(1 for r in rows if r.status is NoticeStatus.DRAFT)
        self.count_label.setText(f"共 {len(rows)} 份" + (f"，其中草稿 {drafts} 份" if drafts else ""))
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText("读取失败")
        self.statusMessage.emit(describe_error(exc))

    def _on_change(self, change: Change) -> None:
        if change.entity in (ops.NOTICE_ENTITY, ops.RECTIFICATION_ENTITY, ops.VISIT_ENTITY, "social_org") \
                and self._shown:
            self.refresh()

    def selected(self) -> NoticeRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        row = self.selected()
        allowed = ALLOWED[row.status] if row is not None else frozenset()
        self.preview_button.setEnabled(row is not None)
        self.preview_button.setToolTip(PREVIEW_TIPS.get(row.status, PREVIEW_TIP) if row is not None else PREVIEW_TIP)
        for button, action in ((self.edit_button, "edit"), (self.delete_button, "delete"),
                               (self.issue_button, "issue"), (self.deliver_button, "deliver"),
                               (self.sign_button, "sign"), (self.void_button, "void")):
            button.setEnabled(action in allowed)

    # -- the menu's names: 新建 Ctrl+N, 打开 Enter, 查找 Ctrl+F, 刷新 F5 ------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def edit_selected(self) -> None:
        """Enter: the selected notice's preview (打印 and 另存为 there); a 草稿's or a 作废 one's is a check copy
        marked so on every page."""
        row = self.selected()
        if row is not None:
            number = "" if row.status is NoticeStatus.DRAFT else row.number.replace("（临时编号）", "")
            title = " ".join(part for part in (row.kind.label, row.org_name, number) if part)
            title += MARKED.get(row.status, "")
            ops.preview_record(ctx=self._ctx, parent=self, kind=ops.record_kind(row.kind), record_id=row.id,
                               title=title, on_opened=self._preview_opened)

    def print_selected(self) -> None:
        """文件 → 打印所选文书… (Ctrl+P): the preview, where 打印 is one more Ctrl+P."""
        self.edit_selected()

    def _preview_opened(self, dialog: QWidget) -> None:
        self.dialog = dialog

    def new_org(self) -> None:
        """Ctrl+N: 新建整改通知书…"""
        from app.ui.dialogs.new_notice import NewRectificationNoticeDialog

        self._open_new(NewRectificationNoticeDialog(self._ctx, origin=ORIGIN, parent=self))

    def new_visit_notice(self) -> None:
        from app.ui.dialogs.new_notice import NewVisitNoticeDialog

        self._open_new(NewVisitNoticeDialog(self._ctx, origin=ORIGIN, parent=self))

    def new_reminder_letter(self) -> None:
        from app.ui.dialogs.new_notice import NewReminderLetterDialog

        self._open_new(NewReminderLetterDialog(self._ctx, origin=ORIGIN, parent=self))

    def _open_new(self, dialog: QWidget) -> None:
        dialog.created.connect(self._created)  # type: ignore[attr-defined]
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]

    def _created(self, notice_id: str) -> None:
        self._select_after = notice_id
        self.statusMessage.emit("已新建草稿；核对无误后可签发")
        if self._shown:
            self.refresh()

    # -- drafts ----------------------------------------------------------------------------------
    def edit_draft(self) -> None:
        from app.ui.dialogs.edit_notice import EditNoticeDraftDialog

        row = self.selected()
        if row is None or "edit" not in ALLOWED[row.status]:
            return
        dialog = EditNoticeDraftDialog(self._ctx, row.id, origin=ORIGIN, parent=self)
        dialog.saved.connect(lambda _id: self.statusMessage.emit("草稿已保存；可预览核对后签发"))
        self._select_after = row.id
        self.dialog = dialog
        dialog.open()

    def delete_draft(self) -> None:
        row = self.selected()
        if row is None or "delete" not in ALLOWED[row.status]:
            return
        answer = QMessageBox.question(self, "删除草稿", DELETE_QUESTION.format(kind=row.kind.label, org=row.org_name))
        if answer == QMessageBox.StandardButton.Yes:
            ops.delete_notice_draft(ctx=self._ctx, notice_id=row.id,
                                    on_done=lambda _id: self.statusMessage.emit("草稿已删除"),
                                    on_error=self._delete_refused,
                                    origin=ORIGIN, owner=self)

    def _delete_refused(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "无法删除", describe_error(exc))

    # -- steps -----------------------------------------------------------------------------------
    def issue_selected(self) -> None:
        row = self.selected()
        if row is None or "issue" not in ALLOWED[row.status]:
            return
        answer = QMessageBox.question(self, "签发", ISSUE_QUESTION.format(kind=row.kind.label, org=row.org_name))
        if answer == QMessageBox.StandardButton.Yes:
            self._select_after = row.id
            ops.issue_notice(ctx=self._ctx, notice_id=row.id, on_done=self._issued, on_error=self._issue_refused,
                             origin=ORIGIN, owner=self)

    def _issue_refused(self, exc: BaseException) -> None:
        self._select_after = None
        if isinstance(exc, InstructorNotSet):
            answer = QMessageBox.question(self, "无法签发", f"{describe_error(exc)}\n\n现在打开文书设置填写吗？")
            if answer == QMessageBox.StandardButton.Yes:
                self.edit_series(focus_instructor=True)
            return
        QMessageBox.warning(self, "无法签发", describe_error(exc))

    def _issued(self, row: NoticeRow) -> None:
        self.statusMessage.emit(f"已签发：{row.number}")

    def step_selected(self, action: str) -> None:
        from app.ui.dialogs.notice_steps import NoticeStepDialog, Step

        row = self.selected()
        if row is None or action not in ALLOWED[row.status]:
            return
        step = {"deliver": Step.DELIVER, "sign": Step.SIGN, "void": Step.VOID}[action]
        dialog = NoticeStepDialog(self._ctx, row, step, origin=ORIGIN, parent=self)
        dialog.finished_step.connect(lambda new: self.statusMessage.emit(f"已{step.value}：{new.number}"))
        self._select_after = row.id
        self.dialog = dialog
        dialog.open()

    def edit_series(self, *, focus_instructor: bool = False) -> None:
        from app.ui.dialogs.series_dialog import SeriesSettingsDialog

        dialog = SeriesSettingsDialog(self._ctx, origin=ORIGIN, focus_instructor=focus_instructor, parent=self)
        dialog.saved.connect(lambda _s: self.statusMessage.emit("文书设置已保存，之后签发的通知按新代字编号"))
        self.dialog = dialog
        dialog.open()

    def print_month_batch(self) -> None:
        from app.ui.dialogs.batch_dialog import open_month_batch

        self.dialog = open_month_batch(ctx=self._ctx, parent=self, on_message=self.statusMessage.emit)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self.edit_selected()
            return
        if event.key() == Qt.Key.Key_Down and self.search.hasFocus() and self.model.rowCount():
            self.table.setFocus()
            if self.selected() is None:
                self.table.selectRow(0)
            return
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return
        super().keyPressEvent(event)
