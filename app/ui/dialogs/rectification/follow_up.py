"""A follow-up on a 整改 item, asking what its kind needs: the civil day it happened, a text (整改情况 for a
反馈, the reason of a 复查未通过 or a 延期, the 备注 itself; optional otherwise), for a 延期 the new deadline,
and evidence files (copied into the attachments folder off the UI thread as they are added).  Every
message stands beside its field; nothing is written until the service accepts the whole follow-up."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.rectification.dto import RectificationDetail, RectificationFollowUpKind
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, DateEntry, FieldSlot, MessageLine
from app.ui.operations import attachments as files
from app.ui.operations import rectification as ops

if TYPE_CHECKING:
    from app.services.core.attachments import StoredFile

Kind = RectificationFollowUpKind
ORIGIN = "rectification_follow_up"
FILE_FILTER = "照片或扫描件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff *.bmp *.heic *.doc *.docx);;所有文件 (*)"
# (label of the text, placeholder, needed)
TEXTS: dict[Kind, tuple[str, str, bool]] = {
    Kind.ISSUE: ("说明", "可不填，例如：随整改通知书送达", False),
    Kind.ACKNOWLEDGE: ("说明", "可不填，例如：组织负责人当面签收", False),
    Kind.START: ("说明", "可不填，例如：组织已制定整改方案", False),
    Kind.REPORT: ("整改情况", "组织反馈了什么、做了哪些整改（必填）", True),
    Kind.REVIEW_PASS: ("复查意见", "可不填，例如：现场核实，已补开党员大会", False),
    Kind.REVIEW_FAIL: ("未通过原因", "复查发现的问题和还需整改的内容（必填）", True),
    Kind.EXTEND: ("延期理由", "为什么延期、谁同意的（必填）", True),
    Kind.CLOSE: ("说明", "可不填", False),
    Kind.NOTE: ("备注", "要记下的情况（必填）", True),
}
INTROS: dict[Kind, str] = {
    Kind.ISSUE: "签发后事项内容不能再修改，整改期限开始计算。",
    Kind.REVIEW_FAIL: "复查未通过后事项重新打开：组织继续整改，过了整改期限即为逾期。",
    Kind.EXTEND: "延期不改变状态，只把现行整改期限推后；原定期限和每次延期都会保留。现行整改期限：{deadline}。",
    Kind.CLOSE: "销号后事项结束，只能再添加备注。",
}
_BANNER_KEYS = ("kind", "deadline", "attachments")


class FollowUpDialog(QDialog):
    saved = Signal(str)  # the follow-up's id

    def __init__(self, ctx: UiContext, detail: RectificationDetail, kind: Kind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self.detail, self.kind = ctx, detail, kind
        self.evidence: list[StoredFile] = []
        self.added: list[str] = []  # files this dialog copied in (removed again unless saved)
        self._saving = False
        self.setWindowTitle(f"{kind.label} — {detail.data.title}")
        label, placeholder, _needed = TEXTS[kind]
        intro = QLabel(f"整改事项：{detail.data.title}（{detail.org_name}，当前「{detail.status.label}」）"
                       + ("\n" + INTROS[kind].format(deadline=f"{detail.deadline_in_force:%Y-%m-%d}")
                          if kind in INTROS else ""))
        intro.setWordWrap(True)
        self.banner = MessageLine(lines=2)
        self.day = FieldSlot(DateEntry())
        self.day.set_value(clock.today())
        self.new_deadline = FieldSlot(DateEntry())
        note_edit = QPlainTextEdit()
        note_edit.setPlaceholderText(placeholder)
        note_edit.setTabChangesFocus(True)
        self.note = FieldSlot(note_edit, message_lines=1)
        self.files = QListWidget()
        self.files.setMaximumHeight(80)
        add_file, remove_file = QPushButton("添加证据文件…"), QPushButton("移除")
        for button in (add_file, remove_file):
            button.setAutoDefault(False)
        add_file.clicked.connect(self.choose_files)
        remove_file.clicked.connect(self._remove_file)
        self.file_message = MessageLine()
        file_buttons = QHBoxLayout()
        file_buttons.addWidget(add_file)
        file_buttons.addWidget(remove_file)
        file_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow(f"{kind.label}日期", self.day)
        if kind is Kind.EXTEND:
            form.addRow("延期至", self.new_deadline)
            self.new_deadline.editor.setToolTip(f"现行整改期限是 {detail.deadline_in_force:%Y-%m-%d}，新的期限应晚于它")
        form.addRow(label, self.note)
        form.addRow("证据", self.files)
        form.addRow("", file_buttons)
        form.addRow("", self.file_message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(f"记录{kind.label}")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(620, 0)
        (self.new_deadline if kind is Kind.EXTEND else self.note).setFocus()

    # -- evidence --------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names, _filter = QFileDialog.getOpenFileNames(self, "添加证据文件", "", FILE_FILTER)
        for name in names:
            self.add_file(Path(name))

    def add_file(self, source: Path) -> None:
        self.file_message.set_message(f"正在复制“{source.name}”…", "#5f6368")
        files.store_file(ctx=self._ctx, source=source, on_done=self._file_added, on_error=self._file_failed,
                         owner=self)

    def _file_added(self, stored: StoredFile) -> None:
        self.file_message.set_message("", "")
        if any(f.sha256 == stored.sha256 for f in self.evidence):
            return
        self.evidence.append(stored)
        self.added.append(stored.sha256)
        self.files.addItem(f"{stored.filename}（{max(stored.size // 1024, 1)} KB）")

    def _file_failed(self, exc: BaseException) -> None:
        self.file_message.set_message(describe_error(exc), ERROR_COLOR)

    def _remove_file(self) -> None:
        row = self.files.currentRow()
        if 0 <= row < len(self.evidence):
            self.evidence.pop(row)
            self.files.takeItem(row)

    # -- saving ----------------------------------------------------------------------------------
    def _local_problems(self) -> dict[str, str]:
        problems = {}
        if self.day.value() is None:
            problems["on_date"] = self.day.local_problem() or f"请填写{self.kind.label}日期"
        if self.kind is Kind.EXTEND and self.new_deadline.local_problem():
            problems["new_deadline"] = self.new_deadline.local_problem()
        return problems

    def show_problems(self, problems: dict[str, str]) -> None:
        slots = {"on_date": self.day, "new_deadline": self.new_deadline, "note": self.note}
        for key, slot in slots.items():
            slot.show_message(problems.get(key, ""), "error")
        banner = "；".join(problems[key] for key in _BANNER_KEYS if key in problems)
        self.banner.set_message(banner, ERROR_COLOR)
        first = next((slot for key, slot in slots.items() if key in problems and slot.isVisible()), None)
        if first is not None:
            first.setFocus()

    def submit(self) -> None:
        if self._saving:
            return
        problems = self._local_problems()
        if problems:
            self.show_problems(problems)
            return
        on_date = self.day.value()
        assert on_date is not None
        self._saving = True
        self.ok_button.setEnabled(False)
        ops.append_follow_up(ctx=self._ctx, item_id=self.detail.id, kind=self.kind, on_date=on_date,
                             note=str(self.note.value()), new_deadline=self.new_deadline.value(),
                             evidence=self.evidence, origin=ORIGIN, owner=self, on_done=self._saved,
                             on_error=self._failed)

    def _saved(self, follow_up_id: str) -> None:
        self.added.clear()  # the rows name them now
        self.saved.emit(follow_up_id)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.show_problems(exc.problems)
        else:
            self.banner.set_message(describe_error(exc), ERROR_COLOR)

    def done(self, result: int) -> None:
        if self.added:  # closed without saving: the files it copied in go again unless a row names them
            files.discard_unsaved(ctx=self._ctx, shas=self.added)
            self.added = []
        super().done(result)
