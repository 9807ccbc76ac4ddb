"""Archiving asks for its reason in place; an archived organization's window offers 恢复 and the ledger
keeps the row selected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.core.database import Database
from app.services.orgs import organizations
from app.services.orgs.dto import ArchivedFilter, OrgDetail
from app.ui.context import UiContext
from app.ui.dialogs.archive_dialog import ArchiveReasonDialog
from app.ui.dialogs.fields import ERROR_COLOR
from app.ui.dialogs.org_dialog import OrgDialog
from app.ui.itemmodels.ledger_model import LedgerModel
from app.ui.views.ledger_view import LedgerView

AddOrg = Callable[..., OrgDetail]


def test_an_empty_reason_is_corrected_in_place(qtbot: QtBot, type_chinese: Callable[..., None]) -> None:
    dialog = ArchiveReasonDialog("朝阳区餐饮行业协会")
    qtbot.addWidget(dialog)
    dialog.show()
    height = dialog.height()
    dialog.reason_edit.setText("   ")
    qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() == 0, "the dialog stays: nothing to start over"
    assert dialog.message.full_text == "请填写归档原因（如：已注销、已迁出本街道）"
    assert ERROR_COLOR in dialog.message.styleSheet() and dialog.height() == height
    assert dialog.focusWidget() is dialog.reason_edit
    type_chinese(dialog.reason_edit, "已注销")
    assert dialog.message.full_text == "", "the message goes as soon as the user types"
    qtbot.mouseClick(dialog.archive_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.reason() == "   已注销".strip()


def test_an_over_long_reason_keeps_what_was_typed(qtbot: QtBot) -> None:
    dialog = ArchiveReasonDialog("某协会")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reason_edit.setText("长" * 201)
    dialog.accept()
    assert dialog.isVisible() and dialog.reason_edit.text() == "长" * 201
    assert dialog.message.full_text == "归档原因最多200字（现为201字）"


@pytest.fixture
def view(qtbot: QtBot, ctx: UiContext) -> LedgerView:
    ledger_view = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(ledger_view)
    ledger_view.resize(1200, 700)
    ledger_view.show()
    return ledger_view


def test_an_archived_organizations_window_offers_restore_and_the_selection_survives(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_org("朝阳区慈善协会")
    org = add_org("朝阳区个体劳动者协会")
    add_org("朝阳区摄影协会")
    organizations.archive_org(db.session_factory, org.id, reason="已迁出本街道", actor="t")
    view.archived_filter.setCurrentIndex(view.archived_filter.index_of(ArchivedFilter.ALL))
    view.model.ensure_rows(0, 2)
    assert view.select_org(org.id)
    view.edit_selected()
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog)
    assert "已迁出本街道" in dialog.archived_note.text() and dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert not organizations.get_org(db.session_factory, org.id).archived
    assert dialog.archived_note.text() == "已恢复到在册台账。" and not dialog.restore_button.isEnabled()
    assert view.selected_id() == org.id, "the ledger keeps the restored row selected"
    view.model.ensure_rows(0, 2)
    assert not view.model.row_at(view.selected_row() or 0).archived  # type: ignore[union-attr]
    dialog.editor("address").setText("朝阳区新址8号")  # a save after the restore is not taken for a stale one
    with qtbot.waitSignal(dialog.saved):
        dialog.save()
    assert organizations.get_org(db.session_factory, org.id).data.address == "朝阳区新址8号"


def test_a_failed_restore_says_so_under_a_short_title(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = add_org("朝阳区律师协会")
    detail = organizations.archive_org(db.session_factory, org.id, reason="已注销", actor="t")
    dialog = view.open_dialog(detail)
    organizations.restore_org(db.session_factory, org.id, actor="elsewhere")  # restored meanwhile
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, text: shown.append((title, text)))
    dialog.restore_archived()
    assert shown == [("无法恢复", "“朝阳区律师协会”没有归档，无需恢复")] and dialog.restore_button.isEnabled()
