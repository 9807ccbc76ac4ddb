"""The server's database: an engine per settings, its migrations and the session factory.

SQLite (the embedded default) runs in WAL mode with a 30 s busy timeout so readers never wait for the
writer and two server processes queue for the write lock instead of failing; foreign keys are enforced.
PostgreSQL goes through psycopg 3.  The schema is the server's own alembic history (server/migrations),
run by ``serve`` and ``admin`` at start.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from server.config import Settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x646A_7376  # a PostgreSQL advisory lock key of this server's migrations ("djsv")


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling off, so SQLAlchemy's BEGIN / SAVEPOINT are exactly what runs.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    # synchronous=FULL: a push the server has acknowledged survives a power cut (WAL with NORMAL may lose the
    # last commits).
    for pragma in (f"busy_timeout={BUSY_TIMEOUT_MS}", "synchronous=FULL", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    _use_wal(cursor)
    cursor.close()


def _use_wal(cursor: Any) -> None:
    """WAL mode (kept in the file, so only a fresh database switches).  The switch needs the database to
    itself and SQLite does not wait for it (the busy timeout does not apply): a second process starting on
    the same fresh file at that moment tries again for up to the busy timeout instead of failing."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


WRITE_OPTION = "dangjian_write"


def _on_sqlite_begin(conn: Any) -> None:
    # A write transaction takes the write lock up front (BEGIN IMMEDIATE, waiting up to the busy timeout):
    # a deferred one that reads first and writes later fails at once with "database is locked" when another
    # connection committed in between — busy_timeout cannot help it.  Reads stay deferred and never block.
    immediate = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def claim_write(session: Session) -> Session:
    """Mark the session's coming transaction as a writer: call before its first statement (on SQLite it
    then begins IMMEDIATE; on PostgreSQL nothing changes — next_version's row lock orders writers)."""
    session.connection(execution_options={WRITE_OPTION: True})
    return session


def json_text(value: Any) -> str:
    """How a JSON column's value is stored: Chinese as itself rather than ``\\uXXXX`` escapes (half the
    bytes) and no blanks after separators — smaller rows, and smaller pull pages where data is served as
    stored.  A value holding a lone surrogate (valid in a JSON request, ``"\\ud800"``, but not UTF-8) keeps
    the escapes, as before: the database could not take the text otherwise."""
    compact = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    try:
        compact.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"))
    return compact


def make_engine(settings: Settings) -> Engine:
    """The engine for ``settings.database_url`` (the SQLite file's folder is created)."""
    url = settings.url
    if settings.is_sqlite:
        assert url.database is not None
        Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, json_serializer=json_text,
                               connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    return create_engine(url, json_serializer=json_text, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(settings: Settings, engine: Engine | None = None, *, revision: str = "head") -> None:
    """Bring the database to the newest schema (a fresh one gets its counter, instance id and token secret);
    ``revision`` stops at an older one (tests of a later migration start a database there)."""
    from alembic import command  # only at start-up
    from alembic.config import Config

    settings.home.mkdir(parents=True, exist_ok=True)
    own = engine is None
    engine = engine or make_engine(settings)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS_DIR))
        # Two processes starting on one fresh database (two server processes, or serve beside an admin
        # command) migrate one after the other: the second then finds the schema at head.
        with engine.connect().execution_options(**{WRITE_OPTION: True}) as conn, conn.begin():
            if not settings.is_sqlite:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    finally:
        if own:
            engine.dispose()
