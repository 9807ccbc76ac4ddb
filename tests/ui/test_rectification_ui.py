"""整改 through the real widgets: a new item from the guided form, then 签发 → 签收 → 开始整改 → 反馈 →
复查未通过 → 开始整改 by the buttons of the follow-ups allowed now, the history shown in order; the list
shows the overdue in red with 逾期 N 天, filters, and opens an item with Enter."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationStatus as Status
from app.services.core import clock
from app.services.rectification import append_follow_up, create_item
from app.ui.context import UiContext
from app.ui.dialogs.rectification.detail import DetailDialog
from app.ui.dialogs.rectification.follow_up import FollowUpDialog
from app.ui.dialogs.rectification.item_form import ItemDialog
from app.ui.itemmodels.rectification_model import OVERDUE_COLOR, OVERDUE_COLUMN, RectificationListModel
from app.ui.views.rectification_view import RectificationView
from app.ui.widgets import ChoiceBox
from tests.rectification_data import ACTOR, add_org, at_noon, item_input
from tests.ui.conftest import ime_type


@pytest.fixture
def frozen() -> Iterator[clock.FrozenClock]:
    with clock.frozen(at_noon(date(2026, 3, 10))) as moved:
        yield moved


def _view(qtbot: QtBot, ctx: UiContext) -> RectificationView:
    view = RectificationView(RectificationListModel(), ctx)
    qtbot.addWidget(view)
    view.resize(961, 564)  # the section's room in a 1093×614 window
    view.show()
    return view


def _follow_up(qtbot: QtBot, detail: DetailDialog, kind: Kind, note: str = "") -> None:
    """Press the button of ``kind`` in the item's window, write ``note`` and record it."""
    qtbot.waitUntil(lambda: kind in detail.kind_buttons)
    qtbot.mouseClick(detail.kind_buttons[kind], Qt.MouseButton.LeftButton)
    dialog = detail.follow_up_dialog
    assert isinstance(dialog, FollowUpDialog) and dialog.kind is kind
    if note:
        editor = dialog.note.editor
        assert isinstance(editor, QPlainTextEdit)
        ime_type(editor, note)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def _buttons(detail: DetailDialog) -> list[Kind]:
    return list(detail.kind_buttons)


def test_new_item_then_the_flow_through_the_buttons(qtbot: QtBot, ctx: UiContext, frozen: clock.FrozenClock) -> None:
    org = add_org(ctx.database, "温泉街道志愿者服务队")
    view = _view(qtbot, ctx)
    qtbot.waitUntil(lambda: view.org_filter.count() == 2)
    view.new_org()
    form = view.dialog
    assert isinstance(form, ItemDialog)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)  # empty: every problem beside its field
    qtbot.waitUntil(lambda: form.slots["title"].text != "")
    assert form.slots["org_id"].text == "请选择整改事项所属的社会组织"
    assert form.slots["requirement"].text == "请填写整改要求（要求组织做到什么）"
    org_box = form.slots["org_id"].editor
    assert isinstance(org_box, ChoiceBox)
    org_box.setCurrentIndex(org_box.index_of(org))
    title, requirement = form.slots["title"].editor, form.slots["requirement"].editor
    assert isinstance(title, QLineEdit) and isinstance(requirement, QPlainTextEdit)
    ime_type(title, "未按期召开支部党员大会")
    ime_type(requirement, "补开支部党员大会")
    deadline = form.slots["deadline"].editor
    deadline.setText("2026-03-01")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: form.slots["deadline"].text.startswith("整改期限 2026年3月1日 早于提出日期 2026年3月10日"))
    deadline.setText("2026-03-31")  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: form.slots["deadline"].text == "")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(view.dialog, DetailDialog) and view.dialog.detail is not None)
    detail = view.dialog
    assert isinstance(detail, DetailDialog) and detail.detail is not None
    assert detail.detail.status is Status.DRAFT and _buttons(detail) == [Kind.ISSUE, Kind.NOTE]
    qtbot.waitUntil(lambda: [r.title for r in view.model.rows] == ["未按期召开支部党员大会"])

    _follow_up(qtbot, detail, Kind.ISSUE)
    qtbot.waitUntil(lambda: _buttons(detail) == [Kind.ACKNOWLEDGE, Kind.EXTEND, Kind.NOTE])
    _follow_up(qtbot, detail, Kind.ACKNOWLEDGE)
    _follow_up(qtbot, detail, Kind.START)
    qtbot.waitUntil(lambda: _buttons(detail) == [Kind.REPORT, Kind.EXTEND, Kind.NOTE])
    qtbot.mouseClick(detail.kind_buttons[Kind.REPORT], Qt.MouseButton.LeftButton)  # 反馈 needs its text
    report = detail.follow_up_dialog
    assert isinstance(report, FollowUpDialog)
    qtbot.mouseClick(report.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: report.note.text == "请填写整改情况（组织反馈了什么、做了哪些整改）")
    report.reject()
    _follow_up(qtbot, detail, Kind.REPORT, "已补开党员大会")
    qtbot.waitUntil(lambda: _buttons(detail) == [Kind.REVIEW_PASS, Kind.REVIEW_FAIL, Kind.NOTE])
    _follow_up(qtbot, detail, Kind.REVIEW_FAIL, "会议记录缺少表决情况")
    qtbot.waitUntil(lambda: _buttons(detail) == [Kind.START, Kind.EXTEND, Kind.NOTE])
    _follow_up(qtbot, detail, Kind.START)
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.status is Status.IN_PROGRESS)

    history = [[detail.history.item(r, c).text() for c in range(4)] for r in range(detail.history.rowCount())]
    assert [row[1] for row in history] == ["签发", "签收", "开始整改", "反馈", "复查未通过", "开始整改"]
    assert history[4][2:] == ["已反馈 → 复查未通过", "会议记录缺少表决情况"]
    assert history[5][2] == "复查未通过 → 整改中"
    assert all(row[0] == "2026-03-10" for row in history)
    assert "状态：<b>整改中</b>" in detail.state.text()
    qtbot.waitUntil(lambda: view.model.rows[0].status is Status.IN_PROGRESS)  # the list heard of it
    view.dialog = None
    detail.close()


