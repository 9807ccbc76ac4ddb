"""文书 section with real widgets over a small world written through the services: the list, 签发 giving a
临时编号, 送达 and 签收, 作废 refused without a reason, 新建整改通知书 (none to pick → the message), Enter
previews and a save is recorded with its SHA-256, the month's batch with a cancel, the series settings."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

import app.services.notices as notices
from app.domain.enums import NoticeKind, NoticeStatus, RectificationStatus
from app.services.core.clock import FrozenClock
from app.services.core.database import Database
from app.services.notices.settings import store_instructor_in
from app.services.rectification import load_item
from app.ui import tasks as tasks_module
from app.ui.context import UiContext
from app.ui.dialogs.batch_dialog import MonthBatchDialog
from app.ui.dialogs.new_notice import NO_ITEMS, NONE_TICKED, NewRectificationNoticeDialog
from app.ui.dialogs.notice_steps import NO_REASON, NO_SIGNER, NoticeStepDialog
from app.ui.dialogs.pdf_preview import PdfPreviewDialog
from app.ui.dialogs.series_dialog import SeriesSettingsDialog
from app.ui.itemmodels.notice_model import NUMBER, PROVISIONAL_COLOR, VOID_COLOR, NoticeListModel
from app.ui.operations import documents as ops
from app.ui.tasks import ImmediateTaskRunner
from app.ui.views.documents_view import DocumentsView
from tests.unit.notices.conftest import INSTRUCTOR_NAME, INSTRUCTOR_PHONE
from tests.unit.notices.notice_builders import ACTOR, item, org, visit
from tests.unit.notices.test_draft_copies import pages_text


def pdf_text(data: bytes) -> str:
    return "".join(pages_text(data))


class World:
    def __init__(self, db: Database) -> None:
        self.factory = db.session_factory
        with self.factory.begin() as session:
            store_instructor_in(session, INSTRUCTOR_NAME, INSTRUCTOR_PHONE)
        self.elders = org(db, "福州市鼓楼区温泉街道老年人协会")
        self.volunteers = org(db, "福州市鼓楼区社区志愿服务中心")
        self.empty = org(db, "福州市鼓楼区书法家协会")
        self.items = [item(db, self.elders, "三会一课记录不全"), item(db, self.elders, "党建入章未完成")]
        self.other_item = item(db, self.volunteers, "支部委员会未按月召开")
        self.draft = notices.create_rectification_notice(self.factory, org_id=self.elders, actor=ACTOR)
        self.visit_notice = notices.create_visit_notice(self.factory, visit_id=visit(db, self.volunteers),
                                                        actor=ACTOR)
        notices.issue_notice(self.factory, self.visit_notice, actor=ACTOR)


@pytest.fixture
def world(db: Database, frozen_clock: FrozenClock) -> World:
    return World(db)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """QMessageBox's static boxes answered Yes and recorded (offscreen they would wait for a click)."""
    shown: dict[str, list[str]] = {"question": [], "warning": [], "information": []}

    def box(kind: str, answer: Any = None) -> Any:
        def show(_parent: Any, _title: str, text: str, *_a: Any, **_k: Any) -> Any:
            shown[kind].append(text)
            return answer

        return show

    monkeypatch.setattr(QMessageBox, "question", box("question", QMessageBox.StandardButton.Yes))
    monkeypatch.setattr(QMessageBox, "warning", box("warning"))
    monkeypatch.setattr(QMessageBox, "information", box("information"))
    return shown


def shown_view(qtbot: QtBot, ctx: UiContext) -> DocumentsView:
    view = DocumentsView(NoticeListModel(), ctx)
    qtbot.addWidget(view)
    view.resize(961, 560)
    with qtbot.waitActive(view):  # keys reach the focused widget of the active window only
        view.show()
        view.activateWindow()
    return view


def select(view: DocumentsView, notice_id: str) -> None:
    row = view.model.index_of(notice_id)
    assert row is not None, "the notice is listed"
    view.table.selectRow(row)


