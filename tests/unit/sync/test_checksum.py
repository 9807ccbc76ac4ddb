"""Which scopes the daily comparison asks about, and what it calls a difference (against a stand-in
transport; the repair against a real server: test_e2e_checksum.py)."""

from __future__ import annotations

from typing import Any

import httpx

from app.models import SyncScope
from app.services.core.database import Database
from app.services.sync import state
from app.services.sync.apply import apply_changes
from app.services.sync.checksum import compare
from tests.unit.sync.sync_builders import change, org_row, sign_in_locally


class SumsServer:
    """Answers /checksum with the sums it is given (none: every scope empty); notes the scopes asked."""

    def __init__(self, sums: dict[str, dict[str, list[int]]] | None = None) -> None:
        self.sums = sums or {}
        self.asked: list[str] = []

    status = 200

    def request(self, method: str, path: str, *, json: dict[str, Any]) -> httpx.Response:
        assert (method, path) == ("POST", "/checksum")
        self.asked += json["scopes"]
        return httpx.Response(self.status, json={
            "sums": {scope: self.sums.get(scope, {}) for scope in json["scopes"]}, "forbidden": []})


def _two_orgs(db: Database, role: str) -> tuple[str, str]:
    sign_in_locally(db.session_factory)
    first, second = org_row("甲协会"), org_row("乙协会")
    with db.session_factory.begin() as session:
        state.write(session, {state.ROLE: role})
        apply_changes(session, [change("social_org", first, 4), change("social_org", second, 7)])
    return f"org:{first['id']}", f"org:{second['id']}"


def test_a_supervisor_is_compared_on_every_organization_held_even_after_a_repair(db: Database) -> None:
    first, second = _two_orgs(db, "supervisor")
    with db.session_factory.begin() as session:  # what a repair of the first left behind, read again since
        session.add(SyncScope(scope=first, state="granted", backfill_cursor=None))
    server = SumsServer({first: {"social_org": [1, 4, 4]}, second: {"social_org": [1, 7, 7]}})
    assert compare(db.session_factory, server) == {}  # type: ignore[arg-type]
    assert sorted(server.asked) == sorted([first, second])


def test_a_scope_being_read_again_is_not_compared(db: Database) -> None:
    first, second = _two_orgs(db, "supervisor")
    with db.session_factory.begin() as session:
        session.add(SyncScope(scope=first, state="granted", backfill_cursor=""))
    server = SumsServer()
    compare(db.session_factory, server)  # type: ignore[arg-type]
    assert server.asked == [second]


def test_a_difference_names_the_entity_and_the_servers_newer_version_counts(db: Database) -> None:
    first, second = _two_orgs(db, "instructor")
    with db.session_factory.begin() as session:
        session.add_all([SyncScope(scope=first, state="granted"), SyncScope(scope=second, state="granted")])
    server = SumsServer({first: {"social_org": [1, 4, 4]}, second: {"social_org": [1, 9, 9], "visit": [2, 20, 11]}})
    assert compare(db.session_factory, server) == {second: ["social_org", "visit"]}  # type: ignore[arg-type]


def test_a_server_from_before_checksums_is_nothing_to_compare_with(db: Database) -> None:
    """An older district server answers 404: no difference, no failed sync every day."""
    _two_orgs(db, "supervisor")
    server = SumsServer()
    server.status = 404
    assert compare(db.session_factory, server) == {}  # type: ignore[arg-type]
