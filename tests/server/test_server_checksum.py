"""POST /checksum: per scope and entity the count, version sum and highest version (tombstones counted,
conflicts not); only the caller's organization / party scopes; a supervisor's any."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from app import wire
from server.api.checksum import sums_query
from tests.server.sync_helpers import (
    bearer,
    complete,
    new_id,
    op,
    org_fields,
    push,
    push_one,
    shared_district,
)

ORG_A, ORG_B = new_id(), new_id()
A, B = wire.org_scope(ORG_A), wire.org_scope(ORG_B)


@pytest.fixture
def district(server_app: FastAPI, add_user: Callable[..., Any],
             sign_in: Callable[..., dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """alice and bob have A, carol has B, sup supervises."""
    return shared_district(server_app, add_user, sign_in, ORG_A, ORG_B)


def _sums(client: TestClient, pair: dict[str, Any], *scopes: str) -> Any:
    answer = client.post(f"{wire.PREFIX}/checksum", headers=bearer(pair), json={"scopes": list(scopes)})
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_sums_count_versions_and_tombstones_but_not_conflicts(client: TestClient, district: dict[str, Any]) -> None:
    first = push_one(client, district["alice"], op("social_org", ORG_A, org_fields(ORG_A)))
    visits = [new_id(), new_id()]
    results = push(client, district["alice"],
                   *(op("visit", v, complete("visit", org_id=ORG_A, summary="走访")) for v in visits))
    gone = push_one(client, district["alice"], op("visit", visits[0], {}, kind=wire.OP_DELETE,
                                                 base=results[0]["version"], scope=A))
    base = int(first["version"])
    push_one(client, district["alice"], op("social_org", ORG_A, {"contact_phone": "111"}, base=base))
    clash = push_one(client, district["bob"], op("social_org", ORG_A, {"contact_phone": "222"}, base=base))
    assert clash["status"] == wire.CONFLICT  # a sync_conflict record now lies in A: not compared
    answer = _sums(client, district["alice"], A)
    assert answer["forbidden"] == []
    sums = answer["sums"][A]
    versions = [results[1]["version"], gone["version"]]
    assert sums["visit"] == [2, sum(versions), max(versions)]  # the tombstone at its own version
    assert sums["social_org"] == [1, clash["version"], clash["version"]]
    assert wire.CONFLICT_ENTITY not in sums


def test_only_the_callers_scopes_are_summed(client: TestClient, district: dict[str, Any]) -> None:
    push_one(client, district["alice"], op("social_org", ORG_A, org_fields(ORG_A)))
    push_one(client, district["carol"], op("social_org", ORG_B, org_fields(ORG_B)))
    answer = _sums(client, district["alice"], A, B, wire.DISTRICT_SCOPE)
    assert set(answer["sums"]) == {A} and answer["forbidden"] == [B, wire.DISTRICT_SCOPE]
    empty = wire.party_scope(new_id())
    everything = _sums(client, district["sup"], A, B, empty)
    assert set(everything["sums"]) == {A, B, empty} and everything["sums"][empty] == {}


def test_too_many_scopes_or_none_readable_is_refused_plainly(client: TestClient, district: dict[str, Any]) -> None:
    answer = client.post(f"{wire.PREFIX}/checksum", headers=bearer(district["sup"]),
                         json={"scopes": [wire.org_scope(new_id()) for _ in range(wire.MAX_CHECKSUM_SCOPES + 1)]})
    assert answer.status_code == 422
    assert client.post(f"{wire.PREFIX}/checksum", json={"scopes": [A]}).status_code == 401


def test_the_sums_search_the_scope_index_never_scan_the_table(sqlite_engine: Engine) -> None:
    sql = str(sums_query([A, B]).compile(dialect=sqlite_engine.dialect, compile_kwargs={"literal_binds": True}))
    with sqlite_engine.connect() as conn:
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    assert any(step.startswith("SEARCH records USING INDEX ix_records_scope_version") for step in plan), plan
    assert not any(step.startswith("SCAN records") for step in plan), plan
