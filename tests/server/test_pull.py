"""GET /pull: paging in version order, scopes (never a row out of scope), back-fill, cursor resets, the plan."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from app import wire
from server.pull import count_query, encode_cursor, page_query
from tests.server.sync_helpers import assign_org, complete, new_id, op, org_fields, pull, pull_all, push, push_one

ORG_A, ORG_B, ORG_C = new_id(), new_id(), new_id()


@pytest.fixture
def district(server_app: FastAPI, add_user: Callable[..., Any],
             sign_in: Callable[..., dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """alice has A, carol has B; sup supervises.  Each org has its record and three visits."""
    add_user("alice")
    add_user("carol")
    add_user("sup", "supervisor")
    assign_org(server_app, "alice", ORG_A)
    assign_org(server_app, "carol", ORG_B)
    pairs = {name: sign_in(name, f"{name}-pc") for name in ("alice", "carol", "sup")}
    for who, org in (("alice", ORG_A), ("carol", ORG_B)):
        visits = [op("visit", v, complete("visit", org_id=org, summary="走访")) for v in (new_id() for _ in range(3))]
        results = push(TestClient(server_app), pairs[who], op("social_org", org, org_fields(org)), *visits)
        assert {r["status"] for r in results} == {wire.APPLIED}
    return pairs


def _scopes(changes: list[dict[str, Any]]) -> set[str]:
    return {change["scope"] for change in changes}


def test_pages_come_in_version_order_with_has_more_until_the_last(client: TestClient,
                                                                  district: dict[str, Any]) -> None:
    """A page holds whole versions: the four rows alice's push wrote at one version come in one page,
    though the limit is 2 (a page cut inside a version would lose the rest: the cursor is a version)."""
    cursor, seen, pages = "", [], 0
    while True:
        answer = pull(client, district["alice"], cursor, limit=2)
        assert answer.status_code == 200
        page = answer.json()
        pages += 1
        seen += page["changes"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
        versions = {change["version"] for change in page["changes"]}
        assert len(page["changes"]) <= 2 or len(versions) == 1
    versions = [change["version"] for change in seen]
    assert versions == sorted(versions) and pages == 4
    assert sorted(change["entity"] for change in seen) == [
        "assignment", "instructor", "instructor", "social_org", "visit", "visit", "visit"]
    again = pull(client, district["alice"], cursor).json()
    assert again["changes"] == [] and not again["has_more"] and again["next_cursor"] == cursor


def test_count_says_how_many_changes_remain_counting_the_page(client: TestClient,
                                                                district: dict[str, Any]) -> None:
    """Asked for on a page (``count=true``), ``remaining`` is that page's changes and all after it: what a
    progress bar needs for its total.  Not asked for, not sent."""
    everything, _ = pull_all(client, district["alice"])
    first = pull(client, district["alice"], "", limit=2, count="true").json()
    assert first["remaining"] == len(everything) == 7
    later = pull(client, district["alice"], first["next_cursor"], limit=2, count="true").json()
    assert later["remaining"] == len(everything) - len(first["changes"])
    assert "remaining" not in pull(client, district["alice"], "", limit=2).json()
    sup = pull(client, district["sup"], "", count="true").json()
    assert sup["remaining"] == len(sup["changes"]) > len(everything)  # the supervisor's whole district


def test_an_instructor_never_pulls_a_row_out_of_scope(client: TestClient, district: dict[str, Any]) -> None:
    changes, _ = pull_all(client, district["alice"])
    assert _scopes(changes) <= {wire.org_scope(ORG_A), wire.DISTRICT_SCOPE}
    assert {c["data"]["org_id"] for c in changes if c["entity"] == "visit"} == {ORG_A}
    carol, _ = pull_all(client, district["carol"])
    assert _scopes(carol) <= {wire.org_scope(ORG_B), wire.DISTRICT_SCOPE}
    everything, _ = pull_all(client, district["sup"])
    assert {wire.org_scope(ORG_A), wire.org_scope(ORG_B)} <= _scopes(everything)


def test_a_delta_pull_returns_only_what_changed_since(client: TestClient, district: dict[str, Any]) -> None:
    _, cursor = pull_all(client, district["alice"])
    push(client, district["carol"], op("visit", new_id(), complete("visit", org_id=ORG_B, summary="别人的")))
    assert pull_all(client, district["alice"], cursor)[0] == []
    visit = new_id()
    push(client, district["alice"], op("visit", visit, complete("visit", org_id=ORG_A, summary="新")))
    changes, _ = pull_all(client, district["alice"], cursor)
    assert [(c["entity"], c["id"]) for c in changes] == [("visit", visit)]


def test_tombstones_are_pulled_with_their_last_state(client: TestClient, district: dict[str, Any]) -> None:
    _, cursor = pull_all(client, district["alice"])
    visit = new_id()
    created = push_one(client, district["alice"], op("visit", visit, complete("visit", org_id=ORG_A, summary="删")))
    push_one(client, district["alice"], op("visit", visit, {"deleted_at": "2026-04-01T00:00:00+00:00"},
                                           base=created["version"], kind="delete"))
    changes, _ = pull_all(client, district["alice"], cursor)
    assert len(changes) == 1 and changes[0]["deleted"] and changes[0]["data"]["summary"] == "删"


def test_a_newly_assigned_scope_is_back_filled_from_zero(client: TestClient, server_app: FastAPI,
                                                         district: dict[str, Any]) -> None:
    _, cursor = pull_all(client, district["alice"])
    assert pull(client, district["alice"], "", scope=wire.org_scope(ORG_B)).status_code == 403
    assign_org(server_app, "alice", ORG_B)
    delta, _ = pull_all(client, district["alice"], cursor)
    assert [c["entity"] for c in delta] == ["assignment"]  # the main cursor is past B's older rows
    backfill, _ = pull_all(client, district["alice"], "", scope=wire.org_scope(ORG_B))
    assert _scopes(backfill) == {wire.org_scope(ORG_B)}
    assert sorted(c["entity"] for c in backfill) == ["assignment", "assignment", "social_org", "visit", "visit",
                                                     "visit"]


def test_a_party_organization_covering_an_assigned_org_is_granted(client: TestClient,
                                                                  district: dict[str, Any]) -> None:
    party, coverage = new_id(), new_id()
    push(client, district["sup"],
         op("party_org", party, complete("party_org", party_org_id=party, name="联合支部")),
         op("party_org_coverage", coverage, complete("party_org_coverage", party_org_id=party, org_id=ORG_A)))
    changes, _ = pull_all(client, district["alice"], "", scope=wire.party_scope(party))
    assert {c["entity"] for c in changes} == {"party_org", "party_org_coverage"}
    assert pull(client, district["carol"], "", scope=wire.party_scope(party)).status_code == 403


def _cursor(instance: str, version: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"i": instance, "v": version}).encode()).decode()


@pytest.mark.parametrize("make", [
    lambda instance, top: _cursor("another-server", 1),
    lambda instance, top: _cursor(instance, top + 5),
    lambda instance, top: "not a cursor!",
])
def test_a_cursor_this_server_cannot_continue_answers_409_reset(
        client: TestClient, server_app: FastAPI, district: dict[str, Any], make: Callable[[str, int], str]) -> None:
    with server_app.state.sessionmaker() as session:
        instance = session.execute(text("SELECT value FROM server_meta WHERE key = 'instance_id'")).scalar_one()
        top = session.execute(text("SELECT value FROM sync_counter")).scalar_one()
    answer = pull(client, district["alice"], make(instance, top))
    assert answer.status_code == 409 and answer.json()["code"] == "reset" and "重新同步" in answer.json()["detail"]
    assert pull(client, district["alice"], encode_cursor(instance, top)).status_code == 200


def test_limit_is_capped_at_the_maximum_page(client: TestClient, district: dict[str, Any]) -> None:
    answer = pull(client, district["sup"], "", limit=wire.MAX_PAGE * 10)
    assert answer.status_code == 200
    assert pull(client, district["sup"], "", limit=0).status_code == 422


def test_pull_without_a_token_is_refused(client: TestClient) -> None:
    assert client.get(f"{wire.PREFIX}/pull").status_code == 401


@pytest.mark.parametrize(("scopes", "audience", "index"), [
    (frozenset({"org:a", "org:b", wire.DISTRICT_SCOPE}), "u1", "ix_records_scope_version"),
    (frozenset({"org:a"}), None, "ix_records_scope_version"),
    (None, None, "ix_records_version"),
])
def test_the_page_query_searches_an_index_never_scans_the_table(
        sqlite_engine: Engine, scopes: frozenset[str] | None, audience: str | None, index: str) -> None:
    for query in (page_query(10, 20, scopes=scopes, audience=audience, limit=500),
                  count_query(10, 20, scopes=scopes, audience=audience)):  # the progress total's count too
        sql = str(query.compile(dialect=sqlite_engine.dialect, compile_kwargs={"literal_binds": True}))
        with sqlite_engine.connect() as conn:
            plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
        assert any(index in step and step.startswith("SEARCH records USING") for step in plan), plan
        assert not any(step.startswith("SCAN records") for step in plan), plan
