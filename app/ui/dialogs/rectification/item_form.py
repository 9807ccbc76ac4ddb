"""新建整改事项 (or 修改草稿): guided.  Pick the organization (type to filter), the source (督查 / 年检 / 其他;
an item from a visit keeps 走访), then the problem, 依据, 整改要求, the deadline and the responsible person.
The service's own check runs as the user types, and every problem stands beside its field in reserved
space (nothing jumps); 保存为草稿 saves only a whole, valid item.  What is typed is kept on disk as a form
draft about a second after each change (``DraftKeeper``), offered back after a crash; closing with
changes asks whether to keep it."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.services.core.drafts import Draft
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.rectification.dto import (
    DIRECT_SOURCES,
    OrgChoice,
    RectificationDetail,
    RectificationInput,
    RectificationSource,
)
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, DateEntry, FieldSlot, MessageLine
from app.ui.drafts import DISCARD, KEEP, DraftKeeper, ask_keep_draft, describe_saved_at
from app.ui.operations import rectification as ops
from app.ui.widgets import ChoiceBox, fit_to_screen

ORIGIN = "rectification_form"
CHECK_DELAY_MS = 300
DEFAULT_DAYS = 30  # a new item's deadline, a month after it is raised, until the user says otherwise
NO_ORG = "请选择整改事项所属的社会组织"
DRAFT_KIND = "rectification"


def _text_edit(placeholder: str, height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(height)
    return edit


def _line(placeholder: str, limit: int) -> QLineEdit:
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(limit)
    return edit


class ItemDialog(QDialog):
    saved = Signal(str)  # the item's id

    def __init__(self, ctx: UiContext, detail: RectificationDetail | None, *, org_id: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self.detail = ctx, detail
        self._saving = False
        self._dirty = False
        self._checked_once = False
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.check_now)
        self.setWindowTitle("修改整改事项草稿" if detail else "新建整改事项")
        self._build()
        if detail is not None:
            self._fill(detail)
        else:
            today = clock.today()
            self.slots["raised_on"].set_value(today)
            self.slots["deadline"].set_value(today + timedelta(days=DEFAULT_DAYS))
        self._wanted_org = detail.data.org_id if detail else org_id
        ops.load_org_choices(ctx=ctx, on_done=self._orgs_loaded, owner=self)
        for slot in self.slots.values():
            slot.changed.connect(self._edited)
        self.drafts = DraftKeeper(ctx, self, kind=DRAFT_KIND, key=detail.id if detail else "new",
                                  collect=self.draft_values, based_on=detail.updated_at if detail else None)
        self.drafts.load(lambda draft: QTimer.singleShot(0, lambda: self._offer_draft(draft)))
        fit_to_screen(self, (980, 560))

    def _build(self) -> None:
        intro = QLabel("保存后为草稿，可以修改；签发后内容以通知书为准，不能再改（变化请记在跟进记录中）。"
                       "从走访发现的问题请在走访记录中一键生成。")
        intro.setWordWrap(True)
        org_box = ChoiceBox()
        org_box.setEditable(True)
        org_box.setInsertPolicy(ChoiceBox.InsertPolicy.NoInsert)
        org_box.setSizeAdjustPolicy(ChoiceBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        org_box.setMinimumContentsLength(16)  # a long name must not widen the form
        line = org_box.lineEdit()
        assert line is not None
        line.setPlaceholderText("输入名称中的字筛选，再从列表中选择")
        completer = org_box.completer()
        assert completer is not None
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        source_box = ChoiceBox([(s.label, s) for s in DIRECT_SOURCES])
        self.slots: dict[str, FieldSlot] = {
            "org_id": FieldSlot(org_box),
            "source": FieldSlot(source_box),
            "source_detail": FieldSlot(_line("如 2026年3月区委组织部专项督查", 200)),
            "raised_on": FieldSlot(DateEntry()),
            "deadline": FieldSlot(DateEntry(), message_lines=2),
            "responsible_person": FieldSlot(_line("组织一方负责整改的人，如 张明（会长）", 100)),
            "title": FieldSlot(_line("一句话概括，如 未按期召开支部党员大会", 200)),
            "description": FieldSlot(_text_edit("存在问题的详细情况（可不填，通知书中用上面一句话）", 74)),
            "basis": FieldSlot(_text_edit("依据的规定，如《中国共产党支部工作条例（试行）》第十五条（可不填）", 50)),
            "requirement": FieldSlot(_text_edit("要求组织做到什么，如 补开支部党员大会并建立会议记录", 74)),
        }
        left, right = QFormLayout(), QFormLayout()
        for form, names in ((left, ("org_id", "source", "source_detail", "raised_on", "deadline",
                                    "responsible_person")),
                            (right, ("title", "description", "basis", "requirement"))):
            for name in names:
                form.addRow(LABELS[name], self.slots[name])
        columns = QHBoxLayout()
        for form, stretch in ((left, 4), (right, 5)):
            column = QVBoxLayout()
            column.addLayout(form)
            column.addStretch(1)  # the rows keep together at the top
            columns.addLayout(column, stretch)
            columns.addSpacing(12)
        self.banner = MessageLine(lines=2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存为草稿")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(columns, 1)
        layout.addWidget(self.banner)
        layout.addWidget(self.buttons)
        self.slots["org_id"].setFocus()

    # -- filling ---------------------------------------------------------------------------------
    def _fill(self, detail: RectificationDetail) -> None:
        data = detail.data
        source = self.slots["source"].editor
        assert isinstance(source, ChoiceBox)
        if data.source not in DIRECT_SOURCES:  # a 走访 item keeps its source and link
            source.add_choice(data.source.label, data.source)
            source.setEnabled(False)
        for name in ("source", "source_detail", "raised_on", "deadline", "responsible_person", "title",
                     "description", "basis", "requirement"):
            self.slots[name].set_value(getattr(data, name))
        self.slots["org_id"].setEnabled(False)  # an item stays with its organization

    def _orgs_loaded(self, choices: tuple[OrgChoice, ...]) -> None:
        box = self.slots["org_id"].editor
        assert isinstance(box, ChoiceBox)
        box.blockSignals(True)
        box.set_choices([(c.name, c.id) for c in choices])
        if self.detail is not None and box.index_of(self.detail.data.org_id) < 0:
            box.add_choice(self.detail.org_name, self.detail.data.org_id)  # archived since: still its own
        box.setCurrentIndex(box.index_of(self._wanted_org) if self._wanted_org else -1)
        box.blockSignals(False)

    # -- reading the form ------------------------------------------------------------------------
    def org_id(self) -> str:
        box = self.slots["org_id"].editor
        assert isinstance(box, ChoiceBox)
        value = box.value()
        if not isinstance(value, str) or box.currentText() != box.itemText(box.currentIndex()):
            return ""  # text typed that names no organization in the list
        return value

    def data(self) -> RectificationInput | None:
        """The form's input, or None while a date is not yet a date (``local_problems`` says which)."""
        raised_on, deadline = self.slots["raised_on"].value(), self.slots["deadline"].value()
        if not isinstance(raised_on, date) or not isinstance(deadline, date):
            return None
        source = self.slots["source"].value()
        assert isinstance(source, RectificationSource)
        base = self.detail.data if self.detail else None
        return RectificationInput(
            org_id=self.org_id(), source=source, source_detail=str(self.slots["source_detail"].value()),
            title=str(self.slots["title"].value()), description=str(self.slots["description"].value()),
            basis=str(self.slots["basis"].value()), requirement=str(self.slots["requirement"].value()),
            deadline=deadline, responsible_person=str(self.slots["responsible_person"].value()),
            raised_on=raised_on, visit_id=base.visit_id if base else None, finding_id=base.finding_id if base else None)

    def local_problems(self) -> dict[str, str]:
        problems = {}
        for name in ("raised_on", "deadline"):
            slot = self.slots[name]
            if slot.value() is None:
                problems[name] = slot.local_problem() or f"请填写{LABELS[name]}"
        if not self.org_id():
            problems["org_id"] = NO_ORG
        return problems

    # -- checking --------------------------------------------------------------------------------
    def _edited(self) -> None:
        self._dirty = True
        self.drafts.touch()
        if self._checked_once:  # after the first save attempt, messages follow the typing
            self._check_timer.start()

    def check_now(self) -> None:
        local = self.local_problems()
        data = self.data()
        if data is None:
            self.show_problems(local)
            return
        ops.check_item(ctx=self._ctx, data=data, item_id=self.detail.id if self.detail else None, owner=self,
                       on_done=lambda problems: self.show_problems({**problems, **local}))

    def show_problems(self, problems: dict[str, str], *, focus: bool = False) -> None:
        for name, slot in self.slots.items():
            slot.show_message(problems.get(name, ""), "error")
        others = [text for key, text in problems.items() if key not in self.slots]
        self.banner.set_message("；".join(others), ERROR_COLOR)
        if focus:
            first = next((slot for name, slot in self.slots.items() if name in problems), None)
            if first is not None:
                first.setFocus()

    # -- saving ----------------------------------------------------------------------------------
    def submit(self) -> None:
        if self._saving:
            return
        self._checked_once = True
        local = self.local_problems()
        data = self.data()
        if data is None:
            self.show_problems(local, focus=True)
            return
        if local:  # say everything at once: the service's check of the rest, with what the form found
            ops.check_item(ctx=self._ctx, data=data, item_id=self.detail.id if self.detail else None, owner=self,
                           on_done=lambda problems: self.show_problems({**problems, **local}, focus=True))
            return
        self._saving = True
        self.save_button.setEnabled(False)
        ops.save_item(ctx=self._ctx, data=data, item_id=self.detail.id if self.detail else None,
                      expected_updated_at=self.detail.updated_at if self.detail else None, origin=ORIGIN,
                      owner=self, on_done=self._saved, on_error=self._failed)

    def _saved(self, item_id: str) -> None:
        self._dirty = False
        self.drafts.discard()
        self.saved.emit(item_id)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.show_problems(exc.problems, focus=True)
        else:
            self.banner.set_message(describe_error(exc), ERROR_COLOR)

    def reject(self) -> None:
        """取消 or Esc: with unsaved input, ask whether to keep it as a draft (or go on editing)."""
        if self._saving:
            return
        if self._dirty:
            choice = self.ask_close()
            if choice == KEEP:
                self.drafts.keep()
            elif choice == DISCARD:
                self.drafts.discard()
            else:
                return
        else:
            self.drafts.discard()
        super().reject()

    def ask_close(self) -> str:
        """KEEP, DISCARD or STAY (tests replace this)."""
        return ask_keep_draft(self)

    # -- drafts ----------------------------------------------------------------------------------
    def draft_values(self) -> dict[str, object]:
        return {name: slot.draft_value() for name, slot in self.slots.items()}

    def _offer_draft(self, draft: Draft) -> None:
        if not self.ask_restore_draft(draft):
            self.drafts.discard(closing=False)
            return
        org = draft.values.get("org_id")
        if isinstance(org, str) and self.detail is None:
            self._wanted_org = org  # chosen once the organizations are read, if they are not yet
        for name, slot in self.slots.items():
            if name in draft.values and slot.isEnabled():
                slot.restore_draft(draft.values[name])
        self._dirty = True

    def ask_restore_draft(self, draft: Draft) -> bool:
        """True to restore the draft left behind (tests replace this)."""
        text = f"发现上次未保存的整改事项（保存于 {describe_saved_at(draft)}），是否恢复？"
        answer = QMessageBox.question(self, "恢复草稿", text)
        return answer == QMessageBox.StandardButton.Yes


LABELS = {"org_id": "社会组织", "source": "来源", "source_detail": "来源说明", "raised_on": "提出日期",
          "deadline": "整改期限", "responsible_person": "整改责任人", "title": "存在问题", "description": "问题详情",
          "basis": "依据", "requirement": "整改要求"}
