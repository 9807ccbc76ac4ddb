"""The visit form, guided: 走访方式 first, then 计划 or 已走访 (and 不打招呼), the organization, day and time;
then the tabs — 走访情况 (people met, what was seen, 意见建议, 需协调解决的事项, next visit, photos), 检查表
(item by item on the visit's own checklist version) and 发现的问题 (a saved one becomes a 整改事项 in one
action).  A plan shows only what a plan has.  Refusals and suggestions are shown live in reserved space;
a half-filled form survives a crash (``DraftKeeper``); Esc asks whether to keep a draft.

Keys: Ctrl+S saves, Esc closes, Ctrl+PgUp / Ctrl+PgDown (or Ctrl+Tab) switch tabs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.services.core.drafts import Draft
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.visits.dto import ChecklistItem, OrgChoice, VisitDetail, VisitInput, VisitMode, VisitStatus
from app.services.visits.rules import notes_of, problems_of
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, WARNING_COLOR, MessageLine
from app.ui.dialogs.visit.checklist import ChecklistPanel
from app.ui.dialogs.visit.codec import from_draft, to_draft
from app.ui.dialogs.visit.findings import FindingsPanel
from app.ui.dialogs.visit.header import VisitHeader
from app.ui.dialogs.visit.record import RecordTab
from app.ui.dialogs.visit.to_rectification import RectificationAnswer, ToRectificationDialog
from app.ui.drafts import KEEP, STAY, DraftKeeper, ask_keep_draft, describe_saved_at
from app.ui.operations import attachments as files
from app.ui.operations import visits as ops
from app.ui.widgets import fit_to_screen

ORIGIN = "visit_dialog"
DRAFT_KIND = "visit"
PREFERRED_SIZE = (980, 660)
OK_COLOR = "#188038"
NO_ORGS = "还没有“我负责的”组织：请先在“组织台账”中标记负责的组织"


class VisitDialog(QDialog):
    """Create (``detail`` None; ``org_id`` preselects the organization) or edit one visit.  Emits
    ``saved(VisitDetail)`` then closes."""

    saved = Signal(object)

    def __init__(self, ctx: UiContext, detail: VisitDetail | None = None, *, org_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._detail = ctx, detail
        self._pending = detail.data if detail else VisitInput(org_id or "", VisitStatus.DONE, VisitMode.ON_SITE,
                                                               clock.today())
        self.orgs: tuple[OrgChoice, ...] = ()
        self.version = detail.data.checklist_version if detail else ""
        self.items: tuple[ChecklistItem, ...] = detail.checklist if detail else ()
        self.saved_detail: VisitDetail | None = None
        self._choices_read = False  # the organizations to choose from have been read
        self._touched = False
        self.setWindowTitle(f"走访记录：{detail.org_name}" if detail else "新建走访")
        self._build()
        self.set_input(self._pending, saved=detail)
        self.header.org.setEnabled(detail is None)  # a saved visit stays with its organization
        for part in (self.header, self.record, self.checklist, self.findings):
            part.edited.connect(self._edited)
        self.drafts = DraftKeeper(ctx, self, kind=DRAFT_KIND, key=detail.id if detail else "new",
                                  collect=lambda: to_draft(self.form_input()),
                                  based_on=detail.updated_at if detail else None)
        self._opened_with = self.form_input()
        ops.load_form_choices(ctx=ctx, on_done=self._choices_loaded, on_error=self._show_error, owner=self)
        self.drafts.load(lambda draft: QTimer.singleShot(0, lambda: self._offer_draft(draft)))

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.header = VisitHeader()
        self.header_message = MessageLine()
        self.record = RecordTab(self._ctx)
        self.checklist = ChecklistPanel()
        self.findings = FindingsPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.record, "走访情况")
        self.tabs.addTab(self.checklist, "检查表")
        self.tabs.addTab(self.findings, "发现的问题")
        self.live_line = MessageLine(lines=2)
        self.save_button = QPushButton("保存")
        cancel = QPushButton("取消")
        self.print_button = QPushButton("打印走访记录表…")
        self.print_button.setToolTip("预览并打印已保存的走访记录表（Ctrl+P）")
        self.print_button.setVisible(self._detail is not None and self._detail.data.status is VisitStatus.DONE)
        self.print_button.clicked.connect(self.print_record)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_record)
        for button in (self.print_button, self.save_button, cancel):
            button.setAutoDefault(False)
        self.save_button.setToolTip("保存走访记录（Ctrl+S）")
        self.save_button.clicked.connect(lambda: self.save())
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, lambda: self.save())
        QShortcut(QKeySequence("Ctrl+PgDown"), self, lambda: self._step_tab(1))
        QShortcut(QKeySequence("Ctrl+PgUp"), self, lambda: self._step_tab(-1))
        buttons = QHBoxLayout()
        buttons.addWidget(self.live_line, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.header_message)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, PREFERRED_SIZE)
        self.header.shapeChanged.connect(self._follow_shape)
        self.checklist.findingWanted.connect(self._finding_from_item)
        self.findings.convertWanted.connect(self.convert_finding)

    def _step_tab(self, step: int) -> None:
        visible = [i for i in range(self.tabs.count()) if self.tabs.isTabVisible(i)]
        if self.tabs.currentIndex() in visible:
            at = visible.index(self.tabs.currentIndex())
            self.tabs.setCurrentIndex(visible[(at + step) % len(visible)])

    def _follow_shape(self) -> None:
        done = self.header.status() is VisitStatus.DONE
        self.record.follow_status(self.header.status())
        for panel in (self.checklist, self.findings):
            self.tabs.setTabVisible(self.tabs.indexOf(panel), done)
        self.refresh_live()

    # -- filling ---------------------------------------------------------------------------------
    def _choices_loaded(self, choices: ops.FormChoices) -> None:
        self.orgs = choices.orgs
        name = self._detail.org_name if self._detail else ""
        self.header.set_orgs(choices.orgs, self.header.org_id() or self._pending.org_id or None, name)
        self._choices_read = True
        if not self.version:  # a new visit (or an old one with no answers): the newest checklist
            self.version, self.items = choices.version, choices.items
            self.checklist.set_items(self.version, self.items, self.checklist.answers() or self._pending.answers,
                                     party_covered=self._party_covered())
            self.findings.items = {item.code: item.text for item in self.items}
        if not self._touched:  # what the choices filled in (the organization, 不适用 items) is no edit
            self._opened_with = self.form_input()
        self.header.org.currentIndexChanged.connect(lambda _i: self._org_picked())
        self.refresh_live()

    def _party_covered(self) -> bool | None:
        org_id = self.header.org_id()
        found = next((c for c in self.orgs if c.id == org_id), None)
        return found.has_party_org if found else None

    def _org_picked(self) -> None:
        if self._detail is None and not self.checklist.answers():
            self.checklist.set_items(self.version, self.items, (), party_covered=self._party_covered())

    def set_input(self, data: VisitInput, *, saved: VisitDetail | None = None) -> None:
        """Fill every part from ``data`` (the visit opened, or a draft restored)."""
        self._pending = data
        self.header.set_input(data)
        self.record.set_input(data)
        self.checklist.set_items(self.version, self.items, data.answers)
        self.findings.items = {item.code: item.text for item in self.items}
        self.findings.set_findings(data.findings, saved.findings if saved else ())
        self._follow_shape()

    def form_input(self) -> VisitInput:
        return VisitInput(
            org_id=self.header.org_id() or self._pending.org_id, status=self.header.status(),
            mode=self.header.mode(), visited_on=self.header.day.value(), start_time=self.header.start_time(),
            end_time=self.header.end_time(), surprise=self.header.surprise.isChecked() and
            self.header.mode() is VisitMode.ON_SITE, met_with=self.record.met_with.text(),
            summary=self.record.summary.toPlainText(), answers=self.checklist.answers(),
            findings=self.findings.values(), suggestions=self.record.suggestions.toPlainText(),
            coordination=self.record.coordination.toPlainText(), photos=tuple(self.record.photos),
            next_visit_on=self.record.next_visit_on(), plan_next=self.record.plan_next.isChecked(),
            checklist_version=self.version)

    # -- live ------------------------------------------------------------------------------------
    def _edited(self) -> None:
        self._touched = True
        self.refresh_live()
        self.drafts.touch()

    def _items_map(self) -> dict[str, str]:
        return {item.code: item.text for item in self.items}

    def refresh_live(self) -> None:
        """The first refusal (what to fix before saving), else what the form suggests, else 可以保存."""
        typed = self.header.time_problem()
        if not typed and not self.orgs and self._detail is None and self._choices_read:
            typed = NO_ORGS  # kept while the times are fine: nothing can be saved without an organization
        self.header_message.set_message(typed, ERROR_COLOR)
        data = self.form_input()
        if not data.org_id:  # the service would refuse it: never "可以保存" before an organization is chosen
            self.live_line.set_message("请先选择走访的社会组织", ERROR_COLOR)
            return
        problems = problems_of(data, items=self._items_map(), today=clock.today(), now=clock.civil_now())
        if problems:
            self.live_line.set_message("；".join(problems.values()), ERROR_COLOR)
            return
        notes = notes_of(data, items=self._items_map())
        self.live_line.set_message("；".join(notes) if notes else "可以保存", WARNING_COLOR if notes else OK_COLOR)

    def _finding_from_item(self, code: str, description: str) -> None:
        """记为问题: a finding of that item (the one already there, else a new one), chosen in its tab."""
        row = next((n for n, e in enumerate(self.findings.entries) if e.item_code == code), -1)
        if row < 0:
            row = self.findings.append(description, code)
        self.tabs.setCurrentWidget(self.findings)
        self.findings.table.setCurrentCell(row, 0)

    # -- save ------------------------------------------------------------------------------------
    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        typed = self.header.time_problem()
        if typed:
            self.header_message.set_message(typed, ERROR_COLOR)
            return
        data = self.form_input()
        if not data.org_id:
            QMessageBox.warning(self, "无法保存", "请先选择走访的社会组织")
            return
        problems = problems_of(data, items=self._items_map(), today=clock.today(), now=clock.civil_now())
        if problems:
            QMessageBox.warning(self, "无法保存", "\n".join(problems.values()))
            return
        unrecorded = [n for n in notes_of(data, items=self._items_map()) if "答“否”" in n]
        if unrecorded and not self.ask_save_without_findings(tuple(unrecorded)):
            self.tabs.setCurrentWidget(self.checklist)
            return
        self._set_busy(True)
        ops.save_visit(ctx=self._ctx, data=data, visit_id=self._detail.id if self._detail else None,
                       expected_updated_at=self._detail.updated_at if self._detail else None,
                       on_done=self._saved, on_error=self._save_failed, origin=ORIGIN, owner=self)

    def ask_save_without_findings(self, notes: tuple[str, ...]) -> bool:
        """Some 否 answers have no finding: True to save anyway, False to go back (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, "还没有记录发现的问题",
                          "\n".join(f"· {n}" for n in notes) + "\n\n可在检查表中点“记为问题”。仍然保存吗？",
                          parent=self)
        save = box.addButton("仍然保存", QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton("返回补充", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.exec()
        return box.clickedButton() is save

    def _saved(self, detail: VisitDetail) -> None:
        self._set_busy(False)
        self.drafts.discard()
        self.saved_detail = detail
        self.saved.emit(detail)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationFailed):
            QMessageBox.warning(self, "无法保存", "\n".join(exc.problems.values()) + "\n表单中填写的内容没有丢失。")
        else:
            QMessageBox.critical(self, "无法保存", describe_error(exc) + "\n表单中填写的内容没有丢失。")

    def _show_error(self, exc: BaseException) -> None:
        self.header_message.set_message(describe_error(exc), ERROR_COLOR)

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText("正在保存…" if busy else "保存")

    # -- a finding becomes a 整改事项 --------------------------------------------------------------
    def convert_finding(self, row: int) -> None:
        entry = self.findings.entries[row]
        text = self.findings.description(row)
        saved = next((f for f in self._detail.findings if f.id == entry.id), None) if self._detail else None
        if entry.id is None or saved is None or saved.description != text:
            QMessageBox.information(self, "请先保存", "这条问题还没有保存（或刚修改过）：请先保存走访记录，"
                                                     "再打开这次走访，把问题转为整改事项。")
            return
        visited_on = self._detail.data.visited_on if self._detail else None
        answer = self.ask_rectification(text, visited_on or clock.today())
        if answer is None:
            return
        ops.finding_to_rectification(
            ctx=self._ctx, visit_id=self._detail.id if self._detail else "", finding_id=entry.id,
            deadline=answer.deadline, requirement=answer.requirement, responsible_person=answer.responsible_person,
            origin=ORIGIN, owner=self, on_done=lambda _item: self._raised(row, text),
            on_error=self._raise_failed)

    def _raise_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "无法转为整改事项", describe_error(exc))

    def ask_rectification(self, finding: str, visited_on: date) -> RectificationAnswer | None:
        """The deadline, requirement and responsible person, or None if cancelled (tests replace this)."""
        dialog = ToRectificationDialog(finding, visited_on, self)
        return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _raised(self, row: int, text: str) -> None:
        title = text.splitlines()[0][:30] if text else ""
        self.findings.mark_raised(row, title)
        self.live_line.set_message(f"已建立整改事项（草稿）：{title}。可在“整改”中查看和签发", OK_COLOR)

    def print_record(self) -> None:
        """The saved visit's 走访记录表 in the preview; unsaved changes are saved first or not printed."""
        if self._detail is None or self._detail.data.status is not VisitStatus.DONE:
            return
        if self.form_input() != self._opened_with:
            self.live_line.set_message("表单有未保存的修改：请先保存，再打印（打印的是已保存的记录）", WARNING_COLOR)
            return
        from app.ui.operations.documents import preview_record

        preview_record(ctx=self._ctx, parent=self, kind="visit-record", record_id=self._detail.id,
                       title="走访记录表")

    # -- closing and drafts ----------------------------------------------------------------------
    def reject(self) -> None:
        if self.form_input() != self._opened_with:
            choice = self.ask_close()
            if choice == STAY:
                return
            if choice == KEEP:
                self.drafts.keep()
            else:
                self._throw_away()
        else:
            self._throw_away()
        super().reject()

    def _throw_away(self) -> None:
        self.drafts.discard()
        if self.record.added:
            files.discard_unsaved(ctx=self._ctx, shas=self.record.added)

    def ask_close(self) -> str:
        """KEEP, DISCARD or STAY (tests replace this)."""
        return ask_keep_draft(self)

    def _offer_draft(self, draft: Draft) -> None:
        data = from_draft(draft.values)
        if data is None or not self.ask_restore_draft(draft):
            self.drafts.discard(closing=False)
            return
        self.set_input(data, saved=self._detail)
        self.drafts.touch()

    def ask_restore_draft(self, draft: Draft) -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, "恢复草稿",
                          f"发现上次未保存的走访记录（保存于 {describe_saved_at(draft)}），是否恢复？", parent=self)
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("放弃", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore
