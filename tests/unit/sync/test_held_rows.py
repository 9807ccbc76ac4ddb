"""A pulled row the local schema cannot hold (what an older server let through: a NOT NULL column sent as
null) never blocks the pull: the rest of its page and the cursor commit, the row is reported and kept, and
every later sync tries it again (an upgraded workbench stores it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app import wire
from app.models import SocialOrg
from app.services.core.database import Database
from app.services.sync import apply as apply_module
from app.services.sync import codec, credentials, run_sync, state, sync_status
from app.services.sync.held import held_changes
from app.services.sync.scopes import purge_scope
from app.services.sync.transport import Transport
from tests.unit.sync.sync_builders import SERVER, change, org_row, sign_in_locally


class PagingServer:
    """/meta, /auth/refresh, and /pull serving ``pages`` in turn by cursor ("" -> page 0 -> "c1" ...)."""

    def __init__(self, pages: list[list[dict[str, Any]]]) -> None:
        self.pages = pages
        self.cursors: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(wire.PREFIX)
        if path == "/auth/refresh":
            return httpx.Response(200, json={"access_token": "a", "refresh_token": "r2", "expires_in": 900,
                                             "user": {}})
        if path == "/meta":
            return httpx.Response(200, json={"server_instance_id": "i1", "server_time": datetime.now(UTC).isoformat(),
                                             "protocol_min": 1, "protocol_max": 1, "max_push_ops": 100,
                                             "scopes": ["*"]})
        if path == "/pull":
            cursor = request.url.params.get("cursor", "")
            self.cursors.append(cursor)
            index = int(cursor[1:]) if cursor else 0
            changes = self.pages[index] if index < len(self.pages) else []
            return httpx.Response(200, json={"changes": changes, "next_cursor": f"c{min(index + 1, len(self.pages))}",
                                             "has_more": False, "server_version": 9})
        return httpx.Response(404)


def _sync(db: Database, server: PagingServer) -> Any:
    client = httpx.Client(transport=httpx.MockTransport(server), base_url=SERVER + wire.PREFIX)
    return run_sync(db.session_factory, transport=Transport(SERVER, "d", client=client, sleep=lambda _s: None))


def _names(db: Database) -> set[str]:
    with db.session_factory() as session:
        return set(session.execute(select(SocialOrg.name)).scalars())


@pytest.fixture
def signed_in(db: Database) -> Database:
    sign_in_locally(db.session_factory)
    credentials.store(SERVER, "alice", "r1")
    return db


def test_a_row_the_schema_cannot_hold_is_set_aside_reported_and_retried(
        signed_in: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    bad = change("social_org", org_row("缺简称的协会"), 5)
    bad["data"]["short_name"] = None  # NOT NULL locally: stored as is, every pull of the scope used to fail
    good = change("social_org", org_row("好协会"), 6)
    server = PagingServer([[bad, good]])

    report = _sync(signed_in, server)
    assert _names(signed_in) == {"好协会"}
    with signed_in.session_factory() as session:
        assert state.get(session, state.CURSOR) == "c1"  # the page's cursor committed with the good row
        assert [c["id"] for c in held_changes(session)] == [bad["id"]]
    held_line = [m for m in report.messages if "无法保存" in m]
    assert len(held_line) == 1 and "社会组织“缺简称的协会”" in held_line[0] and "short_name" in held_line[0]
    assert "请升级工作台或联系区管理员" in held_line[0]
    assert sync_status(signed_in.session_factory).skipped == tuple(held_line)

    again = _sync(signed_in, server)  # nothing new; the held row is tried again and still cannot be stored
    assert server.cursors[-1] == "c1" and any("缺简称的协会" in m for m in again.messages)
    assert _names(signed_in) == {"好协会"}

    decode = codec.decode  # an upgraded workbench: it gives a missing short name its default

    def upgraded(entity: str, data: Any) -> codec.Decoded:
        decoded = decode(entity, data)
        if entity == "social_org" and decoded.values.get("short_name", "") is None:
            decoded.values["short_name"] = ""
        return decoded

    monkeypatch.setattr(apply_module, "decode", upgraded)
    done = _sync(signed_in, server)
    assert _names(signed_in) == {"好协会", "缺简称的协会"}
    assert not [m for m in done.messages if "无法保存" in m]
    with signed_in.session_factory() as session:
        assert held_changes(session) == []
    assert sync_status(signed_in.session_factory).skipped == ()


def test_a_newer_version_of_a_held_record_replaces_it(signed_in: Database) -> None:
    row = org_row("先坏后好的协会")
    bad = change("social_org", row, 5)
    bad["data"]["org_type"] = None
    server = PagingServer([[bad], [change("social_org", row, 8)]])
    _sync(signed_in, server)
    assert _names(signed_in) == set()
    with signed_in.session_factory() as session:
        assert len(held_changes(session)) == 1
    report = _sync(signed_in, server)  # the server's corrected version arrives: stored, nothing held any more
    assert _names(signed_in) == {"先坏后好的协会"}
    assert not [m for m in report.messages if "无法保存" in m]
    with signed_in.session_factory() as session:
        assert held_changes(session) == []


def test_an_unreadable_value_is_held_with_the_codecs_reason(signed_in: Database) -> None:
    bad = change("social_org", org_row("日期写错的协会"), 3)
    bad["data"]["founded_on"] = "2026-13-01"
    report = _sync(signed_in, PagingServer([[bad, change("social_org", org_row("好协会"), 4)]]))
    assert _names(signed_in) == {"好协会"}
    assert any("founded_on" in m and "日期写错的协会" in m for m in report.messages)


def test_the_held_rows_of_a_purged_scope_are_forgotten(signed_in: Database) -> None:
    bad = change("social_org", org_row("已收回的协会"), 5)
    bad["data"]["short_name"] = None
    kept = change("social_org", org_row("仍负责的协会"), 6)
    kept["data"]["org_type"] = None
    _sync(signed_in, PagingServer([[bad, kept]]))
    with signed_in.session_factory.begin() as session:
        purge_scope(session, bad["scope"])
    with signed_in.session_factory() as session:
        assert [c["id"] for c in held_changes(session)] == [kept["id"]]
