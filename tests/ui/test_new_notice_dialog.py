"""新建整改通知书…: says why when there is no organization, keeps its width with a long name, and marks an
item whose deadline has passed (签发 would be refused) beside it."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.services.core.clock import FrozenClock
from app.services.core.database import Database
from app.ui.context import UiContext
from app.ui.dialogs.new_notice import NO_ORGS, PAST_DEADLINE, NewRectificationNoticeDialog
from tests.unit.notices.notice_builders import item, org


def test_no_organization_says_why(qtbot: QtBot, ctx: UiContext) -> None:
    dialog = NewRectificationNoticeDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.message.text() == NO_ORGS and not dialog.ok_button.isEnabled()


def test_a_long_name_does_not_widen_and_a_passed_deadline_is_marked(qtbot: QtBot, ctx: UiContext, db: Database,
                                                                    frozen_clock: FrozenClock) -> None:
    org_id = org(db, "福州市鼓楼区" * 14 + "社会工作服务中心")  # 100 characters
    late = item(db, org_id, "三会一课记录不全", deadline=date(2026, 3, 1))  # today: 2026-03-31
    item(db, org_id, "党建入章未完成", deadline=date(2026, 4, 30))
    dialog = NewRectificationNoticeDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.choose_org(org_id)
    dialog.show()
    assert dialog.width() <= 700
    texts = {dialog.items[i].id: dialog.choices.item(i).text() for i in range(dialog.choices.count())}
    assert texts[late].endswith(PAST_DEADLINE) and sum(PAST_DEADLINE in t for t in texts.values()) == 1
    dialog.resize(1093 * 6 // 10, 440)
    dialog.grab().save("/tmp/fixa-new-notice.png")


def test_the_settings_ask_for_the_instructor_name_first_when_it_is_missing(qtbot: QtBot, ctx: UiContext) -> None:
    from app.ui.dialogs.series_dialog import SeriesSettingsDialog

    dialog = SeriesSettingsDialog(ctx, focus_instructor=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "文书设置" and dialog.instructor_name.text() == ""
    dialog.save()
    assert dialog.isVisible() and "请填写您的姓名" in dialog.messages["instructor_name"].text()
    dialog.grab().save("/tmp/fixa-settings.png")
