"""修改草稿… and 删除草稿 in the 文书 section through the real widgets: every bad input said under its field,
nothing saved until the whole is right; the items of a 整改通知书 ticked and unticked; a refusal of the
service (issued meanwhile) in the banner; a draft deleted frees its items."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

import app.services.notices as notices
from app.domain.enums import NoticeStatus
from app.services.core.database import Database
from app.services.notices.candidates import free_items_of
from app.ui.context import UiContext
from app.ui.dialogs.edit_notice import NONE_TICKED, EditNoticeDraftDialog
from tests.ui.test_documents_view import World, answers, select, shown_view, world  # noqa: F401 (fixtures)
from tests.unit.notices.notice_builders import ACTOR


def open_edit(qtbot: QtBot, ctx: UiContext, world: World) -> EditNoticeDraftDialog:  # noqa: F811
    view = shown_view(qtbot, ctx)
    select(view, world.draft)
    assert view.edit_button.isEnabled() and view.delete_button.isEnabled()
    view.edit_button.click()
    dialog = view.dialog
    assert isinstance(dialog, EditNoticeDraftDialog) and dialog.ok_button.isEnabled()
    return dialog


def test_bad_inputs_are_said_beside_their_fields_and_nothing_is_saved(qtbot: QtBot, ctx: UiContext,
                                                                      world: World) -> None:  # noqa: F811
    dialog = open_edit(qtbot, ctx, world)
    before = notices.load_notice(world.factory, world.draft)
    assert dialog.title_field.value() == before.row.title and dialog.addressee.value() == before.addressee
    assert dialog.body.isVisible() and dialog.receipt.isVisible() and dialog.item_list.count() == 2
    dialog.title_field.set_value("  ")
    dialog.addressee.set_value("")
    dialog.body.set_value("\n\n")
    for i in range(dialog.item_list.count()):
        dialog.item_list.item(i).setCheckState(dialog.item_list.item(i).checkState().Unchecked)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.title_field.text == "请填写标题。" and dialog.addressee.text == "请填写主送单位。"
    assert dialog.body.text == "请填写正文。" and dialog.item_message.full_text == NONE_TICKED
    dialog.title_field.set_value("关于" * 120)  # the service's limit, said under the field
    dialog.addressee.set_value("温泉街道老年人协会党支部")
    dialog.body.set_value("经走访检查，发现以下问题。")
    dialog.item_list.item(0).setCheckState(dialog.item_list.item(0).checkState().Checked)
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.title_field.text.startswith("标题最多 200 个字")
    assert dialog.addressee.text == "" and dialog.item_message.full_text == ""
    assert notices.load_notice(world.factory, world.draft) == before  # nothing saved


def test_a_saved_edit_changes_the_draft_and_its_items(qtbot: QtBot, ctx: UiContext, world: World) -> None:  # noqa: F811
    dialog = open_edit(qtbot, ctx, world)
    dialog.title_field.set_value("关于党建工作限期整改的通知")
    dialog.addressee.set_value("温泉街道老年人协会党支部")
    dialog.body.set_value("经走访检查，发现你单位存在以下问题。")
    dialog.receipt.setChecked(False)
    dialog.item_list.item(1).setCheckState(dialog.item_list.item(1).checkState().Unchecked)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    detail = notices.load_notice(world.factory, world.draft)
    assert (detail.row.title, detail.addressee, detail.body, detail.with_receipt) == (
        "关于党建工作限期整改的通知", "温泉街道老年人协会党支部", "经走访检查，发现你单位存在以下问题。", False)
    assert [i.id for i in detail.items] == [world.items[0]] and detail.row.status is NoticeStatus.DRAFT
    assert [i.id for i in free_items_of(world.factory, world.elders)] == [world.items[1]]


def test_a_refusal_of_the_service_is_shown_in_the_form(qtbot: QtBot, ctx: UiContext, world: World) -> None:  # noqa: F811
    dialog = open_edit(qtbot, ctx, world)
    notices.issue_notice(world.factory, world.draft, actor=ACTOR)  # e.g. from another window meanwhile
    dialog.title_field.set_value("新标题")
    dialog.ok_button.click()
    assert dialog.isVisible() and "不能再修改" in dialog.banner.full_text
    assert notices.load_notice(world.factory, world.draft).row.title != "新标题"


def test_delete_draft_asks_then_tombstones_it(qtbot: QtBot, ctx: UiContext, world: World,  # noqa: F811
                                              answers: dict[str, list[str]], db: Database) -> None:  # noqa: F811
    view = shown_view(qtbot, ctx)
    select(view, world.visit_notice)
    assert not view.edit_button.isEnabled() and not view.delete_button.isEnabled()  # issued: 作废 only
    select(view, world.draft)
    view.delete_button.click()
    assert len(answers["question"]) == 1 and "删除" in answers["question"][0]
    assert world.draft not in [row.id for row in view.model.rows]
    assert {i.id for i in free_items_of(world.factory, world.elders)} == set(world.items)
    with pytest.raises(Exception, match="找不到该通知"):
        notices.load_notice(world.factory, world.draft)
