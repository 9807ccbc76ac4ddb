"""Builders for the sync tests: wire rows of any entity, pulled changes, a signed-in profile."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Integer
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Session, sessionmaker

from app import wire
from app.models.base import CivilDate, CivilDateTime, Instant, new_id
from app.services.core.outbox import wire_value
from app.services.sync import state
from app.services.sync.codec import entity_table, wire_keys

SERVER = "http://sync.test"
AT = datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def sample_value(entity: str, name: str, record_id: str, scope_value: str) -> Any:
    """A representative Python value for one column (by its type)."""
    if name == "id":
        return record_id
    if name in ("org_id", "party_org_id"):
        return scope_value
    column = entity_table(entity).c[name]
    kind = column.type
    if name == "deleted_at":
        return None
    if isinstance(kind, Instant):
        return AT
    if isinstance(kind, CivilDateTime):
        return datetime(2026, 3, 2, 9, 30)
    if isinstance(kind, CivilDate):
        return date(2026, 3, 2)
    if isinstance(kind, SAEnum):
        assert kind.enum_class is not None
        return next(iter(kind.enum_class))
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Integer):
        return 3
    if name == "sha256":
        return "ab" * 32
    return f"{name}值"


def sample_row(entity: str, record_id: str | None = None, scope_value: str | None = None) -> dict[str, Any]:
    record_id = record_id or new_id()
    scope_value = scope_value or (record_id if entity == "social_org" else new_id())
    return {name: sample_value(entity, name, record_id, scope_value) for name in wire_keys(entity)}


def wire_data(entity: str, row: dict[str, Any]) -> dict[str, Any]:
    return {key: wire_value(value) for key, value in row.items()}


def change(entity: str, row: dict[str, Any], version: int, *, deleted: bool = False) -> dict[str, Any]:
    """A pulled change (wire.Change) carrying ``row``."""
    key = wire.ENTITY_SCOPE.get(entity)
    scope = wire.scope_for(key, row[key]) if key else wire.DISTRICT_SCOPE
    return {"entity": entity, "id": row["id"], "scope": scope, "version": version, "deleted": deleted,
            "data": wire_data(entity, row)}


def org_row(name: str, org_id: str | None = None, **fields: Any) -> dict[str, Any]:
    from app.domain.enums import OrgType

    row = sample_row("social_org", org_id)
    row.update(name=name, short_name="", uscc="", uscc_override_reason="", org_type=OrgType.SOCIAL_GROUP,
               evaluation_grade=None, evaluation_date=None, archived_at=None, community_category="")
    row.update(fields)
    return row


def sign_in_locally(factory: sessionmaker[Session], *, username: str = "alice", keyring_ok: bool = True) -> None:
    """The sync_state a sign-in writes (no server involved)."""
    with factory.begin() as session:
        state.write(session, {state.SERVER_URL: SERVER, state.USERNAME: username, state.USER_ID: new_id(),
                              state.ROLE: "instructor", state.DISPLAY_NAME: "爱丽丝", state.DEVICE_ID: new_id(),
                              state.CA_FILE: "", state.KEYRING_OK: "1" if keyring_ok else "0"})
