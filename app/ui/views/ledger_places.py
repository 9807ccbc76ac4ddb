"""The ledger's 街道 / 社区 / 我负责的 filters, and the bulk 标记为我负责的 / 取消我负责的 actions.

Kept apart from the ledger view so it only composes them: the 街道 and 社区 lists come from the data (社区
narrowed by the chosen 街道, locally) and are read a moment after the ledger's first result has arrived (the
read scans the ledger index, ~60 ms at 100,000 organizations, and sorts by pinyin, which loads pypinyin's
dictionaries, ~170 ms of the GIL: neither may compete with the first paint), and again when organizations
are created or edited; the actions apply to every selected row and are disabled once
assignments come from a district server.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QComboBox, QMenu, QMessageBox, QPushButton, QWidget

from app.services.core.error_text import describe_error
from app.services.orgs.dto import LedgerFilter
from app.services.orgs.record_dto import MarkResult, PlaceChoices
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.operations import org_records as ops
from app.ui.widgets import ChoiceBox

ALL_STREETS, ALL_COMMUNITIES = "全部街道", "全部社区"
NO_NEW_PLACES = ("records",)  # an organization's records changed, not where it is
READ_ONLY_TIP = "已登录区服务器：负责的组织由区里分配，本机不能修改"
MINE_TIP = "把选中的组织标记为我负责的，或取消（可按住 Ctrl / Shift 多选）"
PLACES_DELAY_MS = 800  # after the first result: the first page is painted by then


def _place_box(tip: str) -> ChoiceBox:
    box = ChoiceBox()
    box.setToolTip(tip)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    box.setMinimumContentsLength(4)
    return box


class PlaceFilters(QObject):
    """街道 and 社区 combos (全部 first) and the 我负责的 checkbox; ``changed`` when the user changes one."""

    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget, *, first_result: SignalInstance, ready: bool) -> None:
        """``first_result`` fires when the ledger's first query has answered (unless ``ready``: it has)."""
        super().__init__(parent)
        self._ctx = ctx
        self._choices = PlaceChoices((), ())
        self.street = _place_box("所在街道")
        self.community = _place_box("所在社区（先选街道可缩小范围）")
        self.mine = QCheckBox("只看我负责的")
        self.mine.setToolTip("只显示我负责的组织（工作覆盖）")
        self._fill(self.street, ALL_STREETS, ())
        self._fill(self.community, ALL_COMMUNITIES, ())
        self.street.currentIndexChanged.connect(self._street_chosen)
        self.community.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.mine.toggled.connect(lambda _checked: self.changed.emit())
        ctx.bus.changed.connect(self._on_change)
        if ready:
            self.reload()
        else:
            self._waiting = first_result
            first_result.connect(self._first_result)

    def _first_result(self, *_args: object) -> None:
        self._waiting.disconnect(self._first_result)
        # A profile switch in the meantime closes this view's database (and may delete its folder): the
        # deferred read is then dropped, never sent to reopen it.
        self._deferred = QTimer(self, singleShot=True, interval=PLACES_DELAY_MS)
        self._deferred.timeout.connect(lambda: None if self._ctx.database.health.closed else self.reload())
        self._deferred.start()

    def widgets(self) -> tuple[QWidget, ...]:
        return self.street, self.community, self.mine

    def apply_to(self, flt: LedgerFilter) -> LedgerFilter:
        return replace(flt, sub_district=str(self.street.value() or ""), community=str(self.community.value() or ""),
                       mine=self.mine.isChecked())

    def clear(self) -> None:
        """Back to 全部 / unticked, without announcing it (the view re-queries once)."""
        for widget in self.widgets():
            widget.blockSignals(True)
        self.street.setCurrentIndex(0)
        self.community.setCurrentIndex(0)
        self.mine.setChecked(False)
        for widget in self.widgets():
            widget.blockSignals(False)
        self._fill(self.community, ALL_COMMUNITIES, self._choices.communities_in(""))

    def reload(self) -> None:
        """Re-read the 街道 / 社区 present in the ledger."""
        ops.load_place_choices(ctx=self._ctx, sub_district="", on_done=self._loaded, owner=self)

    def _loaded(self, choices: PlaceChoices) -> None:
        self._choices = choices
        street_before, community_before = self.street.value(), self.community.value()
        self._fill(self.street, ALL_STREETS, choices.sub_districts)
        self._fill(self.community, ALL_COMMUNITIES, choices.communities_in(str(street_before or "")))
        still = self._select(self.street, street_before) and self._select(self.community, community_before)
        if not still:  # a chosen place no longer in the data: show everything rather than nothing
            self.changed.emit()

    def _street_chosen(self, _index: int) -> None:
        self._fill(self.community, ALL_COMMUNITIES, self._choices.communities_in(str(self.street.value() or "")))
        self.changed.emit()

    def _on_change(self, change: Change) -> None:
        if change.entity == ORG_ENTITY and change.action not in NO_NEW_PLACES:
            self.reload()

    @staticmethod
    def _fill(box: ChoiceBox, all_text: str, values: Sequence[str]) -> None:
        box.blockSignals(True)
        box.set_choices([(all_text, ""), *((value, value) for value in values)])
        box.blockSignals(False)

    @staticmethod
    def _select(box: ChoiceBox, value: object) -> bool:
        index = box.index_of(value)
        box.blockSignals(True)
        box.setCurrentIndex(max(index, 0))
        box.blockSignals(False)
        return index >= 0


