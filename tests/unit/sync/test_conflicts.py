"""Conflicts shown with Chinese labels and settled through the outbox (both values stay on record)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.models import OutboxEntry, SocialOrg
from app.services.core.database import Database
from app.services.sync import list_conflicts, resolve_conflict
from app.services.sync.apply import apply_changes
from tests.unit.sync.sync_builders import change, org_row


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
        entry = session.execute(select(OutboxEntry)).scalar_one()
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
        assert session.execute(select(OutboxEntry)).first() is None


def test_choosing_a_delete_tombstones_the_record(db: Database) -> None:
    org = org_row("要删除的协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9),
                                _conflict(org["id"], "deleted_at", "2026-03-30T08:00:00+00:00", None, None)])
    resolve_conflict(db.session_factory, "c-deleted_at", "yours", actor="alice")
    with db.session_factory() as session:
        row = session.get(SocialOrg, org["id"])
        entry = session.execute(select(OutboxEntry)).scalar_one()
    assert row is not None and row.deleted_at is not None and str(entry.op) == "delete"
