"""Reading a SQLite file without opening it as the app's database: its header, the alembic revision it
records, the revisions this app ships, and ``PRAGMA quick_check``.

Every function here opens the file read-only (``mode=ro``) and never changes it.  Any thread.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from app import paths

SQLITE_HEADER = b"SQLite format 3\x00"
QUICK_CHECK_LIMIT = 20  # problems reported by one quick_check (the first few name the damage)
_REVISION_RE = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_RE = re.compile(r"^down_revision(?::[^=]+)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


class UnreadableFile(Exception):
    """The file is not a readable SQLite database; ``str()`` is a Chinese detail (no path)."""


def known_revisions(migrations: Path | None = None) -> tuple[list[str], str]:
    """All revisions shipped with this app, and the head — read from the scripts without importing alembic
    (keeps start-up fast; a test checks this agrees with alembic's own ScriptDirectory)."""
    versions = (migrations or paths.migrations_dir()) / "versions"
    revisions: list[str] = []
    parents: set[str] = set()
    for script in sorted(versions.glob("*.py")):
        text = script.read_text(encoding="utf-8")
        found = _REVISION_RE.search(text)
        if found:
            revisions.append(found.group(1))
        down = _DOWN_RE.search(text)
        if down:
            parents.add(down.group(1))
    heads = [r for r in revisions if r not in parents]
    if len(heads) != 1:
        raise RuntimeError(f"migrations must have exactly one head, found {heads}")
    return revisions, heads[0]


def connect_read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def check_header(path: Path) -> None:
    """Raise UnreadableFile for a 0-byte file or one that does not start with the SQLite header.

    The header is read through SQLite, never with ``open()``: the file may be the database this process has
    open, and closing any descriptor of it drops every POSIX lock the process holds on it — another process
    would then checkpoint and delete the write-ahead log under the open connections, and what they commit
    next would be lost (tests/unit/test_sqlite_file_locks.py)."""
    if path.stat().st_size == 0:
        raise UnreadableFile("文件是空的（0 字节），其中没有任何数据")
    try:
        conn = connect_read_only(path)
        try:
            conn.execute("PRAGMA schema_version").fetchone()  # reads the header (page 1)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UnreadableFile(_detail(exc)) from exc


def _detail(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    return "文件不是 SQLite 数据库" if "file is not a database" in text else text


def stored_revision(path: Path) -> tuple[str | None, bool]:
    """The alembic revision recorded in the file and whether it holds any table at all."""
    check_header(path)
    try:
        conn = connect_read_only(path)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "alembic_version" not in tables:
                return None, bool(tables)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return (row[0] if row else None), True
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise UnreadableFile(_detail(exc)) from exc


SHOWN_PROBLEMS = 3  # page problems named one by one; the rest are counted


def quick_check(path: Path, limit: int = QUICK_CHECK_LIMIT) -> list[str]:
    """The problems ``PRAGMA quick_check`` finds (empty when every page is readable and consistent).
    O(file size): run it off the UI thread."""
    try:
        check_header(path)
        conn = connect_read_only(path)
        try:
            found = [str(r[0]) for r in conn.execute(f"PRAGMA quick_check({int(limit)})")]
        finally:
            conn.close()
    except UnreadableFile as exc:
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        return [_detail(exc)]
    if found == ["ok"]:
        return []
    lines = [" ".join(line.split()) for row in found for line in row.replace("*** in database main ***", "")
             .splitlines() if line.strip()]
    if len(lines) > SHOWN_PROBLEMS:  # the first few say where; the count says how much
        lines = [*lines[:SHOWN_PROBLEMS], f"另有 {len(lines) - SHOWN_PROBLEMS} 处损坏"]
    return lines
