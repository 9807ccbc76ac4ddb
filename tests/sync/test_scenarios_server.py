"""Issue 9's server-side hazards end to end (SYNC §8.12 scenarios 11, 13, 14): a push transaction that
commits late, a server restored from an older backup, an access token expiring between push batches.

Each test has a server of its own: these scenarios change the server (its database file, its token
lifetime) in ways the next test must not inherit.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import wire
from app.services.sync import access_tokens
from server.db import claim_write
from server.store import next_version, write_record
from tests.sync.clients import PASSWORD, ClientProfile, kill_at
from tests.sync.district import District
from tests.sync.fixtures import new_database_name
from tests.sync.harness import FaultProxy, PostgresCluster, ServerProcess

pytestmark = pytest.mark.slow
WAIT_LIMIT = 120.0  # seconds a harness wait may take on a loaded CI machine before it is a failure


def _cursor_version(cursor: str) -> int:
    if not cursor:
        return 0
    return int(json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))["v"])


def _district(server: ServerProcess, *users: str) -> District:
    district = District(server)
    for name in users:
        district.add_user(name)
    return district


@pytest.fixture
def postgres_district(postgres_cluster: PostgresCluster, tmp_path: Path) -> Iterator[District]:
    name = new_database_name("late")
    with ServerProcess(tmp_path / "server", database_url=postgres_cluster.create_database(name)) as server:
        district = _district(server, "alice", "bob")
        yield district
        district.close()
    postgres_cluster.drop_database(name)


def _waiting_on_a_lock(district: District) -> bool:
    with district.engine.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar())


def test_a_pull_never_skips_a_push_that_commits_late(postgres_district: District, tmp_path: Path) -> None:
    district = postgres_district
    alice, bob = ClientProfile(tmp_path, "alice"), ClientProfile(tmp_path, "bob")
    try:
        alice.sign_in(district.server.url)
        bob.sign_in(district.server.url)
        org = alice.create_org("迟到协会")
        alice.sync()
        district.assign("bob", org)
        bob.sync()
        late = "01a23000-0000-7000-8000-00000000late"[:36]
        held = claim_write(Session(district.engine))  # a push transaction that has its version, not committed
        version = next_version(held)
        write_record(held, entity="annual_inspection", record_id=late, scope=wire.org_scope(org), version=version,
                     user_id="", data={"year": 2024, "result": "PASSED", "note": "迟到的提交", "org_id": org,
                                       "id": late, "deleted_at": None, "updated_at": "2026-03-31T12:00:00+00:00",
                                       "updated_by": "alice"})
        alice.edit_org(org, address="后来路2号")
        pusher = threading.Thread(target=alice.sync)
        pusher.start()  # its push waits for the counter row the held transaction locked
        deadline = time.monotonic() + WAIT_LIMIT
        while not _waiting_on_a_lock(district):
            assert time.monotonic() < deadline, "the second push never queued behind the first"
            time.sleep(0.05)
        bob.sync()
        assert _cursor_version(bob.cursor()) < version, "nothing at or after the uncommitted version was read"
        assert bob.org(org).data.address == ""
        held.commit()
        held.close()
        pusher.join(WAIT_LIMIT)
        bob.sync()
        assert bob.org(org).data.address == "后来路2号"
        with bob.factory() as session:
            note = session.execute(text("SELECT note FROM annual_inspection WHERE id = :id"), {"id": late}).scalar()
        assert note == "迟到的提交", "the late commit below the newer version was still pulled"
    finally:
        alice.close()
        bob.close()


def _backup(database: Path, copy: Path) -> None:
    """An online backup of the server's SQLite file (what an admin's nightly job does)."""
    with sqlite3.connect(database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    source.close()
    target.close()


def test_a_server_restored_from_an_older_backup_gets_back_everything_the_laptops_had(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "server") as server:
        district = _district(server, "alice", "bob")
        alice, bob = ClientProfile(tmp_path, "alice"), ClientProfile(tmp_path, "bob")
        try:
            alice.sign_in(server.url)
            bob.sign_in(server.url)
            kept = alice.create_org("备份前协会")
            alice.sync()
            district.assign("bob", kept)
            bob.sync()
            _backup(server.home / "server.db", tmp_path / "nightly.db")
            lost = alice.create_org("备份后协会")
            alice.edit_org(kept, address="备份后路3号")
            alice.sync()
            bob.sync()
            server.stop()
            district.close()  # its pooled connection still holds the file about to be replaced
            for suffix in ("", "-wal", "-shm"):
                (server.home / f"server.db{suffix}").unlink(missing_ok=True)
            (tmp_path / "nightly.db").replace(server.home / "server.db")
            server.start()
            assert lost not in district.records("social_org"), "the restored server lost the later work"
            # Laptops started afresh (no access token in memory): the keyring's refresh token serves when the
            # restored server had issued it, else the password does (PasswordNeeded without it).
            access_tokens.clear()
            alice.sync(password=PASSWORD)  # its cursor is ahead of the server: reset, reconcile, re-push
            bob.sync(password=PASSWORD)
            alice.sync()
            stored = district.records("social_org")
            assert lost in stored and stored[kept]["data"]["address"] == "备份后路3号"
            for client in (alice, bob):
                assert client.org(kept).data.address == "备份后路3号"
                assert client.pending() == 0
        finally:
            alice.close()
            bob.close()
            district.close()


def test_an_access_token_expiring_between_push_batches_is_refreshed_and_nothing_doubles(tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "server", env={"DANGJIAN_ACCESS_TTL": "1"}) as server, \
            FaultProxy(server.port) as proxy:
        district = _district(server, "alice")
        alice = ClientProfile(tmp_path, "alice")
        try:
            alice.sign_in(proxy.url)
            orgs = [alice.create_org(f"批次协会{n:03d}") for n in range(wire.MAX_PUSH_OPS + 20)]
            kill_at("after_push_recorded", instead=lambda: time.sleep(2.5))  # the token dies between batches
            report = alice.sync()
            assert report.applied == len(orgs) and report.duplicates == 0
            pushes = [(e.action, e.status) for e in proxy.requests("/push")]
            assert ("pass", 401) in pushes, "the second batch met an expired token"
            assert proxy.requests("/auth/refresh"), "and the client refreshed it"
            stored = district.records("social_org")
            assert set(orgs) <= set(stored)
            assert alice.pending() == 0
        finally:
            alice.close()
            district.close()
