"""Form editors that can be left blank, and the message line that sits under a field.

Nothing on a form moves while the user types: every field's message line keeps its one-line height
whether or not it shows a message (a longer message is cut with "…" and shown whole in its tooltip and
in the form's banner).  Unknown values stay blank: a date or a count nobody filled in shows the grey
"未填写" placeholder, never today's date or 0.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator, QResizeEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.date_text import DATE_EXAMPLE, DateTextError, format_date, parse_date_text
from app.services.core import clock
from app.ui.widgets import ChoiceBox

UNSET_TEXT = "未填写"
ERROR_COLOR = "#c5221f"
WARNING_COLOR = "#b05a00"


class DateEntry(QWidget):
    """A date typed (2021-03-05, 2021.3.5, 2021年3月5日 …) or picked from a calendar; blank means unknown.

    Opening the calendar shows this month but fills in nothing: only a click on a day sets the date."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(f"{UNSET_TEXT}（{DATE_EXAMPLE.removeprefix('如 ')}）")
        self.line.setToolTip(f"直接输入日期，{DATE_EXAMPLE}；留空表示未填写")
        self.pick = QToolButton(self)
        self.pick.setText("日历")
        self.pick.setToolTip("从日历中选择日期")
        self.pick.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pick.clicked.connect(self.open_calendar)
        self.calendar: QCalendarWidget | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.line, 1)
        layout.addWidget(self.pick)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(lambda _text: self.changed.emit())
        self.line.editingFinished.connect(self._tidy)

    def value(self) -> date | None:
        """The date typed, or None when blank or not (yet) a date (``problem()`` says which)."""
        try:
            return parse_date_text(self.line.text())
        except DateTextError:
            return None

    def problem(self) -> str:
        """What is wrong with the text typed ("" when it is a date or blank)."""
        try:
            parse_date_text(self.line.text())
        except DateTextError as exc:
            return str(exc)
        return ""

    def set_value(self, value: date | None) -> None:
        self.line.setText(format_date(value))

    def text(self) -> str:
        return self.line.text()

    def setText(self, text: str) -> None:
        self.line.setText(text)

    def _tidy(self) -> None:
        value = self.value()
        if value is not None and self.line.text() != format_date(value):
            self.line.setText(format_date(value))  # 2021.3.5 -> 2021-03-05 once the user moves on

    def open_calendar(self) -> QCalendarWidget:
        calendar = self.calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        calendar.setGridVisible(True)
        shown = self.value() or clock.today()  # the page to show, not a value
        calendar.setSelectedDate(QDate(shown.year, shown.month, shown.day))
        calendar.clicked.connect(self._picked)
        calendar.activated.connect(self._picked)
        calendar.move(self.mapToGlobal(self.rect().bottomLeft()))
        calendar.show()
        return calendar

    def _picked(self, qdate: QDate) -> None:
        self.set_value(date(qdate.year(), qdate.month(), qdate.day()))
        if self.calendar is not None:
            self.calendar.close()
            self.calendar = None
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)


class CountEdit(QLineEdit):
    """A whole number of people, or blank (未填写); digits only, so no wheel or arrow changes it by surprise."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9０-９]{0,7}"), self))
        self.setPlaceholderText(UNSET_TEXT)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setMaximumWidth(140)

    def count(self) -> int | None:
        text = self.text().strip()
        return int(text) if text else None  # int() reads full-width digits too

    def set_count(self, value: int | None) -> None:
        self.setText("" if value is None else str(value))


class MessageLine(QLabel):
    """One line under a field that is always there: empty, red (must fix) or orange (please check).
    ``lines`` > 1 reserves that many lines and wraps (a small form whose messages say how to fix)."""

    def __init__(self, parent: QWidget | None = None, *, lines: int = 1) -> None:
        super().__init__(parent)
        self.full_text = ""
        self._lines = lines
        self.setWordWrap(lines > 1)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * lines + 2)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)  # never widens the form
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def set_message(self, text: str, color: str) -> None:
        self.full_text = text
        self.setStyleSheet(f"color: {color};" if text else "")
        self.setToolTip(text)
        self._elide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(self.width(), 40)
        if self._lines > 1:  # wrapped: cut only what would not fit in the lines reserved (a little kept spare)
            width = width * self._lines - self.fontMetrics().averageCharWidth() * 4 * self._lines
        super().setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width))


class FieldSlot(QWidget):
    """An editor with its own reserved message line underneath.

    It also speaks for its editor, whatever its kind: ``value()``, ``set_value()``, ``changed``, and the
    JSON-able ``draft_value()`` / ``restore_draft()`` a draft keeps (text as typed, even half a date)."""

    changed = Signal()

    def __init__(self, editor: QWidget, parent: QWidget | None = None, *, message_lines: int = 1) -> None:
        super().__init__(parent)
        self.editor = editor
        self.message = MessageLine(self, lines=message_lines)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
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
        assert isinstance(editor, DateEntry)
        return editor.changed

    def value(self) -> Any:
        editor = self.editor
        if isinstance(editor, CountEdit):
            return editor.count()
        if isinstance(editor, QLineEdit):
            return editor.text()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        assert isinstance(editor, ChoiceBox | DateEntry)
        return editor.value()

    def set_value(self, value: Any) -> None:
        editor = self.editor
        if isinstance(editor, CountEdit):
            editor.set_count(value)
        elif isinstance(editor, QLineEdit):
            editor.setText(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        else:
            assert isinstance(editor, ChoiceBox | DateEntry)
            editor.set_value(value)

    def local_problem(self) -> str:
        """A problem the form sees before asking the service (half a date)."""
        return self.editor.problem() if isinstance(self.editor, DateEntry) else ""

    def draft_value(self) -> str | bool | None:
        editor = self.editor
        if isinstance(editor, QLineEdit | DateEntry):
            return editor.text()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        assert isinstance(editor, ChoiceBox)
        value = editor.value()
        return None if value is None else str(value)  # a StrEnum member is its code

    def restore_draft(self, value: Any) -> None:
        editor = self.editor
        if isinstance(editor, QLineEdit | DateEntry):
            editor.setText(str(value or ""))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value or ""))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, ChoiceBox) and editor.index_of(value) >= 0:  # a StrEnum equals its code
            editor.setCurrentIndex(editor.index_of(value))

    def show_message(self, text: str, level: str) -> None:
        """``level`` is "error", "warning" or "" (clear)."""
        self.level = level if text else ""
        self.message.set_message(text, ERROR_COLOR if level == "error" else WARNING_COLOR)

    @property
    def text(self) -> str:
        return self.message.full_text


def size_to_content(dialog: QWidget, width: int) -> None:
    """Give ``dialog`` ``width`` and the height its content needs at that width (wrapped labels whole: a
    top-level window does not ask its layout's height-for-width by itself, so ``resize(w, 0)`` clips them)."""
    layout = dialog.layout()
    if layout is None:
        dialog.resize(width, dialog.sizeHint().height())
        return
    layout.activate()
    height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else layout.totalSizeHint().height()
    dialog.setMinimumHeight(height)
    dialog.resize(width, height)
