"""An instructor's party scopes follow the ``party_coverage`` side table: a coverage record added, moved to
another organization or deleted changes them — written through write_record or pushed — and migration 0002
back-fills the table from the coverage records a district already holds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app import wire
from server import clock
from server.config import Settings
from server.db import make_engine, make_sessionmaker, upgrade
from server.deps import Caller
from server.models import PartyCoverage, Record
from server.scopes import covering_party_ids, granted_scopes
from server.store import next_version, write_record
from server.users import get_user
from tests.server.sync_helpers import assign_org, bearer, new_id, op, push_one
from tests.sync.wire_district import complete

COVERAGE = "party_org_coverage"
NOW = "2026-04-01T00:00:00+00:00"


def _coverage_data(coverage_id: str, org_id: str | None, party_id: str, **values: Any) -> dict[str, Any]:
    return complete(COVERAGE, id=coverage_id, org_id=org_id, party_org_id=party_id, **values)


def _write(session: Session, coverage_id: str, org_id: str, party_id: str, *, deleted: bool = False,
           **values: Any) -> None:
    write_record(session, entity=COVERAGE, record_id=coverage_id, scope=wire.party_scope(party_id),
                 data=_coverage_data(coverage_id, org_id, party_id, **values), version=next_version(session),
                 user_id="", deleted=deleted)
    session.commit()


def _parties(session: Session, username: str) -> set[str]:
    user = get_user(session, username)
    scopes = granted_scopes(session, Caller(user_id=user.id, username=username, role=user.role, device_id="d"))
    assert scopes is not None
    return {scope for scope in scopes if scope.startswith("party:")}


def _placed(session: Session) -> list[tuple[str, str, str]]:
    rows = session.execute(select(PartyCoverage.record_id, PartyCoverage.party_org_id, PartyCoverage.org_id)
                           .order_by(PartyCoverage.record_id))
    return [tuple(row) for row in rows]


def test_write_record_keeps_the_side_table_and_the_granted_party_scopes_in_step(
        server_app: FastAPI, add_user: Callable[..., Any]) -> None:
    add_user("zhang.san")
    assign_org(server_app, "zhang.san", "org-a")
    with server_app.state.sessionmaker() as session:
        assert _parties(session, "zhang.san") == set()
        _write(session, "cov-1", "org-a", "party-1")
        assert _placed(session) == [("cov-1", "party-1", "org-a")]
        assert _parties(session, "zhang.san") == {"party:party-1"}
        _write(session, "cov-1", "org-elsewhere", "party-1")  # moved to an organization not theirs
        assert _placed(session) == [("cov-1", "party-1", "org-elsewhere")]
        assert _parties(session, "zhang.san") == set()
        _write(session, "cov-1", "org-a", "party-1")  # and back
        assert _parties(session, "zhang.san") == {"party:party-1"}
        _write(session, "cov-1", "org-a", "party-1", deleted=True, deleted_at=NOW)
        assert _placed(session) == [] and _parties(session, "zhang.san") == set()
        _write(session, "cov-1", "org-a", "party-1")  # restored
        _write(session, "cov-2", "org-a", "party-2", deleted_at=NOW)  # tombstoned in its data only
        _write(session, "cov-3", "org-b", "party-3")
        assert _placed(session) == [("cov-1", "party-1", "org-a"), ("cov-3", "party-3", "org-b")]
        assert _parties(session, "zhang.san") == {"party:party-1"}
        assert covering_party_ids(session, ["org-a", "org-b"]) == {"party-1", "party-3"}
        assert covering_party_ids(session, []) == set()


def test_pushed_coverage_adds_moves_and_removes_an_instructors_party_scope(
        client: TestClient, server_app: FastAPI, add_user: Callable[..., Any],
        sign_in: Callable[..., dict[str, Any]]) -> None:
    org_a, org_b, party, coverage = new_id(), new_id(), new_id(), new_id()
    add_user("alice")
    add_user("carol")
    add_user("sup", "supervisor")
    assign_org(server_app, "alice", org_a)
    assign_org(server_app, "carol", org_b)
    pairs = {name: sign_in(name, f"{name}-laptop") for name in ("alice", "carol", "sup")}

    def party_scopes(name: str) -> set[str]:
        answer = client.get(f"{wire.PREFIX}/meta", headers=bearer(pairs[name]))
        assert answer.status_code == 200, answer.text
        return {scope for scope in answer.json()["scopes"] if scope.startswith("party:")}

    def member_push(name: str) -> str:
        """"applied", or the code of the refusal ("forbidden": not a valid record refused for its content)."""
        member = new_id()
        result = push_one(client, pairs[name], op("member", member, complete("member", id=member,
                                                                             party_org_id=party, name="张三")))
        return str(result["status"]) if result["status"] != wire.REJECTED else str(result["error"]["code"])

    assert push_one(client, pairs["sup"], op("party_org", party, complete(
        "party_org", id=party, party_org_id=party, name="联合支部")))["status"] == wire.APPLIED
    assert party_scopes("alice") == party_scopes("carol") == set()
    placed = push_one(client, pairs["sup"], op(COVERAGE, coverage, _coverage_data(coverage, org_a, party)))
    assert placed["status"] == wire.APPLIED
    assert party_scopes("alice") == {wire.party_scope(party)} and party_scopes("carol") == set()
    assert member_push("alice") == wire.APPLIED and member_push("carol") == wire.FORBIDDEN

    moved = push_one(client, pairs["sup"], op(COVERAGE, coverage, _coverage_data(coverage, org_b, party),
                                              base=placed["version"]))
    assert moved["status"] == wire.APPLIED
    assert party_scopes("alice") == set() and party_scopes("carol") == {wire.party_scope(party)}
    assert member_push("alice") == wire.FORBIDDEN and member_push("carol") == wire.APPLIED

    deleted = push_one(client, pairs["sup"], op(COVERAGE, coverage, {"deleted_at": NOW}, kind=wire.OP_DELETE,
                                                base=moved["version"]))
    assert deleted["status"] == wire.APPLIED and deleted["record"]["deleted"]
    assert party_scopes("alice") == party_scopes("carol") == set()
    with server_app.state.sessionmaker() as session:
        assert _placed(session) == []


def test_migration_0002_back_fills_the_coverage_a_district_already_holds(settings: Settings) -> None:
    upgrade(settings, revision="0001")
    engine = make_engine(settings)
    try:
        rows = [  # (record id, deleted, data)
            ("cov-live", False, _coverage_data("cov-live", "org-a", "party-1")),
            ("cov-other", False, _coverage_data("cov-other", "org-b", "party-2")),
            ("cov-gone", True, _coverage_data("cov-gone", "org-a", "party-3", deleted_at=NOW)),
            ("cov-tomb", False, _coverage_data("cov-tomb", "org-a", "party-4", deleted_at=NOW)),
            ("cov-half", False, _coverage_data("cov-half", None, "party-5")),
        ]
        with engine.begin() as conn:
            conn.execute(insert(Record), [
                {"entity": COVERAGE, "id": record_id, "scope": wire.party_scope(data["party_org_id"]),
                 "version": number + 1, "deleted": deleted, "deleted_by_supervisor": False, "data": data,
                 "audience": None, "updated_by": "", "updated_at": clock.now()}
                for number, (record_id, deleted, data) in enumerate(rows)])
            conn.execute(insert(Record), [{  # not coverage, though its data names an organization
                "entity": "member", "id": "member-1", "scope": "party:party-9", "version": 9, "deleted": False,
                "deleted_by_supervisor": False, "data": {"id": "member-1", "party_org_id": "party-9",
                                                         "org_id": "org-a"},
                "audience": None, "updated_by": "", "updated_at": clock.now()}])
        upgrade(settings, engine)
        with make_sessionmaker(engine)() as session:
            assert _placed(session) == [("cov-live", "party-1", "org-a"), ("cov-other", "party-2", "org-b")]
            assert covering_party_ids(session, ["org-a"]) == {"party-1"}
    finally:
        engine.dispose()
