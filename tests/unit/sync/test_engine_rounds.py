"""The engine's loop against a small scripted server (httpx.MockTransport): a 413 halves the batch, progress
names its stages, and cancel stops the run with the unsent ops pending again."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app import wire
from app.domain.enums import OrgType, OutboxState
from app.models import OutboxEntry, SocialOrg, new_id
from app.services.core.database import Database
from app.services.core.outbox import bulk_load
from app.services.sync import SyncCancelled, SyncProgress, credentials, run_sync, sync_status
from app.services.sync.checkpoints import add_hook, clear_hooks
from app.services.sync.transport import Transport
from tests.unit.sync.sync_builders import SERVER, sign_in_locally


class ScriptedServer:
    """Answers /auth/refresh, /meta, /push (413 above ``max_ops``), /pull (nothing new)."""

    def __init__(self, max_ops: int, cancel: threading.Event | None = None) -> None:
        self.max_ops, self.cancel = max_ops, cancel
        self.batches: list[int] = []
        self.version = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix(wire.PREFIX)
        if path == "/auth/refresh":
            return httpx.Response(200, json={"access_token": "a", "refresh_token": "r2", "expires_in": 900,
                                             "user": {}})
        if path == "/meta":
            return httpx.Response(200, json={"server_instance_id": "i1", "server_time": datetime.now(UTC).isoformat(),
                                             "protocol_min": 1, "protocol_max": 1, "max_push_ops": 100,
                                             "scopes": ["*"]})
        if path == "/push":
            return self._push(json.loads(request.content))
        if path == "/pull":
            return httpx.Response(200, json={"changes": [], "next_cursor": "c1", "has_more": False,
                                             "server_version": self.version})
        return httpx.Response(404)

    def _push(self, body: dict[str, Any]) -> httpx.Response:
        ops = body["ops"]
        if len(ops) > self.max_ops:
            return httpx.Response(413, json={"detail": "too many"})
        self.batches.append(len(ops))
        if self.cancel is not None:
            self.cancel.set()  # the user cancels while the first batch is out
        self.version += 1
        return httpx.Response(200, json={"server_version": self.version, "results": [
            {"op_id": op["op_id"], "status": wire.APPLIED, "version": self.version,
             "record": {"entity": op["entity"], "id": op["id"], "scope": op["scope"], "version": self.version,
                        "deleted": False, "data": op["fields"]}} for op in ops]})


def _orgs(db: Database, count: int) -> None:
    ids = [new_id() for _ in range(count)]
    with db.session_factory.begin() as session:
        bulk_load(session, SocialOrg, [{"id": i, "org_id": i, "name": f"协会{n}", "org_type": OrgType.COMMUNITY_FILED}
                                       for n, i in enumerate(ids)], actor="t")


def _transport(server: ScriptedServer) -> Transport:
    client = httpx.Client(transport=httpx.MockTransport(server), base_url=SERVER + wire.PREFIX)
    return Transport(SERVER, "d", client=client, sleep=lambda _s: None)


def _states(db: Database) -> set[OutboxState]:
    with db.session_factory() as session:
        return set(session.execute(select(OutboxEntry.state)).scalars())


@pytest.fixture
def signed_in(db: Database) -> Database:
    sign_in_locally(db.session_factory)
    credentials.store(SERVER, "alice", "r1")
    return db


def test_a_413_halves_the_batch_and_every_op_is_acked(signed_in: Database) -> None:
    _orgs(signed_in, 100)
    server = ScriptedServer(max_ops=40)
    seen: list[SyncProgress] = []
    report = run_sync(signed_in.session_factory, transport=_transport(server), progress=seen.append)
    assert server.batches == [25, 25, 25, 25]  # 100 -> 413, 50 -> 413, then 25s
    assert report.pushed == report.applied == 100
    assert _states(signed_in) == {OutboxState.ACKED}
    assert {p.stage for p in seen} >= {"发送修改", "接收数据"}
    assert [(p.done, p.total) for p in seen if p.stage == "发送修改"] == [(25, 100), (50, 100), (75, 100), (100, 100)]
    assert credentials.load(SERVER, "alice") == "r2"  # the rotated refresh token is kept


def test_cancel_stops_the_run_and_keeps_what_was_recorded(signed_in: Database) -> None:
    _orgs(signed_in, 30)
    cancel = threading.Event()
    server = ScriptedServer(max_ops=10, cancel=cancel)  # batches of 100, 50, 25, 12 are refused
    with pytest.raises(SyncCancelled, match="已取消"):
        run_sync(signed_in.session_factory, transport=_transport(server), cancel=cancel)
    assert server.batches == [6]
    with signed_in.session_factory() as session:
        states = [e.state for e in session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars()]
    assert states.count(OutboxState.ACKED) == 6 and states.count(OutboxState.PENDING) == 24


def test_a_failure_on_this_computers_side_is_recorded_for_the_status(signed_in: Database) -> None:
    """Not only the server's failures: a disk error while writing a page is the status's 上次同步失败 too."""
    def disk_error(name: str) -> None:
        if name == "before_pull_page_commit":
            raise OSError(28, "No space left on device")

    add_hook(disk_error)
    try:
        with pytest.raises(OSError):
            run_sync(signed_in.session_factory, transport=_transport(ScriptedServer(max_ops=100)))
    finally:
        clear_hooks()
    assert "No space left on device" in sync_status(signed_in.session_factory).last_error
