"""Opening the client database: checks, backup before upgrade, migrations, engine settings.

Runs on whichever thread opens the database (start-up, CLI).  Never overwrites a file it cannot read
and never downgrades: a database written by a newer version of the app is refused.  A 0-byte file is
refused too: the app never leaves one behind (a new database is created under a temporary name and
renamed into place once migrated), so an empty file is damage.  A database that an integrity check found
damaged is refused until it checks clean again (``integrity.py``); while the app runs, finding damage
switches the open database to read-only (:class:`Health`).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from app import paths
from app.services.core import derived, integrity_state
from app.services.core.db_handle import Database, Health
from app.services.core.errors import CorruptDatabaseError, NewerDatabaseError
from app.services.core.sqlite_file import (
    SQLITE_HEADER,
    UnreadableFile,
    known_revisions,
    quick_check,
    stored_revision,
)

__all__ = ["SQLITE_HEADER", "Database", "Health", "connect", "known_revisions", "make_engine", "open_database"]


def _corrupt(db_path: Path, detail: str) -> CorruptDatabaseError:
    from app.services.core.backups import latest_backup  # backups are needed only when something is wrong

    return CorruptDatabaseError(db_path, latest_backup(db_path), detail)


def _check_pages(db_path: Path) -> None:
    """Every page readable and consistent (``quick_check``; O(file size), so run only before an upgrade
    is about to write to the file — migrating a damaged file would make it worse)."""
    problems = quick_check(db_path, limit=1)
    if problems:
        raise _corrupt(db_path, problems[0])


def _on_connect(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is switched off so SQLAlchemy's BEGIN/SAVEPOINT are exact.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "busy_timeout=5000"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


_IMMEDIATE = "dangjian_begin_immediate"


class WriteSession(Session):
    """A session whose explicit ``begin()`` (``with factory.begin()``: the services' write calls) starts
    with ``BEGIN IMMEDIATE``; read-only sessions (``with factory()``) stay deferred and never block."""

    def begin(self, nested: bool = False) -> SessionTransaction:
        transaction = super().begin(nested)
        if not nested:
            self.connection(execution_options={_IMMEDIATE: True})
        return transaction


def make_engine(db_path: Path, health: Health | None = None) -> Engine:
    """An engine with the app's connection settings.  With ``health``: once it records damage, a write
    transaction raises CorruptDatabaseError and every other one runs with ``PRAGMA query_only``."""
    engine = create_engine(f"sqlite:///{db_path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)

    def on_begin(conn: Any) -> None:
        # A write transaction takes the write lock up front: a deferred one that reads first and then
        # writes fails at once with "database is locked" (busy_timeout cannot help) if another connection
        # - a second thread, or the CLI beside the GUI - committed in between.
        immediate = conn.get_execution_options().get(_IMMEDIATE, False)
        if health is not None and health.damage is not None:
            conn.exec_driver_sql("PRAGMA query_only=ON")  # a write slipping past below fails in SQLite
            if immediate:
                raise _corrupt(db_path, health.damage)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    event.listen(engine, "begin", on_begin)
    return engine


def _upgrade(engine: Engine) -> None:
    from alembic import command  # imported only when there is something to upgrade
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "head")


def _fsync(path: Path) -> None:
    if os.name == "nt" and path.is_dir():
        return  # Windows cannot open a folder to flush it (and NTFS journals the rename)
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _create(db_path: Path) -> None:
    """Make a new database at ``db_path`` atomically: migrate a temporary file, then move it into place,
    so a start that dies half-way leaves no file (and a 0-byte file can only be damage).  If another
    process created the database meanwhile, its file is kept and ours discarded."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temp = db_path.with_name(f"{db_path.name}.creating-{os.getpid()}")
    leftovers = [Path(f"{temp}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")]
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        engine = make_engine(temp)
        try:
            _upgrade(engine)
        finally:
            engine.dispose()
        conn = sqlite3.connect(temp)
        try:  # everything into the main file: the WAL's name belongs to the temporary name
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        _fsync(temp)
        _move_into_place(temp, db_path)
        _fsync(db_path.parent)
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


def _move_into_place(temp: Path, db_path: Path) -> None:
    """Rename without replacing a file that appeared meanwhile (POSIX rename would replace it)."""
    if os.name == "nt":
        with contextlib.suppress(FileExistsError):
            os.rename(temp, db_path)  # fails if the target exists
        return
    try:
        os.link(temp, db_path)  # fails if the target exists
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links
        if not db_path.exists():
            os.replace(temp, db_path)


def open_database(db_path: Path) -> Database:
    """Open (creating or upgrading as needed) the database at ``db_path``.

    A fresh database is made by upgrading from base in a temporary file.  An existing one at an older
    revision is first checked and copied to a verified backup.  Raises CorruptDatabaseError (a 0-byte or
    unreadable file, another program's database, one an integrity check found damaged) or
    NewerDatabaseError, leaving the file untouched.
    """
    revisions, head = known_revisions()
    created = False
    if not db_path.exists():
        _create(db_path)
        created = True
    try:
        stored, has_tables = stored_revision(db_path)
    except UnreadableFile as exc:
        raise _corrupt(db_path, str(exc)) from exc
    if stored is not None and stored not in revisions:
        raise NewerDatabaseError(db_path, stored, head)
    if has_tables and stored is None:
        raise _corrupt(db_path, "文件中没有本软件的数据表")
    recorded = integrity_state.recorded_damage(db_path)
    if recorded is not None:  # found damaged before: refused until it checks clean (O(size), rare)
        problems = quick_check(db_path)
        if problems:
            raise _corrupt(db_path, problems[0])
        integrity_state.clear_damage(db_path)
    # A SQLite file without any table (left by an older version whose first start died during the initial
    # migration; the transaction was rolled back) holds nothing to keep: it is migrated in place.
    backup = None
    if has_tables and stored != head:
        from app.services.core.backups import backup_database

        _check_pages(db_path)
        backup = backup_database(db_path, f"before-{head}")
    health = Health()
    engine = make_engine(db_path, health)
    if stored != head:
        try:
            _upgrade(engine)
        except BaseException:
            engine.dispose()  # release the file; the failed migration's transaction was rolled back
            raise
    return Database(db_path, backup_path=backup, migrated=created or stored != head, health=health, engine=engine,
                    session_factory=_session_factory(engine, db_path))


def connect(db_path: Path, health: Health) -> tuple[Engine, sessionmaker[Session]]:
    """The engine and session factory of a database already at the head revision (what a
    :class:`Database` opened by ``open_at_head`` makes on first use)."""
    engine = make_engine(db_path, health)
    return engine, _session_factory(engine, db_path)


def _session_factory(engine: Engine, db_path: Path) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = sessionmaker(engine, class_=WriteSession, expire_on_commit=False)
    from app.services.core.outbox import install_outbox_guard

    install_outbox_guard(factory, outbox=not paths.in_demo_profile(db_path))  # demo data is never synced
    derived.load_keepers()  # before the first write, not during its flush
    return factory
