"""Helpers of the push / pull / blob tests: ops as a client builds them, assignments, paging through pulls.

The fixtures they use (``server_app``, ``client``, ``add_user``, ``sign_in``) are tests/server/conftest.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from uuid6 import uuid7

from app import wire
from server.assignments import assign
from server.store import next_version
from server.users import get_user
from tests.sync.wire_district import complete

__all__ = ["complete"]  # new records as a client sends them: every field, required ones valid

PROTOCOL = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)}


def new_id() -> str:
    return str(uuid7())


def bearer(pair: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {pair['access_token']}", **PROTOCOL}


def assign_org(server_app: FastAPI, username: str, org_id: str) -> None:
    """What ``admin assign`` does: the OrgAssignment and the ``assignment`` record."""
    with server_app.state.sessionmaker() as session:
        version = next_version(session)
        assign(session, get_user(session, username), org_id, version)
        session.commit()


def shared_district(server_app: FastAPI, add_user: Callable[..., Any], sign_in: Callable[..., dict[str, Any]],
                    org_a: str, org_b: str) -> dict[str, dict[str, Any]]:
    """alice and bob share organization ``org_a``, carol has ``org_b``, sup supervises; each signed in on a
    device of their own.  Returns their token pairs by name."""
    for name in ("alice", "bob", "carol"):
        add_user(name)
    add_user("sup", "supervisor")
    for name, org in (("alice", org_a), ("bob", org_a), ("carol", org_b)):
        assign_org(server_app, name, org)
    return {name: sign_in(name, f"{name}-laptop") for name in ("alice", "bob", "carol", "sup")}


def op(entity: str, record_id: str, fields: dict[str, Any], *, base: int = 0, kind: str = wire.OP_UPSERT,
       scope: str = "", op_id: str | None = None) -> dict[str, Any]:
    if "id" in fields and fields["id"] is None:  # a new record made by complete(): its id is the op's
        fields = {**fields, "id": record_id}
    key = wire.ENTITY_SCOPE.get(entity)
    if not scope and key is not None and key in fields:
        scope = wire.scope_for(key, fields[key])
    return {"op_id": op_id or new_id(), "entity": entity, "id": record_id, "op": kind, "scope": scope,
            "base_version": base, "fields": fields}


def org_fields(org_id: str, **values: Any) -> dict[str, Any]:
    """A new 社会组织 as a client sends it (its own id is its scope key)."""
    fields = complete("social_org")
    fields.update(id=org_id, org_id=org_id, name="爱心协会", org_type="SOCIAL_GROUP", address="长乐路1号",
                  contact_phone="13800000000", updated_at="2026-03-31T12:00:00+00:00", updated_by="测试")
    fields.update(values)
    return fields


def push(client: TestClient, pair: dict[str, Any], *ops: dict[str, Any]) -> list[dict[str, Any]]:
    answer = client.post(f"{wire.PREFIX}/push", headers=bearer(pair), json={"device_id": "d", "ops": list(ops)})
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def push_one(client: TestClient, pair: dict[str, Any], one: dict[str, Any]) -> dict[str, Any]:
    return push(client, pair, one)[0]


def pull(client: TestClient, pair: dict[str, Any], cursor: str = "", **params: Any) -> Any:
    return client.get(f"{wire.PREFIX}/pull", headers=bearer(pair), params={"cursor": cursor, **params})


def pull_all(client: TestClient, pair: dict[str, Any], cursor: str = "", **params: Any) -> tuple[list[Any], str]:
    """Every change after ``cursor`` (page by page) and the cursor after them."""
    changes: list[Any] = []
    while True:
        answer = pull(client, pair, cursor, **params)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return changes, cursor


def live(changes: list[Any], entity: str) -> dict[str, Any]:
    """The latest change of each record of ``entity`` in a pull, by id."""
    return {change["id"]: change for change in changes if change["entity"] == entity}
