"""One small form of the 党组织 section: labelled fields, each with its reserved message line, 保存 / 取消.

The form hands its values to ``submit(values, on_done, on_error)`` (an operation on the write lane); the
service checks the whole input and every problem appears in red under its field, the first one focused,
nothing typed lost.  Enter saves (保存 is the default button), Esc asks before throwing input away.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from app.ui.dialogs.fields import ERROR_COLOR, FieldSlot

Submit = Callable[[dict[str, Any], Callable[[Any], None], Callable[[BaseException], None]], None]


@dataclass(frozen=True)
class Field:
    name: str  # the service's field name (ValidationFailed keys)
    label: str
    make: Callable[[], QWidget]
    hint: str = ""  # grey text under the field until a message takes its place


class FormDialog(QDialog):
    """``fields`` in order; ``values`` fills them; ``submit`` saves.  Emits ``saved(result)`` and closes."""

    saved = Signal(object)

    def __init__(self, title: str, fields: Sequence[Field], submit: Submit, *, values: dict[str, Any] | None = None,
                 intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._fields, self._submit = tuple(fields), submit
        self.slots: dict[str, FieldSlot] = {}
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"color: {ERROR_COLOR};")
        self.banner.hide()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for field in self._fields:
            slot = self.slots[field.name] = FieldSlot(field.make(), message_lines=2)  # room to say how to fix
            slot.changed.connect(lambda name=field.name: self._edited(name))
            label = QLabel(field.label)
            label.setBuddy(slot.editor)
            form.addRow(label, slot)
        for name, value in (values or {}).items():
            if name in self.slots:
                self.slots[name].set_value(value)
        self._hints = {field.name: field.hint for field in self._fields}
        self._show_hints()
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = self.body_layout = QVBoxLayout(self)
        if intro:
            note = QLabel(intro)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.banner)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self._opened_with = self.values()
        self.setMinimumWidth(460)
        if self._fields:
            self.slots[self._fields[0].name].editor.setFocus()

    def editor(self, name: str) -> Any:
        return self.slots[name].editor

    def values(self) -> dict[str, Any]:
        return {name: slot.value() for name, slot in self.slots.items()} | self.extra_values()

    def extra_values(self) -> dict[str, Any]:
        """Values of editors that are not fields (a subclass's own widgets)."""
        return {}

    def show_extra_problems(self, problems: dict[str, str]) -> set[str]:
        """Show the problems of a subclass's own widgets; returns the names it showed."""
        return set()

    def has_unsaved_input(self) -> bool:
        return self.values() != self._opened_with

    def reject(self) -> None:
        if self.has_unsaved_input():
            answer = QMessageBox.question(
                self, "放弃填写？", "填写的内容尚未保存，关闭后将丢失。确定要放弃吗？",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def problems_shown(self) -> dict[str, str]:
        return {name: slot.text for name, slot in self.slots.items() if slot.level == "error"}

    def save(self) -> None:
        local = {name: slot.local_problem() for name, slot in self.slots.items() if slot.local_problem()}
        if local:
            self._failed(ValidationFailed(local))
            return
        self.save_button.setEnabled(False)
        self.save_button.setText("正在保存…")
        self._submit(self.values(), self._saved, self._failed)

    def _saved(self, result: Any) -> None:
        self.saved.emit(result)
        self.accept()

    def _edited(self, name: str) -> None:
        """The user is correcting the field: its message was about what it held before, so it goes (the
        hint comes back); the next 保存 checks again."""
        slot = self.slots[name]
        if slot.level == "error":
            slot.show_message("", "")
            slot.message.set_message(self._hints.get(name, ""), "#5f6368")

    def _show_hints(self) -> None:
        for name, slot in self.slots.items():
            if slot.level != "error":
                slot.message.set_message(self._hints.get(name, ""), "#5f6368")

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.save_button.setText("保存")
        problems = exc.problems if isinstance(exc, ValidationFailed) else {}
        for name, slot in self.slots.items():
            slot.show_message(problems.get(name, ""), "error")
        self._show_hints()
        shown = self.show_extra_problems(problems)
        stray = [text for name, text in problems.items() if name not in self.slots and name not in shown]
        if problems and not stray:
            self.banner.hide()
        else:
            self.banner.setText("\n".join(stray) or describe_error(exc) + "\n填写的内容没有丢失。")
            self.banner.show()
        first = next((f.name for f in self._fields if f.name in problems), None)
        if first is not None:
            editor = self.slots[first].editor
            editor.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(editor, QLineEdit):
                editor.selectAll()
