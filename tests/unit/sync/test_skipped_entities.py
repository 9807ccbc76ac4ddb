"""Records of an entity this version does not know: skipped with a message, their entity noted with the
cursor's move, and everything read again from the start once an upgrade knows it (else they would lie below
the cursor for good)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from app import wire
from app.services.core.database import Database
from app.services.sync import credentials, run_sync, state
from app.services.sync.held import SKIPPED_ENTITIES
from tests.unit.sync.sync_builders import SERVER, sign_in_locally
from tests.unit.sync.test_engine_rounds import ScriptedServer, _transport

FUTURE = {"entity": "future_thing", "id": "f1", "scope": "district", "version": 3, "deleted": False, "data": {}}


class PagingServer(ScriptedServer):
    """Serves one change of an entity no client version knows, then nothing; notes each cursor asked for."""

    def __init__(self) -> None:
        super().__init__(max_ops=100)
        self.cursors: list[str] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.removeprefix(wire.PREFIX) != "/pull":
            return super().__call__(request)
        cursor = request.url.params.get("cursor", "")
        self.cursors.append(cursor)
        changes: list[dict[str, Any]] = [FUTURE] if cursor == "" else []
        return httpx.Response(200, json={"changes": changes, "next_cursor": "c3", "has_more": False,
                                         "server_version": 3})


def _state(db: Database, key: str) -> str:
    with db.session_factory() as session:
        return state.get(session, key)


def test_an_unknown_entity_is_skipped_noted_and_read_again_once_known(db: Database) -> None:
    sign_in_locally(db.session_factory)
    credentials.store(SERVER, "alice", "r1")
    server = PagingServer()
    report = run_sync(db.session_factory, transport=_transport(server))
    assert any("不认识的数据类型“future_thing”" in line and "升级后会自动重新接收" in line for line in report.messages)
    assert server.cursors == [""] and _state(db, state.CURSOR) == "c3"
    assert json.loads(_state(db, SKIPPED_ENTITIES)) == ["future_thing"]

    run_sync(db.session_factory, transport=_transport(server))  # still unknown: the cursor goes on
    assert server.cursors == ["", "c3"]

    # As if an older version had skipped visits, which this one knows: read again from the start, once.
    with db.session_factory.begin() as session:
        state.write(session, {SKIPPED_ENTITIES: json.dumps(["future_thing", "visit"])})
    run_sync(db.session_factory, transport=_transport(server))
    assert server.cursors == ["", "c3", ""]
    assert json.loads(_state(db, SKIPPED_ENTITIES)) == ["future_thing"]
    run_sync(db.session_factory, transport=_transport(server))
    assert server.cursors == ["", "c3", "", "c3"]


def test_a_pull_from_the_start_anyway_forgets_what_it_brings_again(db: Database) -> None:
    """After a reset (or on the first sync) the cursor is empty: the skipped entity now known is forgotten
    then, not again at the next sync (which would read everything once more)."""
    sign_in_locally(db.session_factory)
    credentials.store(SERVER, "alice", "r1")
    with db.session_factory.begin() as session:
        state.write(session, {SKIPPED_ENTITIES: json.dumps(["visit"])})
    server = PagingServer()
    run_sync(db.session_factory, transport=_transport(server))
    assert json.loads(_state(db, SKIPPED_ENTITIES)) == ["future_thing"]
    run_sync(db.session_factory, transport=_transport(server))
    assert server.cursors == ["", "c3"]
