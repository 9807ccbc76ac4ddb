"""The selected party organization in four tabs: 概况 / 任期与班子 / 党小组 / 党员名册.

It shows what it is given (``show_detail``, ``show_roster``) and asks for actions through signals-free
callbacks of the view (``PartyView``); it runs no query itself.  Tables are read-only; each tab has its
buttons, and Enter on a row opens its edit form.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.branch_rules import FindingLevel, TermState
from app.domain.date_text import format_date
from app.services.party.dto import PartyOrgDetail, RosterEntry
from app.ui.dialogs.fields import ERROR_COLOR, WARNING_COLOR, DateEntry

STATE_COLORS = {TermState.NORMAL: "#188038", TermState.DUE_SOON: WARNING_COLOR, TermState.EXPIRED: ERROR_COLOR,
                TermState.OVERDUE: ERROR_COLOR}
MUTED = "#5f6368"


def table(headers: Sequence[str]) -> QTableWidget:
    widget = QTableWidget(0, len(headers))
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().hide()
    widget.setAlternatingRowColors(True)
    widget.horizontalHeader().setStretchLastSection(True)
    widget.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[str],
         colors: Sequence[str | None] | None = None) -> None:
    """Rows of text; ``keys[i]`` is kept on the row's first cell (``key_of``)."""
    widget.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c == 0:
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            if colors and colors[r]:
                item.setForeground(QColor(colors[r]))
            widget.setItem(r, c, item)


def key_of(widget: QTableWidget) -> str | None:
    row = widget.currentRow()
    item = widget.item(row, 0) if row >= 0 else None
    return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


def buttons(*labels: str) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    made = [QPushButton(label) for label in labels]
    for button in made:
        row.addWidget(button)
    row.addStretch(1)
    return row, made


def _day(value: date | None) -> str:
    return format_date(value) if value else ""


