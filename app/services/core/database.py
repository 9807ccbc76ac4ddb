"""Opening the client database: checks, backup before upgrade, migrations, engine settings.

Runs on whichever thread opens the database (start-up, CLI).  Never overwrites a file it cannot read
and never downgrades: a database written by a newer version of the app is refused.
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from app import paths
from app.services.core import clock
from app.services.core.errors import CorruptDatabaseError, NewerDatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"
_REVISION_RE = re.compile(r"^revision(?::\s*str)?\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_RE = re.compile(r"^down_revision(?::[^=]+)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)


@dataclass(frozen=True)
class Database:
    """An open client database: the engine and the one session factory made at start-up."""

    path: Path
    engine: Engine
    session_factory: sessionmaker[Session]
    backup_path: Path | None  # the copy made before this start's upgrade, if any
    migrated: bool = False  # this start created the schema or upgraded it (alembic ran)

    def close(self) -> None:
        self.engine.dispose()


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


def latest_backup(db_path: Path) -> Path | None:
    folder = paths.backups_dir(db_path)
    candidates = sorted(folder.glob(f"{db_path.stem}-*.sqlite3")) if folder.is_dir() else []
    return candidates[-1] if candidates else None


def _stored_revision(db_path: Path) -> tuple[str | None, bool]:
    """The alembic revision recorded in an existing file and whether the file holds any table at all;
    raises CorruptDatabaseError if unreadable."""
    with db_path.open("rb") as fh:
        header = fh.read(len(SQLITE_HEADER))
    if db_path.stat().st_size and header != SQLITE_HEADER:
        raise CorruptDatabaseError(db_path, latest_backup(db_path), "文件不是 SQLite 数据库")
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
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
        raise CorruptDatabaseError(db_path, latest_backup(db_path), str(exc)) from exc


def _check_pages(db_path: Path) -> None:
    """Every page readable and consistent (``quick_check``; O(file size), so run only before an upgrade
    is about to write to the file — migrating a damaged file would make it worse)."""
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            found = conn.execute("PRAGMA quick_check(1)").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptDatabaseError(db_path, latest_backup(db_path), str(exc)) from exc
    if found != ("ok",):
        raise CorruptDatabaseError(db_path, latest_backup(db_path), str(found[0] if found else "quick_check"))


def backup_database(db_path: Path, reason: str) -> Path:
    """Copy a database to ``backups/{stem}-{timestamp}-{reason}.sqlite3`` with SQLite's online backup
    (consistent even with a WAL file beside it)."""
    folder = paths.backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.civil_now().strftime("%Y%m%d-%H%M%S-%f")  # local: the user reads it
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite3"
    source = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so SQLAlchemy's BEGIN/SAVEPOINT are exact.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


_IMMEDIATE = "dangjian_begin_immediate"


def _on_begin(conn: Any) -> None:
    # A write transaction takes the write lock up front: a deferred one that reads first and then writes
    # fails at once with "database is locked" (busy_timeout cannot help) if another connection - a
    # second thread, or the CLI beside the GUI - committed in between.
    immediate = conn.get_execution_options().get(_IMMEDIATE, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class WriteSession(Session):
    """A session whose explicit ``begin()`` (``with factory.begin()``: the services' write calls) starts
    with ``BEGIN IMMEDIATE``; read-only sessions (``with factory()``) stay deferred and never block."""

    def begin(self, nested: bool = False) -> SessionTransaction:
        transaction = super().begin(nested)
        if not nested:
            self.connection(execution_options={_IMMEDIATE: True})
        return transaction


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{db_path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def _upgrade(engine: Engine) -> None:
    from alembic import command  # imported only when there is something to upgrade
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def open_database(db_path: Path) -> Database:
    """Open (creating or upgrading as needed) the database at ``db_path``.

    A fresh database is made by upgrading from base.  An existing one at an older revision is first
    copied to a timestamped backup.  Raises CorruptDatabaseError or NewerDatabaseError, leaving the file
    untouched.
    """
    revisions, head = known_revisions()
    exists = db_path.exists() and db_path.stat().st_size > 0
    stored, has_tables = _stored_revision(db_path) if exists else (None, False)
    if stored is not None and stored not in revisions:
        raise NewerDatabaseError(db_path, stored, head)
    if has_tables and stored is None:
        raise CorruptDatabaseError(db_path, latest_backup(db_path), "文件中没有本软件的数据表")
    # A SQLite file without any table (a first start that died during the initial migration, whose
    # transaction was rolled back) holds nothing to keep: it is created afresh like a missing file.
    exists = exists and has_tables
    backup = None
    if exists and stored != head:
        _check_pages(db_path)
        backup = backup_database(db_path, f"before-{head}")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = make_engine(db_path)
    if stored != head:
        try:
            _upgrade(engine)
        except BaseException:
            engine.dispose()  # release the file; the failed migration's transaction was rolled back
            raise
    factory: sessionmaker[Session] = sessionmaker(engine, class_=WriteSession, expire_on_commit=False)
    from app.services.core.outbox import install_outbox_guard

    install_outbox_guard(factory)
    return Database(db_path, engine, factory, backup, migrated=stored != head)


def restore_from(backup: Path, db_path: Path) -> None:
    """Replace ``db_path`` with ``backup`` (the current file is itself backed up first if readable)."""
    if db_path.exists():
        kept = db_path.with_suffix(f".replaced-{clock.civil_now():%Y%m%d-%H%M%S}")
        shutil.copy2(db_path, kept)
        wal = Path(f"{db_path}-wal")
        if wal.exists():  # commits not yet checkpointed (e.g. after a crash) live only in the WAL
            shutil.copy2(wal, Path(f"{kept}-wal"))
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    shutil.copy2(backup, db_path)
