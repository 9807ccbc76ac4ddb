"""The small editor of one record (年检, 信用, 换届 or 评估): its fields, each with its message line.

Saving goes through the service, which checks the whole record; every problem appears in red under its
field and the first one gets the focus; nothing typed is lost.  Emits ``saved(OrgRecord)`` and closes.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.orgs.record_dto import OrgRecord, RecordInput
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, FieldSlot
from app.ui.dialogs.org_records.specs import KindSpec
from app.ui.operations import org_records as ops

ORIGIN = "record_editor"


class RecordEditor(QDialog):
    """Add (``record`` None) or edit one record of ``spec.kind`` for ``org_id``."""

    saved = Signal(object)

    def __init__(self, ctx: UiContext, spec: KindSpec, org_id: str, record: OrgRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._spec, self._org_id, self._record = ctx, spec, org_id, record
        self.setWindowTitle(f"编辑{spec.noun}" if record else f"新增{spec.noun}")
        self.slots: dict[str, FieldSlot] = {}
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"color: {ERROR_COLOR};")
        self.banner.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for field in spec.fields:
            slot = self.slots[field.name] = FieldSlot(field.make())
            label = QLabel(field.label)
            label.setBuddy(slot.editor)
            form.addRow(label, slot)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.set_input(record.data if record else spec.blank())
        self._opened_with = self.form_input()  # to tell whether closing would throw input away
        self.setMinimumWidth(440)
        self.slots[spec.fields[0].name].editor.setFocus()

    def editor(self, name: str) -> Any:
        return self.slots[name].editor

    def form_input(self) -> RecordInput:
        return self._spec.make_input(**{f.name: self.slots[f.name].value() for f in self._spec.fields})

    def set_input(self, data: RecordInput) -> None:
        for field in self._spec.fields:
            self.slots[field.name].set_value(getattr(data, field.name))

    def has_unsaved_input(self) -> bool:
        return self.form_input() != self._opened_with

    def reject(self) -> None:
        """取消, Esc or the close button: ask before throwing typed input away."""
        if self.has_unsaved_input() and not self.confirm_discard():
            return
        super().reject()

    def confirm_discard(self) -> bool:
        answer = QMessageBox.question(
            self, "放弃填写？", f"这条{self._spec.noun}尚未保存。关闭后填写的内容将丢失，确定要放弃吗？",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def problems_shown(self) -> dict[str, str]:
        return {name: slot.text for name, slot in self.slots.items() if slot.level == "error"}

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.save_button.setText("正在保存…")
        record = self._record
        ops.save_record(ctx=self._ctx, org_id=self._org_id, data=self.form_input(),
                        record_id=record.id if record else None,
                        expected_updated_at=record.updated_at if record else None,
                        on_done=self._saved, on_error=self._failed, origin=ORIGIN, owner=self)

    def _saved(self, record: OrgRecord) -> None:
        self.saved.emit(record)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.save_button.setText("保存")
        problems = exc.problems if isinstance(exc, ValidationFailed) else {}
        for name, slot in self.slots.items():
            slot.show_message(problems.get(name, ""), "error")
        stray = [text for name, text in problems.items() if name not in self.slots]
        if problems and not stray:
            self.banner.hide()
        else:
            self.banner.setText("\n".join(stray) or describe_error(exc) + "\n填写的内容没有丢失。")
            self.banner.show()
        first = next((f.name for f in self._spec.fields if f.name in problems), None)
        if first is not None:
            editor = self.slots[first].editor
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(editor, QLineEdit):
                editor.selectAll()
