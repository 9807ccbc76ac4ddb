"""Export what can still be read from a damaged database into a new one (the way back when there is no
good backup, or to recover what was saved after it).

The new file is a fresh database at the same schema revision; every table is copied row by row where a
whole-table copy fails, skipping the ranges that cannot be read.  Search-index tables (FTS) are not copied:
the caller rebuilds them (``python -m app salvage`` does).  The damaged file is only read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from app.services.core.backups import ArchiveError
from app.services.core.sqlite_file import UnreadableFile, known_revisions, stored_revision

CHUNK = 256  # rows per range when a table must be read piecewise
GIVE_UP_AFTER = 64  # consecutive unreadable or empty ranges past the last readable row


@dataclass
class SalvageReport:
    copied: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    lost: dict[str, int] = field(default_factory=dict)  # table -> rowids that could not be read (incl. gaps)
    unreadable: list[str] = field(default_factory=list)  # tables that could not be read at all
    open_ended: list[str] = field(default_factory=list)  # tables whose end could not be found: maybe more lost


def _copyable_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type='table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    skip = {"alembic_version", "org_search_doc"}

    def derived_index(name: str) -> bool:
        return any(name == v or name.startswith(f"{v}_") for v in virtual)

    return [name for name, _sql in rows
            if not name.startswith("sqlite_") and name not in skip and not derived_index(name)]


def _columns(conn: sqlite3.Connection, schema: str, table: str) -> list[str]:
    return [r[1] for r in conn.execute(f'PRAGMA {schema}.table_info("{table}")')]


class Piecewise(NamedTuple):
    copied: int  # rows copied
    lost: int  # rowids in ranges that could not be read (each may or may not have held a row)
    open_ended: bool  # the end of the table could not be found: rows past the last range read may be lost


def _read(conn: sqlite3.Connection, sql: str, args: tuple[int, ...] = ()) -> tuple[bool, int | None]:
    """(whether the read succeeded, the single value it gave)."""
    try:
        row = conn.execute(sql, args).fetchone()
    except sqlite3.DatabaseError:
        return False, None
    return True, (row[0] if row else None)


def _copy_piecewise(conn: sqlite3.Connection, table: str, cols: str) -> Piecewise:
    """Copy ``table`` a range of rowids at a time, and a range that fails one row at a time.

    Gaps between rowids (pruned outbox entries, deleted rows) are jumped over by asking for the next
    rowid; only where that read fails does the copy step blindly, and then it stops at the last rowid
    (``max(rowid)`` reads only the rightmost path of the tree).  Should both fail, it gives up after
    GIVE_UP_AFTER empty ranges and says the table is open-ended, never that nothing was lost."""
    insert = (f'INSERT OR IGNORE INTO main."{table}" ({cols}) SELECT {cols} FROM old."{table}" '
              "WHERE rowid >= ? AND rowid < ?")
    bound_read, last = _read(conn, f'SELECT max(rowid) FROM old."{table}"')
    if bound_read and last is None:
        return Piecewise(0, 0, False)  # empty
    first_read, first = _read(conn, f'SELECT min(rowid) FROM old."{table}"')
    start = first if first_read and first is not None else 0
    copied = lost = misses = 0
    step = CHUNK
    while True:
        if last is not None and start > last:
            return Piecewise(copied, lost, False)
        if last is None and misses >= GIVE_UP_AFTER:
            return Piecewise(copied, lost, True)
        jumped, following = _read(conn, f'SELECT min(rowid) FROM old."{table}" WHERE rowid >= ?', (start,))
        if jumped:
            if following is None:
                return Piecewise(copied, lost, False)
            start, step = following, CHUNK
        end = start + step if last is None else min(start + step, last + 1)
        try:
            found = conn.execute(insert, (start, end)).rowcount
        except sqlite3.DatabaseError:
            found = 0
            if step > CHUNK:  # far into a region that cannot be read: count it, do not try each rowid
                lost += end - start
            else:
                for rowid in range(start, end):
                    try:
                        found += conn.execute(insert, (rowid, rowid + 1)).rowcount
                    except sqlite3.DatabaseError:
                        lost += 1
        copied += found
        misses = 0 if found > 0 or jumped else misses + 1
        if last is not None and misses > GIVE_UP_AFTER:
            step *= 2  # a long unreadable stretch below a known end: cross it in growing ranges
        start = end


def salvage(damaged: Path, out: Path, *, stale_state: Iterable[str] = ()) -> SalvageReport:
    """Copy what can be read from ``damaged`` into the new database ``out`` (which must not exist).

    ``stale_state``: sync_state keys not to carry over, those that say derived data is current (rows it
    was derived from may not have been read); the caller re-derives it in the new file."""
    from app.services.core.database import open_database  # the database module imports backups

    if out.exists():
        raise ArchiveError(f"文件 {out} 已存在，未覆盖。请指定一个新的文件名。")
    try:
        revision, _ = stored_revision(damaged)
    except UnreadableFile as exc:
        raise ArchiveError(f"无法读出 {damaged} 的表结构（{exc}），无法导出。") from exc
    _, head = known_revisions()
    if revision != head:
        raise ArchiveError(f"{damaged} 的结构版本是 {revision}，本软件是 {head}：请用与它同版本的软件导出。")
    open_database(out).close()
    report = SalvageReport()
    conn = sqlite3.connect(f"file:{out}", uri=True, isolation_level=None)
    try:
        conn.execute("ATTACH DATABASE ? AS old", (f"file:{damaged}?mode=ro",))
        conn.execute("PRAGMA main.synchronous=OFF")  # a new file, checked as a whole at the end
        for table in _copyable_tables(conn):
            try:
                theirs = set(_columns(conn, "old", table))
            except sqlite3.DatabaseError:
                report.unreadable.append(table)
                continue
            cols = ", ".join(f'"{c}"' for c in _columns(conn, "main", table) if c in theirs)
            if not cols:
                continue
            try:  # each statement is its own transaction: a failed one leaves nothing behind
                cursor = conn.execute(f'INSERT OR IGNORE INTO main."{table}" ({cols}) SELECT {cols} FROM old."{table}"')
                report.copied[table] = cursor.rowcount
            except sqlite3.DatabaseError:
                piecewise = _copy_piecewise(conn, table, cols)
                report.copied[table], report.lost[table] = piecewise.copied, piecewise.lost
                if piecewise.open_ended:
                    report.open_ended.append(table)
        conn.executemany("DELETE FROM main.sync_state WHERE key = ?", [(key,) for key in stale_state])
    finally:
        conn.close()
    return report
