"""Recording the server's answer to a push (SYNC.md §8.4): acked / conflict states, the returned record
written to the local row unless a newer unsent op holds it, rejected ops kept with their reason, and ops
left in flight by a crash sent again."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app import wire
from app.domain.enums import OrgType, OutboxState
from app.models import OutboxEntry, SocialOrg
from app.services.core import clock
from app.services.core.database import Database
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org, update_org
from app.services.sync.push import PushTally, Sent, record_results, recover_in_flight, take_batch


def _org(db: Database, name: str = "甲协会") -> str:
    return create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED), actor="t").id


def _take(db: Database, limit: int = 100) -> list[Sent]:
    with db.session_factory.begin() as session:
        return take_batch(session, limit, clock.now())


def _record(db: Database, batch: list[Sent], results: list[dict[str, Any]]) -> PushTally:
    tally = PushTally()
    with db.session_factory.begin() as session:
        record_results(session, batch, results, tally)
    return tally


def _entries(db: Database) -> list[OutboxEntry]:
    with db.session_factory() as session:
        return list(session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars())


def _row(db: Database, org_id: str) -> SocialOrg:
    with db.session_factory() as session:
        row = session.get(SocialOrg, org_id)
        assert row is not None
        return row


def _server_record(sent: Sent, version: int, **changes: Any) -> dict[str, Any]:
    return {"entity": sent.entity, "id": sent.record_id, "scope": sent.scope, "version": version,
            "deleted": False, "data": {**sent.fields, **changes}}


def test_a_batch_is_marked_in_flight_with_the_wire_op(db: Database) -> None:
    org_id = _org(db)
    [sent] = _take(db)
    assert sent.wire_op["entity"] == "social_org" and sent.wire_op["id"] == org_id
    assert sent.wire_op["scope"] == f"org:{org_id}" and sent.wire_op["op"] == "upsert"
    assert sent.wire_op["base_version"] == 0 and sent.wire_op["fields"]["name"] == "甲协会"
    assert [(e.state, e.attempts) for e in _entries(db)] == [(OutboxState.IN_FLIGHT, 1)]
    assert _take(db) == []  # nothing else to send


def test_applied_and_merged_answers_ack_and_write_the_server_record(db: Database) -> None:
    org_id = _org(db)
    [sent] = _take(db)
    merged = _server_record(sent, 12, contact_phone="0591-1234")  # someone else's edit merged in
    tally = _record(db, [sent], [{"op_id": sent.op_id, "status": wire.MERGED, "version": 12, "record": merged}])
    assert (tally.pushed, tally.merged, tally.applied) == (1, 1, 0)
    assert _entries(db)[0].state is OutboxState.ACKED
    row = _row(db, org_id)
    assert row.server_version == 12 and row.contact_phone == "0591-1234"


def test_a_conflict_answer_marks_the_op_and_keeps_the_live_value(db: Database) -> None:
    org_id = _org(db)
    [sent] = _take(db)
    live = _server_record(sent, 4, name="乙协会")
    tally = _record(db, [sent], [{"op_id": sent.op_id, "status": wire.CONFLICT, "version": 4, "record": live,
                                  "conflicts": [{"field": "name", "yours": "甲协会", "other": "乙协会",
                                                 "kept": "乙协会"}]}])
    assert tally.conflicts == 1
    assert _entries(db)[0].state is OutboxState.CONFLICT
    assert _row(db, org_id).name == "乙协会"


def test_a_rejected_op_is_kept_with_its_reason(db: Database) -> None:
    _org(db, "丙协会")
    [sent] = _take(db)
    tally = _record(db, [sent], [{"op_id": sent.op_id, "status": wire.REJECTED,
                                  "error": {"code": wire.FORBIDDEN, "message": "没有权限修改这个组织"}}])
    [entry] = _entries(db)
    assert entry.state is OutboxState.REJECTED and entry.last_error == "没有权限修改这个组织"
    assert tally.rejected == 1 and "丙协会" in tally.messages[0] and "没有权限" in tally.messages[0]
    assert _take(db) == []  # not sent again by itself


def test_a_blob_missing_op_waits_for_the_next_run(db: Database) -> None:
    _org(db)
    run_started = clock.now()
    [sent] = _take(db)
    _record(db, [sent], [{"op_id": sent.op_id, "status": wire.REJECTED,
                          "error": {"code": wire.BLOB_MISSING, "message": "附件文件缺失"}}])
    [entry] = _entries(db)
    assert entry.state is OutboxState.PENDING and entry.next_attempt_at is not None
    with db.session_factory.begin() as session:
        assert take_batch(session, 100, run_started) == []  # not again in the run that met it
    with db.session_factory.begin() as session:
        assert len(take_batch(session, 100, clock.now().replace(year=2100))) == 1  # the next run sends it


def test_a_newer_unsent_edit_keeps_the_local_value_and_is_rebased(db: Database) -> None:
    org_id = _org(db)
    [sent] = _take(db)
    update_org(db.session_factory, org_id, OrgInput(name="甲协会（新）", org_type=OrgType.COMMUNITY_FILED), actor="t")
    _record(db, [sent], [{"op_id": sent.op_id, "status": wire.APPLIED, "version": 7,
                          "record": _server_record(sent, 7)}])
    first, second = _entries(db)
    assert first.state is OutboxState.ACKED
    assert second.state is OutboxState.PENDING and second.base_version == 7
    assert _row(db, org_id).name == "甲协会（新）"


def test_a_duplicate_answer_acks_with_the_original_outcome(db: Database) -> None:
    _org(db)
    [sent] = _take(db)
    tally = _record(db, [sent], [{"op_id": sent.op_id, "status": wire.DUPLICATE, "original": wire.APPLIED,
                                  "version": 3, "record": _server_record(sent, 3)}])
    assert tally.duplicates == 1 and _entries(db)[0].state is OutboxState.ACKED


def test_ops_left_in_flight_go_back_to_pending(db: Database) -> None:
    _org(db)
    _take(db)  # ... and the process dies before the answer is recorded
    with db.session_factory.begin() as session:
        assert recover_in_flight(session) == 1
    [entry] = _entries(db)
    assert entry.state is OutboxState.PENDING
    [again] = _take(db)
    assert again.op_id == entry.op_id  # the same op id: the server answers "duplicate" if it had it


def test_one_op_per_record_per_batch(db: Database) -> None:
    org_id = _org(db)
    _take(db)
    update_org(db.session_factory, org_id, OrgInput(name="改名", org_type=OrgType.COMMUNITY_FILED), actor="t")
    with db.session_factory.begin() as session:
        recover_in_flight(session)
    batch = _take(db)
    assert len(batch) == 1 and batch[0].fields["name"] == "甲协会"
