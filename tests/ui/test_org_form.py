"""The organization form never surprises: nothing moves, Enter never saves, dates and counts stay blank
until filled, and every rule speaks under its field in the form's words."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services.core.database import Database
from app.services.orgs.dto import OrgDetail, OrgType
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, WARNING_COLOR
from app.ui.dialogs.org_dialog import OrgDialog
from app.ui.dialogs.org_form import FIELD_ORDER

TypeChinese = Callable[[QWidget, str], None]


@pytest.fixture
def dialog(qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> OrgDialog:
    from app.ui.dialogs import org_dialog

    monkeypatch.setattr(OrgDialog, "ask_close", lambda _self: org_dialog.DISCARD)  # closed at teardown
    form = OrgDialog(ctx)
    qtbot.addWidget(form)
    form.resize(1093, 614)  # 1366×768 at 125 %
    form.show()
    qtbot.waitExposed(form)
    return form


def geometry(dialog: OrgDialog) -> dict[str, QRect]:
    """Where every input sits, in the dialog's coordinates, once the layouts have settled."""
    for _ in range(3):  # a layout change is applied through posted LayoutRequest events
        QApplication.processEvents()
    return {name: QRect(dialog.slots[name].editor.mapTo(dialog, QPoint(0, 0)), dialog.slots[name].editor.size())
            for name in FIELD_ORDER} | {"banner": dialog.banner.geometry(), "save": dialog.save_button.geometry()}


def fill_valid(dialog: OrgDialog, codes: object, type_chinese: TypeChinese) -> None:
    type_chinese(dialog.editor("name"), "朝阳区书法家协会")
    dialog.editor("uscc").setText(codes.valid())  # type: ignore[attr-defined]
    type_chinese(dialog.editor("registration_authority"), "朝阳区民政局")


def test_no_field_moves_when_messages_appear_and_clear(
    qtbot: QtBot, dialog: OrgDialog, codes: object, type_chinese: TypeChinese
) -> None:
    before = geometry(dialog)
    dialog.editor("contact_phone").setText("1234")
    dialog.editor("party_member_count").setText("30")
    dialog.editor("member_count").setText("8")
    dialog.editor("founded_on").setText("2021-02-30")
    dialog.save()  # every problem at once, the banner counts them
    assert set(dialog.problems_shown()) >= {"name", "uscc", "registration_authority", "contact_phone", "founded_on"}
    assert "party_member_count" in dialog.warnings_shown()
    assert "处需要更正" in dialog.banner.text()
    assert geometry(dialog) == before

    fill_valid(dialog, codes, type_chinese)
    for name, text in (("contact_phone", "0591-87654321"), ("party_member_count", "3"), ("founded_on", "2021-03-05")):
        dialog.editor(name).setText(text)
    dialog.run_check()
    assert dialog.problems_shown() == {} and dialog.warnings_shown() == {}
    assert geometry(dialog) == before


def test_a_long_message_is_cut_in_its_line_and_shown_whole_in_the_banner(
    qtbot: QtBot, dialog: OrgDialog
) -> None:
    phone = dialog.editor("contact_phone")
    phone.setText("1234")
    dialog.run_check()
    message = "联系电话“1234”不是有效的手机号或带区号的固定电话（如 0591-87654321 或 13800000000）"
    slot = dialog.slots["contact_phone"]
    assert dialog.problems_shown()["contact_phone"] == message
    assert slot.message.toolTip() == message and slot.message.text().endswith("…")
    assert slot.message.height() == slot.message.fontMetrics().height() + 2, "one reserved line"
    phone.setFocus()
    qtbot.waitUntil(lambda: message in dialog.banner.text())


def test_enter_moves_to_the_next_field_and_never_saves(
    qtbot: QtBot, dialog: OrgDialog, db: Database, codes: object, type_chinese: TypeChinese
) -> None:
    fill_valid(dialog, codes, type_chinese)
    saved: list[OrgDetail] = []
    dialog.saved.connect(saved.append)
    name = dialog.editor("name")
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert saved == [] and dialog.isVisible()
    assert dialog.focusWidget() is dialog.editor("short_name")
    assert not dialog.save_button.isDefault() and not dialog.save_button.autoDefault()
    qtbot.keyClick(dialog.editor("short_name"), Qt.Key.Key_Enter)
    assert saved == []
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert len(saved) == 1 and saved[0].data.name == "朝阳区书法家协会"


