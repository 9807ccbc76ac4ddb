"""The district server's tables (SQLAlchemy 2.x; SQLite embedded, PostgreSQL in deployment).

Records are stored generically: one row per (entity, id) holding the client's fields as JSON, its scope id
(``org:<uuid>`` / ``party:<uuid>`` / ``district``, app.wire) and the district version that last wrote it.
``record_versions`` keeps every version for the field-level three-way merge; ``processed_ops`` makes a
retried op return its first result; ``sync_counter`` is the one ordering authority (bumped and locked first
in every push transaction, so versions become visible in commit order).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from server import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC instant on both dialects (SQLite keeps naive text; PostgreSQL timestamptz)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("an instant must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ServerMeta(Base):
    """Key/value: ``instance_id`` (new for every fresh database: a restored backup keeps its own),
    ``token_secret`` (signs access tokens; shared by every server process on the database)."""

    __tablename__ = "server_meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SyncCounter(Base):
    """The district's version counter: one row (id 1)."""

    __tablename__ = "sync_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(20))  # app.wire.ROLES
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class Device(Base):
    """A client installation of a user (the client's device id).  Revoked: every token of it refused."""

    __tablename__ = "devices"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RefreshToken(Base):
    """A refresh token by its SHA-256 (the token itself is never stored).  Rotated on use: ``used_at`` set
    and a new one issued; presenting a used one again revokes the device."""

    __tablename__ = "refresh_tokens"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("devices.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class OrgAssignment(Base):
    """An organization (its id, the client's ``social_org.id``) assigned to an instructor."""

    __tablename__ = "org_assignments"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(36), primary_key=True, index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class ScopeCreator(Base):
    """Who first wrote a scope the server had never seen (an organization or 党组织 made offline): the
    creator keeps it until coverage or an assignment says otherwise."""

    __tablename__ = "scope_creators"

    scope: Mapped[str] = mapped_column(String(50), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)


class Record(Base):
    """The live state of one client record.  ``audience`` names a user who sees the row whatever the
    scopes (an assignment reaches its instructor even after the organization left them)."""

    __tablename__ = "records"
    __table_args__ = (
        Index("ix_records_scope_version", "scope", "version"),
        Index("ix_records_audience_version", "audience", "version"),
    )

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    scope: Mapped[str] = mapped_column(String(50))
    version: Mapped[int] = mapped_column(BigInteger, index=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_by_supervisor: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    audience: Mapped[str | None] = mapped_column(String(36), default=None)
    updated_by: Mapped[str] = mapped_column(String(36), default="")  # users.id of the last writer
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class PartyCoverage(Base):
    """Which organization each live ``party_org_coverage`` record places under which 党组织: a copy of two
    fields of the record's JSON, kept by server.store.write_record, so an instructor's party scopes are found
    through the index on ``org_id`` (their own organizations) instead of reading every coverage record of the
    district on each /meta, /pull and push.  A deleted or tombstoned coverage record has no row here."""

    __tablename__ = "party_coverage"

    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the coverage record's id
    party_org_id: Mapped[str] = mapped_column(Text, index=True)
    org_id: Mapped[str] = mapped_column(Text, index=True)


class RecordVersion(Base):
    """Every version of every record: the base of a field-level merge."""

    __tablename__ = "record_versions"

    entity: Mapped[str] = mapped_column(String(40), primary_key=True)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    op_id: Mapped[str | None] = mapped_column(String(36), default=None)
    user_id: Mapped[str] = mapped_column(String(36), default="")


class ProcessedOp(Base):
    """An op already applied: a retry returns ``result`` with status ``duplicate``.  Also the audit trail."""

    __tablename__ = "processed_ops"

    op_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Conflict(Base):
    """A field two pushes changed to different values: both kept.  Also served in pulls as the record of
    entity ``sync_conflict`` (app.wire.CONFLICT_ENTITY) in the record's scope."""

    __tablename__ = "conflicts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36), index=True)
    scope: Mapped[str] = mapped_column(String(50))
    field: Mapped[str] = mapped_column(String(60))
    yours: Mapped[Any] = mapped_column(JSON)  # the later op's value
    other: Mapped[Any] = mapped_column(JSON)  # the value it met
    kept: Mapped[Any] = mapped_column(JSON)  # the live value after the op
    base_version: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(BigInteger)  # the version the op wrote
    op_id: Mapped[str] = mapped_column(String(36))
    user_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class NoticeCounter(Base):
    """The last confirmed number of a notice series (机关代字) in a year."""

    __tablename__ = "notice_counters"

    series: Mapped[str] = mapped_column(String(30), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer, default=0)


class Blob(Base):
    """A stored attachment's content, by SHA-256 (one copy per hash, under the server home's blobs/)."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    stored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Upload(Base):
    """A resumable upload in progress (tus-style): bytes so far in uploads/<id>.part; idempotent per hash."""

    __tablename__ = "uploads"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mime: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    user_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
