"""Issue 9's concurrent edits end to end (SYNC §8.12 scenarios 6-10, 16): two laptops edit offline, sync
through the real server, and converge without losing either side (Sam is the district's supervisor).

Clock skew is a parameter of the same-field test: the outcome (the later *push* holds the live value) is
the same whatever the laptops' clocks say, since nothing is ever ordered by a client's clock.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from app.domain.enums import InspectionResult, RectificationSource, RectificationStatus
from app.domain.enums import RectificationFollowUpKind as Kind
from app.models import RectificationFollowUp
from app.services import rectification
from app.services.core import clock
from app.services.orgs import records
from app.services.orgs.record_dto import InspectionInput, RecordKind
from app.services.rectification.dto import RectificationInput
from app.services.sync import export_unsent
from tests.sync.clients import ClientProfile
from tests.sync.district import District
from tests.sync.harness import ServerProcess

pytestmark = pytest.mark.slow
YEAR = timedelta(days=365)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[District]:
    with ServerProcess(tmp_path_factory.mktemp("merge")) as server:
        district = District(server)
        for name in ("alice", "bob"):
            district.add_user(name)
        district.add_user("sam", "supervisor")
        yield district
        district.close()


def _pair(tmp_path: Path, district: District, alice_skew: timedelta = timedelta(0),
          bob_skew: timedelta = timedelta(0)) -> tuple[ClientProfile, ClientProfile]:
    alice = ClientProfile(tmp_path, "alice", clock_offset=alice_skew)
    bob = ClientProfile(tmp_path, "bob", clock_offset=bob_skew)
    alice.sign_in(district.server.url)
    bob.sign_in(district.server.url)
    return alice, bob


def _shared_org(alice: ClientProfile, bob: ClientProfile, district: District, name: str) -> str:
    """An organization Alice made and the admin then also gave to Bob; both have synced it."""
    org = alice.create_org(name, address="原址路1号")
    alice.sync()
    district.assign("bob", org)
    bob.sync()
    return org


def _settle(*clients: ClientProfile) -> None:
    """Everyone syncs twice with no further edits (SYNC §8.12 I3)."""
    for _ in range(2):
        for client in clients:
            client.sync()


@pytest.fixture
def laptops(tmp_path: Path, district: District) -> Iterator[tuple[ClientProfile, ClientProfile]]:
    alice, bob = _pair(tmp_path, district)
    yield alice, bob
    alice.close()
    bob.close()


@pytest.mark.parametrize(("alice_skew", "bob_skew"), [
    (timedelta(0), timedelta(0)), (YEAR, -YEAR), (-YEAR, YEAR), (timedelta(hours=6), -timedelta(hours=6))],
    ids=["no-skew", "alice+1y-bob-1y", "alice-1y-bob+1y", "alice+6h-bob-6h"])
def test_the_same_field_edited_offline_keeps_both_values_and_converges(
    alice_skew: timedelta, bob_skew: timedelta, tmp_path: Path, district: District
) -> None:
    alice, bob = _pair(tmp_path, district, alice_skew, bob_skew)
    try:
        org = _shared_org(alice, bob, district, f"同字段协会{alice_skew.days}{bob_skew.seconds}")
        alice.edit_org(org, address="甲方路1号")
        bob.edit_org(org, address="乙方路2号")
        alice.sync()
        report = bob.sync()  # pushes second: its value is live, Alice's is kept in the conflict
        assert report.conflicts == 1
        _settle(alice, bob)
        assert alice.org(org).data.address == bob.org(org).data.address == "乙方路2号"
        assert district.records("social_org")[org]["data"]["address"] == "乙方路2号"
        stored = district.conflicts(org)
        assert [(c["field"], c["yours"], c["other"], c["kept"]) for c in stored] == [
            ("address", "乙方路2号", "甲方路1号", "乙方路2号")]
        for client in (alice, bob):
            flagged = [(c.field, c.yours, c.other) for c in client.conflicts() if c.record_id == org]
            assert flagged == [("address", "乙方路2号", "甲方路1号")], "both values visible on every laptop"
            assert client.pending() == 0
    finally:
        alice.close()
        bob.close()


def test_different_fields_merge_silently(laptops: tuple[ClientProfile, ClientProfile], district: District) -> None:
    alice, bob = laptops
    org = _shared_org(alice, bob, district, "异字段协会")
    alice.edit_org(org, address="甲方路3号")
    bob.edit_org(org, contact_person="李四")
    alice.sync()
    report = bob.sync()
    assert (report.merged, report.conflicts) == (1, 0)
    _settle(alice, bob)
    for client in (alice, bob):
        data = client.org(org).data
        assert (data.address, data.contact_person) == ("甲方路3号", "李四")
        assert [c for c in client.conflicts() if c.record_id == org] == []
    assert district.conflicts(org) == []


def _inspection(client: ClientProfile, org: str, note: str, record_id: str | None = None) -> str:
    data = InspectionInput(year=2025, result=InspectionResult.PASSED, note=note)
    with client.active():
        if record_id is None:
            return records.add_record(client.factory, org, data, actor=client.username).id
        return records.update_record(client.factory, record_id, data, actor=client.username).id


def _inspections(client: ClientProfile, org: str) -> dict[str, str]:
    with client.active():
        return {r.id: r.data.note for r in records.list_records(client.factory, org, RecordKind.INSPECTION)}  # type: ignore[union-attr]


def test_an_edit_meeting_an_instructors_delete_keeps_the_record_and_flags_it(
    laptops: tuple[ClientProfile, ClientProfile], district: District
) -> None:
    alice, bob = laptops
    org = _shared_org(alice, bob, district, "删改协会")
    record = _inspection(alice, org, "初稿")
    alice.sync()
    bob.sync()
    _inspection(alice, org, "补充了年报材料", record)
    with bob.active():
        records.delete_record(bob.factory, RecordKind.INSPECTION, record, actor="bob")
    alice.sync()
    bob.sync()  # the delete meets an edit made since its base: never silently dropped
    _settle(alice, bob)
    assert not district.records("annual_inspection")[record]["deleted"]
    assert [c["field"] for c in district.conflicts(record)] == ["deleted_at"]
    for client in (alice, bob):
        assert _inspections(client, org) == {record: "补充了年报材料"}
        assert [c.field for c in client.conflicts() if c.record_id == record] == ["deleted_at"]


def _item(client: ClientProfile, org: str) -> str:
    today = clock.today()
    data = RectificationInput(org_id=org, source=RectificationSource.INSPECTION, source_detail="专项督查",
                              title="党建工作制度不健全", description="未建立三会一课台账", basis="党章",
                              requirement="建立台账", deadline=today + timedelta(days=30),
                              responsible_person="王五", raised_on=today)
    with client.active():
        item = rectification.create_item(client.factory, data, actor=client.username)
        for kind, note in ((Kind.ISSUE, ""), (Kind.ACKNOWLEDGE, ""), (Kind.START, ""), (Kind.REPORT, "已建立台账")):
            rectification.append_follow_up(client.factory, item, kind=kind, on_date=today, note=note,
                                           actor=client.username)
    return item


def _follow(client: ClientProfile, item: str, kind: Kind, note: str) -> str:
    with client.active():
        return rectification.append_follow_up(client.factory, item, kind=kind, on_date=clock.today(), note=note,
                                              actor=client.username)


def test_two_concurrent_rectification_transitions_apply_one_and_keep_both_follow_ups(
    laptops: tuple[ClientProfile, ClientProfile], district: District
) -> None:
    alice, bob = laptops
    org = _shared_org(alice, bob, district, "整改协会")
    item = _item(alice, org)
    alice.sync()
    bob.sync()
    passed = _follow(alice, item, Kind.REVIEW_PASS, "复查合格")
    failed = _follow(bob, item, Kind.REVIEW_FAIL, "台账不完整")
    alice.sync()
    bob.sync()  # the same from-status, a different transition: the first one stands
    _settle(alice, bob)
    assert district.records("rectification")[item]["data"]["status"] == RectificationStatus.REVIEW_PASSED.value
    assert [c["field"] for c in district.conflicts(item)] == ["status"]
    follow_ups = district.records("rectification_follow_up")
    assert passed in follow_ups and failed in follow_ups, "follow-ups are append-only: both kept"
    for client in (alice, bob):
        with client.factory() as session:
            kept = {row.id for row in session.query(RectificationFollowUp).filter_by(rectification_id=item)}
        assert {passed, failed} <= kept
        assert [c.field for c in client.conflicts() if c.record_id == item] == ["status"]
    with alice.active():
        statuses = {client.username: rectification.load_item(client.factory, item).status for client in (alice, bob)}
    assert statuses["alice"] == statuses["bob"], "both laptops converge on one status"


def test_an_unassigned_org_with_pending_edits_is_quarantined_not_deleted(
    laptops: tuple[ClientProfile, ClientProfile], district: District, tmp_path: Path
) -> None:
    alice, bob = laptops
    org = bob.create_org("收回协会", address="原址路9号")  # Bob's own: Alice only ever has it by assignment
    bob.sync()
    district.assign("alice", org)
    alice.sync()
    alice.edit_org(org, address="未发送路1号")
    district.unassign("alice", org)
    report = alice.sync()
    assert report.rejected == 1 and "收回协会" in report.quarantined_orgs
    assert alice.org(org).data.address == "未发送路1号", "kept read-only on the laptop, not deleted"
    assert district.records("social_org")[org]["data"]["address"] == "原址路9号"
    exported = tmp_path / "unsent.json"
    with alice.active():
        assert export_unsent(alice.factory, exported).ops >= 1
    assert "未发送路1号" in json.dumps(json.loads(exported.read_text(encoding="utf-8")), ensure_ascii=False)


def test_an_edit_meeting_a_supervisors_delete_stays_deleted_with_the_edit_kept(
    laptops: tuple[ClientProfile, ClientProfile], district: District, tmp_path: Path
) -> None:
    alice, _bob = laptops
    supervisor = ClientProfile(tmp_path, "sam")
    try:
        supervisor.sign_in(district.server.url)
        org = alice.create_org("督导删除协会")
        record = _inspection(alice, org, "初稿")
        alice.sync()
        supervisor.sync()
        _inspection(alice, org, "督导删除前补充的材料", record)
        with supervisor.active():
            records.delete_record(supervisor.factory, RecordKind.INSPECTION, record, actor="sam")
        alice.sync()
        supervisor.sync()  # a duplicate removed by the supervisor stays removed
        _settle(alice, supervisor)
        stored = district.records("annual_inspection")[record]
        assert stored["deleted"]
        assert stored["data"]["note"] == "督导删除前补充的材料", "the edit is kept in the tombstone"
        assert [c["field"] for c in district.conflicts(record)] == ["deleted_at"]
        for client in (alice, supervisor):
            assert _inspections(client, org) == {}
            assert [c.field for c in client.conflicts() if c.record_id == record] == ["deleted_at"]
    finally:
        supervisor.close()