class PartyDetailTabs(QTabWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: PartyOrgDetail | None = None
        self.roster: tuple[RosterEntry, ...] = ()
        self._build_overview()
        self._build_terms()
        self._build_groups()
        self._build_roster()

    # -- 概况 --------------------------------------------------------------------------------------
    def _build_overview(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.heading.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.covered = table(["覆盖的社会组织", "街道", "社区"])
        row, (self.edit_button,) = buttons("编辑党组织…")
        layout.addWidget(self.heading)
        layout.addWidget(self.facts)
        layout.addWidget(self.findings)
        layout.addWidget(self.covered, 1)
        layout.addLayout(row)
        self.addTab(page, "概况")

    # -- 任期与班子 ----------------------------------------------------------------------------------
    def _build_terms(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.term_status = QLabel()
        self.term_status.setWordWrap(True)
        self.terms = table(["届次", "开始", "届满", "换届", "状态", "备注"])
        self.committee = table(["职务", "姓名", "任职", "结束"])
        row, (self.term_button, self.post_button, self.end_post_button) = buttons(
            "换届…", "增加支委会成员…", "结束任职…")
        layout.addWidget(self.term_status)
        layout.addWidget(QLabel("历届任期（保留历史，不覆盖）"))
        layout.addWidget(self.terms, 1)
        layout.addWidget(QLabel("本届支部委员会"))
        layout.addWidget(self.committee, 1)
        layout.addLayout(row)
        self.addTab(page, "任期与班子")

    # -- 党小组 -------------------------------------------------------------------------------------
    def _build_groups(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.groups = table(["党小组", "组长", "党员", "成立", "状态"])
        row, (self.add_group_button, self.edit_group_button, self.dissolve_button) = buttons(
            "新建党小组…", "修改…", "撤销…")
        layout.addWidget(self.groups, 1)
        layout.addLayout(row)
        self.addTab(page, "党小组")

    # -- 党员名册 ------------------------------------------------------------------------------------
    def _build_roster(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        day_row = QHBoxLayout()
        self.roster_day = DateEntry()
        self.roster_day.setMaximumWidth(260)
        self.roster_day.line.setPlaceholderText("留空为今天")
        self.roster_day.line.setToolTip("名册按这一天的情况显示：当时的身份、表决权和组织关系（留空为今天）")
        self.roster_summary = QLabel()
        day_label = QLabel("名册日期")
        day_label.setBuddy(self.roster_day.line)
        day_row.addWidget(day_label)
        day_row.addWidget(self.roster_day)
        day_row.addWidget(self.roster_summary, 1)
        self.members = table(["姓名", "身份", "表决权", "组织关系", "党小组", "所在组织", "入党日期"])
        header = self.members.horizontalHeader()  # fits 1366×768 at 125 %: the long columns share what is left
        header.setStretchLastSection(False)
        for column, width in ((2, 110), (3, 90), (4, 70)):  # "无：…" and the dates in full in the tooltips
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.members.setColumnWidth(column, width)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        row, made = buttons("新增党员…", "编辑…", "转正…", "留党察看…", "不计入应到…", "组织关系转出…")
        (self.add_member_button, self.edit_member_button, self.confirm_button, self.probation_button,
         self.exclusion_button, self.transfer_button) = made
        layout.addLayout(day_row)
        layout.addWidget(self.members, 1)
        layout.addLayout(row)
        self.addTab(page, "党员名册")

    # -- showing -----------------------------------------------------------------------------------
    def show_detail(self, detail: PartyOrgDetail) -> None:
        self.detail = detail
        self.heading.setText(detail.name)
        community = "（村、社区党组织：任期 5 年）" if detail.community else ""
        established = _day(detail.established_on) or "未填写"
        self.facts.setText(
            f"层级：{detail.level.label}　组建方式：{detail.formation.label}　成立：{established}"
            f"\n上级党组织：{detail.superior_org or '未填写'}{community}"
            f"\n党员 {detail.members} 人，其中正式党员（组织关系已转入）{detail.full_members} 人")
        self._show_findings(detail)
        fill(self.covered, [(o.name, o.sub_district, o.community) for o in detail.covered],
             [o.org_id for o in detail.covered])
        current = detail.current_term
        if current is None:
            self.term_status.setText("尚未录入任期：请点“登记任期…”填写选举日期，届满日期自动计算。")
            self.term_status.setStyleSheet(f"color: {WARNING_COLOR};")
        else:
            status = current.status
            self.term_status.setText(f"第{current.term_no}届　{status.text if status else ''}")
            color = STATE_COLORS[status.state] if status else MUTED
            self.term_status.setStyleSheet(f"color: {color}; font-weight: bold;")
        self.term_button.setText("换届…" if current else "登记任期…")
        fill(self.terms, [(f"第{t.term_no}届", _day(t.started_on), _day(t.due_on), _day(t.renewed_on),
                           t.status.state.label if t.status else "已换届", t.note) for t in detail.terms],
             [t.id for t in detail.terms])
        fill(self.committee, [(p.role.label, p.member_name, _day(p.first_day), _day(p.last_day))
                              for p in detail.committee], [p.id for p in detail.committee],
             [MUTED if p.last_day else None for p in detail.committee])
        fill(self.groups, [(g.name, g.leader_name, str(g.members), _day(g.first_day),
                            f"已撤销（{_day(g.last_day)}）" if g.dissolved else "在册") for g in detail.groups],
             [g.id for g in detail.groups], [MUTED if g.dissolved else None for g in detail.groups])
        self.post_button.setEnabled(current is not None)
        self.end_post_button.setEnabled(bool(detail.committee))

    def _show_findings(self, detail: PartyOrgDetail) -> None:
        if not detail.findings:
            self.findings.setText("组织设置：未发现问题")
            self.findings.setStyleSheet("color: #188038;")
            return
        lines = [f"{f.level.label}：{f.text}" for f in detail.findings]
        violation = any(f.level is FindingLevel.VIOLATION for f in detail.findings)
        self.findings.setText("\n".join(lines))
        self.findings.setStyleSheet(f"color: {ERROR_COLOR if violation else WARNING_COLOR};")

    def show_roster(self, roster: tuple[RosterEntry, ...]) -> None:
        self.roster = roster
        rows = [(e.name, e.kind.label if e.kind else "未填写", "有" if e.has_vote else f"无：{e.vote_reason}",
                 e.relation_text, e.group_name, e.org_name, _day(e.joined_on)) for e in roster]
        fill(self.members, rows, [e.member_id for e in roster], [None if e.has_vote else MUTED for e in roster])
        for row in range(self.members.rowCount()):
            for column in (2, 3, 4, 5):
                item = self.members.item(row, column)
                if item is not None:
                    item.setToolTip(item.text())
        voters = sum(1 for e in roster if e.has_vote)
        day = roster[0].day if roster else None
        when = f"{_day(day)} " if day else ""
        self.roster_summary.setText(f"{when}共 {len(roster)} 人，有表决权 {voters} 人")

    def selected_entry(self) -> RosterEntry | None:
        key = key_of(self.members)
        return next((e for e in self.roster if e.member_id == key), None)
