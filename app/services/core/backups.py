"""Backups of the client database: verified copies, the daily backup and its retention, restore.

A backup is made with SQLite's online backup API (consistent even while the app writes), into a
``.partial`` file that is renamed to its final name only after it is verified: every page checks clean
(``quick_check``) and its alembic revision is readable.  So every ``*.sqlite3`` in ``backups/`` can be
restored, and ``latest_backup`` is always a good one.

Names: ``backups/{stem}-{YYYYmmdd-HHMMSS-ffffff}-{reason}.sqlite3``, stamped in local civil time.
Reasons: ``daily`` (at most one per civil day, made after the first paint), ``before-{revision}`` (before
an upgrade), ``manual`` (the ``backup`` command without ``--out``).

Retention (applies to ``daily`` copies only; upgrade and manual copies are never deleted): keep the
newest daily copy of each of the last 7 days that have one, of each of the last 4 ISO weeks, and of each
of the last 12 months — about two dozen files, reaching back a year.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from app import paths
from app.services.core import clock
from app.services.core.errors import ServiceError
from app.services.core.sqlite_file import UnreadableFile, known_revisions, quick_check, stored_revision

DAILY = "daily"
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12
_STAMP = "%Y%m%d-%H%M%S-%f"
DEMO_DATA_KEY = "demo_data"  # sync_state key the demo generator sets to "1": the file holds demo data
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[^.]+)\.sqlite3$")


class ArchiveError(ServiceError):
    """A backup could not be made, or a file cannot be restored; ``str()`` says why and what to do."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    stamp: str  # local civil time, as in the name: YYYYmmdd-HHMMSS-ffffff (sorts as it reads)
    reason: str

    @property
    def day(self) -> date:
        return date(int(self.stamp[:4]), int(self.stamp[4:6]), int(self.stamp[6:8]))


def _local(now: datetime | None) -> datetime:
    """The district's civil time of ``now`` (default: the clock's): backup names are read by people."""
    return clock.to_civil(now or clock.now())


def list_backups(db_path: Path) -> list[BackupFile]:
    """The verified backups of ``db_path`` in its ``backups/`` folder, oldest first."""
    folder = paths.backups_dir(db_path)
    found: list[BackupFile] = []
    for path in folder.glob(f"{db_path.stem}-*.sqlite3") if folder.is_dir() else ():
        match = _NAME_RE.match(path.name)
        if match and match["stem"] == db_path.stem:
            found.append(BackupFile(path, match["stamp"], match["reason"]))
    return sorted(found, key=lambda b: (b.stamp, b.path.name))


def latest_backup(db_path: Path) -> Path | None:
    backups = list_backups(db_path)
    return backups[-1].path if backups else None


@dataclass(frozen=True)
class ArchiveInfo:
    revision: str
    demo: bool  # made by the demo generator (sync_state DEMO_DATA_KEY)


def _holds_demo_data(path: Path) -> bool:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (DEMO_DATA_KEY,)).fetchone()
    except sqlite3.DatabaseError:
        return False  # no sync_state (an old revision): not made by a generator that marks its data
    finally:
        conn.close()
    return row is not None and row[0] == "1"


def inspect_archive(path: Path) -> ArchiveInfo:
    """What a backup file is, after checking it can be restored by this app: a SQLite file, every page
    sound, an alembic revision this app knows (not a newer one).  Raises ArchiveError."""
    if not path.is_file():
        raise ArchiveError(f"找不到备份文件：{path}。请检查路径。")
    try:
        revision, _has_tables = stored_revision(path)
    except UnreadableFile as exc:
        raise ArchiveError(f"{path} 不是可用的备份（{exc}）。请换一个备份文件。") from exc
    problems = quick_check(path, limit=1)
    if problems:
        raise ArchiveError(f"备份文件 {path} 已损坏（{problems[0]}）。请换一个备份文件。")
    revisions, head = known_revisions()
    if revision is None:
        raise ArchiveError(f"{path} 不是本软件的数据库备份（其中没有结构版本）。请换一个备份文件。")
    if revision not in revisions:
        raise ArchiveError(f"备份 {path} 由更新版本的软件创建（结构版本 {revision}，本软件支持到 {head}）。"
                           "请升级软件后再恢复它。")
    return ArchiveInfo(revision, _holds_demo_data(path))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _cannot_write(target: Path, exc: BaseException) -> str:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    return (f"无法读写文件：{target}（{reason}），备份未保存。请换一个可写的位置，并检查磁盘空间和文件权限；"
            "数据库本身未受影响。")


