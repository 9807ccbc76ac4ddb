"""Declarative base, naming conventions and the sync columns every synced table carries."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from uuid6 import uuid7

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


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


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
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
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
