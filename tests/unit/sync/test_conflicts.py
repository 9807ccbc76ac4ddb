"""Conflicts shown with Chinese labels and settled through the outbox (both values stay on record)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, select

from app.models import OutboxEntry, SocialOrg, SyncConflict, SyncScope
from app.services.core import clock
from app.services.core.database import Database
from app.services.core.outbox import QuarantinedScopeError
from app.services.sync import list_conflicts, resolve_conflict, sync_status
from app.services.sync.apply import apply_changes
from app.services.sync.push import PushTally, record_results, take_batch, to_op
from app.services.sync.scopes import note_granted
from tests.unit.sync.sync_builders import change, org_row, sample_row, sign_in_locally


def _conflict(org_id: str, field: str, yours: Any, other: Any, kept: Any) -> dict[str, Any]:
    return {"entity": "sync_conflict", "id": f"c-{field}", "scope": f"org:{org_id}", "version": 9, "deleted": False,
            "data": {"id": f"c-{field}", "entity": "social_org", "record_id": org_id, "field": field, "yours": yours,
                     "other": other, "kept": kept, "base_version": 2, "version": 9, "user": "bob"}}


def test_a_conflict_is_listed_with_chinese_labels(db: Database) -> None:
    org = org_row("阳光协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9),
                                _conflict(org["id"], "contact_phone", "0591-87652222", None, "0591-87652222")])
    [item] = list_conflicts(db.session_factory)
    assert (item.entity_label, item.record_label) == ("社会组织", "社会组织“阳光协会”")
    assert item.field_label == "联系电话" and (item.yours, item.other) == ("0591-87652222", "（空）")
    assert item.by == "bob" and item.at is not None


def test_choosing_the_other_value_writes_it_through_the_outbox(db: Database) -> None:
    org_id = "00000000-0000-7000-8000-000000000001"
    org = org_row("阳光协会", org_id, contact_phone="0591-87651111")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9),
                                _conflict(org_id, "contact_phone", "0591-87651111", "0591-87652222", "0591-87651111")])
    resolve_conflict(db.session_factory, "c-contact_phone", "other", actor="alice")
    with db.session_factory() as session:
        row = session.get(SocialOrg, org_id)
        entry = session.execute(select(OutboxEntry).where(OutboxEntry.entity == "social_org")).scalar_one()
    assert row is not None and row.contact_phone == "0591-87652222"
    assert entry.fields["contact_phone"] == "0591-87652222" and entry.base_version == 9
    assert list_conflicts(db.session_factory) == []
    assert len(list_conflicts(db.session_factory, include_resolved=True)) == 1


def test_keeping_the_live_value_writes_nothing(db: Database) -> None:
    org = org_row("阳光协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9),
                                _conflict(org["id"], "name", "阳光协会", "月光协会", "阳光协会")])
    resolve_conflict(db.session_factory, "c-name", "kept", actor="alice")
    with db.session_factory() as session:
        [entry] = session.execute(select(OutboxEntry)).scalars()
    assert (entry.entity, entry.record_id, entry.op) == ("sync_conflict", "c-name", "delete")  # only settled


def test_settling_queues_one_op_that_tells_the_server(db: Database) -> None:
    """The other laptops learn of it through the server: one ``delete`` on the conflict, in its scope."""
    org = org_row("阳光协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9),
                                _conflict(org["id"], "name", "阳光协会", "月光协会", "阳光协会")])
    resolve_conflict(db.session_factory, "c-name", "other", actor="alice")
    resolve_conflict(db.session_factory, "c-name", "kept", actor="alice")  # changing one's mind: no second settle
    with db.session_factory() as session:
        settles = list(session.execute(select(OutboxEntry).where(OutboxEntry.entity == "sync_conflict")).scalars())
        assert [to_op(entry) for entry in settles] == [
            {"op_id": settles[0].op_id, "entity": "sync_conflict", "id": "c-name", "op": "delete",
             "scope": f"org:{org['id']}", "base_version": 9, "fields": {}}]
    assert sync_status(db.session_factory).pending == 2  # the name back, and the settle


def test_a_conflict_settled_elsewhere_is_settled_here_when_pulled(db: Database) -> None:
    org = org_row("阳光协会")
    pulled = _conflict(org["id"], "name", "阳光协会", "月光协会", "阳光协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9), pulled])
    settled = {**pulled, "version": 12, "deleted": True,
               "data": {**pulled["data"], "resolved_by": "bob", "resolved_at": "2026-03-30T02:00:00+00:00"}}
    with db.session_factory.begin() as session:
        assert apply_changes(session, [settled]).conflicts == 0  # not counted as a new conflict
    assert list_conflicts(db.session_factory) == []
    with db.session_factory() as session:
        row = session.get(SyncConflict, "c-name")
        assert row is not None and row.resolved_by == "bob" and row.resolved_at is not None
        assert row.resolved_at.isoformat().startswith("2026-03-30")


def test_choosing_a_delete_tombstones_the_record(db: Database) -> None:
    org = org_row("要删除的协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9),
                                _conflict(org["id"], "deleted_at", "2026-03-30T08:00:00+00:00", None, None)])
    resolve_conflict(db.session_factory, "c-deleted_at", "yours", actor="alice")
    with db.session_factory() as session:
        row = session.get(SocialOrg, org["id"])
        entry = session.execute(select(OutboxEntry).where(OutboxEntry.entity == "social_org")).scalar_one()
    assert row is not None and row.deleted_at is not None and str(entry.op) == "delete"


def _open_conflict(db: Database) -> str:
    """A synced organization with an open conflict on its name; returns the organization's id."""
    org = org_row("阳光协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9),
                                _conflict(org["id"], "name", "阳光协会", "月光协会", "阳光协会")])
    return str(org["id"])


