"""The ledger without a mouse (DESIGN §5): Ctrl+F lands in the search box, Esc clears it, Down goes on to
the results (the first row selected), Enter opens the selected row, and Tab leaves the table for the next
control instead of walking its cells.  (Ctrl+F, Ctrl+N and F5 are the menu's shortcuts; they call
``focus_search``, ``new_org`` and ``refresh`` on the view.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

if TYPE_CHECKING:
    from app.ui.views.ledger_view import LedgerView

PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class LedgerKeys(QObject):
    """Key handling for one ``LedgerView``'s search box and table."""

    def __init__(self, view: LedgerView) -> None:
        super().__init__(view)
        self._view = view
        self._results_wanted = False  # Down pressed before the results of what was typed arrived
        view.table.setTabKeyNavigation(False)  # Tab moves on; the arrow keys move within the table
        view.search.installEventFilter(self)
        view.table.installEventFilter(self)
        view.model.totalChanged.connect(self._results_arrived)  # after the view has shown them

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent) or event.modifiers() not in PLAIN:
            return False
        view = self._view
        if watched is view.search:
            if event.key() == Qt.Key.Key_Escape and view.search.text():
                view.search.clear()
                return True
            if event.key() == Qt.Key.Key_Down:
                self.focus_results()
                return True
        elif watched is view.table and event.key() in ENTER:
            view.edit_selected()
            return True
        return False

    def focus_search(self) -> None:
        """The cursor in the search box, its text selected (typing replaces it)."""
        self._view.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._view.search.selectAll()

    def focus_results(self) -> None:
        """The table gets the focus, the first row selected if none is; if what was typed is still being
        searched, once its results are there."""
        self._view.flush_search()
        if self._view.model.querying:
            self._results_wanted = True
            return
        self._move_to_results()

    def _results_arrived(self, _total: int) -> None:
        if self._results_wanted and not self._view.model.querying:
            self._results_wanted = False
            if self._view.search.hasFocus():  # still where Down was pressed
                self._move_to_results()

    def _move_to_results(self) -> None:
        view = self._view
        if view.body.currentWidget() is not view.table or not view.model.total:
            return
        view.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if view.selected_row() is None:
            view.table.selectRow(0)