def number_cell(view: DocumentsView, notice_id: str) -> tuple[str, Any]:
    index = view.model.index(view.model.index_of(notice_id) or 0, NUMBER)
    return index.data(), index.data(Qt.ItemDataRole.ForegroundRole)


def test_the_list_shows_every_notice_with_its_number_and_status(qtbot: QtBot, ctx: UiContext, world: World) -> None:
    view = shown_view(qtbot, ctx)
    assert view.count_label.text() == "共 2 份，其中草稿 1 份"
    kinds = {(row.kind, row.status) for row in view.model.rows}
    assert kinds == {(NoticeKind.RECTIFICATION_NOTICE, NoticeStatus.DRAFT), (NoticeKind.VISIT_NOTICE,
                                                                             NoticeStatus.ISSUED)}
    assert number_cell(view, world.draft)[0] == "未签发（无文号）"
    text, color = number_cell(view, world.visit_notice)
    assert "〔2026〕临" in text and text.endswith("（临时编号）") and color == PROVISIONAL_COLOR


def test_issue_gives_a_provisional_number_and_moves_the_items(qtbot: QtBot, ctx: UiContext, world: World,
                                                              answers: dict[str, list[str]]) -> None:
    view = shown_view(qtbot, ctx)
    select(view, world.draft)
    assert view.issue_button.isEnabled() and not view.deliver_button.isEnabled()
    view.issue_button.click()
    assert len(answers["question"]) == 1 and "临时编号" in answers["question"][0]
    text, color = number_cell(view, world.draft)
    assert text.startswith("社党整改〔2026〕临") and text.endswith("号（临时编号）") and color == PROVISIONAL_COLOR
    assert view.selected() is not None and view.selected().id == world.draft  # type: ignore[union-attr]
    assert view.selected().status is NoticeStatus.ISSUED  # type: ignore[union-attr]
    assert not view.issue_button.isEnabled() and view.deliver_button.isEnabled()
    assert {load_item(world.factory, i).status for i in world.items} == {RectificationStatus.ISSUED}


def test_void_without_a_reason_is_refused_and_with_one_is_kept(qtbot: QtBot, ctx: UiContext, world: World) -> None:
    view = shown_view(qtbot, ctx)
    select(view, world.visit_notice)
    view.void_button.click()
    dialog = view.dialog
    assert isinstance(dialog, NoticeStepDialog)
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.message.text() == NO_REASON
    assert notices.load_notice(world.factory, world.visit_notice).row.status is NoticeStatus.ISSUED  # nothing written
    dialog.reason.setPlainText("   ")  # blanks are no reason
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.message.text() == NO_REASON
    dialog.reason.setPlainText("走访改期，原通知作废")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    detail = notices.load_notice(world.factory, world.visit_notice)
    assert detail.row.status is NoticeStatus.VOID and detail.void_reason == "走访改期，原通知作废"
    assert number_cell(view, world.visit_notice)[1] == VOID_COLOR
    assert not any(b.isEnabled() for b in (view.issue_button, view.deliver_button, view.sign_button,
                                           view.void_button))


def test_deliver_then_sign_with_date_and_who(qtbot: QtBot, ctx: UiContext, world: World) -> None:
    view = shown_view(qtbot, ctx)
    select(view, world.visit_notice)
    view.deliver_button.click()
    deliver = view.dialog
    assert isinstance(deliver, NoticeStepDialog)
    deliver.day.set_value(date(2026, 4, 2))  # after today: the service refuses, the form stays open
    deliver.ok_button.click()
    assert deliver.isVisible() and "2026" in deliver.message.text()
    deliver.day.set_value(date(2026, 3, 31))
    deliver.ok_button.click()
    assert not deliver.isVisible()
    assert view.selected().status is NoticeStatus.DELIVERED  # type: ignore[union-attr]
    view.sign_button.click()
    sign = view.dialog
    assert isinstance(sign, NoticeStepDialog) and sign is not deliver
    sign.ok_button.click()
    assert sign.isVisible() and sign.message.text() == NO_SIGNER
    sign.signer.setText("林晓梅")
    sign.ok_button.click()
    detail = notices.load_notice(world.factory, world.visit_notice)
    assert detail.row.status is NoticeStatus.SIGNED and detail.signed_by == "林晓梅"
    assert detail.row.signed_on == date(2026, 3, 31)