def test_the_settle_waits_for_the_edit_that_carries_the_choice(db: Database) -> None:
    _open_conflict(db)
    resolve_conflict(db.session_factory, "c-name", "other", actor="alice")
    started = clock.now()
    with db.session_factory.begin() as session:
        first = take_batch(session, 100, started)
    assert [sent.entity for sent in first] == ["social_org"]  # the settle is held back
    with db.session_factory.begin() as session:
        record_results(session, first, [{"op_id": first[0].op_id, "status": "applied"}], PushTally())
    with db.session_factory.begin() as session:
        assert [sent.entity for sent in take_batch(session, 100, started)] == ["sync_conflict"]


def test_a_refused_settle_is_dropped_not_listed_as_refused(db: Database) -> None:
    _open_conflict(db)
    resolve_conflict(db.session_factory, "c-name", "kept", actor="alice")
    with db.session_factory.begin() as session:
        [sent] = take_batch(session, 100, clock.now())
        record_results(session, [sent], [{"op_id": sent.op_id, "status": "rejected", "error": {
            "code": "forbidden", "message": "无权修改此记录"}}], PushTally())
    status = sync_status(db.session_factory)
    assert status.failed == () and status.pending == 0
    assert list_conflicts(db.session_factory) == []  # settled here all the same


def test_a_settle_is_no_unsent_data_when_the_organization_is_taken_away(db: Database) -> None:
    """Only a settle op waits: losing the organization purges it (nothing of the user's to keep)."""
    sign_in_locally(db.session_factory)
    org_id = _open_conflict(db)
    scope = f"org:{org_id}"
    with db.session_factory.begin() as session:
        note_granted(session, [scope], first_sync=True)
    resolve_conflict(db.session_factory, "c-name", "kept", actor="alice")
    with db.session_factory.begin() as session:
        changes = note_granted(session, [], first_sync=False)
    assert (changes.removed, changes.quarantined) == ([scope], [])
    with db.session_factory() as session:
        assert session.get(SocialOrg, org_id) is None and session.execute(select(OutboxEntry)).first() is None


def test_no_conflict_of_a_quarantined_organization_can_be_settled(db: Database) -> None:
    sign_in_locally(db.session_factory)
    org_id = _open_conflict(db)
    with db.session_factory.begin() as session:
        session.add(SyncScope(scope=f"org:{org_id}", state="quarantined", backfill_cursor=None))
    with pytest.raises(QuarantinedScopeError):
        resolve_conflict(db.session_factory, "c-name", "kept", actor="alice")
    with db.session_factory() as session:
        assert session.execute(select(OutboxEntry)).first() is None
    assert len(list_conflicts(db.session_factory)) == 1


def test_which_value_is_this_laptops_and_whose_names_are_shown(db: Database) -> None:
    sign_in_locally(db.session_factory, username="alice")
    org = org_row("阳光协会")
    pulled = _conflict(org["id"], "name", "月光协会", "阳光协会", "月光协会")
    pulled["data"].update(user="bob", other_user="alice", op_id="op-of-bob")
    instructor = sample_row("instructor")
    instructor.update(username="bob", name="李四")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9), change("instructor", instructor, 3), pulled])
    [item] = list_conflicts(db.session_factory)
    assert (item.by, item.other_by, item.mine) == ("李四", "alice", "other")  # alice wrote the value met
    with db.session_factory.begin() as session:  # had the op been pushed from here, "yours" is this laptop's
        session.add(OutboxEntry(op_id="op-of-bob", entity="social_org", record_id=org["id"], scope_key="org_id",
                                scope_id=org["id"], op="upsert", base_version=9, fields={}, state="acked"))
    assert list_conflicts(db.session_factory)[0].mine == "yours"
    sign_in_locally(db.session_factory, username="carol")
    with db.session_factory.begin() as session:
        session.execute(delete(OutboxEntry))
    assert list_conflicts(db.session_factory)[0].mine == ""  # neither: a third party's laptop
