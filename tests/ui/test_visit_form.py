"""The visit form through its real widgets (issue 8 item 2): mode first, the day and times typed, the people
met, the checklist answered item by item with the keyboard (1 是 / 2 否 / 3 不适用), an answer 否 recorded as a
finding with one click, saved — then the saved finding turned into a 整改事项 from its row.  And the 走访
section: the month's plan and the list, Enter opens the selected visit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.core import clock
from app.services.orgs.assignments import mark_mine
from app.services.orgs.dto import OrgDetail, OrgType
from app.services.rectification import list_items, load_item
from app.services.visits import current_checklist, list_visits, load_visit
from app.services.visits.dto import ChecklistAnswerValue, PlanState, VisitMode, VisitStatus
from app.ui.context import UiContext
from app.ui.dialogs.visit.dialog import VisitDialog
from app.ui.dialogs.visit.to_rectification import RectificationAnswer
from app.ui.drafts import DISCARD
from app.ui.itemmodels.visit_model import PlanModel, VisitListModel
from app.ui.views.visits_view import VisitsView
from tests.ui.conftest import ime_type


@pytest.fixture
def orgs(ctx: UiContext, add_org: Callable[..., OrgDetail], frozen_clock: clock.FrozenClock) -> list[str]:
    ids = [add_org(name, OrgType.COMMUNITY_FILED).id for name in ("温泉社区志愿服务队", "五四社区书画协会")]
    mark_mine(ctx.database.session_factory, ids, True, actor="test:ui", user="local", today=date(2026, 1, 1))
    return ids


def _dialog(qtbot: QtBot, ctx: UiContext, **kwargs: object) -> VisitDialog:
    dialog = VisitDialog(ctx, **kwargs)  # type: ignore[arg-type]
    dialog.ask_close = lambda: DISCARD  # type: ignore[method-assign]  # no modal question at teardown
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_fill_the_form_save_and_turn_a_finding_into_an_item(qtbot: QtBot, ctx: UiContext, orgs: list[str]) -> None:
    dialog = _dialog(qtbot, ctx, org_id=orgs[0])
    assert dialog.header.org_id() == orgs[0]
    qtbot.mouseClick(dialog.header.modes[VisitMode.PHONE], Qt.MouseButton.LeftButton)
    assert "不计入" in dialog.header.mode_note.text()
    qtbot.mouseClick(dialog.header.modes[VisitMode.ON_SITE], Qt.MouseButton.LeftButton)
    assert dialog.header.mode_note.text() == ""
    dialog.header.day.line.clear()
    qtbot.keyClicks(dialog.header.day.line, "2026-04-02")  # a done visit in the future: said at once
    assert "不能晚于今天" in dialog.live_line.full_text
    dialog.header.day.line.clear()
    qtbot.keyClicks(dialog.header.day.line, "2026-03-30")
    qtbot.keyClicks(dialog.header.start, "11:00")
    qtbot.keyClicks(dialog.header.end, "9:30")
    assert "应晚于开始时刻" in dialog.live_line.full_text
    dialog.header.end.clear()
    qtbot.keyClicks(dialog.header.end, "11:45")
    ime_type(dialog.record.met_with, "理事长 王芳")
    ime_type(dialog.record.summary, "查看了活动场所和党建台账")
    dialog.tabs.setCurrentWidget(dialog.checklist)
    items = current_checklist().items
    assert [row.item.code for row in dialog.checklist.rows] == [item.code for item in items]
    c04 = dialog.checklist.row("C04")
    assert c04 is not None
    party_only = [row for row in dialog.checklist.rows if row.item.party_only]
    assert party_only and all(r.answer.answer() is ChecklistAnswerValue.NOT_APPLICABLE for r in party_only)
    for row in dialog.checklist.rows:
        qtbot.keyClick(row.answer, Qt.Key.Key_2 if row is c04 else Qt.Key.Key_1)
    ime_type(c04.note, "党费台账缺三个月")
    assert "答“否”" in dialog.live_line.full_text  # a 否 with no finding: suggested
    qtbot.mouseClick(c04.to_finding, Qt.MouseButton.LeftButton)
    assert dialog.tabs.currentWidget() is dialog.findings
    assert dialog.findings.values()[0].description == "党费台账缺三个月"
    assert dialog.live_line.full_text == "可以保存"
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = dialog.saved_detail
    assert saved is not None
    assert saved.data.start_time is not None and f"{saved.data.start_time:%H:%M}" == "11:00"
    answers = {a.item_code: a for a in saved.data.answers}
    assert answers["C04"].answer is ChecklistAnswerValue.NO and answers["C04"].note == "党费台账缺三个月"
    assert {a.item_code: a.item_text for a in saved.data.answers} == {i.code: i.text for i in items}

    detail = load_visit(ctx.database.session_factory, saved.id)
    again = _dialog(qtbot, ctx, detail=detail)
    again.tabs.setCurrentWidget(again.findings)
    again.findings.table.selectRow(0)
    asked: list[str] = []
    again.ask_rectification = lambda text, day: (  # type: ignore[method-assign]
        asked.append(text) or RectificationAnswer(date(2026, 4, 30), "建立党费台账，按月收缴", "理事长 王芳"))
    qtbot.mouseClick(again.findings.convert_button, Qt.MouseButton.LeftButton)
    assert asked == ["党费台账缺三个月"]
    items_made = list_items(ctx.database.session_factory).rows
    assert len(items_made) == 1
    item = load_item(ctx.database.session_factory, items_made[0].id)
    assert (item.data.finding_id, item.data.visit_id) == (saved.findings[0].id, saved.id)
    assert item.data.description == "党费台账缺三个月" and item.data.deadline == date(2026, 4, 30)
    assert again.findings.table.item(0, 2).text() == "已转为整改事项"  # type: ignore[union-attr]
    assert not again.findings.convert_button.isEnabled()
    _prints_the_saved_record(qtbot, again)


def _prints_the_saved_record(qtbot: QtBot, dialog: VisitDialog) -> None:
    """打印走访记录表 previews the saved visit's form; with unsaved changes it says to save first."""
    from PySide6.QtWidgets import QApplication

    from app.services.notices.settings import store_instructor_in
    from app.ui.dialogs.pdf_preview import PdfPreviewDialog

    with dialog._ctx.database.session_factory.begin() as session:  # the form prints the instructor's name
        store_instructor_in(session, "林晓梅", "13812345678")

    def previews() -> list[PdfPreviewDialog]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog) and w.isVisible()]

    assert dialog.print_button.isVisible()
    ime_type(dialog.record.suggestions, "建议按月收缴党费")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert "请先保存" in dialog.live_line.full_text and previews() == []
    dialog.record.suggestions.clear()
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(previews()) == 1)
    preview = previews()[0]
    qtbot.addWidget(preview)
    assert preview.windowTitle() == "预览 — 走访记录表" and preview.page_count >= 1