def test_new_rectification_notice_picks_an_organization_then_its_items(qtbot: QtBot, ctx: UiContext,
                                                                       world: World) -> None:
    view = shown_view(qtbot, ctx)
    view.new_org()  # Ctrl+N in the section
    dialog = view.dialog
    assert isinstance(dialog, NewRectificationNoticeDialog)
    dialog.choose_org(world.empty)
    assert dialog.message.text() == NO_ITEMS and not dialog.ok_button.isEnabled()
    dialog.choose_org(world.elders)  # its items are on the draft already: none free
    assert dialog.message.text() == NO_ITEMS
    dialog.choose_org(world.volunteers)
    assert dialog.choices.count() == 1 and "支部委员会未按月召开" in dialog.choices.item(0).text()
    dialog.choices.item(0).setCheckState(Qt.CheckState.Unchecked)
    dialog.ok_button.click()
    assert dialog.isVisible() and dialog.message.text() == NONE_TICKED
    dialog.choices.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert len(view.model.rows) == 3
    created = view.selected()
    assert created is not None and created.org_id == world.volunteers and created.status is NoticeStatus.DRAFT
    assert created.item_count == 1


def test_enter_previews_and_a_save_is_recorded_with_its_sha256(qtbot: QtBot, ctx: UiContext, world: World,
                                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    view = shown_view(qtbot, ctx)
    select(view, world.visit_notice)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    preview = view.dialog
    assert isinstance(preview, PdfPreviewDialog)
    assert preview.page_label.text().startswith("第 1 / ")
    assert not preview.page_view.pixmap().isNull()
    target = tmp_path / "走访通知.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    preview.save_as()
    printed = notices.load_notice(world.factory, world.visit_notice).prints
    assert len(printed) == 1
    assert printed[0].sha256 == hashlib.sha256(target.read_bytes()).hexdigest() == preview.pdf.sha256


def test_a_draft_previews_marked_as_a_draft_and_takes_no_number(qtbot: QtBot, ctx: UiContext, world: World,
                                                                 tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    view = shown_view(qtbot, ctx)
    select(view, world.draft)
    assert view.preview_button.isEnabled() and "草稿" in view.preview_button.toolTip()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    preview = view.dialog
    assert isinstance(preview, PdfPreviewDialog) and "（草稿）" in preview.windowTitle()
    text = pdf_text(preview.pdf.data)
    assert "草稿：此件仅供核对" in text and "（签发时编号）" in text and "〔" not in text
    target = tmp_path / "草稿.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(target), ""))
    preview.save_as()
    assert target.exists()
    detail = notices.load_notice(world.factory, world.draft)
    assert detail.prints == () and detail.provisional_seq is None  # not noted, nothing allocated
    assert notices.issue_notice(world.factory, world.draft, actor=ACTOR).number.startswith("社党整改〔2026〕临")


def test_a_refused_document_says_what_to_fix(qtbot: QtBot, ctx: UiContext, world: World,
                                             answers: dict[str, list[str]]) -> None:
    view = shown_view(qtbot, ctx)
    ops.preview_record(ctx=ctx, parent=view, kind="reminder", record_id=world.draft)  # e.g. from elsewhere
    assert len(answers["warning"]) == 1 and "不是提醒函" in answers["warning"][0]


def test_month_batch_previews_the_combined_pdf(qtbot: QtBot, ctx: UiContext, world: World, tmp_path: Path,
                                               answers: dict[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    notices.issue_notice(world.factory, world.draft, actor=ACTOR)
    view = shown_view(qtbot, ctx)
    view.print_month_batch()
    dialog = view.dialog
    assert isinstance(dialog, MonthBatchDialog) and dialog.month.value() == (2026, 3)
    dialog.start()
    assert "2 份通知已合并" in dialog.outcome
    preview = dialog.preview
    assert isinstance(preview, PdfPreviewDialog) and preview.page_count >= 2
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "合集.pdf"), ""))
    preview.save_as()  # every notice in it notes the batch file's SHA-256
    for notice_id in (world.draft, world.visit_notice):
        printed = notices.load_notice(world.factory, notice_id).prints
        assert [p.sha256 for p in printed] == [preview.pdf.sha256]
        assert printed[0].sha256 == hashlib.sha256((tmp_path / "合集.pdf").read_bytes()).hexdigest()


def test_month_batch_cancel_stops_and_says_what_was_kept(qtbot: QtBot, ctx: UiContext, world: World,
                                                         runner: ImmediateTaskRunner, answers: dict[str, list[str]],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    notices.issue_notice(world.factory, world.draft, actor=ACTOR)
    reports: list[int] = []
    real_report = tasks_module.TaskContext.report

    def cancel_during_first(self: tasks_module.TaskContext, value: int, maximum: int = 0,
                            label: str | None = None) -> None:
        reports.append(value)
        real_report(self, value, maximum, label)
        if value == 0:
            self.cancel()  # what the progress dialog's 取消 does while the first notice is rendered

    monkeypatch.setattr(tasks_module.TaskContext, "report", cancel_during_first)
    view = shown_view(qtbot, ctx)
    view.print_month_batch()
    dialog = view.dialog
    assert isinstance(dialog, MonthBatchDialog)
    runner.paused = True  # as on the real runner, the task runs after submit() has returned
    dialog.start()
    runner.run_pending()
    assert reports == [0]  # stopped before the second notice was begun
    assert dialog.preview is None
    assert len(answers["information"]) == 1
    assert answers["information"][0].startswith("已取消：2026年3月共 2 份通知") and "没有生成文件" in \
        answers["information"][0]


def test_series_settings_are_checked_as_a_whole_before_saving(qtbot: QtBot, ctx: UiContext, world: World) -> None:
    view = shown_view(qtbot, ctx)
    view.edit_series()
    dialog = view.dialog
    assert isinstance(dialog, SeriesSettingsDialog)
    assert dialog.series[NoticeKind.RECTIFICATION_NOTICE].text() == "社党整改"
    assert all(not line.text().strip() for line in dialog.messages.values())  # the stored settings are fine
    dialog.series[NoticeKind.RECTIFICATION_NOTICE].setText("")
    dialog.save()
    assert dialog.isVisible() and dialog.messages[NoticeKind.RECTIFICATION_NOTICE.value].text().strip()
    assert notices.load_series_settings(world.factory).of(NoticeKind.RECTIFICATION_NOTICE) == "社党整改"
    dialog.series[NoticeKind.RECTIFICATION_NOTICE].setText("鼓民社党")
    dialog.save()
    assert not dialog.isVisible()
    assert notices.load_series_settings(world.factory).of(NoticeKind.RECTIFICATION_NOTICE) == "鼓民社党"


def test_filters_and_search(qtbot: QtBot, ctx: UiContext, world: World) -> None:
    view = shown_view(qtbot, ctx)
    view.kind_filter.setCurrentIndex(view.kind_filter.index_of(NoticeKind.VISIT_NOTICE))
    assert [row.id for row in view.model.rows] == [world.visit_notice]
    view.kind_filter.setCurrentIndex(0)
    view.status_filter.setCurrentIndex(view.status_filter.index_of(NoticeStatus.DRAFT))
    assert [row.id for row in view.model.rows] == [world.draft]
    view.status_filter.setCurrentIndex(0)
    view.month_filter.setCurrentIndex(view.month_filter.index_of((2026, 3)))
    assert [row.id for row in view.model.rows] == [world.visit_notice]  # a draft has no issue day
    view.month_filter.setCurrentIndex(0)
    view.search.setText("老年人")
    view.refresh()  # the search waits for typing to pause; F5 runs it at once
    assert [row.id for row in view.model.rows] == [world.draft]


def test_the_section_without_a_mouse(qtbot: QtBot, ctx: UiContext, world: World) -> None:
    """In the window: Ctrl+F to the search, Down into the list, Enter previews, PgDn turns, Esc closes;
    Ctrl+P (文件 → 打印所选文书…) previews the selected notice to print it; Ctrl+N opens 新建整改通知书."""
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.show_section("文书")
    view = window.views["文书"]
    assert isinstance(view, DocumentsView)
    assert window.menus.open_selected.text().startswith("预览所选文书")
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is view.search
    qtbot.keyClick(view.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is view.table and view.selected() is not None
    qtbot.keyClick(view.table, Qt.Key.Key_Down)  # the issued 走访通知 (the draft comes first)
    assert view.selected().id == world.visit_notice  # type: ignore[union-attr]
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    preview = view.dialog
    assert isinstance(preview, PdfPreviewDialog) and preview.isVisible()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is preview)
    if preview.page_count > 1:
        qtbot.keyClick(preview, Qt.Key.Key_PageDown)
        assert preview.page_label.text().startswith("第 2 / ")
    qtbot.keyClick(preview, Qt.Key.Key_Escape)
    assert not preview.isVisible()
    with qtbot.waitActive(window):  # a window manager gives the window back; offscreen, we do
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)  # 文件 → 打印所选文书…
    printed = view.dialog
    assert isinstance(printed, PdfPreviewDialog) and printed is not preview and printed.isVisible()
    printed.close()
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert isinstance(view.dialog, NewRectificationNoticeDialog) and view.dialog.isVisible()


def test_preview_record_opens_any_record_s_document(qtbot: QtBot, ctx: UiContext, db: Database, world: World,
                                                    answers: dict[str, list[str]]) -> None:
    """What the 走访 / 整改 / 三会一课 views call: here a visit's 走访记录表 (not a notice: nothing recorded)."""
    from app.domain.enums import VisitStatus
    from app.models import Instructor, Visit
    from tests.unit.notices.notice_builders import add

    done = visit(db, world.volunteers, on=date(2026, 3, 30), status=VisitStatus.DONE)
    with db.session_factory() as session:
        instructor_id = session.get(Visit, done).instructor_id  # type: ignore[union-attr]
    add(db, Instructor(id=instructor_id, username="lin", name="林晓梅"))
    opened: list[PdfPreviewDialog] = []
    ops.preview_record(ctx=ctx, parent=None, kind="visit-record", record_id=done, on_opened=opened.append)
    assert answers["warning"] == []
    assert len(opened) == 1 and opened[0].windowTitle() == "预览 — 走访记录表" and opened[0].page_count >= 1
    qtbot.addWidget(opened[0])
    with pytest.raises(ValueError):
        ops.preview_record(ctx=ctx, parent=None, kind="ledger", record_id=done)


def test_the_save_as_name_keeps_the_number_of_a_long_organization() -> None:
    number = "社党整改〔2026〕临A1B2C3-7号"
    name = ops.file_name_for(f"整改通知书 {'福州市鼓楼区' * 15}社会工作服务中心 {number}")
    assert name.endswith(f" {number}.pdf") and len(name) == 80 + len(".pdf") and name.startswith("整改通知书 福州市")
    assert len(ops.file_name_for("走访记录表 " + "长" * 200)) == 80 + len(".pdf")


def test_a_preview_without_the_instructor_s_name_offers_the_settings(qtbot: QtBot, ctx: UiContext, world: World,
                                                                      answers: dict[str, list[str]]) -> None:
    """From any window (here the preview of an issued notice), a missing name is said with the offer to open
    文书设置 — answered Yes, the dialog opens on the name field."""
    from PySide6.QtWidgets import QApplication

    from app.ui.dialogs.series_dialog import SeriesSettingsDialog

    notices.issue_notice(world.factory, world.draft, actor=ACTOR)
    with world.factory.begin() as session:
        store_instructor_in(session, "")
    view = shown_view(qtbot, ctx)
    ops.preview_record(ctx=ctx, parent=view, kind="rectification", record_id=world.draft)
    assert len(answers["question"]) == 1 and "文书设置" in answers["question"][0] and answers["warning"] == []
    opened = [w for w in QApplication.topLevelWidgets() if isinstance(w, SeriesSettingsDialog) and w.isVisible()]
    assert len(opened) == 1
    qtbot.addWidget(opened[0])
