"""修改草稿…: a 草稿's title, 主送, body (整改通知书 and 提醒函: the 走访通知's wording comes from its visit),
回执 / 整改反馈表, and for a 整改通知书 the items listed (those on it ticked, the organization's free ones
offered).  Every bad input is said under its field; a refusal of the service (e.g. issued meanwhile) in the
banner.  Nothing is saved until the whole is accepted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.date_text import chinese_date
from app.domain.enums import NoticeKind, NoticeStatus
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.notices.dto import NoticeDetail, NoticeItem
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, FieldSlot, MessageLine
from app.ui.operations import documents as ops

NONE_TICKED = "请至少勾选一项整改事项（通知书至少要列一项）"
NOT_A_DRAFT = "该通知已是「{status}」，不能再修改；如内容有误，请作废后重新生成。"
RECEIPT_LABELS = {NoticeKind.RECTIFICATION_NOTICE: "附整改反馈表（组织填写后交回）",
                  NoticeKind.VISIT_NOTICE: "附回执（组织填写后交回）"}
FIELDS = ("title", "addressee", "body")


def has_body(kind: NoticeKind) -> bool:
    """A 整改通知书's opening and a 提醒函's paragraphs are its body; a 走访通知 is worded from its visit."""
    return kind is not NoticeKind.VISIT_NOTICE


class EditNoticeDraftDialog(QDialog):
    saved = Signal(str)  # the notice's id

    def __init__(self, ctx: UiContext, notice_id: str, *, origin: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._origin, self.notice_id = ctx, origin, notice_id
        self.detail: NoticeDetail | None = None
        self.items: list[NoticeItem] = []
        self._saving = False
        self.setWindowTitle("修改草稿")
        self.intro = QLabel("正在读取草稿…")
        self.intro.setWordWrap(True)
        self.banner = MessageLine(lines=2)
        self.title_field = FieldSlot(QLineEdit())
        self.addressee = FieldSlot(QLineEdit())
        body_edit = QPlainTextEdit()
        body_edit.setTabChangesFocus(True)
        body_edit.setPlaceholderText("正文；段与段之间空一行")
        self.body = FieldSlot(body_edit)
        self.receipt = QCheckBox()
        self.item_list = QListWidget()
        self.item_list.setWordWrap(True)
        self.item_message = MessageLine(lines=2)
        self.form = QFormLayout()
        self.form.addRow("标题", self.title_field)
        self.form.addRow("主送单位", self.addressee)
        self.form.addRow("正文", self.body)
        self.form.addRow("", self.receipt)
        self.form.addRow("整改事项", self.item_list)
        self.form.addRow("", self.item_message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("保存草稿")
        self.ok_button.setEnabled(False)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.banner)
        layout.addLayout(self.form, 1)
        layout.addWidget(buttons)
        self.resize(700, 520)
        ops.load_notice(ctx=ctx, notice_id=notice_id, on_done=self._loaded, on_error=self._load_failed, owner=self)

    # -- reading ---------------------------------------------------------------------------------
    def _loaded(self, detail: NoticeDetail) -> None:
        self.detail = detail
        kind = detail.row.kind
        self.intro.setText(f"{kind.label}（草稿）　{detail.row.org_name}：签发前可修改；签发后分配文号，内容不能再改。")
        self.title_field.set_value(detail.row.title)
        self.addressee.set_value(detail.addressee)
        self.body.set_value(detail.body)
        self.receipt.setChecked(detail.with_receipt)
        self.receipt.setText(RECEIPT_LABELS.get(kind, ""))
        for widget, shown in ((self.body, has_body(kind)), (self.receipt, kind in RECEIPT_LABELS),
                              (self.item_list, kind is NoticeKind.RECTIFICATION_NOTICE),
                              (self.item_message, kind is NoticeKind.RECTIFICATION_NOTICE)):
            self.form.setRowVisible(widget, shown)
        if detail.row.status is not NoticeStatus.DRAFT:
            self.banner.set_message(NOT_A_DRAFT.format(status=detail.row.status.label), ERROR_COLOR)
            return
        if kind is NoticeKind.RECTIFICATION_NOTICE:
            ops.load_free_items(ctx=self._ctx, org_id=detail.row.org_id, on_done=self._free_loaded,
                                on_error=self._load_failed, owner=self)
        else:
            self.ok_button.setEnabled(True)
        self.title_field.setFocus()

    def _free_loaded(self, free: tuple[NoticeItem, ...]) -> None:
        assert self.detail is not None
        on_notice = list(self.detail.items)
        self.items = on_notice + [item for item in free if item.id not in {i.id for i in on_notice}]
        self.item_list.clear()
        for item in self.items:
            row = QListWidgetItem(f"{item.title}（期限 {chinese_date(item.deadline)}，"
                                  f"责任人 {item.responsible_person or '未填'}）")
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Checked if item in on_notice else Qt.CheckState.Unchecked)
            self.item_list.addItem(row)
        self.ok_button.setEnabled(True)

    def _load_failed(self, exc: BaseException) -> None:
        self.banner.set_message(describe_error(exc), ERROR_COLOR)

    def ticked(self) -> list[str]:
        return [item.id for i, item in enumerate(self.items)
                if self.item_list.item(i).checkState() == Qt.CheckState.Checked]

    # -- saving ----------------------------------------------------------------------------------
    def _local_problems(self) -> dict[str, str]:
        assert self.detail is not None
        problems = {}
        for key, slot, label in (("title", self.title_field, "标题"), ("addressee", self.addressee, "主送单位")):
            if not str(slot.value()).strip():
                problems[key] = f"请填写{label}。"
        if has_body(self.detail.row.kind) and not str(self.body.value()).strip():
            problems["body"] = "请填写正文。"
        if self.detail.row.kind is NoticeKind.RECTIFICATION_NOTICE and not self.ticked():
            problems["items"] = NONE_TICKED
        return problems

    def show_problems(self, problems: dict[str, str]) -> None:
        slots = {"title": self.title_field, "addressee": self.addressee, "body": self.body}
        for key, slot in slots.items():
            slot.show_message(problems.get(key, ""), "error")
        by_item = {item.id: item for item in self.items}
        item_text = "；".join(text for key, text in problems.items() if key == "items" or key in by_item)
        self.item_message.set_message(item_text, ERROR_COLOR)
        other = "；".join(text for key, text in problems.items()
                         if key not in slots and key != "items" and key not in by_item)
        self.banner.set_message(other or ("请按各项下方的提示修改后再保存。" if problems else ""), ERROR_COLOR)
        first = next((slot for key, slot in slots.items() if key in problems), None)
        if first is not None:
            first.setFocus()

    def submit(self) -> None:
        if self._saving or self.detail is None:
            return
        problems = self._local_problems()
        self.show_problems(problems)
        if problems:
            return
        kind = self.detail.row.kind
        self._saving = True
        self.ok_button.setEnabled(False)
        ops.edit_notice_draft(ctx=self._ctx, notice_id=self.notice_id, title=str(self.title_field.value()),
                              addressee=str(self.addressee.value()),
                              body=str(self.body.value()) if has_body(kind) else self.detail.body,
                              with_receipt=self.receipt.isChecked() if kind in RECEIPT_LABELS else False,
                              item_ids=self.ticked() if kind is NoticeKind.RECTIFICATION_NOTICE else None,
                              on_done=self._saved, on_error=self._failed, origin=self._origin, owner=self)

    def _saved(self, notice_id: str) -> None:
        self.saved.emit(notice_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self.show_problems(exc.problems)
        else:
            self.banner.set_message(describe_error(exc), ERROR_COLOR)