def test_ctrl_enter_saves(qtbot: QtBot, dialog: OrgDialog, codes: object, type_chinese: TypeChinese) -> None:
    fill_valid(dialog, codes, type_chinese)
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog.editor("address"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize("typed", ["2021-03-05", "2021.3.5", "2021/3/5", "2021年3月5日", "20210305"])
def test_dates_are_typed_as_people_write_them(qtbot: QtBot, dialog: OrgDialog, typed: str) -> None:
    founded = dialog.editor("founded_on")
    qtbot.keyClicks(founded.line, typed) if typed.isascii() else founded.setText(typed)
    assert dialog.form_input().founded_on == date(2021, 3, 5)
    founded.line.editingFinished.emit()
    assert founded.text() == "2021-03-05"


def test_a_half_typed_date_is_a_problem_under_its_field_and_blocks_the_save(
    qtbot: QtBot, dialog: OrgDialog, db: Database, codes: object, type_chinese: TypeChinese
) -> None:
    fill_valid(dialog, codes, type_chinese)
    qtbot.keyClicks(dialog.editor("founded_on").line, "2021-3")
    assert dialog.problems_shown() == {
        "founded_on": "成立日期“2021-3”不是日期（如 2021-03-05、2021.3.5 或 2021年3月5日）"}
    saved: list[OrgDetail] = []
    dialog.saved.connect(saved.append)
    dialog.save()
    assert saved == [] and dialog.focusWidget() is dialog.editor("founded_on").line
    assert dialog.editor("founded_on").text() == "2021-3", "what was typed stays"


def test_picking_a_day_in_the_calendar_fills_the_date(qtbot: QtBot, dialog: OrgDialog) -> None:
    from PySide6.QtCore import QDate

    calendar = dialog.editor("evaluation_date").open_calendar()
    assert dialog.form_input().evaluation_date is None
    calendar.clicked.emit(QDate(2023, 6, 1))
    assert dialog.form_input().evaluation_date == date(2023, 6, 1) and not calendar.isVisible()


def test_counts_take_digits_only_and_blank_is_unknown(qtbot: QtBot, dialog: OrgDialog) -> None:
    count = dialog.editor("member_count")
    qtbot.keyClicks(count, "1a2-")
    assert count.text() == "12" and dialog.form_input().member_count == 12
    count.clear()
    assert dialog.form_input().member_count is None


def test_required_marks_follow_the_organization_type(qtbot: QtBot, dialog: OrgDialog) -> None:
    labels = dialog.labels
    dialog.editor("org_type").set_value(OrgType.FOUNDATION)
    assert labels["registration_authority"].text() == "登记管理机关*" and labels["uscc"].text() == "统一社会信用代码*"
    dialog.editor("org_type").set_value(OrgType.COMMUNITY_FILED)
    assert labels["registration_authority"].text() == "登记管理机关" and labels["uscc"].text() == "统一社会信用代码"
    assert labels["name"].text() == "组织名称*"


def test_rules_speak_under_their_fields(
    qtbot: QtBot, dialog: OrgDialog, add_org: Callable[..., OrgDetail], codes: object, type_chinese: TypeChinese
) -> None:
    first = add_org("朝阳区书法家协会", sub_district="团结湖街道")
    fill_valid(dialog, codes, type_chinese)
    dialog.editor("registration_authority").clear()
    dialog.editor("party_member_count").setText("12")
    dialog.editor("staff_count").setText("5")
    dialog.editor("contact_phone").setText("65001234")
    dialog.run_check()
    assert dialog.problems_shown() == {
        "registration_authority": "“登记管理机关”不能为空（社会团体是登记的社会组织，如：某某区民政局）"}
    warnings = dialog.warnings_shown()
    assert warnings["name"].startswith("台账中已有同名组织“朝阳区书法家协会”（所在街道：团结湖街道，统一社会信用代码："
                                       + first.data.uscc)
    assert warnings["party_member_count"] == "“党员人数”（12）多于“专职工作人员数”（5），请核对"
    assert "没有区号" in warnings["contact_phone"]
    assert ERROR_COLOR in dialog.slots["registration_authority"].message.styleSheet()
    assert WARNING_COLOR in dialog.slots["party_member_count"].message.styleSheet()
