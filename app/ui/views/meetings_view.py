"""三会一课: the meetings of every 党组织, newest first, with filters (党组织, 类型, month / quarter / year,
草稿 / 完成, text); Ctrl+N (新建) opens an empty form, Enter or a double click opens the selected record.
Nothing is read before the section is first shown; saves elsewhere (``Change("meeting", …)``) refresh it."""

from __future__ import annotations

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

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.meetings.dto import (
    MeetingDetail,
    MeetingKind,
    MeetingList,
    MeetingRow,
    MeetingStatus,
    PartyOrgChoice,
    Period,
    month_of,
    quarter_of,
    year_of,
)
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.itemmodels.meeting_model import MeetingListModel
from app.ui.operations import meetings as ops
from app.ui.widgets import ChoiceBox

SEARCH_DELAY_MS = 200
ORIGIN = "meetings_view"


def period_choices() -> list[tuple[str, Period | None]]:
    """全部时间, then the last 12 months, 8 quarters and 5 years (from the district's today)."""
    today = clock.today()
    choices: list[tuple[str, Period | None]] = [("全部时间", None)]
    month, quarter, year = month_of(today), quarter_of(today), year_of(today)
    for _ in range(12):
        choices.append((month.label(), month))
        month = month.previous()
    for _ in range(8):
        choices.append((quarter.label(), quarter))
        quarter = quarter.previous()
    for _ in range(5):
        choices.append((year.label(), year))
        year = year.previous()
    return choices


