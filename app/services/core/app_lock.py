"""One running app per profile (DESIGN §5): an operating-system lock on ``users/<profile>/app.lock``.

The GUI holds its profile's lock for as long as it has that profile open, and the CLI commands that
replace or fill a database (``restore``, ``seed-demo``) hold it while they work, so neither can run under
the other.  The lock is the kernel's (``flock`` on POSIX, ``msvcrt.locking`` on Windows), not a file
whose existence means "locked": the kernel drops it when the process ends however it ends, so a crash
leaves nothing stale to detect and no pid to guess about.  The holder's pid is written at the start of
the file for the message a refused start shows; the lock itself sits on a byte far past it, because a
Windows lock also blocks reading the bytes it covers.

Qt-free, so the CLI can use it; the GUI's "bring the first window forward" message is ``app.ui.instance``.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from app import paths
from app.services.core.errors import ServiceError

LOCK_NAME = "app.lock"
_LOCK_OFFSET = 1 << 20  # the locked byte: past the pid, which others must still be able to read


class ProfileInUseError(ServiceError):
    """Another process holds the profile's lock; ``pid`` is its process id (None if unreadable)."""

    def __init__(self, profile: str, pid: int | None) -> None:
        self.profile, self.pid = profile, pid
        who = f"（进程 {pid}）" if pid else ""
        super().__init__(f"用户配置“{profile}”正在被本软件的另一个窗口或命令使用{who}。请先关闭它再试。")


def lock_path(profile: str) -> Path:
    return paths.profile_dir(profile) / LOCK_NAME


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:  # flock, not lockf: a second descriptor in the same process is refused too (tests, profile switches)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        with contextlib.suppress(OSError):
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    # POSIX: closing the descriptor releases the flock


def holder_pid(profile: str) -> int | None:
    """The pid written by the process that holds (or last held) the profile's lock, if readable."""
    try:
        text = lock_path(profile).read_bytes()[:32].split(b"\n", 1)[0]
        return int(text) if text.strip() else None
    except (OSError, ValueError):
        return None


class AppLock:
    """The held lock of one profile; ``release`` (or process exit, however it ends) frees it."""

    def __init__(self, profile: str, fd: int) -> None:
        self.profile, self._fd = profile, fd

    @property
    def held(self) -> bool:
        return self._fd >= 0

    def release(self) -> None:
        """Free the lock (idempotent; any thread)."""
        fd, self._fd = self._fd, -1
        if fd >= 0:
            _unlock(fd)
            os.close(fd)


def acquire(profile: str) -> AppLock:
    """Take ``profile``'s lock now, or raise ProfileInUseError (never waits).  A lock file left by a
    process that died is simply taken: the kernel released its lock when it ended."""
    path = paths.data_dir(profile) / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    if not _try_lock(fd):
        os.close(fd)
        raise ProfileInUseError(profile, holder_pid(profile))
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, f"{os.getpid()}\n".encode().ljust(32))
    return AppLock(profile, fd)


@contextlib.contextmanager
def holding(profile: str) -> Iterator[AppLock]:
    """The profile's lock for the duration of a command (ProfileInUseError if the app has it open)."""
    lock = acquire(profile)
    try:
        yield lock
    finally:
        lock.release()
