"""Declarative base, naming conventions and the sync columns every synced table carries."""

from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import Date, DateTime, Dialect, Integer, MetaData, String
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator
from uuid6 import uuid7

from app.services.core import clock

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_id() -> str:
    """A UUIDv7 made on the client: time-ordered, so inserts stay local in the B-tree."""
    return str(uuid7())


class Instant(TypeDecorator[datetime]):
    """A point in time (DESIGN §3): an aware UTC ``datetime`` in Python, stored as naive UTC text exactly
    as a plain ``DateTime`` stores it ("2026-03-31 12:00:00.000000"), so no data migration was needed.
    A naive value is refused: it is a local time or a guess, never an instant."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, datetime) and value.tzinfo is UTC:  # the common case, kept cheap
            return _with_tz(value, None)
        if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"时间点字段需要带时区的 datetime（用 clock.now()），收到 {value!r}")
        return _with_tz(value.astimezone(UTC), None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else _with_tz(value, UTC)


def _with_tz(v: datetime, tz: tzinfo | None) -> datetime:
    # The constructor, not ``v.replace(tzinfo=…)``: on CPython 3.11 replace() with a keyword costs ~6 µs,
    # the constructor ~2 µs, and this runs for every instant of every row loaded or bulk-written.
    return datetime(v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, tz)


class CivilDate(TypeDecorator[date]):
    """A calendar day in the district (founding date, deadline, visit day).  A ``datetime`` is refused:
    it would lose its time silently."""

    impl = Date
    cache_ok = True

    def process_bind_param(self, value: date | None, dialect: Dialect) -> date | None:
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise ValueError(f"日期字段需要 date（不含时刻），收到 {value!r}")
        return value


class CivilDateTime(TypeDecorator[datetime]):
    """A wall-clock time in the district (when a meeting started): a *naive* ``datetime`` meaning local
    time in ``clock.district_zone()``.  An aware value is refused: convert with ``clock.to_civil``."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is not None:
            raise ValueError(f"本地时间字段需要不带时区的 datetime（用 clock.to_civil 转换），收到 {value!r}")
        return value


TIME_COLUMN_TYPES = (Instant, CivilDate, CivilDateTime)


# Column default of instants: the one clock (app.services.core.clock, injectable in tests).
INSTANT_DEFAULT = clock.now


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncColumns:
    """Columns of every synced table (DESIGN §3), except its scope key: see :class:`OrgScoped` and
    :class:`PartyScoped`.

    ``server_version`` is 0 until the server has accepted the row; ``deleted_at`` is a tombstone.

    Synced tables carry no foreign keys to each other: a sync pull delivers rows in server-version
    order, so a child may arrive before its (later edited) parent.  References are indexed plain
    columns, and the services check that what they point to exists.
    """

    # The column holding the scope key the server authorizes this row by (DESIGN §3): ``org_id`` for an
    # organization's own records, ``party_org_id`` for the party aggregate.
    scope_key: ClassVar[str]

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    server_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    deleted_at: Mapped[datetime | None] = mapped_column(Instant, default=None)
    updated_at: Mapped[datetime] = mapped_column(Instant, default=INSTANT_DEFAULT)
    updated_by: Mapped[str] = mapped_column(String(64), default="", server_default="")


class OrgScoped(SyncColumns):
    """A 社会组织's own record (ledger facts, assignments, visits, rectifications, notices): scoped by
    ``org_id``, the organization it belongs to."""

    scope_key: ClassVar[str] = "org_id"

    org_id: Mapped[str] = mapped_column(String(36), index=True)


class PartyScoped(SyncColumns):
    """A row of the party aggregate (party organization, coverage, members, meetings and what hangs
    off them): scoped by ``party_org_id``, so a 联合支部 is shared by the instructors of every
    organization it covers."""

    scope_key: ClassVar[str] = "party_org_id"

    party_org_id: Mapped[str] = mapped_column(String(36), index=True)


def scope_of(row: SyncColumns) -> str:
    """The value of ``row``'s scope key."""
    return str(getattr(row, type(row).scope_key))


def enum_type(enum_cls: type[StrEnum]) -> SAEnum:
    """Store an enum by its value as VARCHAR (no native enum, portable to PostgreSQL and SQLite)."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
