"""Reconciliation after the server lost history (SYNC.md §8.8): restored from a backup (a new instance id
in ``/meta``) or a cursor the server no longer knows (pull answers 409 ``reset``).  Never "choose a side":

1. every local row the old server had acknowledged (``server_version`` > 0) is checked with
   ``POST /integrity``; a row the server does not have, or has at a lower version than this client saw, is
   queued again as an upsert synthesized from the local copy (unless an unsent op already holds it);
2. local versions go back to 0, the main cursor and the back-fill cursors are reset, so the next pull reads
   everything the server has now (rows with unsent ops are kept, as always).
Nothing local is lost: the server merges the re-pushed rows like any other op."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from app import wire
from app.domain.enums import OutboxOp, OutboxState
from app.models import SYNCED_ENTITIES, OutboxEntry, SyncScope, new_id
from app.services.core import clock
from app.services.sync import state
from app.services.sync.apply import unsent_records
from app.services.sync.codec import encode, raw_table
from app.services.sync.transport import Transport

__all__ = ["reconcile", "synthesize"]

_CHUNK = 500


def _acknowledged(factory: sessionmaker[Session]) -> dict[str, dict[str, int]]:
    """{entity: {id: server_version}} of every local row the server had acknowledged."""
    found: dict[str, dict[str, int]] = {}
    with factory() as session:
        for entity, model in SYNCED_ENTITIES.items():
            if entity in wire.SERVER_MANAGED:
                continue
            table = model.__table__  # type: ignore[attr-defined]
            rows = {str(row[0]): int(row[1]) for row in session.execute(
                select(table.c.id, table.c.server_version).where(table.c.server_version > 0))}
            if rows:
                found[entity] = rows
    return found


def _to_requeue(transport: Transport, acknowledged: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """{entity: {id: base version on the server now (0: gone)}} of the rows to push again."""
    requeue: dict[str, dict[str, int]] = {}
    for entity, versions in acknowledged.items():
        ids = list(versions)
        for start in range(0, len(ids), _CHUNK):
            answer = transport.json("POST", "/integrity", json={"entity": entity, "ids": ids[start:start + _CHUNK]})
            server_versions: dict[str, int] = {k: int(v) for k, v in (answer.get("versions") or {}).items()}
            for record_id in answer.get("gone") or []:
                requeue.setdefault(entity, {})[record_id] = 0
            for record_id in answer.get("present") or []:
                theirs = server_versions.get(record_id, 0)
                if theirs < versions.get(record_id, 0):
                    requeue.setdefault(entity, {})[record_id] = theirs
    return requeue


def synthesize(session: Session, entity: str, bases: dict[str, int]) -> int:
    """Queue upserts (deletes for tombstones) of these local rows at these base versions, from the local copy;
    rows an unsent op already holds are left to it.  Returns how many were queued."""
    model: Any = SYNCED_ENTITIES[entity]
    table = raw_table(entity)
    held = unsent_records(session, entity, list(bases))
    now, entries = clock.now(), []
    for row in session.execute(select(table).where(table.c.id.in_([i for i in bases if i not in held]))).mappings():
        entries.append({
            "op_id": new_id(), "entity": entity, "record_id": row["id"], "scope_key": model.scope_key,
            "scope_id": str(row[model.scope_key]), "op": OutboxOp.DELETE if row["deleted_at"] else OutboxOp.UPSERT,
            "base_version": bases[row["id"]], "fields": encode(entity, dict(row)), "state": OutboxState.PENDING,
            "attempts": 0, "last_error": "", "created_at": now})
    if entries:
        session.execute(insert(cast(Table, OutboxEntry.__table__)), entries)
    return len(entries)


def reconcile(factory: sessionmaker[Session], transport: Transport, instance_id: str) -> int:
    """Re-queue what the server lost, then reset every position; returns how many rows were re-queued."""
    requeue = _to_requeue(transport, _acknowledged(factory))
    queued = 0
    with factory.begin() as session:
        for entity, bases in requeue.items():
            for start in range(0, len(bases), _CHUNK):
                chunk = dict(list(bases.items())[start:start + _CHUNK])
                queued += synthesize(session, entity, chunk)
        for model in SYNCED_ENTITIES.values():
            table = model.__table__  # type: ignore[attr-defined]
            session.execute(update(table).where(table.c.server_version != 0).values(server_version=0))
        instructor = raw_table("instructor")
        session.execute(update(instructor).values(server_version=0))
        session.execute(update(SyncScope).values(backfill_cursor=None))
        state.write(session, {state.CURSOR: "", state.INSTANCE_ID: instance_id})
    return queued