class MineActions(QObject):
    """标记为我负责的 / 取消我负责的 over the selected rows (``selected_ids``), as a button and a menu."""

    statusMessage = Signal(str)

    def __init__(self, ctx: UiContext, selected_ids: Callable[[], list[str]], parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx, self._selected_ids, self._parent = ctx, selected_ids, parent
        self._editable, self._any_selected = True, False
        self.mark = QAction("标记为我负责的", self)
        self.unmark = QAction("取消我负责的", self)
        self.mark.triggered.connect(lambda: self.apply(True))
        self.unmark.triggered.connect(lambda: self.apply(False))
        self.button = QPushButton("我负责的")
        self.button.setToolTip(MINE_TIP)
        menu = QMenu(self.button)
        menu.addActions([self.mark, self.unmark])
        self.button.setMenu(menu)
        ops.can_edit_assignments(ctx=ctx, on_done=self._editable_known, owner=self)
        ctx.bus.changed.connect(self._assignments_changed)

    def _assignments_changed(self, change: Change) -> None:
        """Signing in or out (the sync's ``assignment`` change) decides who assigns: read it again."""
        if change.entity == "assignment" and change.origin == "sync":
            ops.can_edit_assignments(ctx=self._ctx, on_done=self._editable_known, owner=self)

    def _editable_known(self, editable: bool) -> None:
        self._editable = editable
        self.button.setToolTip(MINE_TIP if editable else READ_ONLY_TIP)
        self.update_enabled(self._any_selected)

    def update_enabled(self, any_selected: bool) -> None:
        self._any_selected = any_selected
        for action in (self.mark, self.unmark):
            action.setEnabled(self._editable and any_selected)
        self.button.setEnabled(self._editable and any_selected)

    def context_menu(self, parent: QWidget) -> QMenu:
        menu = QMenu(parent)
        menu.addActions([self.mark, self.unmark])
        return menu

    def apply(self, mine: bool) -> None:
        ids = self._selected_ids()
        if ids:
            ops.mark_mine(ctx=self._ctx, org_ids=ids, mine=mine, origin="ledger_view", owner=self,
                          on_done=lambda result: self._done(mine, result), on_error=self._failed)

    def _done(self, mine: bool, result: MarkResult) -> None:
        done = "标记为我负责的" if mine else "取消了我负责的"
        already = "原本就是我负责的" if mine else "原本就不是我负责的"
        message = f"已将 {len(result.changed)} 个组织{done}" if mine else f"已{done} {len(result.changed)} 个组织"
        if result.unchanged:
            message += f"（另有 {result.unchanged} 个{already}）"
        self.statusMessage.emit(message)

    def _failed(self, exc: BaseException) -> None:
        QMessageBox.critical(self._parent, "操作失败", describe_error(exc))
