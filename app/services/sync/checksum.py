"""Once a day, this laptop's copy compared with the server's, scope by scope, and repaired where they differ
(SYNC.md §8.4 item 7: Anki's sanity check, PowerSync's bucket checksums).

For each organization / party scope with nothing unsent and nothing held, the count of rows per entity, the
sum of their server versions and the highest are compared with ``POST /checksum``.  After a sync has settled
they are equal; a difference means rows went missing or stale on one side (a bug, a restored laptop, a row
written past the outbox).  The scope alone is repaired, never by choosing a side:

1. local rows the server does not have at all (asked with ``/integrity``) are queued again as upserts from
   the local copy — an edit whose op vanished is sent after all;
2. the scope is read again from version 0 (its back-fill cursor), which brings what is missing or stale here.

A difference found right after a pull may only be another laptop's push since: the caller pulls again and
compares those scopes once more before repairing.  The first sync (everything was just read) only notes the
time.  Only versions are compared: an edit whose op vanished from an existing row is not seen.
Server-managed entities (assignments, instructors) and the conflicts are not compared: the server decides
those alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app import wire
from app.models import SYNCED_ENTITIES, OutboxEntry, PartyOrg, SocialOrg, SyncScope
from app.services.sync import state
from app.services.sync.errors import SyncError
from app.services.sync.held import held_changes
from app.services.sync.reconcile import synthesize
from app.services.sync.scopes import GRANTED, UNSENT_DATA, scope_parts
from app.services.sync.transport import Transport, body_of

__all__ = ["CHECK_EVERY", "LAST_CHECKED", "check_due", "compare", "note_checked", "repair"]

CHECK_EVERY = timedelta(days=1)
LAST_CHECKED = "checksum_checked_at"
_IDS_PER_ASK = 500
WHOLE_DISTRICT = ("supervisor", "admin")  # roles the server grants every scope
Sums = dict[str, tuple[int, int, int]]  # entity -> (count, sum of versions, highest version)


def _compared() -> dict[str, Any]:
    return {entity: model for entity, model in SYNCED_ENTITIES.items() if entity not in wire.SERVER_MANAGED}


def check_due(session: Session, now: datetime) -> bool:
    last = state.get(session, LAST_CHECKED)
    return not last or now - datetime.fromisoformat(last) >= CHECK_EVERY


def note_checked(session: Session, now: datetime) -> None:
    state.write(session, {LAST_CHECKED: now.isoformat()})


def _checkable(session: Session) -> list[str]:
    """The scopes held here that can be compared now: granted (for a whole-district account: every
    organization and party organization held), fully back-filled, with no unsent op and no held row."""
    if state.get(session, state.ROLE) in WHOLE_DISTRICT:  # granted "*": scope rows are kept only for re-reads
        scopes = {wire.org_scope(i) for i in session.execute(select(SocialOrg.id)).scalars()}
        scopes |= {wire.party_scope(i) for i in session.execute(select(PartyOrg.id)).scalars()}
    else:
        scopes = set(session.execute(select(SyncScope.scope).where(SyncScope.state == GRANTED)).scalars())
    scopes -= set(session.execute(select(SyncScope.scope).where(SyncScope.backfill_cursor.is_not(None))).scalars())
    unsent = {wire.scope_for(key, value) for key, value in session.execute(
        select(OutboxEntry.scope_key, OutboxEntry.scope_id).where(UNSENT_DATA).distinct())}
    held = {str(change.get("scope")) for change in held_changes(session)}
    return sorted(scope for scope in scopes - unsent - held if scope_parts(scope)[0] is not None)


def _local_sums(session: Session, scopes: list[str]) -> dict[str, Sums]:
    sums: dict[str, Sums] = {scope: {} for scope in scopes}
    for entity, model in _compared().items():
        key: str = model.scope_key
        values = [value for scope in scopes for k, value in [scope_parts(scope)] if k == key]
        if not values:
            continue
        table = model.__table__
        column = table.c[key]
        for value, count, total, highest in session.execute(
                select(column, func.count(), func.sum(table.c.server_version), func.max(table.c.server_version))
                .where(column.in_(values)).group_by(column)):
            sums[wire.scope_for(key, str(value))][entity] = (int(count), int(total or 0), int(highest or 0))
    return sums


def _differing(mine: dict[str, Sums], theirs: dict[str, dict[str, list[int]]]) -> dict[str, list[str]]:
    """scope -> the entities whose sums differ (only entities this version stores)."""
    compared = _compared()
    found: dict[str, list[str]] = {}
    for scope, local in mine.items():
        remote = {entity: tuple(values) for entity, values in (theirs.get(scope) or {}).items() if entity in compared}
        entities = sorted(entity for entity in set(local) | set(remote)
                          if local.get(entity, (0, 0, 0)) != remote.get(entity, (0, 0, 0)))
        if entities:
            found[scope] = entities
    return found


def _unknown_to_server(session: Session, transport: Transport, scope: str, entity: str) -> list[str]:
    """Ids of this scope's local rows of ``entity`` the server has never stored."""
    key, value = scope_parts(scope)
    table = SYNCED_ENTITIES[entity].__table__  # type: ignore[attr-defined]
    ids = [str(i) for i in session.execute(select(table.c.id).where(table.c[key] == value)).scalars()]
    gone: list[str] = []
    for start in range(0, len(ids), _IDS_PER_ASK):
        answer = transport.json("POST", "/integrity", json={"entity": entity, "ids": ids[start:start + _IDS_PER_ASK]})
        gone += [str(i) for i in answer.get("gone") or []]
    return gone


def _read_again(session: Session, scopes: Iterable[str]) -> None:
    for scope in scopes:
        row = session.get(SyncScope, scope)
        if row is None:
            session.add(SyncScope(scope=scope, state=GRANTED, backfill_cursor=""))
        elif row.state == GRANTED:
            row.backfill_cursor = ""


def compare(factory: sessionmaker[Session], transport: Transport, only: Iterable[str] | None = None
            ) -> dict[str, list[str]]:
    """scope -> the entities whose sums differ from the server's, over every checkable scope (or those of
    ``only`` still checkable)."""
    with factory() as session:
        scopes = _checkable(session)
        if only is not None:
            scopes = sorted(set(scopes) & set(only))
        mine = _local_sums(session, scopes)
    differing: dict[str, list[str]] = {}
    for start in range(0, len(scopes), wire.MAX_CHECKSUM_SCOPES):
        chunk = scopes[start:start + wire.MAX_CHECKSUM_SCOPES]
        response = transport.request("POST", "/checksum", json={"scopes": chunk})
        if response.status_code in (404, 405):  # a server from before checksums: nothing to compare with
            return {}
        if response.status_code >= 300:
            raise SyncError(transport.failure(response))
        answer = body_of(response)
        differing.update(_differing({scope: mine[scope] for scope in chunk}, answer.get("sums") or {}))
    return differing


def repair(factory: sessionmaker[Session], transport: Transport, differing: dict[str, list[str]]) -> int:
    """Queue again the rows of these scopes the server never stored, and set the scopes to be read again
    from 0; returns how many rows were queued."""
    with factory() as session:
        unknown = {(scope, entity): _unknown_to_server(session, transport, scope, entity)
                   for scope, entities in differing.items() for entity in entities}
    queued = 0
    with factory.begin() as session:
        for (_scope, entity), ids in unknown.items():
            if ids:
                queued += synthesize(session, entity, dict.fromkeys(ids, 0))
        _read_again(session, differing)
    return queued
