"""The 社会组织 window: create or edit every field, with live validation from the service and a draft.

While the user types, ``check_org`` runs (debounced) on the read lane and each problem appears in red
under its field, each warning in orange; problems of fields not yet touched stay quiet until the first
save attempt.  Saving validates the whole form in the service: if it fails, every problem is shown and
the first one gets the focus, and nothing typed is lost.

Keys: Enter moves to the next field and never saves (the messages under the fields change while the user
types, so an Enter meant for a field must not save an edit the user has not looked at); Ctrl+S or
Ctrl+Enter saves, as does the 保存 button.  Esc (or 取消) closes, asking whether to keep a draft.

The window's tabs: 基本信息 (this form), then the records behind the organization (年检年报, 信用记录, 换届,
评估; ``RecordTabs``), and 我负责的组织 beside the buttons.

Drafts: about a second after each change the form's values are kept on disk (``DraftKeeper``); opening
新建组织, or an organization with a draft left behind (a crash, or 保留草稿 on closing), offers it back.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.core.drafts import Draft
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.orgs.dto import OrgDetail
from app.services.orgs.validation import OrgCheck
from app.ui.context import UiContext
from app.ui.dialogs.org_form import OrgForm
from app.ui.dialogs.org_records.panel import RecordTabs
from app.ui.drafts import DISCARD as DISCARD  # the close choices, named here too (tests, callers)
from app.ui.drafts import KEEP, STAY, DraftKeeper, ask_keep_draft, describe_saved_at
from app.ui.operations import organizations as ops
from app.ui.widgets import fit_to_screen

CHECK_DELAY_MS = 250
ORIGIN = "org_dialog"
DRAFT_KIND = "org"
PREFERRED_SIZE = (1020, 660)


class OrgDialog(QDialog):
    """Create (``detail`` None) or edit one organization.  Emits ``saved(OrgDetail)`` then closes."""

    saved = Signal(object)
    restored = Signal(object)  # OrgDetail: the archived organization is back in the ledger

    def __init__(self, ctx: UiContext, detail: OrgDetail | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._detail = ctx, detail
        self._touched: set[str] = set()
        self._show_all = detail is not None  # an existing record: every problem is worth showing
        self._generation = 0
        self._service_problems: dict[str, str] = {}
        self._warnings: dict[str, str] = {}
        self._focus_after_check = False
        self.last_check: OrgCheck | None = None
        self.form = OrgForm(self)
        self.slots, self.labels = self.form.slots, self.form.labels
        self.banner = self.form.banner
        self.setWindowTitle(f"编辑组织：{detail.data.name}" if detail else "新建组织")
        self._build()
        if detail is not None:
            self.form.set_input(detail.data)
            self.form.sync_dependent_fields()
        self._opened_with = self.form_input()  # to tell whether closing would throw input away
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        self.drafts = DraftKeeper(ctx, self, kind=DRAFT_KIND, key=detail.id if detail else "new",
                                  collect=self.form.draft_values, based_on=detail.updated_at if detail else None)
        self.form.edited.connect(self._edited)
        self.editor("name").setFocus()
        if detail is not None:
            self.run_check()
        self.drafts.load(lambda draft: QTimer.singleShot(0, lambda: self._offer_draft(draft)))

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.save_button, cancel):
            button.setAutoDefault(False)  # Enter in a field must never press a button
            button.setDefault(False)
        self.save_button.setToolTip("保存（Ctrl+S 或 Ctrl+Enter）")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for keys in (QKeySequence.StandardKey.Save, "Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)
        hint = QLabel("回车：下一项　Ctrl+S：保存")
        hint.setStyleSheet("color: #5f6368;")
        self.tabs = QTabWidget(self)  # 基本信息, then the records (年检年报, 信用记录, 换届, 评估)
        self.tabs.addTab(self.form, "基本信息")
        self.records = RecordTabs(self.tabs, self._ctx, self._detail)
        self.records.orgChanged.connect(self._org_changed_by_records)
        bottom = QHBoxLayout()
        bottom.addWidget(self.records.mine_box)
        bottom.addSpacing(16)
        bottom.addWidget(hint)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        if self._detail is not None and self._detail.read_only:  # no longer assigned, unsent changes kept
            self.read_only_note = QLabel(self._detail.read_only, self)
            self.read_only_note.setWordWrap(True)
            self.read_only_note.setStyleSheet("color: #b3261e;")
            layout.addWidget(self.read_only_note)
            self.form.setEnabled(False)
            self.save_button.setEnabled(False)
        if self._detail is not None and self._detail.archived:
            layout.addLayout(self._archived_bar(self._detail))
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)
        fit_to_screen(self, PREFERRED_SIZE)  # 1366×768 at 125 %: the buttons stay on screen, the form scrolls

    def _archived_bar(self, detail: OrgDetail) -> QHBoxLayout:
        archived = detail.archived_on
        when = f"于 {archived:%Y-%m-%d} " if archived else ""
        self.archived_note = QLabel(f"该组织已{when}归档（原因：{detail.archive_reason or '未说明'}），"
                                    "不在在册台账中。", self)
        self.archived_note.setWordWrap(True)
        self.archived_note.setStyleSheet("color: #5f6368;")
        self.restore_button = QPushButton("恢复到在册台账", self)
        self.restore_button.setAutoDefault(False)
        self.restore_button.clicked.connect(self.restore_archived)
        bar = QHBoxLayout()
        bar.addWidget(self.archived_note, 1)
        bar.addWidget(self.restore_button)
        return bar

    # -- the form's parts, by the names the tests and the organization window use ----------------
    def editor(self, name: str) -> Any:
        return self.form.editor(name)

    def form_input(self) -> Any:
        return self.form.form_input()

    def set_input(self, data: Any) -> None:
        self.form.set_input(data)

    def problems_shown(self) -> dict[str, str]:
        return self.form.problems_shown()

    def warnings_shown(self) -> dict[str, str]:
        return self.form.warnings_shown()

    def reason_required(self) -> bool:
        return self.form.reason_required()

    @property
    def scroll_area(self) -> Any:
        return self.form.scroll_area

    # -- keys ------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.save_button.setDefault(False)  # the button box makes its first accept button default on show

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves on (a multi-line 备注 keeps its own Enter); Ctrl+Enter saves (the shortcut)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.focusNextChild()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- validation ------------------------------------------------------------------------------
    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self._check_timer.start()
        self.drafts.touch()
        self._show()  # a half-typed date speaks at once; the service's verdict follows

    def run_check(self) -> None:
        """Ask the service about the whole form now (live feedback; saves nothing)."""
        self._check_timer.stop()
        self._generation += 1
        generation = self._generation
        ops.check_org(
            ctx=self._ctx, data=self.form_input(), org_id=self._detail.id if self._detail else None,
            on_done=lambda check: self._checked(generation, check), owner=self,
        )

    def _checked(self, generation: int, check: OrgCheck) -> None:
        if generation == self._generation:  # a newer keystroke or a save supersedes this result
            self.last_check = check
            self.show_check(check.problems, check.warnings)
            if self._focus_after_check:
                self._focus_after_check = False
                self.form.focus_first({**check.problems, **self.form.local_problems()})

    def show_check(self, problems: dict[str, str], warnings: dict[str, str]) -> None:
        self._service_problems = dict(problems)
        self._warnings = dict(warnings)
        self._show()

    def _show(self) -> None:
        problems = {**self._service_problems, **self.form.local_problems()}
        shown = {k: v for k, v in problems.items() if self._show_all or k in self._touched}
        self.form.show_messages(shown, self._warnings, summary=self._show_all)

    # -- save ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Validate the whole form in the service and save it, or show every problem."""
        if not self.save_button.isEnabled():  # a save is already on its way (Ctrl+S pressed twice)
            return
        self._show_all = True
        self._generation += 1  # any live check still running is now out of date
        self._check_timer.stop()
        if self.form.local_problems():  # a date field holds something that is not a date: nothing to save,
            self._focus_after_check = True  # but every other problem is worth showing too
            self.run_check()
            return
        self._set_busy(True)
        data = self.form_input()
        if self._detail is None:
            ops.create_org(ctx=self._ctx, data=data, on_done=self._saved, on_error=self._save_failed,
                           origin=ORIGIN, owner=self)
        else:
            ops.update_org(ctx=self._ctx, org_id=self._detail.id, data=data,
                           expected_updated_at=self._detail.updated_at, on_done=self._saved,
                           on_error=self._save_failed, origin=ORIGIN, owner=self)

    def has_unsaved_input(self) -> bool:
        return self.form_input() != self._opened_with or bool(self.form.local_problems())

    def reject(self) -> None:
        """取消, Esc or the window's close button: ask whether to keep what was typed as a draft."""
        if self.has_unsaved_input():
            choice = self.ask_close()
            if choice == STAY:
                return
            if choice == KEEP:
                self.drafts.keep()
            else:
                self.drafts.discard()
        else:
            self.drafts.discard()  # nothing typed (or typed back as it was): no draft worth keeping
        super().reject()

    def ask_close(self) -> str:
        """KEEP (close, keep a draft), DISCARD (close, throw the input away) or STAY (tests replace this)."""
        return ask_keep_draft(self)

    def _saved(self, detail: OrgDetail) -> None:
        self._set_busy(False)
        self.drafts.discard()
        self.saved_detail = detail
        self.saved.emit(detail)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationFailed):
            warnings = self.last_check.warnings if self.last_check else {}
            self.show_check(exc.problems, warnings)
            self.form.focus_first(exc.problems)
        else:
            QMessageBox.critical(self, "无法保存", describe_error(exc) + "\n表单中填写的内容没有丢失。")

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText("正在保存…" if busy else "保存")

    # -- drafts ----------------------------------------------------------------------------------
    def _offer_draft(self, draft: Draft) -> None:
        if self.ask_restore_draft(draft):
            self.form.restore_draft(draft.values)
            self._show_all = True
            self.run_check()
            self.drafts.touch()
        else:
            self.drafts.discard(closing=False)  # what is typed from now on is kept as a new draft

    def draft_prompt(self, draft: Draft) -> str:
        text = f"发现上次未保存的内容（保存于 {describe_saved_at(draft)}），是否恢复？"
        if self._detail is not None and draft.stale_for(self._detail.updated_at):
            text += ("\n\n注意：该组织在此之后又被修改并保存过。恢复后，表单中的内容将换成草稿里的内容，"
                     "请核对后再保存。")
        return text

    def ask_restore_draft(self, draft: Draft) -> bool:
        """True to restore the draft, False to throw it away (tests replace this)."""
        box = QMessageBox(QMessageBox.Icon.Question, "恢复草稿", self.draft_prompt(draft), parent=self)
        restore = box.addButton("恢复", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("放弃", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(restore)
        box.exec()
        return box.clickedButton() is restore

    # -- archived --------------------------------------------------------------------------------
    def restore_archived(self) -> None:
        """恢复: bring this archived organization back into the ledger; the form stays open."""
        assert self._detail is not None
        self.restore_button.setEnabled(False)
        ops.restore_org(ctx=self._ctx, org_id=self._detail.id, origin=ORIGIN, owner=self,
                        on_done=self._restored, on_error=self._restore_failed)

    def _org_changed_by_records(self, detail: OrgDetail) -> None:
        """An evaluation added or deleted in the 评估 tab set the organization's grade: show it, and save
        the form against the organization as it now is (no false 已被修改)."""
        self._detail = detail
        self.drafts.based_on = detail.updated_at
        for name in ("evaluation_grade", "evaluation_date"):
            value = getattr(detail.data, name)
            if name not in self._touched:
                self.slots[name].blockSignals(True)
                self.slots[name].set_value(value)
                self.slots[name].blockSignals(False)
            self._opened_with = replace(self._opened_with, **{name: value})

    def _restored(self, detail: OrgDetail) -> None:
        self._detail = detail  # its updated_at moved on: a later save must not look stale
        self.drafts.based_on = detail.updated_at
        self.archived_note.setText("已恢复到在册台账。")
        self.restore_button.setText("已恢复")  # disabled, not hidden: nothing on the form moves
        self.restored.emit(detail)

    def _restore_failed(self, exc: BaseException) -> None:
        self.restore_button.setEnabled(True)
        QMessageBox.critical(self, "无法恢复", describe_error(exc))
