"""新建 / 编辑党组织: name, level, formation, superior, established, and the organizations it covers,
picked from the ledger (type to search, Enter or 添加 to take the highlighted one; 移除 or Delete to drop).

组织覆盖 is derived from what is picked here, never typed.  A 联合 branch covering more than five shows a
warning in the view after saving (the service allows it).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from app.domain.enums import PartyOrgFormation, PartyOrgLevel
from app.services.orgs.dto import OrgHit
from app.services.party.dto import PartyOrgDetail, PartyOrgInput
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, DateEntry, MessageLine
from app.ui.dialogs.party.form import Field, FormDialog
from app.ui.operations import party as ops
from app.ui.widgets import ChoiceBox

ORIGIN = "party_org_dialog"
LEVELS = [(level.label, level) for level in PartyOrgLevel]
FORMATIONS = [(formation.label, formation) for formation in PartyOrgFormation]


def _line(placeholder: str = "") -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    return line


class OrgPicker(QWidget):
    """Search the ledger on the left, the chosen organizations on the right."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.search = _line("输入组织名称、代码或拼音，回车添加")
        self.hits = QListWidget()
        self.chosen = QListWidget()
        self.add_button = QPushButton("添加 →")
        self.remove_button = QPushButton("移除")
        self.message = MessageLine(self)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("从组织台账查找"), 0, 0)
        grid.addWidget(QLabel("覆盖的社会组织"), 0, 2)
        grid.addWidget(self.search, 1, 0)
        grid.addWidget(self.hits, 2, 0, 3, 1)
        grid.addWidget(self.add_button, 2, 1)
        grid.addWidget(self.remove_button, 3, 1)
        grid.addWidget(self.chosen, 1, 2, 4, 1)
        grid.addWidget(self.message, 5, 0, 1, 3)
        for widget in (self.hits, self.chosen):
            widget.setMinimumHeight(120)
        self._timer = QTimer(self, singleShot=True, interval=200)
        self._timer.timeout.connect(self._find)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.add_button.clicked.connect(self.add_current)
        self.remove_button.clicked.connect(self.remove_current)
        self.hits.itemDoubleClicked.connect(lambda _item: self.add_current())
        self.search.installEventFilter(self)
        self.hits.installEventFilter(self)  # Enter here adds the organization; it must not save the form
        QShortcut(QKeySequence(Qt.Key.Key_Delete), self.chosen, self.remove_current,
                  context=Qt.ShortcutContext.WidgetShortcut)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if watched is self.search and self._timer.isActive():
                    self._timer.stop()
                    self._find()  # typed and pressed Enter at once: search first
                self.add_current()
                return True
            if watched is self.search and event.key() == Qt.Key.Key_Down and self.hits.count():
                self.hits.setFocus()
                return True
        return super().eventFilter(watched, event)

    def _find(self) -> None:
        ops.find_orgs(ctx=self._ctx, query=self.search.text(), on_done=self.show_hits, owner=self)

    def show_hits(self, hits: list[OrgHit]) -> None:
        self.hits.clear()
        for hit in hits:
            item = QListWidgetItem(hit.name)
            item.setData(Qt.ItemDataRole.UserRole, hit.id)
            self.hits.addItem(item)
        if hits:
            self.hits.setCurrentRow(0)

    def add_current(self) -> None:
        item = self.hits.currentItem()
        if item is not None:
            self.add(str(item.data(Qt.ItemDataRole.UserRole)), item.text())

    def add(self, org_id: str, name: str) -> None:
        if org_id in self.org_ids():
            return
        item = QListWidgetItem(name)
        item.setData(Qt.ItemDataRole.UserRole, org_id)
        self.chosen.addItem(item)

    def remove_current(self) -> None:
        row = self.chosen.currentRow()
        if row >= 0:
            self.chosen.takeItem(row)

    def org_ids(self) -> tuple[str, ...]:
        return tuple(str(self.chosen.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.chosen.count()))


class PartyOrgDialog(FormDialog):
    """New (``detail`` None) or edited party organization."""

    def __init__(self, ctx: UiContext, detail: PartyOrgDetail | None = None, parent: QWidget | None = None) -> None:
        fields = [
            Field("name", "党组织名称", lambda: _line("如：中共某某协会支部委员会")),
            Field("level", "层级", lambda: ChoiceBox(LEVELS)),
            Field("formation", "组建方式", lambda: ChoiceBox(FORMATIONS),
                  hint="单独组建只覆盖一个组织；联合组建宜不超过 5 个"),
            Field("superior_org", "上级党组织", lambda: _line("如：中共某某街道工作委员会")),
            Field("established_on", "成立日期", DateEntry),
        ]
        values: dict[str, Any] = {}
        if detail is not None:
            values = {"name": detail.name, "level": detail.level, "formation": detail.formation,
                      "superior_org": detail.superior_org, "established_on": detail.established_on}
        title = f"编辑党组织：{detail.name}" if detail else "新建党组织"
        super().__init__(title, fields, self._submit_input, values=values, parent=parent)
        self._ctx, self._detail = ctx, detail
        self.picker = OrgPicker(ctx, self)
        for org in detail.covered if detail else ():
            self.picker.add(org.org_id, org.name)
        self.body_layout.insertWidget(self.body_layout.count() - 1, self.picker)  # above the buttons
        self._opened_with = self.values()
        self.setMinimumWidth(620)

    def extra_values(self) -> dict[str, Any]:
        picker = getattr(self, "picker", None)  # None while the base class builds the fields
        return {"org_ids": picker.org_ids() if picker is not None else ()}

    def show_extra_problems(self, problems: dict[str, str]) -> set[str]:
        self.picker.message.set_message(problems.get("org_ids", ""), ERROR_COLOR)
        if "org_ids" in problems and not any(name in problems for name in self.slots):
            self.picker.search.setFocus()
        return {"org_ids"}

    def _submit_input(self, values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        data = PartyOrgInput(name=values["name"], level=values["level"], formation=values["formation"],
                             superior_org=values["superior_org"], established_on=values["established_on"],
                             org_ids=values["org_ids"])
        detail = self._detail
        ops.save_party_org(ctx=self._ctx, data=data, party_org_id=detail.id if detail else None,
                           expected_updated_at=detail.updated_at if detail else None, on_done=on_done,
                           on_error=on_error, origin=ORIGIN, owner=self)
