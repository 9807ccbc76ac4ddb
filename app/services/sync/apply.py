"""Writing what the server sent into the local database (SYNC.md §8.4 pull rules), with Core, through the
sync's sanctioned guard path (no outbox entry: the server already has it), in the caller's transaction —
for a pull page, the same transaction that stores the cursor.

A row is written only when its local copy is older (``server_version`` < the incoming version: a page
delivered twice, or a back-fill overlapping the main stream, changes nothing) and has no unsent op
(pending or in flight): the local edit wins locally until its push returns the server's merge.  Tombstones
follow the same rule.  Follow-ups (``rectification_follow_up``) are append-only: a known one only learns its
version.  Conflicts go to the local ``sync_conflict`` table.  A row the local schema cannot hold is set aside
(app.services.sync.held) and the rest of the page commits.  Then the keepers of derived data (search,
coverage, compliance) hear which rows changed, as after any other write."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, partial
from typing import Any, cast

from sqlalchemy import Table, case, func, select, update
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from app import wire
from app.domain.enums import OutboxState
from app.models import SYNCED_TABLES, OutboxEntry, SyncConflict
from app.services.core import clock, derived
from app.services.core.outbox_guard import sync_writes
from app.services.sync.codec import decode, entity_table, raw_table
from app.services.sync.held import note_held, note_skipped

__all__ = ["APPEND_ONLY", "Applied", "apply_changes", "knows_entity", "local_versions", "store_conflicts",
           "unsent_records", "write_rows"]

APPEND_ONLY = frozenset({"rectification_follow_up"})
_CHUNK = 500
_UNSENT = (OutboxState.PENDING, OutboxState.IN_FLIGHT)
_UNSTORABLE = (StatementError, ValueError, TypeError)  # what a row the local schema cannot hold raises


@dataclass
class Applied:
    """What applying a batch of changes did."""

    written: int = 0
    kept_local: int = 0  # newer on the server, but an unsent local op holds the row (one more round)
    conflicts: int = 0
    problems: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)
    held: list[tuple[Mapping[str, Any], str]] = field(default_factory=list)  # set aside: (change, why)


def _chunks(ids: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start:start + _CHUNK]


def unsent_records(session: Session, entity: str, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` have an op not yet acknowledged (pending or in flight)."""
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(session.execute(select(OutboxEntry.record_id).where(
            OutboxEntry.entity == entity, OutboxEntry.record_id.in_(chunk), OutboxEntry.state.in_(_UNSENT))).scalars())
    return found


def local_versions(session: Session, entity: str, ids: Sequence[str]) -> dict[str, int]:
    table = entity_table(entity)
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        rows = session.execute(select(table.c.id, table.c.server_version).where(table.c.id.in_(chunk)))
        found.update((str(row[0]), int(row[1])) for row in rows)
    return found


def _same(value: Any) -> Any:
    return value


@cache
def _defaults(entity: str) -> tuple[tuple[str, Callable[[], Any]], ...]:
    """Per column with a Python-side default (the local-only derived columns among them): how to make it,
    so a new row gets what the ORM would give it (the keepers then derive the real values)."""
    made: list[tuple[str, Callable[[], Any]]] = []
    for column in entity_table(entity).columns:
        default: Any = column.default
        if default is None:
            continue
        if getattr(default, "is_callable", False):
            made.append((column.name, partial(default.arg, None)))  # SQLAlchemy wraps it as fn(context)
        elif getattr(default, "is_scalar", False):
            made.append((column.name, partial(_same, default.arg)))
    return tuple(made)


