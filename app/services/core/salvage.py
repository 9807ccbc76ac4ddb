"""Export what can still be read from a damaged database into a new one (the way back when there is no
good backup, or to recover what was saved after it).

The new file is a fresh database at the same schema revision; every table is copied row by row where a
whole-table copy fails, skipping the ranges that cannot be read.  Search-index tables (FTS) are not copied:
the caller rebuilds them (``python -m app salvage`` does).  The damaged file is only read.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from app.services.core.backups import ArchiveError
from app.services.core.sqlite_file import UnreadableFile, known_revisions, stored_revision

CHUNK = 256  # rows per range when a table must be read piecewise
GIVE_UP_AFTER = 64  # consecutive unreadable or empty ranges past the last readable row


@dataclass
class SalvageReport:
    copied: dict[str, int] = field(default_factory=dict)  # table -> rows copied
    lost: dict[str, int] = field(default_factory=dict)  # table -> rowids that could not be read (incl. gaps)
    unreadable: list[str] = field(default_factory=list)  # tables that could not be read at all


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


def _copy_piecewise(conn: sqlite3.Connection, table: str, cols: str) -> tuple[int, int]:
    """Copy ``table`` a range of rowids at a time, and a range that fails one row at a time; returns
    (rows copied, rows that could not be read)."""
    insert = (f'INSERT OR IGNORE INTO main."{table}" ({cols}) SELECT {cols} FROM old."{table}" '
              "WHERE rowid >= ? AND rowid < ?")
    copied = lost = misses = 0
    start = 0
    while misses < GIVE_UP_AFTER:
        try:
            found = conn.execute(insert, (start, start + CHUNK)).rowcount
        except sqlite3.DatabaseError:
            found = 0
            for rowid in range(start, start + CHUNK):
                try:
                    found += conn.execute(insert, (rowid, rowid + 1)).rowcount
                except sqlite3.DatabaseError:
                    lost += 1
        copied += found
        misses = 0 if found > 0 else misses + 1
        start += CHUNK
    return copied, lost


def salvage(damaged: Path, out: Path) -> SalvageReport:
    """Copy what can be read from ``damaged`` into the new database ``out`` (which must not exist)."""
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
                report.copied[table], report.lost[table] = _copy_piecewise(conn, table, cols)
    finally:
        conn.close()
    return report
