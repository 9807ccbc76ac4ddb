"""Issue 9's faults of delivery (SYNC §8.12 scenarios 1-5, 12, 18, 25): the real server behind the
fault proxy, the real client engine in this process, a crash simulated at the engine's named checkpoints.

Whatever breaks, the end state is the same: every op acknowledged exactly once, one server row per client
record, the client's cursor never past rows it has not applied.  One server serves the module; each test
has its own laptops and organizations.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app import wire
from app.services.sync import SyncError, checkpoints
from tests.server.sync_helpers import new_id, op
from tests.sync.clients import PASSWORD, ClientProfile, Killed, kill_at, raw_org_fields
from tests.sync.district import District
from tests.sync.harness import FaultProxy, ServerProcess

pytestmark = pytest.mark.slow
PROTOCOL = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("delivery")) as running:
        yield running


@pytest.fixture(scope="module")
def district(server: ServerProcess) -> Iterator[District]:
    district = District(server)
    for name in ("alice", "bob", "carol"):  # carol pushes raw batches: alice and bob never see them
        district.add_user(name)
    yield district
    district.close()


@pytest.fixture
def proxy(server: ServerProcess) -> Iterator[FaultProxy]:
    with FaultProxy(server.port) as running:
        yield running


@pytest.fixture
def alice(tmp_path: Path, proxy: FaultProxy, district: District) -> Iterator[ClientProfile]:
    client = ClientProfile(tmp_path, "alice")
    client.sign_in(proxy.url)
    yield client
    client.close()


@pytest.fixture
def bob(tmp_path: Path, proxy: FaultProxy, district: District) -> Iterator[ClientProfile]:
    client = ClientProfile(tmp_path, "bob")
    client.sign_in(proxy.url)
    yield client
    client.close()


def _states(client: ClientProfile) -> list[str]:
    return [state for _entity, _id, state, _error in client.outbox()]


def test_a_push_committed_but_never_answered_is_retried_as_a_duplicate(
    alice: ClientProfile, proxy: FaultProxy, district: District
) -> None:
    org = alice.create_org("掉线协会")
    proxy.drop("/push", method="POST")
    report = alice.sync()
    assert [e.action for e in proxy.requests("/push")] == ["drop", "pass"]
    assert (report.duplicates, report.applied) == (1, 0), "the retry met the op the server had committed"
    assert list(district.records("social_org")).count(org) == 1
    assert _states(alice) == ["acked"]


def test_a_client_killed_after_the_answer_before_recording_it_resends_as_a_duplicate(
    alice: ClientProfile, district: District
) -> None:
    org = alice.create_org("崩溃协会")
    kill_at("after_push_response")
    with pytest.raises(Killed):
        alice.sync()
    assert _states(alice) != ["acked"], "nothing after the crash point was recorded"
    stored = district.records("social_org")[org]
    report = alice.sync()
    assert report.duplicates == 1
    assert district.records("social_org")[org]["version"] == stored["version"], "not written twice"
    assert _states(alice) == ["acked"]
    assert alice.org(org).server_version == stored["version"]


def test_a_client_killed_mid_pull_page_applies_the_whole_page_next_time(
    alice: ClientProfile, bob: ClientProfile, district: District
) -> None:
    orgs = {alice.create_org(f"翻页协会{n}") for n in range(3)}
    alice.sync()
    district.assign("bob", *orgs)
    bob.sync()  # learns the new scopes; the back-fill reads their rows
    alice.edit_org(sorted(orgs)[0], address="翻页路9号")
    alice.sync()
    cursor = bob.cursor()
    kill_at("before_pull_page_commit")
    with pytest.raises(Killed):
        bob.sync()
    assert bob.cursor() == cursor, "the page and its cursor commit together or not at all"
    assert bob.org(sorted(orgs)[0]).data.address == ""
    bob.sync()
    assert bob.org(sorted(orgs)[0]).data.address == "翻页路9号"
    assert orgs <= bob.org_ids()


def test_the_same_batch_pushed_twice_at_once_is_applied_once(proxy: FaultProxy, district: District) -> None:
    answer = httpx.post(f"{proxy.url}{wire.PREFIX}/auth/login", headers=PROTOCOL, timeout=60, json={
        "username": "carol", "password": PASSWORD, "device_id": "twin", "device_name": "twin"})
    headers = {"Authorization": f"Bearer {answer.json()['access_token']}", **PROTOCOL}
    orgs = [new_id() for _ in range(3)]
    batch = {"device_id": "twin", "ops": [op("social_org", o, raw_org_fields(o, f"双发协会{o[-4:]}")) for o in orgs]}
    start, answers = threading.Barrier(2), []

    def send() -> None:
        with httpx.Client(timeout=120) as http:
            start.wait()
            answers.append(http.post(f"{proxy.url}{wire.PREFIX}/push", headers=headers, json=batch))

    workers = [threading.Thread(target=send) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(180)
    statuses = sorted([r["status"] for r in a.json()["results"]] for a in answers)
    assert statuses == [["applied"] * 3, ["duplicate"] * 3]
    assert district.processed_ops() >= 3
    stored = district.records("social_org")
    assert all(o in stored for o in orgs)


@pytest.mark.parametrize("status", [503, 429])
def test_busy_answers_are_waited_out_for_their_retry_after(
    status: int, alice: ClientProfile, proxy: FaultProxy, district: District
) -> None:
    org = alice.create_org(f"繁忙协会{status}")
    proxy.respond(status, "/push", retry_after=7, times=2)
    waits: list[float] = []
    with alice.transport(sleep=waits.append) as transport:
        report = alice.sync(transport=transport)
    assert waits == [7.0, 7.0], "each busy answer waited for exactly what it asked, no hot loop"
    assert [e.action for e in proxy.requests("/push")] == ["respond", "respond", "pass"]
    assert report.applied == 1 and org in district.records("social_org")


def test_a_server_killed_mid_sync_and_restarted_loses_and_doubles_nothing(
    alice: ClientProfile, server: ServerProcess, district: District
) -> None:
    first = alice.create_org("重启协会甲")
    alice.sync()
    second = alice.create_org("重启协会乙")
    alice.edit_org(first, address="重启路1号")
    kill_at("after_push_recorded", instead=server.kill)  # the pull that follows finds no server
    with pytest.raises(SyncError):
        alice.sync()
    server.start()
    alice.sync()
    stored = district.records("social_org")
    assert stored[first]["data"]["address"] == "重启路1号" and second in stored
    assert set(_states(alice)) == {"acked"}
    assert alice.pending() == 0


def test_an_upload_cut_at_random_offsets_resumes_and_stores_the_verified_blob(
    alice: ClientProfile, proxy: FaultProxy, server: ServerProcess, district: District
) -> None:
    rng = random.Random(9)
    data = rng.randbytes(wire.CHUNK_SIZE * 2 + 12_345)
    org = alice.create_org("附件协会")
    alice.attach(org, data)
    for _ in range(3):  # each PATCH cut somewhere inside its chunk (the head is a few hundred bytes)
        proxy.cut_request(rng.randrange(400, wire.CHUNK_SIZE), "/uploads/", method="PATCH")
    report = alice.sync()
    sha = hashlib.sha256(data).hexdigest()
    assert report.uploaded_blobs == 1
    stored = [path for path in (server.home / "blobs").rglob("*") if path.is_file()]
    assert [hashlib.sha256(path.read_bytes()).hexdigest() for path in stored] == [sha]
    assert [e.action for e in proxy.requests(method="PATCH")].count("cut_request") == 3
    assert len(district.records("attachment")) >= 1


def _blob_copies(server: ServerProcess, sha: str) -> int:
    files = [path for path in (server.home / "blobs").rglob("*") if path.is_file()]
    return sum(hashlib.sha256(path.read_bytes()).hexdigest() == sha for path in files)


@pytest.mark.parametrize("point", sorted(checkpoints.NAMES))
def test_a_crash_at_any_named_point_loses_and_doubles_nothing(
    point: str, alice: ClientProfile, bob: ClientProfile, server: ServerProcess, district: District
) -> None:
    org = alice.create_org(f"断点协会{point}")
    alice.sync()
    district.assign("bob", org)
    bob.sync()
    data = random.Random(point).randbytes(wire.CHUNK_SIZE + 1_000)  # two chunks: a point between them
    alice.edit_org(org, address=f"{point}路1号")
    attachment = alice.attach(org, data)
    kill_at(point)
    with pytest.raises(Killed):
        alice.sync()
    alice.sync()
    bob.sync()
    assert bob.org(org).data.address == f"{point}路1号"
    assert set(_states(alice)) == {"acked"}
    assert district.records("social_org")[org]["data"]["address"] == f"{point}路1号"
    assert not district.records("attachment")[attachment]["deleted"]
    assert _blob_copies(server, hashlib.sha256(data).hexdigest()) == 1