def _upsert(session: Session, entity: str, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert new rows (defaults filled) or update the given columns of existing ones."""
    by_keys: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        by_keys.setdefault(tuple(sorted(row)), []).append(row)
    defaults = _defaults(entity)
    for keys, group in by_keys.items():
        filled = [{**{name: make() for name, make in defaults if name not in row}, **row} for row in group]
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["id"], set_={k: statement.excluded[k] for k in keys if k != "id"})
        session.execute(statement, filled)


def _free_username(session: Session, rows: list[dict[str, Any]]) -> None:
    """A local instructor row made before sign-in may hold the username the server's row brings: it is
    renamed out of the way (assignments are the server's once signed in)."""
    table = entity_table("instructor")
    for row in rows:
        if "username" in row:
            session.execute(update(table).where(table.c.username == row["username"], table.c.id != row["id"])
                            .values(username=f"{row['username']}#本机-{str(row['id'])[:8]}"))


def write_rows(session: Session, entity: str, rows: list[dict[str, Any]], existing: set[str]) -> None:
    """Insert or update decoded rows (each with ``id`` and ``server_version``) of ``entity``; ``existing``:
    the ids already stored (an append-only row that exists only learns its version)."""
    if not rows:
        return
    table = raw_table(entity)
    if entity == "instructor":
        _free_username(session, rows)
    with sync_writes(session):
        if entity in APPEND_ONLY:
            for row in rows:
                if row["id"] in existing:
                    session.execute(update(table).where(table.c.id == row["id"])
                                    .values(server_version=row["server_version"]))
            rows = [row for row in rows if row["id"] not in existing]
            if rows:
                _upsert(session, entity, table, rows)
            return
        _upsert(session, entity, table, rows)


def store_conflicts(session: Session, changes: Sequence[Mapping[str, Any]], received: datetime) -> int:
    """Keep the pulled (or pushed-back) ``sync_conflict`` records; a tombstone is one settled — here or on
    another laptop (``resolved_by`` in its data): the row is marked settled unless it already is.  Returns
    how many unsettled ones came."""
    table = cast(Table, SyncConflict.__table__)
    count = 0
    for change in changes:
        data = change.get("data") or {}
        settled = bool(change.get("deleted"))
        row = {"id": change["id"], "scope": change.get("scope", ""), "entity": str(data.get("entity", "")),
               "record_id": str(data.get("record_id", "")), "field": str(data.get("field", "")),
               "yours": data.get("yours"), "other": data.get("other"), "kept": data.get("kept"),
               "base_version": int(data.get("base_version") or 0), "version": int(change.get("version") or 0),
               "user": str(data.get("user", "")), "other_user": str(data.get("other_user") or ""),
               "op_id": str(data.get("op_id") or ""), "at": received,
               "resolved_at": _instant(data.get("resolved_at"), received) if settled else None,
               "resolved_by": str(data.get("resolved_by") or "") if settled else ""}
        statement = insert(table).values(**row)
        keep: dict[str, Any] = {k: statement.excluded[k] for k in ("kept", "version", "scope")}
        keep["resolved_at"] = func.coalesce(table.c.resolved_at, statement.excluded.resolved_at)
        keep["resolved_by"] = case((table.c.resolved_by == "", statement.excluded.resolved_by),
                                   else_=table.c.resolved_by)
        session.execute(statement.on_conflict_do_update(index_elements=["id"], set_=keep))
        count += not settled
    return count


def _instant(text: Any, default: datetime) -> datetime:
    try:
        value = datetime.fromisoformat(str(text))
    except ValueError:
        return default
    return value if value.tzinfo is not None else default


def knows_entity(entity: str) -> bool:
    """This version can store records of ``entity`` (the conflicts' pseudo-entity is stored apart)."""
    return entity in SYNCED_TABLES or entity in ("instructor", wire.CONFLICT_ENTITY)


def apply_changes(session: Session, changes: Sequence[Mapping[str, Any]]) -> Applied:
    """Apply a page of pulled changes (wire.Change) in the caller's transaction, then tell the keepers."""
    result = Applied()
    by_entity: dict[str, list[Mapping[str, Any]]] = {}
    for change in changes:
        by_entity.setdefault(str(change["entity"]), []).append(change)
    # The entities with an unsent op (none at all on a first pull): only their rows need the per-row look-up.
    held = set(session.execute(select(OutboxEntry.entity).where(OutboxEntry.state.in_(_UNSENT)).distinct()).scalars())
    skipped: set[str] = set()
    for entity, group in by_entity.items():
        if entity == wire.CONFLICT_ENTITY:
            result.conflicts += store_conflicts(session, group, clock.now())
        elif knows_entity(entity):
            _apply_entity(session, entity, group, result, held=entity in held)
        else:
            skipped.add(entity)
            result.problems.append(f"服务器发来了本版本不认识的数据类型“{entity}”（{len(group)} 条），已跳过；"
                                   "请升级软件，升级后会自动重新接收。")
    tell = {table: ids for table, ids in result.changed.items() if ids}
    note_held(session, result.held, tell)
    note_skipped(session, skipped)
    derived.rows_changed(session, tell, dict.fromkeys(tell))
    return result


def _why(error: Exception) -> str:
    """A stored row's failure in a line: which column a NOT NULL violation names, else the driver's words."""
    if isinstance(error, IntegrityError):
        text = str(error.orig)
        if "NOT NULL" in text:
            return f"字段 {text.rpartition('.')[2]} 为空，本版本要求必填"
        return f"与本机数据冲突（{text}）"
    if isinstance(error, StatementError) and error.orig is not None:
        return f"值无法保存（{error.orig}）"
    return str(error)


def _write_each(session: Session, entity: str, rows: list[dict[str, Any]], existing: set[str],
                sources: Mapping[str, Mapping[str, Any]], result: Applied) -> list[dict[str, Any]]:
    """Write ``rows`` in one statement; should that fail, row by row, each in its savepoint, setting aside
    the rows the local schema cannot hold.  The rows stored."""
    if not rows or _try_write(session, entity, rows, existing) is None:
        return rows
    stored: list[dict[str, Any]] = []
    for row in rows:
        error = _try_write(session, entity, [row], existing)
        if error is None:
            stored.append(row)
        else:
            result.held.append((sources[row["id"]], _why(error)))
    return stored


def _try_write(session: Session, entity: str, rows: list[dict[str, Any]], existing: set[str]) -> Exception | None:
    try:
        with session.begin_nested():
            write_rows(session, entity, rows, existing)
    except _UNSTORABLE as error:
        return error
    return None


def _apply_entity(session: Session, entity: str, group: list[Mapping[str, Any]], result: Applied, *,
                  held: bool = True) -> None:
    latest: dict[str, Mapping[str, Any]] = {}
    for change in group:  # one page may carry a record twice only if the server rewrote it: keep the newest
        known = latest.get(str(change["id"]))
        if known is None or int(change["version"]) > int(known["version"]):
            latest[str(change["id"])] = change
    ids = list(latest)
    versions = local_versions(session, entity, ids)
    unsent = unsent_records(session, entity, ids) if held and entity != "instructor" else set()
    rows: list[dict[str, Any]] = []
    has_deleted_at = "deleted_at" in entity_table(entity).c
    for record_id, change in latest.items():
        version = int(change["version"])
        if versions.get(record_id, -1) >= version:
            continue
        if record_id in unsent:
            result.kept_local += 1
            continue
        try:
            decoded = decode(entity, {**change.get("data", {}), "id": record_id})
        except ValueError as error:
            result.held.append((change, str(error)))
            continue
        result.problems.extend(decoded.problems)
        values = decoded.values
        values["server_version"] = version
        if change.get("deleted") and values.get("deleted_at") is None:
            values["deleted_at"] = clock.now()
        if not change.get("deleted") and has_deleted_at:
            values.setdefault("deleted_at", None)
        rows.append(values)
    rows = _write_each(session, entity, rows, set(versions), latest, result)
    result.written += len(rows)
    result.changed.setdefault(entity, []).extend(row["id"] for row in rows)