def test_a_plan_shows_only_what_a_plan_has(qtbot: QtBot, ctx: UiContext, orgs: list[str]) -> None:
    dialog = _dialog(qtbot, ctx, org_id=orgs[1])
    qtbot.mouseClick(dialog.header.planned, Qt.MouseButton.LeftButton)
    assert not dialog.tabs.isTabVisible(dialog.tabs.indexOf(dialog.checklist))
    assert "已经过去" not in dialog.live_line.full_text  # today is allowed
    dialog.header.day.line.clear()
    qtbot.keyClicks(dialog.header.day.line, "2026-03-01")
    assert "已经过去" in dialog.live_line.full_text
    dialog.header.day.line.clear()
    qtbot.keyClicks(dialog.header.day.line, "2026-04-08")
    qtbot.mouseClick(dialog.header.surprise, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    row = list_visits(ctx.database.session_factory).rows[0]
    assert (row.status, row.surprise, row.visited_on) == (VisitStatus.PLANNED, True, date(2026, 4, 8))


def test_the_section_shows_the_plan_and_enter_opens_a_visit(qtbot: QtBot, ctx: UiContext, orgs: list[str]) -> None:
    dialog = _dialog(qtbot, ctx, org_id=orgs[0])
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    view = VisitsView(PlanModel(), VisitListModel(), ctx)
    qtbot.addWidget(view)
    view.show()
    states = {row.org_name: row.state for row in view.plan_model.rows}
    assert states == {"温泉社区志愿服务队": PlanState.VISITED, "五四社区书画协会": PlanState.DUE}
    assert "已走访 <b" in view.plan_summary.text() and "至少实地走访 1 次" in view.plan_summary.text()
    assert view.count_label.text() == "共 1 次走访"
    with qtbot.waitActive(view):
        view.activateWindow()
    view.table.setFocus()
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert isinstance(view.dialog, VisitDialog) and view.dialog.header.org_id() == orgs[0]
    view.dialog.ask_close = lambda: DISCARD  # type: ignore[method-assign]
    view.dialog.reject()


def test_enter_on_a_planned_organization_opens_its_plan(qtbot: QtBot, ctx: UiContext, orgs: list[str]) -> None:
    plan = _dialog(qtbot, ctx, org_id=orgs[1])
    plan.header.planned.click()
    with qtbot.waitSignal(plan.saved):
        qtbot.mouseClick(plan.save_button, Qt.MouseButton.LeftButton)
    view = VisitsView(PlanModel(), VisitListModel(), ctx)
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitActive(view):
        view.activateWindow()
    row = next(i for i, r in enumerate(view.plan_model.rows) if r.org_id == orgs[1])
    assert view.plan_model.rows[row].planned == (date(2026, 3, 31),)
    view.plan_table.setFocus()
    view.plan_table.selectRow(row)
    qtbot.keyClick(view.plan_table, Qt.Key.Key_Return)
    assert isinstance(view.dialog, VisitDialog) and view.dialog.header.status() is VisitStatus.PLANNED
    view.dialog.ask_close = lambda: DISCARD  # type: ignore[method-assign]
    view.dialog.header.done.click()  # the plan carried out: recorded as 已走访 on its day
    assert view.dialog.tabs.isTabVisible(view.dialog.tabs.indexOf(view.dialog.checklist))
    view.dialog.reject()
    view.org_filter.setCurrentIndex(view.org_filter.index_of(orgs[0]))
    assert view.count_label.text() == "共 0 次走访"


def test_a_half_filled_form_survives_as_a_draft(qtbot: QtBot, ctx: UiContext, orgs: list[str]) -> None:
    """What was typed is kept on disk while typing; the next 新建走访 offers it back, answers and findings too."""
    first = _dialog(qtbot, ctx, org_id=orgs[0])
    qtbot.mouseClick(first.header.modes[VisitMode.ONLINE], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(first.header.start, "9:30")
    ime_type(first.record.met_with, "秘书长 李强")
    first.checklist.rows[0].answer.set_value(ChecklistAnswerValue.NO)
    first.findings.append("党组织设置不规范", first.checklist.rows[0].item.code)
    first.drafts.save_now()
    qtbot.waitUntil(lambda: not first.drafts.pending, timeout=5000)  # as if the app crashed now
    second = VisitDialog(ctx)
    second.ask_close = lambda: DISCARD  # type: ignore[method-assign]
    second.ask_restore_draft = lambda _draft: True  # type: ignore[method-assign]
    qtbot.addWidget(second)
    qtbot.waitUntil(lambda: second.record.met_with.text() == "秘书长 李强", timeout=5000)
    restored = second.form_input()
    assert restored == first.form_input()
    assert restored.mode is VisitMode.ONLINE and restored.findings[0].description == "党组织设置不规范"


def test_without_my_organizations_the_form_never_says_it_can_save(qtbot: QtBot, ctx: UiContext,
                                                                  frozen_clock: clock.FrozenClock) -> None:
    """No 我负责的 organization: the header says where to mark them, and the line under the form asks for an
    organization instead of "可以保存" (the save would be refused)."""
    dialog = _dialog(qtbot, ctx)
    qtbot.waitUntil(lambda: dialog._choices_read)
    assert "还没有“我负责的”组织" in dialog.header_message.full_text
    assert dialog.live_line.full_text == "请先选择走访的社会组织"
    ime_type(dialog.record.met_with, "理事长 王芳")  # typing elsewhere keeps both
    assert "还没有“我负责的”组织" in dialog.header_message.full_text
    assert dialog.live_line.full_text == "请先选择走访的社会组织"


def test_a_photo_is_stored_at_once_and_removed_again_when_the_form_closes_unsaved(
        qtbot: QtBot, ctx: UiContext, orgs: list[str], tmp_path: Path) -> None:
    """添加照片…: the bytes go into the attachments folder under their SHA-256 before any save; closing the form
    without saving takes them out again (no row names them)."""
    from app.ui.operations import attachments as files

    photo = tmp_path / "现场.png"
    photo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 2048)
    dialog = _dialog(qtbot, ctx, org_id=orgs[0])
    dialog.record.add_path(photo)
    assert [p.filename for p in dialog.record.photos] == ["现场.png"]
    stored = files.file_path(ctx=ctx, sha256=dialog.record.photos[0].sha256)
    assert stored.read_bytes() == photo.read_bytes()
    assert "已添加 现场.png" in dialog.record.photo_message.text()
    dialog.reject()  # ask_close answers 放弃
    assert not stored.exists()
