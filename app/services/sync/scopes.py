"""The scopes the server grants this account, and what changes when they change (DESIGN §4).

After each ``/meta`` the granted scopes are compared with table ``sync_scope``:

- a newly granted scope is back-filled (``/pull?scope=X`` from 0, its own cursor): its older rows lie below
  the main cursor (SYNC.md §8.4 item 5).  On the very first sync the main pull brings everything;
- a lost scope with unsent or refused edits becomes ``quarantined``: its rows stay, read-only (the outbox
  flush refuses edits there), until the user exports the unsent data (export.py) and discards it;
- a lost scope with nothing unsent is purged: its rows are removed (the ``sync_purge`` marker lets the
  append-only follow-ups go too), and the keepers of derived data are told.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from app import wire
from app.domain.enums import OutboxState
from app.models import SYNCED_ENTITIES, OutboxEntry, PartyOrg, SocialOrg, SyncConflict, SyncPurge, SyncScope
from app.services.core import derived
from app.services.core.outbox_guard import sync_writes
from app.services.sync.held import drop_held

__all__ = ["ALL_SCOPES", "UNSENT_DATA", "ScopeChanges", "discard_scope", "note_granted", "purge_scope", "scope_parts"]

ALL_SCOPES = "*"  # a supervisor's / admin's grant: the whole district
GRANTED, QUARANTINED = "granted", "quarantined"
UNSENT_STATES = (OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.REJECTED)
# Unsent data of the user's: not the ops settling a conflict (they carry no data; losing one loses nothing).
UNSENT_DATA = OutboxEntry.state.in_(UNSENT_STATES) & (OutboxEntry.entity != wire.CONFLICT_ENTITY)


@dataclass
class ScopeChanges:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # SHA-256 of the purged attachments' files


def scope_parts(scope: str) -> tuple[str | None, str]:
    """``("org_id", id)`` / ``("party_org_id", id)``; ``(None, "")`` for the district."""
    kind, _, value = scope.partition(":")
    if kind == "org":
        return "org_id", value
    if kind == "party":
        return "party_org_id", value
    return None, ""


def _has_unsent(session: Session, scope: str) -> bool:
    key, value = scope_parts(scope)
    if key is None:
        return False
    return session.execute(select(OutboxEntry.seq).where(
        OutboxEntry.scope_key == key, OutboxEntry.scope_id == value, UNSENT_DATA)
        .limit(1)).first() is not None


def note_granted(session: Session, granted: list[str], *, first_sync: bool) -> ScopeChanges:
    """Compare ``granted`` (from /meta) with what is stored; purge or quarantine lost scopes, register new
    ones (to back-fill unless this is the first sync).  In the caller's transaction."""
    changes = ScopeChanges()
    if ALL_SCOPES in granted:
        granted = []  # everything: nothing to back-fill by scope, nothing lost
        everything = True
    else:
        everything = False
    known = {row.scope: row for row in session.execute(select(SyncScope)).scalars()}
    for scope in granted:
        row = known.get(scope)
        if row is None:
            session.add(SyncScope(scope=scope, state=GRANTED, backfill_cursor=None if first_sync else ""))
            changes.added.append(scope)
        elif row.state == QUARANTINED:  # granted again: editable again, its history re-read
            row.state, row.backfill_cursor = GRANTED, ""
            changes.added.append(scope)
    if everything:
        return changes
    for scope, row in known.items():
        if scope in granted or row.state != GRANTED:
            continue
        if _has_unsent(session, scope):
            row.state = QUARANTINED
            changes.quarantined.append(scope)
        else:
            changes.files |= purge_scope(session, scope)
            session.delete(row)
        changes.removed.append(scope)
    session.flush()
    return changes


def purge_scope(session: Session, scope: str) -> set[str]:
    """Remove every local row of ``scope`` (its outbox entries too), telling the keepers; returns the SHA-256
    of the attachment files its rows named (the caller removes those no row names any more, after commit:
    :func:`app.services.sync.blobs.drop_files`)."""
    key, value = scope_parts(scope)
    if key is None:
        return set()
    files: set[str] = set()
    changed: dict[str, list[str]] = {}
    session.execute(insert(SyncPurge).values(scope_id=value).prefix_with("OR IGNORE"))
    with sync_writes(session):
        for entity, model in SYNCED_ENTITIES.items():
            if model.scope_key != key:
                continue
            table = model.__table__  # type: ignore[attr-defined]
            ids = list(session.execute(select(table.c.id).where(table.c[key] == value)).scalars())
            if ids:
                if entity in wire.ATTACHMENT_ENTITIES:
                    files |= set(session.execute(select(table.c.sha256).where(table.c[key] == value)).scalars())
                session.execute(delete(table).where(table.c[key] == value))
                changed[entity] = ids
    session.execute(delete(SyncPurge).where(SyncPurge.scope_id == value))
    session.execute(delete(OutboxEntry).where(OutboxEntry.scope_key == key, OutboxEntry.scope_id == value))
    session.execute(delete(SyncConflict).where(SyncConflict.scope == scope))
    drop_held(session, scope)
    derived.rows_changed(session, changed, dict.fromkeys(changed))
    return files


def discard_scope(session: Session, scope: str) -> set[str]:
    """Drop a quarantined scope: its rows, its unsent ops and its bookkeeping (its files: as purge_scope)."""
    files = purge_scope(session, scope)
    session.execute(delete(SyncScope).where(SyncScope.scope == scope))
    return files


def scope_name(session: Session, scope: str) -> str:
    """The name of the organization (or 党组织) a scope stands for; the scope itself when it has no row here."""
    key, value = scope_parts(scope)
    model = SocialOrg if key == "org_id" else PartyOrg
    name = session.execute(select(model.name).where(model.id == value)).scalar()
    return name or scope


def quarantined_names(session: Session) -> tuple[str, ...]:
    """The names of the organizations (and 党组织) kept read-only."""
    return tuple(scope_name(session, scope) for scope in session.execute(
        select(SyncScope.scope).where(SyncScope.state == QUARANTINED).order_by(SyncScope.scope)).scalars())


def backfills(session: Session) -> list[tuple[str, str]]:
    """(scope, cursor) of every scope still being back-filled."""
    return [(str(row[0]), str(row[1] or "")) for row in session.execute(
        select(SyncScope.scope, SyncScope.backfill_cursor).where(
            SyncScope.backfill_cursor.is_not(None), SyncScope.state == GRANTED))]


def wire_scope_of(key: str, value: str) -> str:
    return wire.scope_for(key, value)
