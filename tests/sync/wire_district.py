"""A small district for the end-to-end property tests: accounts and assignments written straight into a
server home (what ``admin create-user`` / ``admin assign`` write), and HTTP helpers speaking the wire
protocol to the real server process.

Accounts are made in-process before (or while) the server runs: the admin CLI in a subprocess costs a
Python start-up and a migration check per command; its own tests live in tests/server.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Boolean, Integer
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import Session, sessionmaker
from uuid6 import uuid7

from app import wire
from app.models import SYNCED_ENTITIES, Instructor
from app.models.base import CivilDate, CivilDateTime, Instant
from server.assignments import assign
from server.config import Settings
from server.db import claim_write, make_engine, make_sessionmaker, upgrade
from server.store import next_version
from server.users import create_user, get_user

PASSWORD = "correct horse 1"
PROTOCOL = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)}


def new_id() -> str:
    return str(uuid7())


def home_settings(home: Path) -> Settings:
    return Settings(home=home, database_url=f"sqlite:///{home / 'server.db'}")


def open_home(home: Path) -> sessionmaker[Session]:
    """A session factory on the (migrated) database of a server home."""
    settings = home_settings(home)
    engine = make_engine(settings)
    upgrade(settings, engine)
    return make_sessionmaker(engine)


def add_user(factory: sessionmaker[Session], username: str, role: str = "instructor") -> str:
    with factory() as session:
        user = create_user(session, username, role=role, password=PASSWORD)
        session.commit()
        return user.id


def assign_org(factory: sessionmaker[Session], username: str, org_id: str) -> None:
    with claim_write(factory()) as session:
        version = next_version(session)
        assign(session, get_user(session, username), org_id, version)
        session.commit()


def login(http: httpx.Client, username: str, device_id: str) -> str:
    """The access token of ``username`` signed in on ``device_id``."""
    answer = http.post(f"{wire.PREFIX}/auth/login", headers=PROTOCOL, json={
        "username": username, "password": PASSWORD, "device_id": device_id, "device_name": "测试笔记本"})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **PROTOCOL}


_PLACEHOLDERS: dict[type, Any] = {Instant: "2026-03-31T12:00:00+00:00", CivilDate: "2026-03-31",
                                  CivilDateTime: "2026-03-31T09:00:00", Boolean: False, Integer: 0}


def required_values(entity: str) -> dict[str, Any]:
    """A value a client column can hold for every NOT NULL field of ``entity`` (wire.ENTITY_REQUIRED): the
    first code of an enum, a date or instant, False, 0 or "" by the column's type."""
    model: Any = Instructor if entity == "instructor" else SYNCED_ENTITIES[entity]
    columns = model.__table__.columns
    values: dict[str, Any] = {}
    for name in wire.ENTITY_REQUIRED[entity]:
        if name == "id":  # the op's (wire_district.op / sync_helpers.op fill it)
            continue
        kind = columns[name].type
        if isinstance(kind, SAEnum):
            values[name] = kind.enums[0]
        else:
            values[name] = next((v for t, v in _PLACEHOLDERS.items() if isinstance(kind, t)), "")
    return values


def complete(entity: str, **values: Any) -> dict[str, Any]:
    """Every wire field of ``entity``: a new record as a client sends it (None unless given or required)."""
    fields: dict[str, Any] = dict.fromkeys(wire.ENTITY_FIELDS[entity])
    fields.update(required_values(entity))
    fields.update(updated_at="2026-03-31T12:00:00+00:00", updated_by="测试")
    fields.update(values)
    return fields


def op(entity: str, record_id: str, fields: dict[str, Any], *, base: int = 0, kind: str = wire.OP_UPSERT,
       scope: str = "") -> dict[str, Any]:
    if "id" in fields and fields["id"] is None:  # a new record made by complete(): its id is the op's
        fields = {**fields, "id": record_id}
    key = wire.ENTITY_SCOPE.get(entity)
    if not scope and key is not None and key in fields:
        scope = wire.scope_for(key, fields[key])
    return {"op_id": new_id(), "entity": entity, "id": record_id, "op": kind, "scope": scope,
            "base_version": base, "fields": fields}


def push(http: httpx.Client, token: str, *ops: dict[str, Any]) -> list[dict[str, Any]]:
    answer = http.post(f"{wire.PREFIX}/push", headers=bearer(token), json={"device_id": "d", "ops": list(ops)})
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def upload(http: httpx.Client, token: str, content: bytes, *, mime: str = "image/png") -> str:
    """Store ``content`` as a blob (one chunk); its sha256."""
    sha = hashlib.sha256(content).hexdigest()
    started = http.post(f"{wire.PREFIX}/uploads", headers=bearer(token),
                        json={"sha256": sha, "size": len(content), "mime": mime})
    assert started.status_code == 200, started.text
    state = started.json()
    if not state["complete"]:
        done = http.patch(f"{wire.PREFIX}/uploads/{state['upload_id']}", content=content,
                          headers={**bearer(token), wire.OFFSET_HEADER: "0"})
        assert done.status_code == 200 and done.json()["complete"], done.text
    return sha


def pull_all(http: httpx.Client, token: str, **params: Any) -> list[dict[str, Any]]:
    """Every change readable by the token's caller (page by page)."""
    changes: list[dict[str, Any]] = []
    cursor = ""
    while True:
        answer = http.get(f"{wire.PREFIX}/pull", headers=bearer(token), params={"cursor": cursor, **params})
        assert answer.status_code == 200, answer.text
        page = answer.json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return changes


@dataclass(frozen=True)
class Tokens:
    """Access tokens of the district's accounts, by role in the tests."""

    a: str
    b: str
    supervisor: str
    admin: str
