"""党组织: the list on the left (search, 只看我负责的), the selected party organization on the right in tabs
(概况 / 任期与班子 / 党小组 / 党员名册), and the forms that add or change each thing.

Nothing is read before the view is first shown (the app starts on another section).  Reads and writes
go through ``app.ui.operations.party``; after any write to the party tables the change bus tells the
view, which re-reads the list and the party organization shown.  Ctrl+N 新建党组织, Ctrl+F search, F5
refresh, Enter edits (the window's menus call ``new_org`` / ``focus_search`` / ``refresh`` /
``edit_selected``); Esc in the search box clears it, Down moves into the list.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.services.party.dto import PartyOrgDetail, PartyOrgSummary, RosterEntry
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.dialogs.party import forms
from app.ui.dialogs.party.form import FormDialog
from app.ui.dialogs.party.party_org_dialog import PartyOrgDialog
from app.ui.operations import party as ops
from app.ui.views.party_detail import STATE_COLORS, PartyDetailTabs, fill, key_of, table

SEARCH_DELAY_MS = 200
ASSIGNMENT_ENTITY = "assignment"


def _facts(summary: PartyOrgSummary) -> str:
    secretary = f"　书记 {summary.secretary}" if summary.secretary else "　未录入书记"
    joint = f"　覆盖 {len(summary.covered_names)} 个组织" if len(summary.covered_names) > 1 else ""
    return f"正式 {summary.full_members} 人，预备 {summary.probationary_members} 人{secretary}{joint}"


class PartyView(QWidget):
    statusMessage = Signal(str)
    title = "党组织"

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.loaded = False
        self.stale = False
        self.summaries: tuple[PartyOrgSummary, ...] = ()
        self.detail: PartyOrgDetail | None = None
        self.dialog: QWidget | None = None
        self._selected_id: str | None = None
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self._build()
        ctx.bus.changed.connect(self._on_change)

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("查找党组织或组织（Ctrl+F）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.search.installEventFilter(self)
        self.mine = QCheckBox("只看我负责的")
        self.mine.toggled.connect(lambda _on: self.refresh())
        self.new_button = QPushButton("新建党组织…")
        self.new_button.clicked.connect(self.new_org)
        self.list = table(["党组织", "任期"])
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.horizontalHeader().setStretchLastSection(False)
        self.list.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.installEventFilter(self)
        self.count = QLabel()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.mine)
        column.addLayout(top)
        column.addWidget(self.list, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.new_button)
        column.addLayout(bottom)
        self.tabs = PartyDetailTabs()
        self.empty = QLabel("还没有党组织。点“新建党组织…”（Ctrl+N）录入，覆盖的社会组织从组织台账中选择。")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QWidget()
        stack = QVBoxLayout(right)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.tabs, 1)
        stack.addWidget(self.empty, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([400, 600])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.splitter)
        self._connect_tabs()
        self._show_selected(None)

    def _connect_tabs(self) -> None:
        t = self.tabs
        t.edit_button.clicked.connect(self.edit_selected)
        t.term_button.clicked.connect(self.start_term)
        t.post_button.clicked.connect(self.add_post)
        t.end_post_button.clicked.connect(self.end_post)
        t.add_group_button.clicked.connect(lambda: self.edit_group(new=True))
        t.edit_group_button.clicked.connect(lambda: self.edit_group(new=False))
        t.dissolve_button.clicked.connect(self.dissolve_group)
        t.add_member_button.clicked.connect(lambda: self.edit_member(new=True))
        t.edit_member_button.clicked.connect(lambda: self.edit_member(new=False))
        t.members.itemActivated.connect(lambda _item: self.edit_member(new=False))
        for button, what in ((t.confirm_button, "confirm"), (t.probation_button, "probation"),
                             (t.exclusion_button, "exclusion"), (t.transfer_button, "transfer_out")):
            button.clicked.connect(lambda _checked=False, w=what: self.member_event(w))
        t.roster_day.line.editingFinished.connect(self._load_roster)

    # -- loading -----------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self.loaded or self.stale:
            self.refresh()

    def refresh(self) -> None:
        """F5: re-read the list (and the party organization shown)."""
        self.loaded, self.stale = True, False
        ops.load_party_orgs(ctx=self._ctx, query=self.search.text(), mine=self.mine.isChecked(),
                            on_done=self._show_list, on_error=self._error, owner=self)

    def _show_list(self, summaries: tuple[PartyOrgSummary, ...]) -> None:
        self.summaries = summaries
        keep = self._selected_id
        self.list.blockSignals(True)
        fill(self.list, [(f"{s.name}\n{_facts(s)}", s.term_text.split("：")[0]) for s in summaries],
             [s.id for s in summaries],
             [STATE_COLORS[s.term_state] if s.term_state and s.term_state.name != "NORMAL" else None
              for s in summaries])
        row = next((i for i, s in enumerate(summaries) if s.id == keep), 0 if summaries else -1)
        self.list.setCurrentCell(row, 0)
        self.list.blockSignals(False)
        self.count.setText(f"共 {len(summaries)} 个党组织")
        self._show_selected(summaries[row].id if row >= 0 else None)

    def _selection_changed(self) -> None:
        self._show_selected(key_of(self.list))

    def _show_selected(self, party_org_id: str | None) -> None:
        self._selected_id = party_org_id
        self.tabs.setVisible(party_org_id is not None)
        self.empty.setVisible(party_org_id is None)
        if party_org_id is None:
            self.detail = None
            return
        ops.load_detail(ctx=self._ctx, party_org_id=party_org_id, on_done=self._detail_loaded,
                        on_error=self._error, owner=self)
        self._load_roster()

    def _detail_loaded(self, detail: PartyOrgDetail) -> None:
        if detail.id == self._selected_id:
            self.detail = detail
            self.tabs.show_detail(detail)

    def _load_roster(self) -> None:
        if self._selected_id is None:
            return
        problem = self.tabs.roster_day.problem()
        if problem:  # said beside the field, where the eye is; the list below is still the last good day's
            self.tabs.roster_summary.setText(f'<span style="color:#c5221f">名册日期：{escape(problem)}'
                                             "（下表仍是上次的名册）</span>")
            return
        party_org_id = self._selected_id
        ops.load_roster(ctx=self._ctx, party_org_id=party_org_id, day=self.tabs.roster_day.value(),
                        on_done=lambda roster: self._roster_loaded(party_org_id, roster), on_error=self._error,
                        owner=self)

    def _roster_loaded(self, party_org_id: str, roster: tuple[RosterEntry, ...]) -> None:
        if party_org_id == self._selected_id:
            self.tabs.show_roster(roster)

    def _on_change(self, change: Change) -> None:
        if change.entity in ops.PARTY_ENTITIES or change.entity in (ORG_ENTITY, ASSIGNMENT_ENTITY):
            if self.isVisible():
                self.refresh()
            elif self.loaded:
                self.stale = True

    def _error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "党组织", describe_error(exc))

    # -- keys --------------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search and key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
            if watched is self.search and key == Qt.Key.Key_Down and self.list.rowCount():
                self.list.setFocus()
                self.list.setCurrentCell(max(self.list.currentRow(), 0), 0)
                return True
            if watched is self.list and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.edit_selected()
                return True
        return super().eventFilter(watched, event)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- actions -----------------------------------------------------------------------------------
    def _open(self, dialog: FormDialog, done: str) -> None:
        self.dialog = dialog
        dialog.saved.connect(lambda _result: self.statusMessage.emit(done))
        dialog.open()

    def new_org(self) -> None:
        """Ctrl+N: 新建党组织."""
        dialog = PartyOrgDialog(self._ctx, None, self)
        dialog.saved.connect(lambda detail: setattr(self, "_selected_id", detail.id))
        self._open(dialog, "已新建党组织")

    def edit_selected(self) -> None:
        if self.detail is not None:
            self._open(PartyOrgDialog(self._ctx, self.detail, self), "已保存党组织")

    def _need(self, what: Any, message: str) -> bool:
        if what is None:
            self.statusMessage.emit(message)
            return False
        return True

    def start_term(self) -> None:
        if self.detail is not None:
            first = self.detail.current_term is None
            self._open(forms.term_form(self._ctx, self.detail.id, first=first, parent=self),
                       "已登记任期" if first else "已换届，上一届的记录已保留")

    def add_post(self) -> None:
        detail = self.detail
        if detail is not None and self._need(detail.current_term, "请先登记任期"):
            assert detail.current_term is not None
            self._open(forms.post_form(self._ctx, detail.id, detail.current_term.id, self.tabs.roster, self),
                       "已增加支委会成员")

    def end_post(self) -> None:
        detail, key = self.detail, key_of(self.tabs.committee)
        post = next((p for p in detail.committee if p.id == key), None) if detail else None
        if detail is not None and self._need(post, "请先在本届支部委员会中选中一人"):
            assert post is not None
            self._open(forms.end_post_form(self._ctx, detail.id, post.id, f"{post.role.label} {post.member_name}",
                                           self), "已结束任职")

    def edit_group(self, *, new: bool) -> None:
        detail, key = self.detail, key_of(self.tabs.groups)
        if detail is None:
            return
        group = None if new else next((g for g in detail.groups if g.id == key), None)
        if new or self._need(group, "请先选中一个党小组"):
            self._open(forms.group_form(self._ctx, detail.id, self.tabs.roster, group, self), "已保存党小组")

    def dissolve_group(self) -> None:
        detail, key = self.detail, key_of(self.tabs.groups)
        group = next((g for g in detail.groups if g.id == key and not g.dissolved), None) if detail else None
        if detail is not None and self._need(group, "请先选中一个未撤销的党小组"):
            assert group is not None
            self._open(forms.dissolve_form(self._ctx, detail.id, group, self), "已撤销党小组")

    def edit_member(self, *, new: bool) -> None:
        detail = self.detail
        if detail is None:
            return
        if new:
            self._open(forms.member_form(self._ctx, detail.id, detail.covered, detail.groups, parent=self),
                       "已新增党员")
            return
        entry = self.tabs.selected_entry()
        if self._need(entry, "请先在名册中选中一名党员"):
            assert entry is not None
            ops.load_member(ctx=self._ctx, member_id=entry.member_id, on_error=self._error, owner=self,
                            on_done=lambda loaded: self._open(forms.member_form(
                                self._ctx, detail.id, detail.covered, detail.groups, member_id=entry.member_id,
                                data=loaded[0], updated_at=loaded[1], parent=self), "已保存党员信息"))

    def member_event(self, what: str) -> None:
        entry = self.tabs.selected_entry()
        if self.detail is not None and self._need(entry, "请先在名册中选中一名党员"):
            assert entry is not None
            self._open(forms.member_event_form(self._ctx, self.detail.id, entry, what, self), "已登记")