class MeetingsView(QWidget):
    statusMessage = Signal(str)
    title = "三会一课"

    def __init__(self, model: MeetingListModel, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self._ctx = model, ctx
        self.dialog: QWidget | None = None
        self._select_after: str | None = None  # the record just saved: chosen in the list once it is read
        self._shown = False
        self._generation = 0
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self._build()
        ctx.bus.changed.connect(self._on_change)

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索议题、地点、主持人、讲课人或党组织名称")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.new_button, self.open_button, self.delete_button = QPushButton("新建会议记录"), QPushButton("打开"), \
            QPushButton("删除")
        self.new_button.clicked.connect(self.new_org)
        self.open_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        for button in (self.new_button, self.open_button, self.delete_button):
            top.addWidget(button)
        self.party_filter = ChoiceBox([("全部党组织", None)])
        self.party_filter.setMinimumContentsLength(12)
        self.kind_filter = ChoiceBox([("全部类型", None), *((k.label, k) for k in MeetingKind)])
        self.period_filter = ChoiceBox(period_choices())
        self.status_filter = ChoiceBox([("草稿和完成", None), ("完成", MeetingStatus.DONE),
                                        ("草稿", MeetingStatus.DRAFT)])
        self.count_label = QLabel()
        filters = QHBoxLayout()
        for box in (self.party_filter, self.kind_filter, self.period_filter, self.status_filter):
            box.currentIndexChanged.connect(lambda _i: self.refresh())
            filters.addWidget(box)
        filters.addStretch(1)
        filters.addWidget(self.count_label)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab moves on to the next control; arrows move within
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (1, 230), (2, 100), (4, 50), (5, 50), (6, 60)):
            self.table.setColumnWidth(column, width)
        legend = QLabel('<span style="color:#b05a00">橙色：草稿（记录不完整，不计入三会一课完成情况）</span>　'
                        "应到、实到按会议当天的表决权计算")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(legend)

    # -- reading ---------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown:  # nothing is read at start-up, only once the section is first shown
            self._shown = True
            ops.load_party_orgs(ctx=self._ctx, on_done=self._party_orgs_loaded, owner=self)
            self.refresh()

    def _party_orgs_loaded(self, choices: tuple[PartyOrgChoice, ...]) -> None:
        current = self.party_filter.value()
        self.party_filter.blockSignals(True)
        self.party_filter.set_choices([("全部党组织", None), *((c.name, c.id) for c in choices)])
        self.party_filter.setCurrentIndex(max(self.party_filter.index_of(current), 0))
        self.party_filter.blockSignals(False)

    def refresh(self) -> None:
        self._search_timer.stop()
        self._generation += 1
        generation = self._generation
        party, kind, period, status = (self.party_filter.value(), self.kind_filter.value(), self.period_filter.value(),
                                       self.status_filter.value())
        self.count_label.setText("正在读取…")
        ops.list_meetings(ctx=self._ctx, party_org_id=party if isinstance(party, str) else None,
                          kind=kind if isinstance(kind, MeetingKind) else None,
                          period=period if isinstance(period, Period) else None,
                          status=status if isinstance(status, MeetingStatus) else None, text=self.search.text(),
                          on_done=lambda found: self._listed(generation, found), on_error=self._failed, owner=self)

    def _listed(self, generation: int, found: MeetingList) -> None:
        if generation != self._generation:
            return
        self.model.set_rows(found.rows, found.total)
        if self._select_after is not None:
            row = next((i for i, r in enumerate(found.rows) if r.id == self._select_after), None)
            if row is not None:
                self._select_after = None
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        shown = len(found.rows)
        self.count_label.setText(f"共 {found.total} 次会议" if shown == found.total
                                 else f"共 {found.total} 次会议，显示最近 {shown} 次（可用筛选缩小范围）")
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        self.count_label.setText("读取失败")
        self.statusMessage.emit(describe_error(exc))

    def _on_change(self, change: Change) -> None:
        if change.entity in (ops.MEETING_ENTITY, "party_org", "member") and self._shown:
            self.refresh()

    def _update_actions(self) -> None:
        has = self.selected() is not None
        self.open_button.setEnabled(has)
        self.delete_button.setEnabled(has)

    def selected(self) -> MeetingRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- actions (the menu's names: 新建 Ctrl+N, 打开 Enter, 查找 Ctrl+F, 刷新 F5) ----------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def new_org(self) -> None:
        """Ctrl+N: a new meeting record (of the 党组织 filtered on, if one is)."""
        party = self.party_filter.value()
        self.open_dialog(None, party_org_id=party if isinstance(party, str) else None)

    def edit_selected(self) -> None:
        row = self.selected()
        if row is not None:
            ops.load_meeting(ctx=self._ctx, meeting_id=row.id, owner=self, on_done=self._loaded,
                             on_error=lambda exc: self._warn("无法打开", exc))

    def _loaded(self, detail: MeetingDetail) -> None:
        self.open_dialog(detail)

    def _saved(self, detail: MeetingDetail) -> None:
        """The saved record is chosen in the list when the list has read it (the bus change re-reads it)."""
        self._select_after = detail.id
        self.statusMessage.emit(f"已保存：{detail.data.kind.label}（{detail.status.label}）"
                                + (f"，尚缺 {len(detail.missing)} 项" if detail.missing else ""))

    def _warn(self, title: str, exc: BaseException) -> None:
        QMessageBox.warning(self, title, describe_error(exc))

    def open_dialog(self, detail: MeetingDetail | None, *, party_org_id: str | None = None) -> QWidget:
        from app.ui.dialogs.meeting.dialog import MeetingDialog  # the form is imported when first opened

        dialog = MeetingDialog(self._ctx, detail, party_org_id=party_org_id, parent=self)
        dialog.saved.connect(self._saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(self, "删除会议记录", f"删除 {row.started_at:%Y-%m-%d} 的{row.kind.label}记录？"
                                      "删除后不计入三会一课完成情况。")
        if answer == QMessageBox.StandardButton.Yes:
            ops.delete_meeting(ctx=self._ctx, meeting_id=row.id, origin=ORIGIN, owner=self,
                               on_done=lambda _p: self.statusMessage.emit("会议记录已删除"),
                               on_error=lambda exc: self._warn("无法删除", exc))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.hasFocus():
            self.edit_selected()
            return
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            return
        super().keyPressEvent(event)
