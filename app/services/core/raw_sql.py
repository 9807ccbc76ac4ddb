"""Raw SQL reads that run on either a SQLAlchemy ``Session`` or a plain ``sqlite3`` connection.

The 工作台's read (``app.services.compliance.read`` and ``.dashboard``) is raw SQL with ``:name``
parameters, which both understand.  At start-up it runs on a stdlib read-only connection
(:func:`read_only`), so the first paint never waits for SQLAlchemy's import; afterwards the same functions
run in the app's sessions.  One copy of the SQL; this module is the only difference between the two.

No SQLAlchemy import here: ``text()`` is imported when a Session is actually given (SQLAlchemy is then
loaded anyway).  Any thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = ["ReadFactory", "Readable", "first", "read_only", "rows", "scalar"]

Readable: TypeAlias = "Session | sqlite3.Connection"
"""Where a read runs: a Session (in the app, the CLI, the tests) or a DB-API connection (start-up)."""
ReadFactory: TypeAlias = Callable[[], AbstractContextManager["Session | sqlite3.Connection"]]
"""``with factory() as conn``: a ``sessionmaker`` or :func:`read_only` bound to a path."""


def _plain(params: Mapping[str, object]) -> dict[str, object]:
    """Dates as the text SQLAlchemy's pysqlite binds them (``date.isoformat()``; the stdlib's adapters
    for them are deprecated)."""
    return {key: (value.isoformat(" ") if isinstance(value, datetime)
                  else value.isoformat() if isinstance(value, date) else value) for key, value in params.items()}


def rows(conn: Readable, sql: str, params: Mapping[str, object] | None = None) -> list[Sequence[Any]]:
    """Every row ``sql`` returns, as tuples."""
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql, _plain(params or {})).fetchall()
    from sqlalchemy import text

    return list(conn.execute(text(sql), dict(params or {})).all())


def first(conn: Readable, sql: str, params: Mapping[str, object] | None = None) -> Sequence[Any] | None:
    """The first row ``sql`` returns, or None."""
    if isinstance(conn, sqlite3.Connection):
        row: Sequence[Any] | None = conn.execute(sql, _plain(params or {})).fetchone()
        return row
    from sqlalchemy import text

    return conn.execute(text(sql), dict(params or {})).first()


def scalar(conn: Readable, sql: str, params: Mapping[str, object] | None = None) -> Any:
    """The one value of the one row ``sql`` returns."""
    row = first(conn, sql, params)
    if row is None:
        raise LookupError(f"no row: {sql}")
    return row[0]


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only stdlib connection to the database at ``path`` in one read transaction (every statement
    sees the same snapshot, as in a session of the app's engine), closed at the end."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA busy_timeout=5000")
        conn.execute("BEGIN")
        yield conn
    finally:
        conn.close()
