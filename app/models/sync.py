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
