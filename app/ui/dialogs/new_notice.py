"""新建整改通知书… / 新建走访通知… / 新建提醒函…: pick what the notice is made from, and a 草稿 is created.

整改通知书: an organization, then its items free to go on a notice, each ticked (all ticked to start with);
走访通知: one planned visit; 提醒函: one standing finding (换届 due, 三会一课 missing).  When there is nothing
to pick, the dialog says so and where to make it.  A refusal of the service stays in the dialog.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.date_text import chinese_date
from app.services.compliance.dto import FindingRow
from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.notices.candidates import VisitChoice
from app.services.notices.dto import NoticeItem
from app.services.rectification.dto import OrgChoice
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR
from app.ui.operations import documents as ops
from app.ui.widgets import ChoiceBox

NO_ITEMS = ("该组织没有可列入通知书的整改事项（草稿，或原通知书已作废的未完成事项）。"
            "请先在「整改」中登记整改事项，再新建整改通知书。")
NO_ORGS = "还没有社会组织，整改通知书无从开出。请先在「组织台账」中新建组织，在「整改」中登记整改事项。"
PAST_DEADLINE = "——期限已过，签发会被拒绝：请先在「整改」中打开该事项，点「修改草稿…」改期限"
NONE_TICKED = "请至少勾选一项整改事项（通知书至少要列一项）"
NO_VISITS = "没有可发走访通知的计划走访（不打招呼的走访不发通知）。请先在「走访」中安排走访计划。"
NO_FINDINGS = "目前没有需要发提醒函的问题（换届到期、三会一课缺项）。"
PICK_ONE = "请先选择一项"
PICK_ORG = "请选择组织"


class _PickDialog(QDialog):
    """Shared frame: an intro, what to pick (a list), a reserved message line, 新建草稿 / 取消."""

    created = Signal(str)  # the new notice's id

    def __init__(self, ctx: UiContext, title: str, intro: str, *, origin: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ctx, self._origin = ctx, origin
        self.setWindowTitle(title)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.choices = QListWidget()
        self.choices.setWordWrap(True)
        self.choices.itemDoubleClicked.connect(lambda _item: self.submit())
        self.message = QLabel(" ")  # reserved: nothing moves when a message appears
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR}")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("新建草稿")
        self.ok_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.intro)
        self.body.addWidget(self.choices, 1)
        self.body.addWidget(self.message)
        self.body.addWidget(buttons)
        self.resize(640, 440)

    def _fill(self, labels: Sequence[str], *, empty: str, checkable: bool = False) -> None:
        self.choices.clear()
        for label in labels:
            item = QListWidgetItem(label)
            if checkable:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            self.choices.addItem(item)
        self.message.setText(empty if not labels else " ")
        self.ok_button.setEnabled(bool(labels))
        if labels:
            self.choices.setCurrentRow(0)

    def _failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(self.choices.count() > 0)
        self.message.setText(describe_error(exc))

    def _created(self, notice_id: str) -> None:
        self.created.emit(notice_id)
        self.accept()

    def submit(self) -> None:
        raise NotImplementedError


class NewRectificationNoticeDialog(_PickDialog):
    def __init__(self, ctx: UiContext, *, origin: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新建整改通知书", "选择组织，再勾选要列入通知书的整改事项。签发前仍可作废重开。",
                         origin=origin, parent=parent)
        self.items: tuple[NoticeItem, ...] = ()
        self.org = ChoiceBox([("请选择组织…", None)])
        self.org.setEditable(True)  # type a part of the name to find it among many
        self.org.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.org.setSizeAdjustPolicy(ChoiceBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.org.setMinimumContentsLength(16)  # a long name must not widen the dialog
        completer = self.org.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.org.currentIndexChanged.connect(lambda _i: self._org_changed())
        self.with_feedback = QCheckBox("附整改反馈表（组织填写后交回）")
        self.with_feedback.setChecked(True)
        self.body.insertWidget(1, self.org)
        self.body.insertWidget(3, self.with_feedback)
        ops.load_org_choices(ctx=ctx, on_done=self._orgs_loaded, on_error=self._failed, owner=self)
        self.org.setFocus()

    def _orgs_loaded(self, orgs: tuple[OrgChoice, ...]) -> None:
        self.org.blockSignals(True)
        self.org.set_choices([("请选择组织…", None), *((org.name, org.id) for org in orgs)])
        self.org.blockSignals(False)
        if not orgs:
            self.message.setText(NO_ORGS)

    def choose_org(self, org_id: str) -> None:
        self.org.setCurrentIndex(self.org.index_of(org_id))

    def _org_changed(self) -> None:
        org_id = self.org.value()
        self.items = ()
        self._fill([], empty=" ")
        if isinstance(org_id, str):
            ops.load_free_items(ctx=self._ctx, org_id=org_id, on_done=self._items_loaded, on_error=self._failed,
                                owner=self)

    def _items_loaded(self, items: tuple[NoticeItem, ...]) -> None:
        self.items = items
        today = clock.today()
        self._fill([f"{item.title}（期限 {chinese_date(item.deadline)}，责任人 {item.responsible_person or '未填'}）"
                    + (PAST_DEADLINE if item.deadline < today else "") for item in items],
                   empty=NO_ITEMS, checkable=True)
        for row, item in enumerate(items):
            if item.deadline < today:
                self.choices.item(row).setForeground(QColor(ERROR_COLOR))

    def ticked(self) -> list[str]:
        return [item.id for i, item in enumerate(self.items)
                if self.choices.item(i).checkState() == Qt.CheckState.Checked]

    def submit(self) -> None:
        org_id = self.org.value()
        if not isinstance(org_id, str):
            self.message.setText(PICK_ORG)
            return
        if not self.items:
            self.message.setText(NO_ITEMS)
            return
        chosen = self.ticked()
        if not chosen:
            self.message.setText(NONE_TICKED)
            return
        self.ok_button.setEnabled(False)
        ops.create_rectification_notice(ctx=self._ctx, org_id=org_id, item_ids=chosen,
                                        with_receipt=self.with_feedback.isChecked(), on_done=self._created,
                                        on_error=self._failed, origin=self._origin, owner=self)


class NewVisitNoticeDialog(_PickDialog):
    def __init__(self, ctx: UiContext, *, origin: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新建走访通知", "选择一次计划中的走访，为它新建走访通知（草稿）。", origin=origin,
                         parent=parent)
        self.visits: tuple[VisitChoice, ...] = ()
        ops.load_planned_visits(ctx=ctx, on_done=self._loaded, on_error=self._failed, owner=self)

    def _loaded(self, visits: tuple[VisitChoice, ...]) -> None:
        self.visits = visits
        self._fill([f"{chinese_date(v.visited_on)}"
                    + (f" {v.started_at:%H:%M}" if v.started_at is not None else "")
                    + f"　{v.org_name}　{v.mode.label}" for v in visits], empty=NO_VISITS)

    def submit(self) -> None:
        row = self.choices.currentRow()
        if not 0 <= row < len(self.visits):
            self.message.setText(NO_VISITS if not self.visits else PICK_ONE)
            return
        self.ok_button.setEnabled(False)
        ops.create_visit_notice(ctx=self._ctx, visit_id=self.visits[row].id, on_done=self._created,
                                on_error=self._failed, origin=self._origin, owner=self)


class NewReminderLetterDialog(_PickDialog):
    def __init__(self, ctx: UiContext, *, origin: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, "新建提醒函", "选择一项问题（换届到期、三会一课缺项），提醒函的正文由它填写。",
                         origin=origin, parent=parent)
        self.findings: tuple[FindingRow, ...] = ()
        ops.load_reminder_findings(ctx=ctx, on_done=self._loaded, on_error=self._failed, owner=self)

    def _loaded(self, findings: tuple[FindingRow, ...]) -> None:
        self.findings = findings
        self._fill([f"{f.party_org_name or f.org_name}：{f.message}" for f in findings], empty=NO_FINDINGS)

    def submit(self) -> None:
        row = self.choices.currentRow()
        if not 0 <= row < len(self.findings):
            self.message.setText(NO_FINDINGS if not self.findings else PICK_ONE)
            return
        self.ok_button.setEnabled(False)
        ops.create_reminder_letter(ctx=self._ctx, finding=self.findings[row], on_done=self._created,
                                   on_error=self._failed, origin=self._origin, owner=self)
