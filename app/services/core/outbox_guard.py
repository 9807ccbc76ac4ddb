"""The statement guard: no SQL writes a synced table except the ORM flush and the one bulk-load function.

Installed on the engine (``before_cursor_execute``) after migrations have run, it reads the target of
every INSERT / REPLACE / UPDATE / DELETE statement — ORM-enabled, Core or ``text()`` — and refuses one on a
synced table (:data:`app.models.SYNCED_TABLES`) unless

- it is one of the flush's own statements: the session that holds the connection has run its
  ``before_flush`` capture (a token, cleared after the flush and on rollback) and is executing its unit of
  work (the outbox entries of that flush are written in the same transaction).  Not the ORM bulk methods
  (``bulk_update_mappings`` and the like: they mark the session as flushing without a ``before_flush``),
  nor a Core statement from an ``after_flush`` hook or a keeper during the flush, or
- :func:`app.services.core.outbox.bulk_load` is running on the connection, or
- the sync is applying what the server sent (:func:`sync_writes`: pulled rows, push results, the purge of
  a lost scope), which the server already has and so must not queue again, or
- it is an UPDATE that sets only local-only columns (``server_version`` and the derived columns): the
  keepers of derived data do that, and such a change is never pushed.

What it cannot see: statements run by SQLite triggers, and writes through a raw DB-API cursor taken from
the driver connection (the ledger reads that way; nothing writes that way).
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.orm import Session

from app.models import DERIVED_COLUMNS, SYNCED_TABLES

# Local bookkeeping and derived columns: never part of an outbox entry, free to set with Core.
LOCAL_ONLY = frozenset({"server_version", *DERIVED_COLUMNS})

_FLUSHING = "outbox_guard.flushing_session"  # connection.info: the session that noted a flush on it
_TOKEN = "outbox_guard.flush_token"  # session.info: set by the capture's before_flush, cleared after it
_BULK = "outbox_guard.bulk_load"
_SYNC = "outbox_guard.sync_apply"

_LEADING = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/)*", re.S)
_NAME = r"""(?:["`\[]?\w+["`\]]?\s*\.\s*)?["`\[]?(\w+)["`\]]?"""
_TARGET = re.compile(
    r"(INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)\s+" + _NAME, re.I
)
_WRITE_WORDS = ("INSERT", "REPLACE", "UPDATE", "DELETE", "WITH")
_SET = re.compile(r"(?:\s+(?:AS\s+)?\w+)?\s+SET\b", re.I)  # optional alias, then SET
_SET_END = re.compile(r"\b(?:WHERE|FROM|RETURNING|ORDER|LIMIT)\b", re.I)
_ASSIGNED = re.compile(r"""\s*["`\[]?(\w+)["`\]]?\s*=""")


class UnrecordedWriteError(RuntimeError):
    """A synced row was about to be written in a way the server would never learn of (a programming error:
    a hard delete, or Core / bulk / text SQL on a synced table outside the outbox's write paths)."""


@functools.lru_cache(maxsize=1024)  # a pure function of the text, and the same statements run again and again
def refused_write(statement: str) -> tuple[str, str] | None:
    """``(verb, table)`` when ``statement`` writes a synced table in a way only a sanctioned path may;
    None when it is not a write, writes only local tables, or sets only local-only columns."""
    lead = _LEADING.match(statement)
    body = statement[lead.end() if lead else 0:]
    if not body[:7].upper().startswith(_WRITE_WORDS):
        return None
    if body[:4].upper() == "WITH":  # a CTE before the write: judge every write target in it
        for write in _TARGET.finditer(body):
            if write.group(2).lower() in SYNCED_TABLES:
                return write.group(1).split()[0].upper(), write.group(2).lower()
        return None
    found = _TARGET.match(body)
    if found is None or found.group(2).lower() not in SYNCED_TABLES:
        return None
    verb, table = found.group(1).split()[0].upper(), found.group(2).lower()
    if verb == "UPDATE":
        columns = _set_columns(body, found.end())
        if columns is not None and columns <= LOCAL_ONLY:
            return None
    return verb, table


def _flatten(text: str) -> str:
    """``text`` with everything inside parentheses and string literals blanked out (same length)."""
    out, depth, quote = [], 0, ""
    for char in text:
        if quote:
            out.append(" ")
            if char == quote:
                quote = ""
        elif char == "'":
            quote = char
            out.append(" ")
        elif char == "(":
            depth += 1
            out.append(" ")
        elif char == ")":
            depth = max(depth - 1, 0)
            out.append(" ")
        else:
            out.append(" " if depth else char)
    return "".join(out)


def _set_columns(body: str, after_target: int) -> frozenset[str] | None:
    """The columns an UPDATE assigns, or None when they cannot be read (then it is refused)."""
    found = _SET.match(body, after_target)
    if found is None:
        return None
    flat = _flatten(body[found.end():])
    end = _SET_END.search(flat)
    columns = set()
    for piece in flat[: end.start() if end else len(flat)].split(","):
        assigned = _ASSIGNED.match(piece)
        if assigned is None:  # e.g. the (a, b) = (...) form
            return None
        columns.add(assigned.group(1).lower())
    return frozenset(columns)


def note_flush(session: Session) -> None:
    """Called by the flush capture's ``before_flush``: this flush's unit of work may write synced tables
    on the session's connection, until :func:`end_flush`."""
    session.info[_TOKEN] = True
    session.connection().info[_FLUSHING] = weakref.ref(session)


def end_flush(session: Session) -> None:
    """Called after the flush (``after_flush_postexec``) and on rollback: nothing sanctioned remains."""
    session.info.pop(_TOKEN, None)


@contextmanager
def bulk_writes(session: Session) -> Iterator[None]:
    """Inside: the bulk-load function writes synced tables with Core on the session's connection."""
    info = session.connection().info
    info[_BULK] = True
    try:
        yield
    finally:
        info.pop(_BULK, None)


@contextmanager
def sync_writes(session: Session) -> Iterator[None]:
    """Inside: the sync writes synced tables with Core on the session's connection — rows the server sent
    (a pull page, a push result) and the purge of a scope the account lost.  Nothing written here enters
    the outbox: the server is where it came from.  Used only by ``app.services.sync``."""
    info = session.connection().info
    info[_SYNC] = True
    try:
        yield
    finally:
        info.pop(_SYNC, None)


def _sanctioned(conn: Connection) -> bool:
    info = conn.info
    if info.get(_BULK) or info.get(_SYNC):
        return True
    ref = info.get(_FLUSHING)
    session = ref() if ref is not None else None
    if session is None or not session.info.get(_TOKEN):
        return False
    # Session._warn_on_events is True exactly while the unit of work executes the flush's own statements
    # (set around flush_context.execute(), reset in a ``finally``): not during the ORM bulk methods, not
    # in after_flush hooks (the keepers run there), not after a flush that had nothing to write or failed.
    # Should SQLAlchemy drop the attribute, every write is refused (the guard fails closed).
    return bool(getattr(session, "_warn_on_events", False))


def _check_statement(conn: Connection, _cursor: Any, statement: str, _parameters: Any, _context: Any,
                     _executemany: bool) -> None:
    refused = refused_write(statement)
    if refused is None or _sanctioned(conn):
        return
    verb, table = refused
    raise UnrecordedWriteError(
        f"{verb} on synced table {table} bypasses the outbox, so the server would never learn of it. "
        "Change rows through the ORM inside factory.begin() (tombstone with outbox.tombstone, never "
        "delete), or load new rows with outbox.bulk_load. Only server_version and derived columns may "
        "be set with Core."
    )


def install_statement_guard(engine: Engine) -> None:
    """Refuse unsanctioned writes to synced tables on every connection of ``engine`` (idempotent)."""
    if not event.contains(engine, "before_cursor_execute", _check_statement):
        event.listen(engine, "before_cursor_execute", _check_statement)
