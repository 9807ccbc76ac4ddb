"""POST /integrity: present (with versions), gone, forbidden — by the stored row's scope."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from app import wire
from tests.server.sync_helpers import assign_org, bearer, complete, new_id, op, push_one


def test_integrity_says_which_records_the_server_holds_for_the_caller(
        client: TestClient, server_app: FastAPI, add_user: Callable[..., Any],
        sign_in: Callable[..., dict[str, Any]]) -> None:
    org_a, org_b = new_id(), new_id()
    add_user("alice")
    add_user("carol")
    assign_org(server_app, "alice", org_a)
    assign_org(server_app, "carol", org_b)
    alice, carol = sign_in("alice", "a"), sign_in("carol", "c")
    mine, deleted, theirs, never = new_id(), new_id(), new_id(), new_id()
    kept = push_one(client, alice, op("visit", mine, complete("visit", org_id=org_a)))
    gone = push_one(client, alice, op("visit", deleted, complete("visit", org_id=org_a)))
    push_one(client, alice, op("visit", deleted, {"deleted_at": "2026-04-01T00:00:00+00:00"}, base=gone["version"],
                               kind="delete"))
    push_one(client, carol, op("visit", theirs, complete("visit", org_id=org_b)))
    answer = client.post(f"{wire.PREFIX}/integrity", headers=bearer(alice),
                         json={"entity": "visit", "ids": [mine, deleted, theirs, never, mine]})
    assert answer.status_code == 200
    body = answer.json()
    assert body["present"] == [mine, deleted] and body["gone"] == [never] and body["forbidden"] == [theirs]
    assert body["versions"][mine] == kept["version"] and body["versions"][deleted] > gone["version"]
    assert client.post(f"{wire.PREFIX}/integrity", json={"entity": "visit", "ids": []}).status_code == 401


def test_a_nul_in_an_input_is_refused_with_422_on_every_database(
        client: TestClient, add_user: Callable[..., Any], sign_in: Callable[..., dict[str, Any]]) -> None:
    """PostgreSQL text cannot hold NUL (a DataError, once a 500): refused before any query."""
    add_user("alice")
    headers = bearer(sign_in("alice", "a"))
    for body in ({"entity": "visit", "ids": ["\x00"]}, {"entity": "vi\x00sit", "ids": [new_id()]}):
        assert client.post(f"{wire.PREFIX}/integrity", headers=headers, json=body).status_code == 422
    assert client.get(f"{wire.PREFIX}/pull", headers=headers, params={"scope": "org:\x00"}).status_code == 422
    assert client.head(f"{wire.PREFIX}/uploads/a%00b", headers=headers).status_code == 422
