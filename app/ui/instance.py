"""One running app per profile, the GUI's side (DESIGN §5).

The profile's lock (``app.services.core.app_lock``) decides who runs; this adds the message between
the two starts.  The instance holding a profile also listens on a local socket named after that
profile's folder (so two homes, e.g. a portable copy, never meet).  A second start on the same profile
finds the lock taken, connects, says ``activate`` and exits; the first brings its window forward.  If
the first cannot be reached (it is still starting, or hung), the second says so in a message box with
the holder's pid.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app import APP_NAME, paths
from app.services.core import app_lock
from app.services.core.app_lock import AppLock, ProfileInUseError

if TYPE_CHECKING:  # QtNetwork is imported when the guard starts listening, after the first paint
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
ANSWER = b"ok\n"
WAIT_MS = 2000


def server_name(profile: str) -> str:
    """The local socket's name: a hash of the profile's folder (valid as a Windows pipe name and as a
    Unix socket file name, and short enough for either)."""
    folder = str(paths.profile_dir(profile).resolve())
    return "dangjian-" + hashlib.sha256(folder.encode("utf-8")).hexdigest()[:24]


class InstanceGuard(QObject):
    """Holds the lock (and listens) for each profile this window has open; ``activateRequested`` when a
    second start on one of them asks for the window."""

    activateRequested = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held: dict[str, tuple[AppLock, QLocalServer | None]] = {}

    def holds(self, profile: str) -> bool:
        return profile in self._held

    def claim(self, profile: str) -> None:
        """Take ``profile``'s lock and listen for later starts; ProfileInUseError if another process has it."""
        if profile in self._held:
            return
        self.adopt(profile, app_lock.acquire(profile))
        self.start_listening()

    def adopt(self, profile: str, lock: AppLock) -> None:
        """Hold ``lock`` (``profile``'s, taken by the caller) without listening yet: start-up takes the lock
        before Qt is imported and listens once the window is painted (:meth:`start_listening`)."""
        self._held[profile] = (lock, None)

    def start_listening(self) -> None:
        """Answer later starts on every profile held (those not answered yet)."""
        from PySide6.QtNetwork import QLocalServer

        for profile, (lock, server) in list(self._held.items()):
            if server is not None:
                continue
            server = QLocalServer(self)
            name = server_name(profile)
            QLocalServer.removeServer(name)  # a socket file a crashed holder left: ours, now that we hold the lock
            if not server.listen(name):  # later starts are still refused by the lock, only without the hand-over
                log.warning("cannot listen on %s: %s", name, server.errorString())
            server.newConnection.connect(self._accept)
            self._held[profile] = (lock, server)

    def detach(self, profile: str) -> AppLock | None:
        """Stop answering for ``profile`` and hand back its lock, for the caller to release once the
        profile's database is closed (a profile switch closes it on the write lane)."""
        held = self._held.pop(profile, None)
        if held is None:
            return None
        lock, server = held
        if server is not None:
            server.close()
            server.deleteLater()
        return lock

    def release(self, profile: str) -> None:
        lock = self.detach(profile)
        if lock is not None:
            lock.release()

    def release_all(self) -> None:
        for profile in list(self._held):
            self.release(profile)

    def _accept(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        server = self.sender()
        assert isinstance(server, QLocalServer)
        while (socket := server.nextPendingConnection()) is not None:
            socket.setParent(self)  # the guard's, not the server's: a switch may close the server first
            socket.readyRead.connect(self._ready)
            socket.disconnected.connect(socket.deleteLater)
            self._answer(socket)  # the request may have arrived with the connection

    def _ready(self) -> None:
        from PySide6.QtNetwork import QLocalSocket

        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._answer(socket)

    def _answer(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            if bytes(socket.readLine().data()) == ACTIVATE:
                socket.write(ANSWER)
                socket.flush()
                self.activateRequested.emit()


def ask_to_activate(profile: str, pid: int | None, timeout_ms: int = WAIT_MS) -> bool:
    """Ask the instance holding ``profile`` to bring its window forward; whether it answered."""
    from PySide6.QtNetwork import QLocalSocket

    if sys.platform == "win32" and pid:  # Windows lets a process take the foreground only if allowed to
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.windll.user32.AllowSetForegroundWindow(pid)  # type: ignore[attr-defined]
    socket = QLocalSocket()
    socket.connectToServer(server_name(profile))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(ACTIVATE)
    socket.waitForBytesWritten(timeout_ms)
    answered = False
    while not answered and socket.waitForReadyRead(timeout_ms):
        answered = ANSWER in bytes(socket.readAll().data())
    socket.disconnectFromServer()
    return answered


def running_message(exc: ProfileInUseError) -> str:
    who = f"（进程 {exc.pid}）" if exc.pid else ""
    return f"该账户的工作台已在运行{who}。"


def refuse_second_start(exc: ProfileInUseError) -> int:
    """A start on a profile another instance holds: bring that one forward, or say why not; exit code 1."""
    if ask_to_activate(exc.profile, exc.pid):
        print(f"{running_message(exc)}已切换到那个窗口。", file=sys.stderr)
        return 1
    text = (f"{running_message(exc)}它没有响应，可能正在启动或已停止响应。"
            "请切换到那个窗口；如果找不到，请稍等片刻再启动，或在任务管理器中结束该进程。")
    print(text, file=sys.stderr)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.warning(None, APP_NAME, text)
    return 1
