"""The one path that writes synced rows: the row and its outbox entry, in the caller's transaction.

Services call :func:`record_upsert` / :func:`record_delete` inside ``with factory.begin()``; bulk loads
(demo data, imports) call :func:`bulk_insert`.  A ``before_flush`` guard installed on the session
factory refuses to flush a new, changed or hard-deleted synced row that did not come through here, so a
forgotten outbox entry fails loudly in tests instead of silently never reaching the server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, cast

from sqlalchemy import Table, event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import OutboxOp, OutboxState
from app.models import OutboxEntry, SyncColumns, new_id, utcnow
from app.models.base import scope_of
from app.models.org import DERIVED_COLUMNS
from app.services.core import derived

_GUARD_KEY = "outbox_recorded"
# Local bookkeeping and derived columns: never part of an outbox entry.
_LOCAL_ONLY = frozenset({"server_version", *DERIVED_COLUMNS})


class UnrecordedWriteError(RuntimeError):
    """A synced row was about to be written without an outbox entry (a programming error)."""


def wire_value(value: object) -> object:
    """A JSON-ready form of a column value (dates as ISO strings, enums by value)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _column_keys(row: SyncColumns) -> list[str]:
    return [attr.key for attr in inspect(type(row)).column_attrs]


def _changed_keys(row: SyncColumns) -> list[str]:
    state = inspect(row)
    return [key for key in _column_keys(row) if state.attrs[key].history.has_changes()]


def _mark(session: Session, row: object) -> None:
    session.info.setdefault(_GUARD_KEY, set()).add(id(row))


def record_upsert(session: Session, row: SyncColumns, *, actor: str) -> OutboxEntry | None:
    """Add or update ``row`` and queue an upsert with only the changed fields.

    Returns the outbox entry, or None when nothing but bookkeeping changed.
    """
    state = inspect(row)
    is_new = state.transient or state.pending
    changed = None if is_new else [k for k in _changed_keys(row) if k not in _LOCAL_ONLY]
    if changed is not None and not changed:
        return None
    row.updated_at = utcnow()
    row.updated_by = actor
    _mark(session, row)
    if is_new:
        session.add(row)
    session.flush()
    keys = _column_keys(row) if is_new else [*changed, "updated_at", "updated_by"]  # type: ignore[misc]
    fields = {k: wire_value(getattr(row, k)) for k in keys if k not in _LOCAL_ONLY}
    return _queue(session, row, OutboxOp.UPSERT, fields)


def record_delete(session: Session, row: SyncColumns, *, actor: str) -> OutboxEntry:
    """Tombstone ``row`` (never a hard delete: the server must learn of it) and queue a delete."""
    row.deleted_at = utcnow()
    row.updated_at = row.deleted_at
    row.updated_by = actor
    _mark(session, row)
    session.flush()
    return _queue(session, row, OutboxOp.DELETE, {"deleted_at": wire_value(row.deleted_at)})


def _queue(session: Session, row: SyncColumns, op: OutboxOp, fields: dict[str, object]) -> OutboxEntry:
    entry = OutboxEntry(
        entity=type(row).__tablename__,  # type: ignore[attr-defined]
        record_id=row.id,
        org_id=scope_of(row),  # the scope key, whichever column holds it (DESIGN §3)
        op=op,
        base_version=row.server_version or 0,
        fields=fields,
        state=OutboxState.PENDING,
    )
    session.add(entry)
    session.flush()
    # SCOPE's stand-in until the flush capture (OUTBOX) calls it for every write: keep derived data in step
    derived.rows_changed(session, {entry.entity: [row.id]})
    return entry


def bulk_insert(
    session: Session, model: type[SyncColumns], rows: Sequence[Mapping[str, Any]], *, actor: str
) -> int:
    """Insert many new rows of one synced table with Core, each with its outbox entry.

    ``rows`` are complete column dicts (``id`` and the scope key included).  Returns the count.
    """
    if not rows:
        return 0
    now = utcnow()
    table = cast(Table, model.__table__)  # type: ignore[attr-defined]
    prepared = [{**r, "updated_at": r.get("updated_at", now), "updated_by": actor} for r in rows]
    session.execute(insert(table), prepared)
    entity = table.name
    entries = [
        {
            "op_id": new_id(), "entity": entity, "record_id": r["id"], "org_id": r[model.scope_key],
            "op": OutboxOp.UPSERT.value, "base_version": 0, "state": OutboxState.PENDING.value,
            "fields": {k: wire_value(v) for k, v in r.items() if k not in _LOCAL_ONLY},
            "attempts": 0, "last_error": "", "created_at": now,
        }
        for r in prepared
    ]
    # Core, not the ORM bulk path: ~20% faster for demo loads and imports (DESIGN §8)
    session.execute(insert(cast(Table, OutboxEntry.__table__)), entries)
    derived.rows_changed(session, {entity: [r["id"] for r in prepared]})  # SCOPE's stand-in, see _queue
    return len(prepared)


def _guard(session: Session, _context: object, _instances: Iterable[object] | None) -> None:
    recorded: set[int] = session.info.get(_GUARD_KEY, set())
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, SyncColumns) and id(obj) not in recorded and session.is_modified(obj):
            raise UnrecordedWriteError(
                f"{type(obj).__name__} {obj.id} written without an outbox entry; use app.services.core.outbox"
            )
    for obj in session.deleted:
        if isinstance(obj, SyncColumns):  # the server must learn of a delete: tombstone it instead
            raise UnrecordedWriteError(
                f"{type(obj).__name__} {obj.id} hard-deleted; use app.services.core.outbox.record_delete"
            )


def _clear(session: Session, _context: object) -> None:
    session.info.pop(_GUARD_KEY, None)


def install_outbox_guard(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _guard)
    event.listen(factory, "after_flush_postexec", _clear)
