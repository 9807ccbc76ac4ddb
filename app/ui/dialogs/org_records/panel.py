"""The organization window's records: the four tabs after 基本信息, and the 我负责的组织 box.

A new organization (not saved yet) has no records: its tabs are shown disabled with the hint 保存后可录入.
The 我负责的组织 box takes effect when ticked (工作覆盖), like a record; it is read-only once the profile is
signed in to a district server (the server assigns organizations then).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QTabWidget, QWidget

from app.services.core.error_text import describe_error
from app.services.orgs.dto import OrgDetail
from app.services.orgs.record_dto import MarkResult, RecordKind
from app.ui.context import UiContext
from app.ui.dialogs.org_records.records_tab import RecordsModel, RecordsTab
from app.ui.dialogs.org_records.specs import SPECS
from app.ui.operations import org_records as ops
from app.ui.operations import organizations as org_ops

ORIGIN = "org_window"
SAVE_FIRST = "保存后可录入"
MINE_TIP = "勾选即生效：您负责该组织（工作覆盖），无需点保存"
READ_ONLY_TIP = "已登录区服务器：负责的组织由区里分配，本机不能修改"


class MineBox(QCheckBox):
    """我负责的组织: ticked when the user is assigned to the organization today."""

    def __init__(self, ctx: UiContext, org_id: str | None, parent: QWidget | None = None) -> None:
        super().__init__("我负责的组织", parent)
        self._ctx, self._org_id = ctx, org_id
        self.setEnabled(False)
        if org_id is None:
            self.setToolTip("保存后可标记")
            return
        self.clicked.connect(self._clicked)
        ops.load_mine_state(ctx=ctx, org_id=org_id, on_done=self._loaded, owner=self)

    def _loaded(self, state: tuple[bool, bool]) -> None:
        mine, editable = state
        self.setChecked(mine)
        self.setEnabled(editable)
        self.setToolTip(MINE_TIP if editable else READ_ONLY_TIP)

    def _clicked(self, checked: bool) -> None:
        assert self._org_id is not None
        self.setEnabled(False)
        ops.mark_mine(ctx=self._ctx, org_ids=(self._org_id,), mine=checked, origin=ORIGIN, owner=self,
                      on_done=self._marked, on_error=lambda exc: self._failed(checked, exc))

    def _marked(self, _result: MarkResult) -> None:
        self.setEnabled(True)

    def _failed(self, checked: bool, exc: BaseException) -> None:
        self.setChecked(not checked)  # nothing changed
        self.setEnabled(True)
        QMessageBox.critical(self, "操作失败", describe_error(exc))


def _no_history_text(detail: OrgDetail | None) -> str:
    """What the empty 评估 tab says: a grade already on the organization becomes history with the first
    evaluation added (app.services.orgs.records)."""
    data = detail.data if detail is not None else None
    if data is None or data.evaluation_grade is None or data.evaluation_date is None:
        return "尚未录入评估记录。"
    return (f"尚未录入评估记录；基本信息中的评估等级 {data.evaluation_grade.value}（{data.evaluation_date:%Y-%m-%d}）"
            "会在新增第一条评估记录时一并转入。")


class RecordTabs(QObject):
    """Adds the records tabs to ``tabs`` and the 我负责的组织 box (``mine_box``) for the window to place.
    ``orgChanged(OrgDetail)``: a record changed the organization itself (an evaluation sets its grade)."""

    orgChanged = Signal(object)

    def __init__(self, tabs: QTabWidget, ctx: UiContext, detail: OrgDetail | None) -> None:
        super().__init__(tabs)
        self._ctx = ctx
        org_id = detail.id if detail is not None else None
        self.mine_box = MineBox(ctx, org_id)
        self.tabs: dict[RecordKind, QWidget] = {}
        for kind, spec in SPECS.items():
            if org_id is None:
                page: QWidget = QLabel(f"{SAVE_FIRST}{kind.label}。")
            else:
                page = tab = RecordsTab(RecordsModel(spec), ctx, org_id)
                if kind is RecordKind.EVALUATION:
                    tab.changed.connect(lambda: self._reload_org(org_id))
                    tab.empty_label.setText(_no_history_text(detail))
            self.tabs[kind] = page
            index = tabs.addTab(page, kind.label)
            if org_id is None:
                tabs.setTabEnabled(index, False)
                tabs.setTabToolTip(index, f"{SAVE_FIRST}{kind.label}")
        if org_id is None:
            hint = QLabel(f"{SAVE_FIRST}年检、信用、换届、评估  ")
            hint.setStyleSheet("color: #5f6368;")
            tabs.setCornerWidget(hint)

    def _reload_org(self, org_id: str) -> None:
        org_ops.get_org(ctx=self._ctx, org_id=org_id, on_done=self.orgChanged.emit, owner=self)
