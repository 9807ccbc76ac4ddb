"""The organization form: saving through the ledger, problems next to their fields, nothing lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.services.core import clock
from app.services.core.database import Database
from app.services.orgs import ledger, organizations
from app.services.orgs.dto import ArchivedFilter, EvaluationGrade, LedgerFilter, LedgerSort, OrgDetail, OrgType
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, WARNING_COLOR
from app.ui.dialogs.org_dialog import OrgDialog
from app.ui.itemmodels.ledger_model import LedgerModel
from app.ui.views.ledger_view import LedgerView

AddOrg = Callable[..., OrgDetail]
TypeChinese = Callable[[QWidget, str], None]


def saved_names(db: Database) -> list[str]:
    ids = ledger.query_ledger(db.session_factory, LedgerFilter(archived=ArchivedFilter.ALL), LedgerSort())
    return [row.name for row in ledger.ledger_rows(db.session_factory, ids.ids)]


@pytest.fixture
def view(qtbot: QtBot, ctx: UiContext) -> LedgerView:
    ledger_view = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(ledger_view)
    ledger_view.resize(1200, 700)
    ledger_view.show()
    return ledger_view


def new_dialog(qtbot: QtBot, view: LedgerView) -> OrgDialog:
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog) and dialog.isVisible()
    return dialog


def click_save(qtbot: QtBot, dialog: OrgDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_create_saves_and_the_ledger_shows_it(
    qtbot: QtBot, view: LedgerView, db: Database, codes: object, type_chinese: TypeChinese
) -> None:
    dialog = new_dialog(qtbot, view)
    assert dialog.windowTitle() == "新建组织"
    type_chinese(dialog.editor("name"), "朝阳区书法家协会")
    dialog.editor("org_type").set_value(OrgType.SOCIAL_GROUP)
    code = codes.valid(OrgType.SOCIAL_GROUP)  # type: ignore[attr-defined]
    qtbot.keyClicks(dialog.editor("uscc"), code)
    type_chinese(dialog.editor("registration_authority"), "朝阳区民政局")
    qtbot.keyClicks(dialog.editor("founded_on").line, "2012.5.4")
    dialog.editor("party_member_count").set_count(7)
    dialog.editor("evaluation_grade").set_value(EvaluationGrade.A4)
    dialog.editor("evaluation_date").set_value(date(2023, 6, 1))
    with qtbot.waitSignal(dialog.saved) as saved:
        click_save(qtbot, dialog)
    detail = saved.args[0]
    assert isinstance(detail, OrgDetail) and dialog.result() == QDialog.DialogCode.Accepted
    assert saved_names(db) == ["朝阳区书法家协会"]
    stored = organizations.get_org(db.session_factory, detail.id).data
    assert (stored.uscc, stored.founded_on, stored.party_member_count) == (code, date(2012, 5, 4), 7)
    assert stored.evaluation_grade is EvaluationGrade.A4 and stored.staff_count is None
    model = view.model
    assert model.total == 1 and view.count_label.text() == "共 1 个组织"
    model.ensure_rows(0, 0)
    assert model.data(model.index(0, 0)) == "朝阳区书法家协会"
    assert model.data(model.index(0, 5)) == "4A"
    assert view.selected_id() == detail.id


@pytest.mark.parametrize(("name", "message"), [
    ("", "“组织名称”不能为空"), ("很" * 200, "“组织名称”过长（200字），最多100字")])
def test_bad_name_is_shown_next_to_the_field_and_nothing_is_saved(
    qtbot: QtBot, view: LedgerView, db: Database, codes: object, name: str, message: str
) -> None:
    dialog = new_dialog(qtbot, view)
    dialog.editor("name").setText(name)
    dialog.editor("short_name").setText("简称留着")
    dialog.editor("registration_authority").setText("朝阳区民政局")
    qtbot.keyClicks(dialog.editor("uscc"), codes.valid())  # type: ignore[attr-defined]
    click_save(qtbot, dialog)
    assert dialog.isVisible(), "the form stays open"
    assert dialog.problems_shown() == {"name": message}
    slot = dialog.slots["name"]
    assert slot.message.isVisible() and ERROR_COLOR in slot.message.styleSheet()
    assert slot.message.text() == message if len(message) < 20 else slot.message.toolTip() == message
    assert dialog.banner.isVisible() and "1 处" in dialog.banner.text()
    assert dialog.focusWidget() is dialog.editor("name")
    assert saved_names(db) == []
    assert dialog.editor("name").text() == name and dialog.editor("short_name").text() == "简称留着"


def test_every_problem_is_shown_at_once_and_the_first_gets_focus(
    qtbot: QtBot, view: LedgerView, db: Database
) -> None:
    dialog = new_dialog(qtbot, view)
    dialog.editor("name").setText("某协会")
    dialog.editor("registration_authority").setText("朝阳区民政局")
    dialog.editor("uscc").setText("51110105MJ00000")  # too short
    dialog.editor("founded_on").set_value(clock.today().replace(year=clock.today().year + 1))
    dialog.editor("evaluation_grade").set_value(EvaluationGrade.A3)  # but no 评估日期
    click_save(qtbot, dialog)
    shown = dialog.problems_shown()
    assert set(shown) == {"uscc", "founded_on", "evaluation_date"}
    assert "应为18位" in shown["uscc"] and "晚于今天" in shown["founded_on"]
    assert dialog.focusWidget() is dialog.editor("uscc")
    assert saved_names(db) == []


def test_duplicate_uscc_names_the_other_organization(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg
) -> None:
    other = add_org("望京街道老年协会")
    dialog = new_dialog(qtbot, view)
    dialog.editor("name").setText("另一个协会")
    dialog.editor("registration_authority").setText("朝阳区民政局")
    qtbot.keyClicks(dialog.editor("uscc"), other.data.uscc.lower())  # typed in lower case: still the same code
    click_save(qtbot, dialog)
    assert dialog.problems_shown() == {"uscc": "该统一社会信用代码已被“望京街道老年协会”使用"}
    assert saved_names(db) == ["望京街道老年协会"]


def test_checksum_failure_requires_a_reason(
    qtbot: QtBot, view: LedgerView, db: Database, codes: object, type_chinese: TypeChinese
) -> None:
    dialog = new_dialog(qtbot, view)
    reason_slot = dialog.slots["uscc_override_reason"]
    assert not reason_slot.editor.isEnabled(), "no reason to give while there is nothing to explain"
    assert reason_slot.isVisible(), "but the row is there: nothing below it moves when it is needed"
    type_chinese(dialog.editor("name"), "早期试点协会")
    type_chinese(dialog.editor("registration_authority"), "朝阳区民政局")
    code = codes.bad_checksum(codes.valid())  # type: ignore[attr-defined]
    qtbot.keyClicks(dialog.editor("uscc"), code)
    assert reason_slot.editor.isEnabled() and dialog.labels["uscc_override_reason"].text() == "保留原因*"
    qtbot.waitUntil(lambda: "uscc" in dialog.problems_shown(), timeout=2000)  # live check, debounced
    assert "保留原因" in dialog.problems_shown()["uscc"]
    assert "必填" in dialog.warnings_shown()["uscc_override_reason"]
    assert WARNING_COLOR in reason_slot.message.styleSheet()

    click_save(qtbot, dialog)
    assert saved_names(db) == []
    assert dialog.focusWidget() is dialog.editor("uscc_override_reason"), "what is missing is the reason"

    type_chinese(dialog.editor("uscc_override_reason"), "早期试点代码，经区民政局确认")
    qtbot.waitUntil(lambda: "uscc" not in dialog.problems_shown(), timeout=2000)
    assert dialog.warnings_shown() == {"uscc": dialog.warnings_shown()["uscc"]}
    assert dialog.warnings_shown()["uscc"].startswith("请核对：校验位不符")
    with qtbot.waitSignal(dialog.saved) as saved:
        click_save(qtbot, dialog)
    detail = saved.args[0]
    assert "uscc" in detail.warnings
    stored = organizations.get_org(db.session_factory, detail.id).data
    assert stored.uscc_override_reason == "早期试点代码，经区民政局确认"


def test_live_check_only_speaks_about_touched_fields(qtbot: QtBot, view: LedgerView) -> None:
    dialog = new_dialog(qtbot, view)
    qtbot.keyClicks(dialog.editor("name"), "x")
    dialog.editor("name").clear()
    qtbot.waitUntil(lambda: dialog.last_check is not None, timeout=2000)
    assert dialog.last_check is not None and "uscc" in dialog.last_check.problems  # the service knows
    assert dialog.problems_shown() == {"name": "“组织名称”不能为空"}  # but only the touched field speaks
    assert "处需要更正" not in dialog.banner.text()


def test_community_category_only_for_filed_community_orgs(
    qtbot: QtBot, view: LedgerView, db: Database, type_chinese: TypeChinese
) -> None:
    dialog = new_dialog(qtbot, view)
    category = dialog.editor("community_category")
    dialog.editor("org_type").set_value(OrgType.SOCIAL_SERVICE)
    assert not category.isEnabled()
    dialog.editor("org_type").set_value(OrgType.COMMUNITY_FILED)
    assert category.isEnabled()
    category.set_value("文体活动类")
    type_chinese(dialog.editor("name"), "花家地社区舞蹈队")
    with qtbot.waitSignal(dialog.saved) as saved:
        click_save(qtbot, dialog)  # a filed community organization needs no code
    stored = organizations.get_org(db.session_factory, saved.args[0].id).data
    assert (stored.org_type, stored.community_category, stored.uscc) == (OrgType.COMMUNITY_FILED, "文体活动类", "")


def test_switching_away_from_community_clears_the_category(qtbot: QtBot, view: LedgerView) -> None:
    dialog = new_dialog(qtbot, view)
    dialog.editor("org_type").set_value(OrgType.COMMUNITY_FILED)
    dialog.editor("community_category").set_value("生活服务类")
    dialog.editor("org_type").set_value(OrgType.FOUNDATION)
    assert dialog.form_input().community_category == ""


def test_optional_dates_and_counts_start_unset(qtbot: QtBot, view: LedgerView) -> None:
    dialog = new_dialog(qtbot, view)
    data = dialog.form_input()
    assert (data.founded_on, data.evaluation_date, data.party_clause_approved_on) == (None, None, None)
    assert (data.staff_count, data.member_count, data.party_member_count) == (None, None, None)
    founded = dialog.editor("founded_on")
    assert founded.text() == "" and founded.line.placeholderText().startswith("未填写")
    calendar = founded.open_calendar()  # the calendar opens on this month but fills in nothing
    assert calendar.isVisible() and dialog.form_input().founded_on is None and founded.text() == ""
    calendar.close()
    assert dialog.form_input().founded_on is None
    for name in ("staff_count", "member_count", "party_member_count"):
        count = dialog.editor(name)
        assert count.text() == "" and count.placeholderText() == "未填写", "unknown is blank, never 0"
    approved = dialog.editor("party_clause_approved_on")
    assert not approved.isEnabled()
    dialog.editor("party_clause_in_charter").setChecked(True)
    assert approved.isEnabled()


def test_edit_shows_saved_values_and_saves_changes(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg
) -> None:
    org = add_org("朝阳区摄影协会", party_member_count=3, community="花家地社区", notes="第一行\n第二行")
    view.model.refresh()
    view.model.ensure_rows(0, 0)
    view.table.selectRow(0)
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog)
    assert dialog.windowTitle() == "编辑组织：朝阳区摄影协会"
    assert dialog.form_input() == org.data
    assert dialog.problems_shown() == {}
    dialog.editor("name").setText("朝阳区摄影家协会")
    with qtbot.waitSignal(dialog.saved):
        click_save(qtbot, dialog)
    assert saved_names(db) == ["朝阳区摄影家协会"]
    assert view.model.total == 1
    view.model.ensure_rows(0, 0)
    assert view.model.data(view.model.index(0, 0)) == "朝阳区摄影家协会"


def test_double_click_opens_the_detail_form(qtbot: QtBot, view: LedgerView, add_org: AddOrg) -> None:
    add_org("朝阳区律师协会")
    view.model.refresh()
    view.model.ensure_rows(0, 0)
    rect = view.table.visualRect(view.model.index(0, 0))
    # a real double click is press, release, then the double-click event
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert isinstance(view.dialog, OrgDialog)
    assert view.dialog.editor("name").text() == "朝阳区律师协会"


def test_archive_asks_for_a_reason_and_restore_brings_it_back(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = add_org("朝阳区个体劳动者协会")
    add_org("朝阳区慈善协会")
    view.model.refresh()
    view.model.ensure_rows(0, 1)
    view.select_org(org.id)
    assert view.archive_button.text() == "归档"
    asked: list[str] = []
    monkeypatch.setattr(view, "ask_archive_reason", lambda name: asked.append(name) or "已注销")
    qtbot.mouseClick(view.archive_button, Qt.MouseButton.LeftButton)
    assert asked == ["朝阳区个体劳动者协会"]
    assert view.model.total == 1
    assert organizations.get_org(db.session_factory, org.id).archive_reason == "已注销"

    view.archived_filter.setCurrentIndex(view.archived_filter.index_of(ArchivedFilter.ARCHIVED))
    view.model.ensure_rows(0, 0)
    view.select_org(org.id)
    assert view.archive_button.text() == "恢复"
    monkeypatch.setattr(view, "confirm_restore", lambda name: True)
    qtbot.mouseClick(view.archive_button, Qt.MouseButton.LeftButton)
    assert view.model.total == 0
    assert not organizations.get_org(db.session_factory, org.id).archived


def test_archive_cancelled_or_blank_reason(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = add_org("朝阳区餐饮行业协会")
    view.model.refresh()
    view.model.ensure_rows(0, 0)
    view.select_org(org.id)
    monkeypatch.setattr(view, "ask_archive_reason", lambda name: None)
    view.archive_or_restore_selected()
    assert not organizations.get_org(db.session_factory, org.id).archived
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: errors.append(text))
    monkeypatch.setattr(view, "ask_archive_reason", lambda name: "   ")
    view.archive_or_restore_selected()
    assert errors == ["请填写归档原因（如：已注销、已迁出本街道）"]
    assert not organizations.get_org(db.session_factory, org.id).archived


def test_unexpected_service_error_is_shown_in_chinese(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = add_org("朝阳区物业管理行业协会")
    view.model.refresh()
    view.edit_org(org.id)
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog)
    with db.session_factory.begin() as session:  # someone else removes it meanwhile (e.g. a sync)
        from app.models import SocialOrg
        from app.services.core import clock

        row = session.get(SocialOrg, org.id)
        assert row is not None
        row.deleted_at = clock.now()
        from app.services.core.outbox import record_upsert

        record_upsert(session, row, actor="test")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text)))
    click_save(qtbot, dialog)
    assert shown == [("无法保存", "找不到该组织，可能已被删除或尚未同步\n表单中填写的内容没有丢失。")]
    assert dialog.isVisible() and dialog.save_button.isEnabled()


def test_a_second_edit_click_reuses_the_open_form(qtbot: QtBot, view: LedgerView, add_org: AddOrg) -> None:
    org = add_org("朝阳区志愿者协会")
    view.model.refresh()
    view.edit_org(org.id)
    first = view.dialog
    assert isinstance(first, OrgDialog)
    view.edit_org(org.id)
    assert view.dialog is first
    assert [w for w in view.findChildren(OrgDialog) if w.isVisible()] == [first]


def test_a_stale_form_is_refused_and_keeps_what_was_typed(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from app.services.orgs.organizations import update_org

    org = add_org("朝阳区钓鱼协会")
    view.model.refresh()
    view.edit_org(org.id)
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog)
    # meanwhile the same organization is saved elsewhere
    update_org(db.session_factory, org.id, dataclasses.replace(org.data, address="朝阳区新址8号"), actor="other")
    dialog.editor("contact_phone").setText("010-66668888")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: shown.append((title, text)))
    click_save(qtbot, dialog)
    assert len(shown) == 1 and shown[0][0] == "无法保存" and "已被修改" in shown[0][1]
    assert dialog.isVisible() and dialog.editor("contact_phone").text() == "010-66668888"
    from app.services.orgs.organizations import get_org

    now = get_org(db.session_factory, org.id)
    assert now.data.address == "朝阳区新址8号" and now.data.contact_phone == ""


def test_closing_a_filled_form_asks_before_discarding(
    qtbot: QtBot, view: LedgerView, monkeypatch: pytest.MonkeyPatch, type_chinese: Any
) -> None:
    from app.ui.dialogs import org_dialog

    answers: list[str] = []
    monkeypatch.setattr(org_dialog.OrgDialog, "ask_close", lambda _self: answers.pop(0))
    dialog = view.open_dialog(None)
    dialog.reject()  # nothing typed: closes without asking
    assert not dialog.isVisible()

    dialog = view.open_dialog(None)
    type_chinese(dialog.editor("name"), "鼓楼区新建协会")
    answers.append(org_dialog.STAY)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers == [] and dialog.isVisible(), "继续编辑 keeps the form and what was typed"
    assert dialog.editor("name").text() == "鼓楼区新建协会"
    answers.append(org_dialog.DISCARD)
    dialog.reject()
    assert answers == [] and not dialog.isVisible()


def test_an_organization_no_longer_assigned_opens_read_only_saying_why(qtbot: QtBot, ctx: UiContext, db: Database,
                                                                       add_org: AddOrg) -> None:
    """Quarantined (unassigned while unsent edits remained): the form says so and cannot save, instead of
    refusing only at 保存 (a walkthrough found it looking editable)."""
    from app.models import SyncScope

    org = add_org("离开的协会", org_type=OrgType.COMMUNITY_FILED)
    with db.session_factory.begin() as session:
        session.add(SyncScope(scope=f"org:{org.id}", state="quarantined"))
    detail = organizations.get_org(db.session_factory, org.id)
    assert "不再分配给您" in detail.read_only
    dialog = OrgDialog(ctx, detail)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.read_only_note.isVisible() and "只能查看" in dialog.read_only_note.text()
    assert not dialog.form.isEnabled() and not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S saves nothing
    assert organizations.get_org(db.session_factory, org.id).data.name == "离开的协会"
    assert organizations.get_org(db.session_factory, add_org("留下的协会", org_type=OrgType.COMMUNITY_FILED).id
                                 ).read_only == ""
