"""Integrity checks: the database file, the attachments beside it, the outbox; the daily maintenance.

``check_all`` is what ``python -m app integrity-check`` runs: one Chinese line per problem (or per kind
of problem when there are many).  ``daily_maintenance`` is what the GUI runs on its write lane after the
first paint: at most once per civil day a ``quick_check`` of the file (damage found is recorded beside
the file and switches the open database to read-only, see ``Database.health``), then the daily backup.
Never on the UI thread: both are O(file size).
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.enums import OutboxOp, OutboxState
from app.services.core import clock, integrity_state
from app.services.core.backups import daily_backup, latest_backup
from app.services.core.error_text import describe_error
from app.services.core.sqlite_file import (
    UnreadableFile,
    connect_read_only,
    known_revisions,
    quick_check,
    stored_revision,
)

if TYPE_CHECKING:
    from app.services.core.database import Database

EXAMPLES_PER_KIND = 20  # a kind with more problems is cut to this many lines and a count
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")


def _capped(lines: list[str], what: str) -> list[str]:
    if len(lines) <= EXAMPLES_PER_KIND:
        return lines
    return [*lines[:EXAMPLES_PER_KIND], f"……另有 {len(lines) - EXAMPLES_PER_KIND} 条{what}未列出"]


def check_database_file(db_path: Path) -> list[str]:
    """The file itself: present, not empty, SQLite, this app's schema at a known revision, pages sound."""
    if not db_path.exists():
        return [f"数据库文件不存在：{db_path}"]
    try:
        revision, has_tables = stored_revision(db_path)
    except UnreadableFile as exc:
        return [f"数据库文件无法读取：{db_path}（{exc}）"]
    problems = [f"数据库页面损坏：{detail}" for detail in quick_check(db_path)]
    revisions, head = known_revisions()
    if revision is None:
        problems.append("数据库中没有本软件的数据表" if has_tables else "数据库是空的（没有任何数据表）")
    elif revision not in revisions:
        problems.append(f"数据库由更新版本的软件创建（结构版本 {revision}，本软件支持到 {head}），请升级软件")
    return problems


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_attachments(conn: sqlite3.Connection, folder: Path) -> list[str]:
    """Rows whose file is missing, files whose content does not match their SHA-256 name, and files no
    row points to (orphans).  Files are found by name anywhere under ``folder``."""
    referenced: dict[str, str] = {}  # sha256 -> file name shown, of a live row
    known: set[str] = set()
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in ("attachment", "party_attachment"):  # an organization's files; the party aggregate's
        if table not in tables:
            continue
        for sha, filename, deleted in conn.execute(f"SELECT sha256, filename, deleted_at FROM {table}"):
            known.add(sha)
            if deleted is None:
                referenced.setdefault(sha, filename)
    files: dict[str, Path] = {}
    foreign: list[str] = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
        if path.is_file():
            name = path.name.split(".")[0]
            if _SHA_RE.match(name):
                files[name] = path
            elif path.name.startswith(".incoming-"):
                foreign.append(f"附件目录中有未写完的临时文件（写入时被中断，可删除）：{path}")
            else:
                foreign.append(f"附件目录中有不属于本软件的文件：{path}")
    missing = [f"附件文件缺失：{name}（SHA-256 {sha}）" for sha, name in sorted(referenced.items())
               if sha not in files]
    orphans = [f"附件文件没有对应的记录（孤立文件）：{path}" for sha, path in files.items() if sha not in known]
    altered = [f"附件文件内容与其 SHA-256 不符（文件已损坏或被改动）：{path}" for sha, path in files.items()
               if _file_sha256(path) != sha]
    return [*_capped(missing, "缺失的附件"), *_capped(orphans, "孤立文件"), *_capped(altered, "内容不符的附件"),
            *_capped(foreign, "其他文件")]


def _outbox_tables() -> list[str]:
    from app.models import SYNCED_ENTITIES, SyncConflict  # the ORM only when checking

    return sorted([*SYNCED_ENTITIES, SyncConflict.__tablename__])  # a settled conflict is sent too (app.wire)


