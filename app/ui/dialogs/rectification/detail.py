"""One 整改 item: its fields (as issued, or as drafted), the deadline in force with every 延期 (who, when,
why), its whole history in order with the evidence of each step, and one button per follow-up allowed
now (``allowed_kinds``) — each asks what it needs in ``FollowUpDialog``.  A 草稿 can also be edited or
deleted.  It re-reads the item whenever a write touches it (here or elsewhere)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.services.rectification.dto import FollowUpView, RectificationDetail, RectificationFollowUpKind
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations import attachments as files
from app.ui.operations import rectification as ops
from app.ui.widgets import fit_to_screen

ORIGIN = "rectification_detail"
HISTORY_COLUMNS = ("日期", "步骤", "状态", "说明", "经办人", "证据")
OVERDUE_STYLE = "color: #c5221f; font-weight: bold;"


def civil(day: object) -> str:
    return f"{day:%Y-%m-%d}" if day is not None else "—"


def step_text(view: FollowUpView) -> str:
    if view.kind is RectificationFollowUpKind.EXTEND and view.new_deadline is not None:
        return f"延期至 {civil(view.new_deadline)}"
    return view.kind.label


def status_text(view: FollowUpView) -> str:
    if not view.counted:
        return "未生效（与另一台电脑的操作冲突）"
    if view.to_status is not None and view.from_status is not None and view.to_status is not view.from_status:
        return f"{view.from_status.label} → {view.to_status.label}"
    return view.to_status.label if view.to_status is not None else ""


def _value_label(text: str) -> QLabel:
    label = QLabel(text or "—")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return label


class DetailDialog(QDialog):
    statusMessage = Signal(str)

    def __init__(self, ctx: UiContext, item_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self.item_id = ctx, item_id
        self.detail: RectificationDetail | None = None
        self.follow_up_dialog: QDialog | None = None
        self.kind_buttons: dict[RectificationFollowUpKind, QPushButton] = {}
        self.setWindowTitle("整改事项")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its bus listener goes with it
        self.heading = QLabel("正在读取…")
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.state = QLabel()
        self.fields = QWidget()
        self.form = QFormLayout(self.fields)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.fields)
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setHorizontalHeaderLabels(HISTORY_COLUMNS)
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setWordWrap(True)
        self.history.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 84), (1, 110), (2, 135), (4, 80), (5, 100)):
            self.history.setColumnWidth(column, width)
        self.history.doubleClicked.connect(lambda index: self.open_evidence(index.row()))
        self.history.setToolTip("双击有证据的一行，用系统程序打开证据文件")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("跟进记录（按先后顺序，只能追加）"))
        right_layout.addWidget(self.history, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setSizes([380, 620])
        self.action_row = QHBoxLayout()
        self.close_button = QPushButton("关闭")
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addLayout(self.action_row)
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.state)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        fit_to_screen(self, (1040, 600))
        ctx.bus.changed.connect(self._on_change)
        self.reload()

    # -- reading ---------------------------------------------------------------------------------
    def reload(self) -> None:
        ops.load_item(ctx=self._ctx, item_id=self.item_id, on_done=self.show_detail, on_error=self._failed,
                      owner=self)

    def _failed(self, exc: BaseException) -> None:
        self.heading.setText("无法读取这条整改事项")
        self.state.setText(describe_error(exc))

    def _on_change(self, change: Change) -> None:
        if change.entity == ops.RECTIFICATION_ENTITY and self.item_id in change.ids:
            if change.action == "delete":
                self.accept()
            else:
                self.reload()

    def show_detail(self, detail: RectificationDetail) -> None:
        self.detail = detail
        data = detail.data
        self.setWindowTitle(f"整改事项 — {detail.org_name}")
        self.heading.setText(data.title)
        overdue = f"　<span style='{OVERDUE_STYLE}'>逾期 {detail.overdue_days} 天</span>" if detail.overdue else ""
        self.state.setText(f"状态：<b>{detail.status.label}</b>　现行整改期限：{civil(detail.deadline_in_force)}"
                           f"{overdue}")
        self._fill_fields(detail)
        self._fill_history(detail.follow_ups)
        self._fill_actions(detail)

    def _fill_fields(self, detail: RectificationDetail) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        data = detail.data
        source = data.source.label + (f"（{data.source_detail}）" if data.source_detail else "")
        deadline = civil(data.deadline)
        if detail.extensions:
            deadline += f"（原定）；现行 {civil(detail.deadline_in_force)}"
        rows = [("社会组织", detail.org_name), ("来源", source), ("提出日期", civil(data.raised_on)),
                ("整改期限", deadline)]
        rows += [(f"延期 {n}", f"{civil(e.on_date)} 延至 {civil(e.new_deadline)}，理由：{e.note}（{e.actor}）")
                 for n, e in enumerate(detail.extensions, start=1)]
        rows += [("整改责任人", data.responsible_person), ("存在问题", data.description or data.title),
                 ("依据", data.basis), ("整改要求", data.requirement)]
        for label, text in rows:
            self.form.addRow(label, _value_label(text))

    def _fill_history(self, follow_ups: tuple[FollowUpView, ...]) -> None:
        self.history.setRowCount(len(follow_ups))
        for row, view in enumerate(follow_ups):
            evidence = "、".join(e.filename for e in view.evidence)
            day = view.on_date or clock.civil_date(view.at)  # a row written before civil days were kept
            for column, text in enumerate((civil(day), step_text(view), status_text(view), view.note,
                                           view.actor, evidence)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.history.setItem(row, column, item)
        self.history.resizeRowsToContents()
        if follow_ups:
            self.history.scrollToBottom()

    def _fill_actions(self, detail: RectificationDetail) -> None:
        while (child := self.action_row.takeAt(0)) is not None:
            if (widget := child.widget()) is not None:
                widget.deleteLater()
        self.kind_buttons = {}
        for kind in detail.allowed_kinds:
            button = QPushButton(f"{kind.label}…")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _checked=False, k=kind: self.ask_follow_up(k))
            self.kind_buttons[kind] = button
            self.action_row.addWidget(button)
        if detail.editable:
            edit, delete = QPushButton("修改草稿…"), QPushButton("删除草稿")
            for button in (edit, delete):
                button.setAutoDefault(False)
                self.action_row.addWidget(button)
            edit.clicked.connect(self.edit_draft)
            delete.clicked.connect(self.delete_draft)
        if detail.notice_id:
            notice = QPushButton("预览整改通知书…")
            notice.setAutoDefault(False)
            notice.setToolTip("这一事项所在的整改通知书（可打印、另存为）")
            notice.clicked.connect(self.preview_notice)
            self.action_row.addWidget(notice)
        first = next(iter(self.kind_buttons.values()), None)
        if first is not None:
            first.setFocus()

    def preview_notice(self) -> None:
        if self.detail is None or not self.detail.notice_id:
            return
        from app.ui.operations.documents import preview_record

        preview_record(ctx=self._ctx, parent=self, kind="rectification", record_id=self.detail.notice_id)

    # -- actions ---------------------------------------------------------------------------------
    def ask_follow_up(self, kind: RectificationFollowUpKind) -> QDialog | None:
        from app.ui.dialogs.rectification.follow_up import FollowUpDialog

        if self.detail is None:
            return None
        dialog = FollowUpDialog(self._ctx, self.detail, kind, parent=self)
        dialog.saved.connect(lambda _id: self.statusMessage.emit(f"已记录：{kind.label}"))
        self.follow_up_dialog = dialog
        dialog.open()
        return dialog

    def edit_draft(self) -> None:
        from app.ui.dialogs.rectification.item_form import ItemDialog

        if self.detail is not None:
            dialog = ItemDialog(self._ctx, self.detail, parent=self)
            self.follow_up_dialog = dialog
            dialog.open()

    def delete_draft(self) -> None:
        if self.detail is None:
            return
        answer = QMessageBox.question(self, "删除草稿", f"删除整改事项草稿「{self.detail.data.title}」？")
        if answer == QMessageBox.StandardButton.Yes:
            ops.delete_item(ctx=self._ctx, item_id=self.item_id, origin=ORIGIN, owner=self,
                            on_done=lambda _none: self.statusMessage.emit("整改事项草稿已删除"),
                            on_error=self._delete_failed)

    def _delete_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "无法删除", describe_error(exc))

    def open_evidence(self, row: int) -> None:
        if self.detail is None or not 0 <= row < len(self.detail.follow_ups):
            return
        for file in self.detail.follow_ups[row].evidence:
            path = files.file_path(ctx=self._ctx, sha256=file.sha256)
            if not path.is_file():
                QMessageBox.warning(self, "无法打开", f"证据文件“{file.filename}”不在附件目录中（可能已被移走）")
                continue
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
