"""The window's one owner of sync state: which account is signed in, whether a sync is running, what the
status bar says, and when to sync by itself (the network returned and something is waiting).

The 同步 section and the status bar show what it holds; it runs the operations of
``app.ui.operations.sync``.  One sync at a time: 立即同步 while one runs does nothing, and an automatic
sync never starts while one runs, nor for the demo profile, and never asks for a password out of the blue
(no keyring, or the sign-in expired): then the status bar says what to do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations import sync as ops
from app.ui.sync_text import account_line, report_brief, synced_at_text
from app.ui.tasks import TaskHandle

if TYPE_CHECKING:
    from app.services.sync import Account, SyncReport, SyncStatus
    from app.ui.network_watch import NetworkWatch
    from app.ui.profiles import ProfileSwitcher

REREAD_MS = 1000  # after the user's saves, the pending count is read again once they pause
NO_KEYRING_AUTO = "有 {n} 条修改待发送：本机没有系统钥匙串，请在“同步”中点“立即同步”并输入密码"
EXPIRED_AUTO = "有 {n} 条修改待发送：登录已过期，请在“同步”中点“立即同步”并输入密码"


class SyncController(QObject):
    statusChanged = Signal(object)  # SyncStatus | None (None: not known yet)
    runningChanged = Signal(bool)
    reported = Signal(object)  # SyncReport of the sync that just finished
    statusMessage = Signal(str)  # one line for the window's status bar

    def __init__(self, switcher: ProfileSwitcher, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.switcher = switcher
        self.window = parent
        self.status: SyncStatus | None = None
        self.last_report: SyncReport | None = None
        self.failed_text = ""  # why the last sync failed (until one succeeds)
        self.handle: TaskHandle | None = None
        self.started = False
        self.watch: NetworkWatch | None = None  # made by start(): QtNetwork stays out of the first paint
        self._reread = QTimer(self, singleShot=True, interval=REREAD_MS)
        self._reread.timeout.connect(self.refresh)
        switcher.ctx.bus.changed.connect(self._data_changed)  # one bus for the window, whatever profile

    @property
    def ctx(self) -> UiContext:
        return self.switcher.ctx

    @property
    def running(self) -> bool:
        return self.handle is not None and not self.handle.finished

    @property
    def account(self) -> Account | None:
        return self.status.account if self.status is not None else None

    def start(self, *, watch_network: bool = True) -> None:
        """Read the open profile's state and (the running app) start noticing the network's return; after
        the first paint, so the sync engine's imports (httpx) are not in the way of start-up."""
        from app.ui.network_watch import NetworkWatch

        self.started = True
        self.refresh()
        if self.watch is None:
            self.watch = NetworkWatch(self._probe, self)
            self.watch.returned.connect(self.network_returned)
        if watch_network:
            self.watch.start()

    # -- state --------------------------------------------------------------------------------------
    def context_changed(self) -> None:
        """Another profile is open: forget the old one's state and read this one's (once started: the first
        profile's is read after the first paint)."""
        if self.running and self.handle is not None:
            self.handle.cancel()
        self.status, self.last_report, self.failed_text = None, None, ""
        self.statusChanged.emit(None)
        if self.started:
            self.refresh()

    def _data_changed(self, change: object) -> None:
        """A save adds to what waits: the status bar's count is read again (once saves pause)."""
        if self.status is not None and self.status.account is not None and getattr(change, "origin", "") != "sync":
            self._reread.start()

    def refresh(self, then: Callable[[], None] | None = None) -> None:
        if self.ctx.is_demo:
            self._status_read(None)
            return
        ctx = self.ctx

        def read(status: SyncStatus) -> None:
            if ctx is self.ctx:
                self._status_read(status)
                if then is not None:
                    then()

        ops.load_status(ctx=ctx, owner=self, on_error=lambda _exc: None, on_done=read)

    def _status_read(self, status: SyncStatus | None) -> None:
        self.status = status
        self.statusChanged.emit(status)

    def status_text(self) -> str:
        """The status bar's words: 正在同步… / 同步失败 / n 条待发送 / 已同步 hh:mm (and what waits for the user:
        conflicts to settle, changes not sent); empty when not signed in."""
        status = self.status
        if status is None or status.account is None:
            return ""
        if self.running:
            return ops.SYNC_LABEL
        if self.failed_text or status.last_error:
            return "同步失败"
        if status.pending:
            return f"{status.pending} 条待发送"
        extras = [f"{n} 条{what}" for n, what in ((status.conflicts, "冲突待确认"), (len(status.failed), "未能发送"))
                  if n]
        return "，".join([synced_at_text(status.last_synced_at), *extras])

    # -- sync -----------------------------------------------------------------------------------------
    def sync_now(self, *, automatic: bool = False, password: str | None = None) -> bool:
        """Start a sync; False when none starts (one running, the demo, not signed in).  The password is
        asked only when the service says it is needed (PasswordNeeded): without a keyring the service keeps
        the sign-in in memory for the session, so only the first sync of a session asks."""
        account = self.account
        if self.running or self.ctx.is_demo or account is None:
            return False
        ctx = self.ctx
        self.handle = ops.run_sync(ctx=ctx, password=password, parent=self.window, owner=self,
                                   on_done=lambda report: self._synced(report, ctx),
                                   on_error=lambda exc: self._failed(exc, ctx, automatic=automatic),
                                   on_cancelled=self._cancelled)
        self.runningChanged.emit(True)
        self.statusChanged.emit(self.status)
        return True

    def _synced(self, report: SyncReport, ctx: UiContext) -> None:
        self.handle = None
        self.runningChanged.emit(False)
        if ctx is not self.ctx:
            return
        self.last_report, self.failed_text = report, ""
        self.statusMessage.emit(report_brief(report))
        self.reported.emit(report)
        self.refresh()

    def _failed(self, exc: BaseException, ctx: UiContext, *, automatic: bool) -> None:
        from app.services.sync import PasswordNeeded, WrongPassword

        self.handle = None
        self.runningChanged.emit(False)
        if ctx is not self.ctx:
            return
        account = self.account
        if isinstance(exc, PasswordNeeded) and account is not None:
            wrong = str(exc) if isinstance(exc, WrongPassword) else ""  # asked again, saying so
            password = None if automatic else self._ask_password(account, expired=account.keyring_ok,
                                                                 reason="" if wrong else str(exc), error=wrong)
            if password is not None:
                self.sync_now(password=password)
            else:  # not failed: it waits for the password (an automatic sync never asks out of the blue)
                waiting = self.status.pending if self.status is not None else 0
                self.statusMessage.emit((NO_KEYRING_AUTO if not account.keyring_ok else EXPIRED_AUTO).format(n=waiting))
            return
        self.failed_text = str(exc) if str(exc) else type(exc).__name__
        self.statusMessage.emit(f"同步失败：{self.failed_text}")
        self.refresh()

    def _cancelled(self) -> None:
        self.handle = None
        self.runningChanged.emit(False)
        self.statusMessage.emit("已取消同步：已经发送和接收的部分都已保存，其余的下次同步时继续。")
        self.refresh()

    def _ask_password(self, account: Account, *, expired: bool, reason: str = "", error: str = "") -> str | None:
        from app.ui.dialogs.password_dialog import ask_password

        return ask_password(self.window, account_line(account), expired=expired, reason=reason, error=error)

    # -- automatic sync ---------------------------------------------------------------------------------
    def network_returned(self) -> None:
        """The network came back: sync when signed in and something waits (never the demo, never twice);
        what waits is read afresh first (saves made offline)."""
        if self.ctx.is_demo or self.running:
            return

        def decide() -> None:
            status = self.status
            if status is not None and status.account is not None and status.pending and not self.running:
                self.sync_now(automatic=True)

        self.refresh(then=decide)

    def _probe(self, answer: ops.ProbeAnswer) -> None:
        account = self.account
        if account is None or self.ctx.is_demo:
            return  # probe only while signed in
        ops.probe_server(ctx=self.ctx, server_url=account.server_url, on_done=answer, owner=self)

    # -- account ------------------------------------------------------------------------------------------
    def signed_in(self, account: Account) -> None:
        """After the sign-in dialog: open the account's profile (created by sign-in), then read its state."""
        def opened() -> None:
            self.ctx.bus.publish(Change("assignment", (), "sync", "sign_in"))
            self.refresh()
            self.statusMessage.emit(f"已登录 {account_line(account)}；现在打开的是用户配置 {account.profile} 的数据")

        self.switcher.open_profile(account.profile, then=opened, on_error=self._show_error)

    def sign_out(self) -> None:
        def done(_none: None) -> None:
            self.statusMessage.emit("已退出登录：本机的数据和未发送的修改都保留，重新登录后继续同步")
            self.refresh()

        if self.running and self.handle is not None:
            self.handle.cancel()
        ops.sign_out(ctx=self.ctx, owner=self, on_done=done, on_error=self._show_error)

    def _show_error(self, exc: BaseException) -> None:
        from PySide6.QtWidgets import QMessageBox

        from app.services.core.error_text import describe_error

        QMessageBox.critical(self.window, "出错了", describe_error(exc))