def check_outbox(conn: sqlite3.Connection, *, sync_running: bool = False) -> list[str]:
    """Entries of an unknown state, operation or entity; entries whose record does not exist; entries
    left ``in_flight`` when no sync is running (a send that was interrupted); unreadable fields."""
    states = tuple(s.value for s in OutboxState)
    ops = tuple(o.value for o in OutboxOp)
    tables = _outbox_tables()
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    problems: list[str] = []

    def marks(values: Iterable[str]) -> str:
        return ",".join("?" * len(tuple(values)))

    rows = conn.execute(f"SELECT seq, state FROM outbox WHERE state NOT IN ({marks(states)})", states)
    problems += _capped([f"发送队列第 {seq} 条的状态未知：{state}" for seq, state in rows], "未知状态")
    rows = conn.execute(f"SELECT seq, op FROM outbox WHERE op NOT IN ({marks(ops)})", ops)
    problems += _capped([f"发送队列第 {seq} 条的操作未知：{op}" for seq, op in rows], "未知操作")
    rows = conn.execute(f"SELECT seq, entity FROM outbox WHERE entity NOT IN ({marks(tables)})", tables)
    problems += _capped([f"发送队列第 {seq} 条的数据类型未知：{entity}" for seq, entity in rows], "未知类型")
    dangling: list[str] = []
    for table in tables:
        if table not in existing:
            continue
        rows = conn.execute(f'SELECT o.seq, o.record_id FROM outbox o LEFT JOIN "{table}" t ON t.id = o.record_id '
                            "WHERE o.entity = ? AND t.id IS NULL", (table,))
        dangling += [f"发送队列第 {seq} 条指向不存在的记录：{table} {record}" for seq, record in rows]
    problems += _capped(dangling, "指向不存在记录的条目")
    if not sync_running:
        stuck = conn.execute("SELECT count(*) FROM outbox WHERE state = ?", (OutboxState.IN_FLIGHT.value,))
        count = stuck.fetchone()[0]
        if count:
            problems.append(f"发送队列中有 {count} 条停在“发送中”，但没有正在进行的同步（上次同步被中断）")
    rows = conn.execute("SELECT seq FROM outbox WHERE NOT json_valid(fields)")
    problems += _capped([f"发送队列第 {seq} 条的字段内容无法读取" for (seq,) in rows], "无法读取的条目")
    return problems


def check_all(db_path: Path, attachments: Path, *, today: datetime | None = None) -> list[str]:
    """Everything ``integrity-check`` reports, one line per problem; an empty list means all is well.
    Only reads (the database is opened read-only); the result is recorded beside the database, so damage
    found here is refused by the app until the file checks clean."""
    problems = check_database_file(db_path)
    if not db_path.exists() or db_path.stat().st_size == 0:
        return problems
    page_damage = [p for p in problems if p.startswith("数据库页面损坏")]
    day = clock.civil_date(today or clock.now())
    if page_damage:
        integrity_state.record_check(db_path, day, page_damage)
    elif not problems:
        integrity_state.record_check(db_path, day, [])
    try:
        conn = connect_read_only(db_path)
        try:
            problems += check_attachments(conn, attachments)
            problems += check_outbox(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        problems.append(f"无法读取附件和发送队列记录：{exc}")
    return problems


@dataclass
class Maintenance:
    """What one daily maintenance did."""

    damage: list[str] = field(default_factory=list)  # quick_check's problems; empty when sound
    checked: bool = False  # the quick_check ran (it runs once per civil day)
    backup: Path | None = None  # today's new backup, if one was made
    backup_error: str | None = None  # why the daily backup could not be made


def daily_maintenance(database: Database, *, now: datetime | None = None) -> Maintenance:
    """Today's ``quick_check`` (unless done today) and today's backup (unless made today).  Damage found
    marks the database read-only and is recorded, so the next start refuses it; no backup is made of it."""
    result = Maintenance()
    path = database.path
    day = clock.civil_date(now or clock.now())
    if integrity_state.last_check_day(path) != day or integrity_state.recorded_damage(path):
        result.damage = quick_check(path)
        result.checked = True
        integrity_state.record_check(path, day, result.damage)
        if result.damage:
            database.health.damage = result.damage[0]
            return result
    try:
        result.backup = daily_backup(path, now=now)
    except Exception as exc:  # disk full, no permission, or the copy did not verify
        result.backup_error = describe_error(exc)
    return result


def damage_message(db_path: Path, damage: list[str]) -> str:
    """The Chinese message for a damaged database, with the way back."""
    backup = latest_backup(db_path)
    text = (f"数据库 {db_path} 的检查发现损坏（{damage[0]}，共 {len(damage)} 处）。为避免损坏扩大，本软件已停止保存"
            "修改；您仍可查看能读出的内容，请把需要的内容记下或截图。")
    if backup is not None:
        return text + (f"\n\n恢复方法：关闭本软件，在命令行运行 python -m app restore \"{backup}\"，恢复最近一次"
                       "完好的备份（当前文件会被移到旁边保留，不会删除）；备份之后的修改可用 "
                       "python -m app salvage --out 新文件.sqlite3 从损坏的文件中导出能读出的部分。")
    return text + ("\n\n没有找到备份：请不要删除或覆盖此文件。关闭本软件，在命令行运行 python -m app salvage --out "
                   "新文件.sqlite3 导出能读出的数据，确认后用 python -m app restore 新文件.sqlite3 换为当前数据库。")