def backup_database(db_path: Path, reason: str, *, now: datetime | None = None, out: Path | None = None) -> Path:
    """A verified copy of ``db_path``: ``backups/{stem}-{stamp}-{reason}.sqlite3``, or ``out`` (never
    overwritten).  Raises ArchiveError: the target cannot be written (named; the database is not blamed),
    or the copy does not verify (the database itself is damaged); no file is left."""
    if out is None:
        folder = paths.backups_dir(db_path)
        target = folder / f"{db_path.stem}-{_local(now).strftime(_STAMP)}-{reason}.sqlite3"
    else:
        target = out
        if target.exists() or target.is_symlink():
            raise ArchiveError(f"文件 {target} 已存在，未覆盖。请指定一个新的文件名。")
    partial = target.with_name(f"{target.name}.partial")
    try:  # the target's folder takes a file: else say so before reading the database at all
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.open("wb").close()
    except OSError as exc:
        raise ArchiveError(_cannot_write(target, exc)) from exc
    try:
        source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                dest.close()
        finally:
            source.close()
        inspect_archive(partial)
        _fsync(partial)
        os.replace(partial, target)
    except (ArchiveError, sqlite3.DatabaseError, OSError) as exc:
        if not isinstance(exc, ArchiveError) and not quick_check(db_path, limit=1):
            raise ArchiveError(_cannot_write(target, exc)) from exc  # the database reads clean: the target failed
        raise ArchiveError(f"数据库 {db_path} 的备份未通过校验，未保存（{exc}）。数据库可能已损坏：请运行 "
                           "integrity-check 检查。") from exc
    finally:
        partial.unlink(missing_ok=True)
    return target


def prune_backups(db_path: Path) -> list[Path]:
    """Delete the daily copies the retention rule (module docstring) no longer keeps; returns them."""
    dailies = [b for b in reversed(list_backups(db_path)) if b.reason == DAILY]  # newest first
    keep: set[Path] = set()
    periods = (
        (KEEP_DAILY, lambda d: d),
        (KEEP_WEEKLY, lambda d: d.isocalendar()[:2]),
        (KEEP_MONTHLY, lambda d: (d.year, d.month)),
    )
    for limit, period in periods:
        seen: list[object] = []
        for backup in dailies:
            key = period(backup.day)
            if key not in seen and len(seen) < limit:
                seen.append(key)
                keep.add(backup.path)
    removed = [b.path for b in dailies if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def daily_backup(db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Make today's backup unless one exists (at most one per civil day), then apply the retention rule.
    Returns the new copy, or None if today's already existed."""
    today: date = _local(now).date()
    if any(b.reason == DAILY and b.day == today for b in list_backups(db_path)):
        return None
    made = backup_database(db_path, DAILY, now=now)
    prune_backups(db_path)
    return made


def _move_aside(db_path: Path, kept: Path) -> None:
    """Move the database and its -wal/-shm together (commits not yet checkpointed live only in the WAL)."""
    for suffix in ("", "-wal", "-shm"):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{kept}{suffix}"))


def _refuse_if_in_use(db_path: Path) -> None:
    """ArchiveError if another connection (the GUI, a running command) has the database open.  In WAL mode
    an open connection keeps -wal/-shm beside the file and a shared lock that an exclusive lock cannot
    pass; without those files nobody has it open.  (Leftovers of a crash are checkpointed by the probe,
    as any opening would.)"""
    if not any(Path(f"{db_path}{suffix}").exists() for suffix in ("-wal", "-shm")):
        return
    try:
        conn = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        try:
            conn.execute("PRAGMA locking_mode=EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc).lower():
            raise ArchiveError(f"数据库 {db_path} 正被另一个程序（如本软件的图形界面）打开，未恢复。"
                               "请先关闭它，再运行 restore。") from exc
    except sqlite3.DatabaseError:
        pass  # a damaged file: moved aside as it is


def restore_from(archive: Path, db_path: Path, *, now: datetime | None = None) -> Path | None:
    """Replace ``db_path`` with the backup ``archive``; returns where the current data was kept.

    The archive is checked first (ArchiveError: damaged, not ours, or from a newer version).  The current
    database (with its -wal and -shm) is moved aside to ``{name}.replaced-{stamp}``, the archive copied in
    and verified by opening it (an older archive is upgraded then); if that fails, the current data is put
    back.  Refused while another connection has the database open (the GUI must be closed first), and for
    an archive of demo data unless ``db_path`` is in the demo profile.
    """
    if inspect_archive(archive).demo and not paths.in_demo_profile(db_path):
        raise ArchiveError(f"{archive} 是演示数据的备份，不能恢复到真实的用户配置（{db_path}），未恢复。"
                           f"如需查看，请恢复到演示配置：python -m app --profile {paths.DEMO_PROFILE} "
                           f"restore \"{archive}\"。")
    _refuse_if_in_use(db_path)
    kept = db_path.with_name(f"{db_path.name}.replaced-{_local(now).strftime(_STAMP)}")
    had_current = db_path.exists()
    staged = db_path.with_name(f"{db_path.name}.restoring")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(archive, staged)
    _fsync(staged)
    if had_current:
        _move_aside(db_path, kept)
    os.replace(staged, db_path)
    from app.services.core.database import open_database  # the database module imports this one

    try:
        open_database(db_path).close()
    except Exception as exc:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        if had_current:
            _move_aside(kept, db_path)
        raise ArchiveError(f"恢复后的数据库无法打开（{exc}），已放回原来的数据：{db_path}。") from exc
    return kept if had_current else None