def test_overdue_in_red_filters_and_enter_opens(qtbot: QtBot, ctx: UiContext, frozen: clock.FrozenClock) -> None:
    first, second = add_org(ctx.database, "温泉街道志愿者服务队"), add_org(ctx.database, "东街社区文体协会")
    factory = ctx.database.session_factory
    late = create_item(factory, item_input(first, title="党建工作经费未列入预算"), actor=ACTOR)
    append_follow_up(factory, late, kind=Kind.ISSUE, on_date=date(2026, 3, 10), actor=ACTOR)
    create_item(factory, item_input(second, title="年检材料未报送"), actor=ACTOR)
    frozen.move_to(at_noon(date(2026, 4, 3)))
    view = _view(qtbot, ctx)
    qtbot.waitUntil(lambda: len(view.model.rows) == 2)
    model = view.model
    assert model.data(model.index(0, OVERDUE_COLUMN)) == "逾期 3 天"
    assert model.data(model.index(0, 1), Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    assert model.data(model.index(1, OVERDUE_COLUMN)) == ""
    assert view.count_label.text() == "共 2 条，其中逾期 1 条"
    view.overdue_filter.setChecked(True)
    qtbot.waitUntil(lambda: [r.title for r in model.rows] == ["党建工作经费未列入预算"])
    view.overdue_filter.setChecked(False)
    qtbot.waitUntil(lambda: view.org_filter.count() == 3)
    view.org_filter.setCurrentIndex(view.org_filter.index_of(second))
    qtbot.waitUntil(lambda: [r.title for r in model.rows] == ["年检材料未报送"])
    view.org_filter.setCurrentIndex(0)
    ime_type(view.search, "经费")
    qtbot.waitUntil(lambda: [r.title for r in model.rows] == ["党建工作经费未列入预算"])
    view.search.setFocus()
    qtbot.keyClick(view.search, Qt.Key.Key_Down)  # from the search box into the results
    assert view.table.hasFocus() and view.selected() is not None
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(view.dialog, DetailDialog) and view.dialog.detail is not None)
    detail = view.dialog
    assert isinstance(detail, DetailDialog)
    assert "逾期 3 天" in detail.state.text()
    assert [b.text() for b in detail.findChildren(QPushButton) if b.text().endswith("…")] == [
        "签收…", "延期…", "备注…"]
    detail.close()


