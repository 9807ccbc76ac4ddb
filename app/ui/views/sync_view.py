"""同步: the account this profile is signed in with, and what waits, failed or clashed.

Not signed in: what signing in does, and 登录区服务器….  Signed in: server, user and role; 立即同步 (F9);
last synced, pending count; the changes the server refused, with its reasons (a table); the conflicts with
查看冲突…; organizations no longer assigned that still hold unsent changes, with 导出未发送的数据… and then
从本机清除… (only what that export holds); 退出登录.
The demo profile never syncs, and says so.  Everything shown comes from the window's SyncController.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.core import clock
from app.services.core.error_text import describe_error
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations import sync as ops
from app.ui.sync_text import report_lines, role_label, synced_at_text

if TYPE_CHECKING:
    from app.services.sync import SyncReport, SyncStatus, UnsentExport
    from app.ui.sync_controller import SyncController

NOT_SIGNED_IN_TEXT = ("这份数据现在没有登录区服务器，只保存在这台电脑上。\n\n"
                      "登录后：您的修改发送到区里，区里和其他人的修改同步到本机；负责的组织由区里分配（本机不能再修改）；"
                      "文书编号由区服务器确认。用区里分配的用户名和密码登录，登录后打开以该用户命名的数据。")
DEMO_TEXT = ("演示数据不参与同步，也不能登录区服务器。\n\n要同步您自己的数据，请先点上方的“回到我的数据”"
             "（文件菜单中也有）。")
FAILED_COLUMNS = ("记录", "原因", "尝试次数")  # the record's label names its kind: 社会组织“…”
EXPORT_FILTER = "JSON 文件 (*.json)"


def _heading(text: str) -> QLabel:
    label = QLabel(f"<h2>{text}</h2>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


class SyncView(QWidget):
    statusMessage = Signal(str)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.controller: SyncController | None = None
        # two pages in one column, one of them hidden (a stacked widget would size the scroll area to the
        # longer page and show a scroll bar over the short one)
        self.signed_out_page, self.signed_in_page = self._build_signed_out(), self._build_signed_in()
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.signed_out_page)
        column.addWidget(self.signed_in_page)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(pages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(_heading("同步"))
        layout.addWidget(scroll, 1)
        self._show_page(False)
        ctx.bus.changed.connect(self._changed)

    # -- building ----------------------------------------------------------------------------------
    def _build_signed_out(self) -> QWidget:
        page = QWidget()
        self.explanation = QLabel(DEMO_TEXT if self._ctx.is_demo else NOT_SIGNED_IN_TEXT)
        self.explanation.setWordWrap(True)
        self.sign_in_button = QPushButton("登录区服务器…")
        self.sign_in_button.clicked.connect(self.sign_in)
        self.sign_in_button.setVisible(not self._ctx.is_demo)
        row = QHBoxLayout()
        row.addWidget(self.sign_in_button)
        row.addStretch(1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.explanation)
        layout.addLayout(row)
        layout.addStretch(1)
        return page

    def _build_signed_in(self) -> QWidget:
        page = QWidget()
        account = QGroupBox("账号")
        form = QFormLayout(account)
        self.server_label, self.user_label, self.role_label = QLabel(), QLabel(), QLabel()
        for label in (self.server_label, self.user_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("区服务器", self.server_label)
        form.addRow("用户", self.user_label)
        form.addRow("角色", self.role_label)
        self.keyring_label = QLabel()
        self.keyring_label.setWordWrap(True)
        form.addRow("", self.keyring_label)
        self.assigned_label = QLabel("负责的组织由区里分配，在本机只读（组织台账中的“我负责的”不能修改）。")
        self.assigned_label.setWordWrap(True)
        form.addRow("", self.assigned_label)

        state = QGroupBox("同步状态")
        state_form = QFormLayout(state)
        self.sync_button = QPushButton("立即同步（F9）")
        self.sync_button.setDefault(True)
        self.sync_button.clicked.connect(self.sync_now)
        self.sign_out_button = QPushButton("退出登录")
        self.sign_out_button.clicked.connect(self.sign_out)
        self.last_synced = QLabel()
        self.pending_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c5221f;")
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        state_form.addRow("上次同步", self.last_synced)
        state_form.addRow("待发送", self.pending_label)
        state_form.addRow("", self.error_label)
        self.skipped_label = QLabel()  # pulled rows this version could not store (retried at every sync)
        self.skipped_label.setWordWrap(True)
        state_form.addRow("", self.skipped_label)
        state_form.addRow("", self.report_label)

        self.conflicts_label = QLabel()
        self.conflicts_button = QPushButton("查看冲突…")
        self.conflicts_button.clicked.connect(self.show_conflicts)
        conflicts_row = QHBoxLayout()
        conflicts_row.addWidget(self.conflicts_label, 1)
        conflicts_row.addWidget(self.conflicts_button)
        state_form.addRow("冲突", conflicts_row)

        self.quarantine_box = QGroupBox("不再负责但有未发送修改的组织")
        quarantine = QVBoxLayout(self.quarantine_box)
        self.quarantine_label = QLabel()
        self.quarantine_label.setWordWrap(True)
        self.export_button = QPushButton("导出未发送的数据…")
        self.export_button.clicked.connect(self.export_unsent)
        self.discard_button = QPushButton("从本机清除…")
        self.discard_button.setToolTip("先导出未发送的数据，再从本机清除这些组织")
        self.discard_button.clicked.connect(self.discard_exported)
        self.exported: Path | None = None  # the file the last export in this window wrote: what 清除 checks
        quarantine.addWidget(self.quarantine_label)
        export_row = QHBoxLayout()
        export_row.addWidget(self.export_button)
        export_row.addWidget(self.discard_button)
        export_row.addStretch(1)
        quarantine.addLayout(export_row)

        self.failed_box = QGroupBox("被区服务器拒绝或未能发送的修改")
        failed = QVBoxLayout(self.failed_box)
        self.failed_table = QTableWidget(0, len(FAILED_COLUMNS))
        self.failed_table.setHorizontalHeaderLabels(list(FAILED_COLUMNS))
        self.failed_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.failed_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.failed_table.verticalHeader().hide()
        self.failed_table.setWordWrap(True)
        self.failed_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.failed_table.setMinimumHeight(140)
        failed.addWidget(self.failed_table)

        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sign_out_button)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(account)
        layout.addWidget(state)
        layout.addWidget(self.quarantine_box)
        layout.addWidget(self.failed_box, 1)
        return page

    # -- the controller -------------------------------------------------------------------------------
    def attach_sync(self, controller: SyncController) -> None:
        """The window's SyncController (the window calls this when it builds the section)."""
        self.controller = controller
        controller.statusChanged.connect(self.show_status)
        controller.runningChanged.connect(self._running)
        controller.reported.connect(self.show_report)
        self.show_status(controller.status)
        if controller.last_report is not None:
            self.show_report(controller.last_report)
        controller.refresh()

    def _show_page(self, signed_in: bool) -> None:
        self.signed_out_page.setVisible(not signed_in)
        self.signed_in_page.setVisible(signed_in)

    @property
    def shows_account(self) -> bool:
        """The signed-in page is the one shown (else the explanation and 登录区服务器…)."""
        return not self.signed_in_page.isHidden()

    def show_status(self, status: SyncStatus | None) -> None:
        account = status.account if status is not None else None
        self._show_page(account is not None and not self._ctx.is_demo)
        if status is None or account is None:
            return
        self.server_label.setText(account.server_url)
        self.user_label.setText(f"{account.display_name or account.username}（{account.username}）")
        self.role_label.setText(role_label(account.role))
        self.keyring_label.setText("登录凭据保存在系统钥匙串中，同步无需输入密码。" if account.keyring_ok else
                                   "本机没有系统钥匙串：登录凭据没有保存（从不以明文保存），每次打开工作台后第一次同步时"
                                   "要输入密码。")
        self.last_synced.setText(synced_at_text(status.last_synced_at) if status.last_synced_at else "从未同步")
        self.pending_label.setText(f"{status.pending} 条修改" if status.pending else "没有")
        error = self.controller.failed_text if self.controller is not None else ""
        if error:  # the report shown was an earlier run's
            self.report_label.setText("")
        self.error_label.setText(f"上次同步失败：{error or status.last_error}" if error or status.last_error else "")
        self.error_label.setVisible(bool(error or status.last_error))
        self.skipped_label.setText("\n".join(status.skipped))
        self.skipped_label.setVisible(bool(status.skipped))
        self.conflicts_label.setText(f"{status.conflicts} 条待确认" if status.conflicts else "没有")
        self.conflicts_button.setEnabled(status.conflicts > 0)
        self.quarantine_box.setVisible(bool(status.quarantined_orgs))
        self.quarantine_label.setText("这些组织已不再由您负责，但还有未发送的修改，暂时保留为只读："
                                      f"{'、'.join(status.quarantined_orgs)}。请导出未发送的数据交给区里，"
                                      "导出后可从本机清除。")
        self.discard_button.setEnabled(self.exported is not None)
        self._show_failed(status)
        self._running(self.controller.running if self.controller is not None else False)

    def _show_failed(self, status: SyncStatus) -> None:
        self.failed_box.setVisible(bool(status.failed))
        self.failed_table.setRowCount(len(status.failed))
        for row, op in enumerate(status.failed):
            for column, text in enumerate((op.label or op.record_id, op.error, str(op.attempts))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.failed_table.setItem(row, column, item)
        self.failed_table.resizeColumnToContents(0)
        self.failed_table.resizeRowsToContents()

    def show_report(self, report: SyncReport) -> None:
        self.report_label.setText("\n".join(report_lines(report)))

    def _running(self, running: bool) -> None:
        self.sync_button.setEnabled(not running)
        self.sync_button.setText("正在同步…" if running else "立即同步（F9）")

    def _changed(self, change: Change) -> None:
        if change.entity == ops.CONFLICT_ENTITY and self.controller is not None:
            self.controller.refresh()

    # -- actions -------------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.controller is not None:
            self.controller.sync_now()

    def refresh(self) -> None:  # F5
        if self.controller is not None:
            self.controller.refresh()

    def sign_in(self) -> None:
        from app.ui.dialogs.sign_in_dialog import open_sign_in

        account = open_sign_in(self._ctx, self)
        if account is not None and self.controller is not None:
            self.controller.signed_in(account)

    def sign_out(self) -> None:
        answer = QMessageBox.question(
            self, "退出登录", "退出区服务器的登录？\n本机的数据和未发送的修改都保留，重新登录后继续同步；"
                              "退出后本机不再同步，负责的组织也不再由区里更新。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes and self.controller is not None:
            self.controller.sign_out()

    def show_conflicts(self) -> None:
        from app.ui.dialogs.conflict_dialog import show_conflicts

        show_conflicts(self._ctx, self)
        if self.controller is not None:
            self.controller.refresh()

    def export_unsent(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        default = Path(folder) / f"未发送的数据-{self._ctx.profile}-{clock.today():%Y%m%d}.json"
        name, _filter = QFileDialog.getSaveFileName(self, "导出未发送的数据", str(default), EXPORT_FILTER)
        if name:
            self.export_to(Path(name))

    def export_to(self, target: Path) -> None:
        def done(exported: UnsentExport) -> None:
            self.exported = target
            self.discard_button.setEnabled(True)
            files = f"；{exported.files} 个附件文件在：{exported.folder}" if exported.folder else ""
            self.statusMessage.emit(f"已导出 {exported.ops} 条未发送的数据：{target}{files}")

        ops.export_unsent(ctx=self._ctx, target=target, owner=self, on_done=done, on_error=self._export_failed)

    def discard_exported(self) -> None:
        """Asks, then removes the quarantined organizations the last export holds (the service checks the file)."""
        exported = self.exported
        if exported is None:
            return
        status = self.controller.status if self.controller is not None else None
        names = "、".join(f"“{name}”" for name in (status.quarantined_orgs if status is not None else ()))
        answer = QMessageBox.question(
            self, "从本机清除", f"从本机清除{names or '这些组织'}的数据、附件和未发送的修改？\n它们已导出到：{exported}"
                                "（如有附件，文件在它旁边名称以“-附件”结尾的文件夹中）\n"
                                "清除后本机不能再查看或恢复，请确认导出的文件已交给区里或妥善保存。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        ops.discard_exported(ctx=self._ctx, exported=exported, owner=self, on_done=self._discarded,
                             on_error=self._discard_failed)

    def _discard_failed(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "没有清除", describe_error(exc))

    def _discarded(self, names: tuple[str, ...]) -> None:
        self.exported = None
        self.report_label.setText("")  # the last report named them as kept read-only
        self.statusMessage.emit(f"已从本机清除：{'、'.join(names)}" if names else "没有需要清除的组织。")
        if self.controller is not None:
            self.controller.refresh()

    def _export_failed(self, exc: BaseException) -> None:
        QMessageBox.critical(self, "导出失败", describe_error(exc))
