"""The 工作台's right-hand panel: what is behind the chosen cell or line (详情), and the standing lists —
upcoming 换届, 应建未建 and incomplete records — each a tab whose title carries its count."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QTextBrowser, QWidget

from app.services.compliance.dashboard import Dashboard, DueLine
from app.services.compliance.dto import CellDetail, FindingRow, Level, MeetingBrief
from app.ui.itemmodels.compliance_grid import STYLES

LEVEL_COLORS = {Level.VIOLATION: "#b3261e", Level.WARNING: "#9a4a00", Level.DUE: "#6b5200"}
DETAIL_HINT = ("单击表格中的格子（或用方向键选中后按回车），这里显示该党组织当月的会议和问题；"
               "单击上方“本月待办与逾期”中的一行，这里列出涉及的组织。")


def _day(value: date | None) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def _when(value: datetime) -> str:
    return f"{value.month}月{value.day}日 {value:%H:%M}"


def _finding_html(finding: FindingRow, *, with_owner: bool) -> str:
    color = "#80868b" if finding.waived else LEVEL_COLORS[finding.level]
    level = "已豁免" if finding.waived else finding.level.label
    owner = finding.party_org_name or finding.org_name
    head = f"<b>{escape(owner)}</b>　" if with_owner and owner else ""
    due = f'<br><span style="color:#5f6368">期限：{_day(finding.due_on)}</span>' if finding.due_on else ""
    subject = f"（{escape(finding.subject)}）" if finding.subject and finding.subject != owner else ""
    return (f'<p style="margin:0 0 6px 0">{head}<span style="color:{color}"><b>{level}</b></span>　'
            f"{escape(finding.message)}{subject}{due}</p>")


def _meeting_html(meeting: MeetingBrief) -> str:
    draft = '　<span style="color:#9a4a00">草稿，不计入</span>' if meeting.status.value == "DRAFT" else ""
    topic = f"　{escape(meeting.topic)}" if meeting.topic else ""
    return f'<p style="margin:0 0 4px 0">{_when(meeting.started_at)}　<b>{meeting.kind.label}</b>{topic}{draft}</p>'


def _list_html(rows: Sequence[FindingRow], empty: str, total: int | None = None) -> str:
    if not rows:
        return f'<p style="color:#5f6368">{empty}</p>'
    body = "".join(_finding_html(row, with_owner=True) for row in rows)
    if total is not None and total > len(rows):
        body += f'<p style="color:#5f6368">另有 {total - len(rows)} 项未列出。</p>'
    return body


class DashboardPanel(QTabWidget):
    """Tabs 详情 / 换届 / 应建未建 / 记录不完整; the views are plain read-only rich text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail, self.terms, self.should_form, self.incomplete = (self._browser() for _ in range(4))
        self.tabBar().setUsesScrollButtons(False)  # every tab (and its count) in view, never behind arrows
        self.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
        self.addTab(self.detail, "详情")
        self.addTab(self.terms, "换届")
        self.addTab(self.should_form, "应建未建")
        self.addTab(self.incomplete, "记录不完整")
        self.detail.setHtml(f'<p style="color:#5f6368">{DETAIL_HINT}</p>')
        self._dashboard: Dashboard | None = None
        self._filled: set[int] = set()  # list tabs filled since the last read (each when first shown)
        self.currentChanged.connect(self._fill)

    @staticmethod
    def _browser() -> QTextBrowser:
        browser = QTextBrowser()
        browser.setOpenLinks(False)
        return browser

    def show_lists(self, dashboard: Dashboard) -> None:
        """The counts in the tab titles now; a list's text when its tab is shown (the first paint does
        without laying out three rich texts nobody sees yet)."""
        self.setTabText(1, f"换届 {len(dashboard.terms)}")
        self.setTabText(2, f"应建未建 {len(dashboard.should_form)}")
        self.setTabText(3, f"记录不完整 {dashboard.incomplete_total}")
        self._dashboard, self._filled = dashboard, set()
        self._fill(self.currentIndex())

    def _fill(self, index: int) -> None:
        dashboard = self._dashboard
        if dashboard is None or index in self._filled or index == 0:
            return
        self._filled.add(index)
        if index == 1:
            self.terms.setHtml(_list_html(dashboard.terms, "没有将到期或已逾期的换届。"))
        elif index == 2:
            self.should_form.setHtml(_list_html(
                dashboard.should_form, "没有应建未建的组织（有 3 名以上正式党员、组织关系已转入、尚未建立党组织）。"))
        elif index == 3:
            self.incomplete.setHtml(_list_html(dashboard.incomplete, "没有不完整的会议记录或草稿。",
                                               dashboard.incomplete_total))

    def show_cell(self, detail: CellDetail) -> None:
        style = STYLES[detail.state]
        parts = [f"<h3 style='margin:0 0 6px 0'>{escape(detail.party_org_name)}</h3>",
                 f"<p style='margin:0 0 8px 0'>{detail.month.label()}　"
                 f"<span style='background:{style.background};color:{style.foreground}'>&nbsp;{style.mark} "
                 f"{style.label}&nbsp;</span></p>",
                 f"<h4 style='margin:8px 0 4px 0'>会议 {len(detail.meetings)}</h4>"]
        parts += [_meeting_html(m) for m in detail.meetings] or ["<p style='color:#5f6368'>当月没有会议记录。</p>"]
        parts.append(f"<h4 style='margin:8px 0 4px 0'>问题 {len(detail.findings)}</h4>")
        parts += [_finding_html(f, with_owner=False) for f in detail.findings] or [
            "<p style='color:#5f6368'>当月没有到期的问题。</p>"]
        self._show_detail("".join(parts))

    def show_line(self, line: DueLine, rows: Sequence[FindingRow], month_label: str) -> None:
        head = (f"<h3 style='margin:0 0 6px 0'>{line.rule_id.label}</h3>"
                f"<p style='margin:0 0 8px 0'>{month_label}待办与逾期：{escape(line.text)}</p>")
        self._show_detail(head + _list_html(rows, "没有。"))

    def show_message(self, text: str) -> None:
        self._show_detail(f'<p style="color:#5f6368">{escape(text)}</p>')

    def _show_detail(self, html: str) -> None:
        self.detail.setHtml(html)
        self.setCurrentWidget(self.detail)