def test_the_dashboard_shows_overdue_rectifications(qtbot: QtBot, ctx: UiContext, frozen: clock.FrozenClock) -> None:
    from app.ui.itemmodels.dashboard_model import DashboardModel
    from app.ui.operations import rectification as ops
    from app.ui.views.dashboard_view import DashboardView

    org = add_org(ctx.database, "温泉街道志愿者服务队")
    factory = ctx.database.session_factory
    late = create_item(factory, item_input(org, title="党建工作经费未列入预算"), actor=ACTOR)
    for kind in (Kind.ISSUE, Kind.ACKNOWLEDGE, Kind.START):
        append_follow_up(factory, late, kind=kind, on_date=date(2026, 3, 10), actor=ACTOR)
    frozen.move_to(at_noon(date(2026, 4, 3)))
    view = DashboardView(DashboardModel(ctx, freshen=False), ctx)
    qtbot.addWidget(view)
    view.show()

    def lines() -> list[str]:
        return [view.due_list.item(i).text() for i in range(view.due_list.count())]

    qtbot.waitUntil(lambda: any("逾期整改 1 项" in line for line in lines()))
    row = next(i for i, line in enumerate(lines()) if "逾期整改" in line)
    view._line_chosen(view.due_list.item(row))
    text = view.panel.detail.toPlainText()
    assert "温泉街道志愿者服务队" in text and "党建工作经费未列入预算" in text and "逾期 3 天" in text
    ops.append_follow_up(ctx=ctx, item_id=late, kind=Kind.REPORT, on_date=date(2026, 4, 3), note="已补开",
                         new_deadline=None, evidence=(), on_done=lambda _id: None)
    qtbot.waitUntil(lambda: not any("逾期整改" in line for line in lines()))


def test_a_half_filled_form_is_kept_as_a_draft(qtbot: QtBot, ctx: UiContext, frozen: clock.FrozenClock,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.drafts import KEEP

    org = add_org(ctx.database, "温泉街道志愿者服务队")
    view = _view(qtbot, ctx)
    qtbot.waitUntil(lambda: view.org_filter.count() == 2)
    view.org_filter.setCurrentIndex(view.org_filter.index_of(org))  # 新建 for the organization filtered on
    view.new_org()
    form = view.dialog
    assert isinstance(form, ItemDialog) and form.org_id() == org
    ime_type(form.slots["title"].editor, "党建工作经费未列入预算")
    form.ask_close = lambda: KEEP  # type: ignore[method-assign]
    form.reject()
    assert not form.isVisible()
    monkeypatch.setattr(ItemDialog, "ask_restore_draft", lambda self, draft: True)
    again = ItemDialog(ctx, None, parent=view)  # 新建 again, with no organization filtered on
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.slots["title"].value() == "党建工作经费未列入预算")
    assert again.org_id() == org


def test_an_item_on_a_notice_previews_that_notice(qtbot: QtBot, ctx: UiContext, frozen: clock.FrozenClock) -> None:
    """预览整改通知书… in the item's window shows the notice the item went out on (none before it is on one)."""
    from PySide6.QtWidgets import QApplication

    from app.services.notices import create_rectification_notice, issue_notice
    from app.services.notices.settings import store_instructor_in
    from app.services.rectification import create_item
    from app.ui.dialogs.pdf_preview import PdfPreviewDialog

    factory = ctx.database.session_factory
    with factory.begin() as session:
        store_instructor_in(session, "林晓梅", "13812345678")
    item_id = create_item(factory, item_input(add_org(ctx.database)), actor=ACTOR)
    before = DetailDialog(ctx, item_id)
    qtbot.addWidget(before)
    qtbot.waitUntil(lambda: before.detail is not None)
    assert all(b.text() != "预览整改通知书…" for b in before.findChildren(QPushButton))
    notice_id = create_rectification_notice(factory, org_id=before.detail.data.org_id,  # type: ignore[union-attr]
                                            item_ids=[item_id], actor=ACTOR)
    issue_notice(factory, notice_id, actor=ACTOR)
    detail = DetailDialog(ctx, item_id)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitUntil(lambda: detail.detail is not None and detail.detail.notice_id == notice_id)
    button = next(b for b in detail.findChildren(QPushButton) if b.text() == "预览整改通知书…")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(isinstance(w, PdfPreviewDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()))
    preview = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible())
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "预览 — 整改通知书" and preview.page_count >= 2


def test_an_empty_list_says_how_items_come_in(qtbot: QtBot, ctx: UiContext, frozen: clock.FrozenClock) -> None:
    view = _view(qtbot, ctx)
    qtbot.waitUntil(lambda: view.count_label.text() == "共 0 条")
    assert view.empty_hint.isVisible() and "转为整改事项" in view.empty_hint.text()
    view.overdue_filter.setChecked(True)
    qtbot.waitUntil(lambda: "筛选" in view.empty_hint.text())
    view.overdue_filter.setChecked(False)
    create_item(ctx.database.session_factory, item_input(add_org(ctx.database)), actor=ACTOR)
    view.refresh()
    qtbot.waitUntil(lambda: view.count_label.text() == "共 1 条")
    assert view.empty_hint.isHidden()
