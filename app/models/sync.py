"""Local sync bookkeeping: the outbox of unsent operations and key/value sync state.  Not synced."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import OutboxOp, OutboxState
from app.models.base import INSTANT_DEFAULT, Base, Instant, enum_type, new_id


class OutboxEntry(Base):
    """One user change waiting to be pushed.  ``seq`` is the local order; ``fields`` holds only the
    changed fields (JSON-ready values); ``base_version`` is the server version the change was made on.

    ``scope_key`` names the column the server authorizes the record by (``org_id`` or ``party_org_id``,
    the model's ``SyncColumns.scope_key``) and ``scope_id`` is its value.  Written only by
    :mod:`app.services.core.outbox` (the flush capture and ``bulk_load``)."""

    __tablename__ = "outbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[str] = mapped_column(String(36), unique=True, default=new_id)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    scope_key: Mapped[str] = mapped_column(String(20))
    scope_id: Mapped[str] = mapped_column(String(36))
    op: Mapped[OutboxOp] = mapped_column(enum_type(OutboxOp))
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    fields: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    state: Mapped[OutboxState] = mapped_column(enum_type(OutboxState), default=OutboxState.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(Instant, default=INSTANT_DEFAULT)
    # A pending op the server could not take yet (its attachment's bytes were missing): not sent again
    # before this instant (the sync run that met it has started before it).
    next_attempt_at: Mapped[datetime | None] = mapped_column(Instant, default=None)


class SyncState(Base):
    """Key/value: pull cursor, server instance id, last successful sync."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class AuditLog(Base):
    """Who did what, locally.  Append-only; kept for the user's own record, not synced."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(Instant, default=INSTANT_DEFAULT)
    actor: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    summary: Mapped[str] = mapped_column(Text, default="")


class SyncConflict(Base):
    """A conflict the server recorded (pulled as entity ``sync_conflict``): one field of one record where two
    pushes met with different values.  ``yours`` / ``other`` / ``kept`` are the JSON values (the op's, the
    concurrent one, the live one after the push).  Local-only: resolving it writes the chosen value to the
    record through the outbox and marks the row resolved here."""

    __tablename__ = "sync_conflict"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scope: Mapped[str] = mapped_column(String(50), default="", index=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    yours: Mapped[object] = mapped_column(JSON, nullable=True)
    other: Mapped[object] = mapped_column(JSON, nullable=True)
    kept: Mapped[object] = mapped_column(JSON, nullable=True)
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=0)
    user: Mapped[str] = mapped_column(String(64), default="")  # who pushed ``yours``
    other_user: Mapped[str] = mapped_column(String(64), default="", server_default="")  # who wrote ``other``
    op_id: Mapped[str] = mapped_column(String(36), default="", server_default="")  # the op that met ``other``
    at: Mapped[datetime | None] = mapped_column(Instant, default=None)  # when this client received it
    resolved_at: Mapped[datetime | None] = mapped_column(Instant, default=None)
    resolved_by: Mapped[str] = mapped_column(String(64), default="")


class SyncScope(Base):
    """A scope (``org:<id>``, ``party:<id>``, ``district``) the server grants this account, as last seen.

    ``state``: ``granted``, or ``quarantined`` (lost while unsent edits remained: read-only until exported
    and discarded).  ``backfill_cursor``: None once the scope's history is here; else the position of its
    back-fill pull (``""``: not started) — a newly granted scope's older rows lie below the main cursor."""

    __tablename__ = "sync_scope"

    scope: Mapped[str] = mapped_column(String(50), primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default="granted")
    backfill_cursor: Mapped[str | None] = mapped_column(Text, default=None)


class SyncPurge(Base):
    """Marker rows that exist only inside the transaction purging a lost scope's rows: the append-only
    triggers of ``rectification_follow_up`` let a DELETE through for an organization named here."""

    __tablename__ = "sync_purge"

    scope_id: Mapped[str] = mapped_column(String(36), primary_key=True)
