"""Small widgets shared by views and dialogs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QWidget


class ChoiceBox(QComboBox):
    """A combo box over Python values, returned exactly as given.

    Qt's item data would turn a ``StrEnum`` member into a plain ``str`` (breaking ``is`` comparisons
    in the services), so the values live in a Python list and the combo only holds the labels.
    """

    def __init__(self, choices: Sequence[tuple[str, object]] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[object] = []
        for label, value in choices:
            self.add_choice(label, value)

    def add_choice(self, label: str, value: object) -> None:
        self._values.append(value)
        self.addItem(label)

    def value(self) -> object:
        index = self.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_choices(self, choices: Sequence[tuple[str, object]]) -> None:
        """Replace every choice (the caller restores the selection it wants)."""
        self.clear()
        self._values.clear()
        for label, value in choices:
            self.add_choice(label, value)

    def index_of(self, value: object) -> int:
        return next((i for i, v in enumerate(self._values) if v == value), -1)

    def set_value(self, value: object) -> None:
        """Select ``value``, adding it first if it is not a known choice (e.g. an imported category)."""
        if self.index_of(value) < 0:
            self.add_choice(str(value), value)
        self.setCurrentIndex(self.index_of(value))


# What a window's frame and the taskbar take beyond a window's own area (title bar, borders).
FRAME_ALLOWANCE = (16, 48)


def fit_to_screen(window: QWidget, preferred: tuple[int, int]) -> None:
    """Size ``window`` to ``preferred`` where the screen has room, else to the room there is (a
    1366×768 laptop at 125 % offers a logical 1093×614): its buttons stay on screen, its content scrolls."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    width, height = preferred
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - FRAME_ALLOWANCE[0])
        height = min(height, room.height() - FRAME_ALLOWANCE[1])
    window.resize(width, height)


def fit_wrapped_text(window: QWidget, width: int) -> None:
    """Give ``window`` ``width`` and the height its word-wrapped labels need at that width: a top-level
    window is sized from its labels' unwrapped hints, which cuts a wrapped paragraph short."""
    layout = window.layout()
    height = layout.totalHeightForWidth(width) if layout is not None and layout.hasHeightForWidth() else -1
    height = max(height, window.sizeHint().height())
    window.setMinimumSize(width, height)
    window.resize(width, height)
