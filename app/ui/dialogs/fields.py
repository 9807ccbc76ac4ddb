"""Form editors that can say "未填写", and the message line shown under a field."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.ui.widgets import ChoiceBox

UNSET_TEXT = "未填写"
ERROR_COLOR = "#c5221f"
WARNING_COLOR = "#b05a00"
_FLOOR = QDate(1900, 1, 1)


class OptionalDateEdit(QWidget):
    """A date that may be left empty: the checkbox says whether a date is given at all."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.given = QCheckBox(self)
        self.given.setToolTip("勾选后填写日期；不勾选表示未填写")
        self.editor = QDateEdit(self)
        self.editor.setCalendarPopup(True)
        self.editor.setDisplayFormat("yyyy-MM-dd")
        self.editor.setMinimumDate(_FLOOR)
        self.editor.setSpecialValueText(UNSET_TEXT)  # shown while the value sits at the minimum
        self.editor.setMinimumWidth(120)
        today = clock.today()  # the district's day, not the computer's (DESIGN §3 Time)
        self._last = QDate(today.year, today.month, today.day)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.given)
        layout.addWidget(self.editor, 1)
        self.setFocusProxy(self.editor)
        self._show(False)
        self.given.toggled.connect(self._toggled)
        self.given.clicked.connect(lambda checked: checked and self.editor.setFocus())  # user ticks only
        self.editor.dateChanged.connect(self._date_changed)

    def value(self) -> date | None:
        if not self.given.isChecked():
            return None
        qdate = self.editor.date()
        return date(qdate.year(), qdate.month(), qdate.day())

    def set_value(self, value: date | None) -> None:
        if value is not None:
            self._last = QDate(value.year, value.month, value.day)
        self.given.setChecked(value is not None)
        self._show(value is not None)

    def _toggled(self, checked: bool) -> None:
        self._show(checked)
        self.changed.emit()

    def _show(self, given: bool) -> None:
        self.editor.blockSignals(True)
        self.editor.setDate(self._last if given else _FLOOR)
        self.editor.blockSignals(False)
        self.editor.setEnabled(given)

    def _date_changed(self, qdate: QDate) -> None:
        if self.given.isChecked() and qdate != _FLOOR:
            self._last = qdate
        self.changed.emit()


class CountSpinBox(QSpinBox):
    """A whole number of people, or "未填写" (the lowest value)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRange(-1, 9_999_999)
        self.setSpecialValueText(UNSET_TEXT)
        self.setValue(-1)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(110)

    def count(self) -> int | None:
        return None if self.value() < 0 else self.value()

    def set_count(self, value: int | None) -> None:
        self.setValue(-1 if value is None else value)


class FieldSlot(QWidget):
    """An editor with its own message line underneath (red: must fix; orange: please check).

    It also speaks for its editor, whatever its kind: ``value()``, ``set_value()`` and ``changed``."""

    changed = Signal()

    def __init__(self, editor: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(editor)
        layout.addWidget(self.message)
        self.setFocusProxy(editor)
        self.level = ""
        self._editor_changed().connect(lambda *_args: self.changed.emit())

    def _editor_changed(self) -> Any:
        editor = self.editor
        if isinstance(editor, QLineEdit | QPlainTextEdit):
            return editor.textChanged
        if isinstance(editor, ChoiceBox):
            return editor.currentIndexChanged
        if isinstance(editor, QCheckBox):
            return editor.toggled
        if isinstance(editor, OptionalDateEdit):
            return editor.changed
        assert isinstance(editor, CountSpinBox)
        return editor.valueChanged

    def value(self) -> Any:
        editor = self.editor
        if isinstance(editor, QLineEdit):
            return editor.text()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, CountSpinBox):
            return editor.count()
        assert isinstance(editor, ChoiceBox | OptionalDateEdit)
        return editor.value()

    def set_value(self, value: Any) -> None:
        editor = self.editor
        if isinstance(editor, QLineEdit):
            editor.setText(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, CountSpinBox):
            editor.set_count(value)
        else:
            assert isinstance(editor, ChoiceBox | OptionalDateEdit)
            editor.set_value(value)

    def show_message(self, text: str, level: str) -> None:
        """``level`` is "error", "warning" or "" (clear)."""
        self.level = level if text else ""
        if not text:
            self.message.clear()
            self.message.hide()
            return
        color = ERROR_COLOR if level == "error" else WARNING_COLOR
        self.message.setStyleSheet(f"color: {color};")
        self.message.setText(text)
        self.message.show()

    @property
    def text(self) -> str:
        return self.message.text()
