"""Two server processes on one PostgreSQL database (a deployment behind a load balancer): clients syncing
through different processes converge, and one batch pushed to both at the same moment is applied once.

Access tokens are HMACs under the database's token secret, so a token from one process opens the other;
the counter row lock and the processed_ops primary key are the only coordination between them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import wire
from tests.server.sync_helpers import new_id, op
from tests.sync.clients import PASSWORD, ClientProfile, raw_org_fields
from tests.sync.district import District
from tests.sync.fixtures import new_database_name
from tests.sync.harness import PostgresCluster, ServerProcess

pytestmark = pytest.mark.slow
PROTOCOL = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)}


@pytest.fixture(scope="module")
def servers(postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[ServerProcess, ServerProcess]]:
    name = new_database_name("two")
    url = postgres_cluster.create_database(name)
    home = tmp_path_factory.mktemp("two-processes")
    first = ServerProcess(home, database_url=url).start()  # migrates the empty database
    second = ServerProcess(home, database_url=url)
    try:
        second.start()
        yield first, second
    finally:
        second.stop()
        first.stop()
        postgres_cluster.drop_database(name)


@pytest.fixture(scope="module")
def district(servers: tuple[ServerProcess, ServerProcess]) -> Iterator[District]:
    district = District(servers[0])
    for name in ("alice", "bob", "carol"):  # carol pushes raw batches: alice and bob never see them
        district.add_user(name)
    yield district
    district.close()


def test_clients_syncing_through_different_processes_converge(
    servers: tuple[ServerProcess, ServerProcess], district: District, tmp_path: Path
) -> None:
    alice, bob = ClientProfile(tmp_path, "alice"), ClientProfile(tmp_path, "bob")
    try:
        alice.sign_in(servers[0].url)
        bob.sign_in(servers[1].url)
        org = alice.create_org("两进程志愿者协会", address="长乐路1号")
        alice.sync()
        district.assign("bob", org)
        bob.sync()
        assert bob.org(org).data.address == "长乐路1号"
        alice.edit_org(org, address="长乐路2号")
        bob.edit_org(org, contact_person="张三")
        alice.sync()
        bob.sync()
        alice.sync()
        for client in (alice, bob):
            data = client.org(org).data
            assert (data.address, data.contact_person) == ("长乐路2号", "张三")
        assert alice.pending() == bob.pending() == 0
        assert district.conflicts(org) == [], "different fields merge silently"
    finally:
        alice.close()
        bob.close()


def _login(url: str) -> dict[str, Any]:
    answer = httpx.post(f"{url}{wire.PREFIX}/auth/login", headers=PROTOCOL, timeout=60, json={
        "username": "carol", "password": PASSWORD, "device_id": "race-device", "device_name": "race"})
    assert answer.status_code == 200, answer.text
    pair: dict[str, Any] = answer.json()
    return pair


def test_the_same_batch_pushed_to_both_processes_at_once_is_applied_once(
    servers: tuple[ServerProcess, ServerProcess], district: District
) -> None:
    pair = _login(servers[0].url)
    headers = {"Authorization": f"Bearer {pair['access_token']}", **PROTOCOL}
    orgs = [new_id() for _ in range(5)]
    ops = [op("social_org", org_id, raw_org_fields(org_id, f"竞速协会{n}")) for n, org_id in enumerate(orgs)]
    batch = {"device_id": "race-device", "ops": ops}
    start = threading.Barrier(2)
    answers: dict[int, httpx.Response] = {}

    def send(index: int) -> None:
        with httpx.Client(timeout=120) as http:
            start.wait()
            answers[index] = http.post(f"{servers[index].url}{wire.PREFIX}/push", headers=headers, json=batch)

    workers = [threading.Thread(target=send, args=(index,)) for index in (0, 1)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(180)
    assert [answers[i].status_code for i in (0, 1)] == [200, 200], [answers[i].text for i in (0, 1)]
    statuses = [[result["status"] for result in answers[i].json()["results"]] for i in (0, 1)]
    assert sorted(statuses) == [["applied"] * 5, ["duplicate"] * 5], statuses
    stored = district.records("social_org")
    assert set(orgs) <= set(stored)
    assert len({stored[org_id]["version"] for org_id in orgs}) == 1, "one transaction wrote the batch"
