"""Applying pulled changes (SYNC.md §8.4): versions decide, unsent local edits are never overwritten,
tombstones follow the same rule, follow-ups stay append-only, conflicts land in their table, and derived
data (search, coverage) follows as after any other write."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.domain.enums import OrgType, RectificationFollowUpKind
from app.models import OutboxEntry, RectificationFollowUp, SocialOrg, SyncConflict
from app.services.core.database import Database
from app.services.orgs.dto import OrgInput
from app.services.orgs.ledger import search_orgs
from app.services.orgs.organizations import create_org, update_org
from app.services.sync.apply import Applied, apply_changes
from tests.unit.sync.sync_builders import change, org_row, sample_row


def _apply(db: Database, changes: list[dict]) -> Applied:
    with db.session_factory.begin() as session:
        return apply_changes(session, changes)


def _org(db: Database, org_id: str) -> SocialOrg:
    with db.session_factory() as session:
        row = session.get(SocialOrg, org_id)
        assert row is not None
        return row


def _outbox_count(db: Database) -> int:
    with db.session_factory() as session:
        return session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one()


def test_a_pulled_org_is_stored_without_an_outbox_entry_found_by_search_and_covered(db: Database) -> None:
    org = org_row("阳光志愿者协会")
    party = sample_row("party_org")
    coverage = sample_row("party_org_coverage", scope_value=party["id"])
    coverage["org_id"] = org["id"]
    done = _apply(db, [change("social_org", org, 3), change("party_org", party, 4),
                       change("party_org_coverage", coverage, 5)])
    assert done.written == 3 and done.problems == []
    assert _outbox_count(db) == 0
    stored = _org(db, org["id"])
    assert stored.name == "阳光志愿者协会" and stored.server_version == 3
    assert [hit.id for hit in search_orgs(db.session_factory, "阳光志愿")] == [org["id"]]
    assert [hit.id for hit in search_orgs(db.session_factory, "ygzy")] == [org["id"]]
    assert stored.derived_coverage == "ORGANIZATION"


def test_an_older_or_equal_version_changes_nothing(db: Database) -> None:
    org = org_row("甲协会")
    _apply(db, [change("social_org", org, 7)])
    assert _apply(db, [change("social_org", {**org, "name": "旧名"}, 7)]).written == 0
    assert _apply(db, [change("social_org", {**org, "name": "更旧"}, 5)]).written == 0
    assert _org(db, org["id"]).name == "甲协会"
    assert _apply(db, [change("social_org", {**org, "name": "新名"}, 9)]).written == 1
    assert _org(db, org["id"]).name == "新名"


def test_a_row_with_an_unsent_edit_keeps_the_local_value(db: Database) -> None:
    org_id = create_org(db.session_factory, OrgInput(name="本机协会", org_type=OrgType.COMMUNITY_FILED), actor="t").id
    done = _apply(db, [change("social_org", org_row("服务器的名字", org_id), 4)])
    assert done.written == 0 and done.kept_local == 1
    assert _org(db, org_id).name == "本机协会"
    assert _org(db, org_id).server_version == 0


def test_tombstones_apply_like_edits(db: Database) -> None:
    org = org_row("将被删除的协会")
    _apply(db, [change("social_org", org, 2)])
    tomb = {**org, "deleted_at": org["updated_at"]}
    _apply(db, [change("social_org", tomb, 3, deleted=True)])
    assert _org(db, org["id"]).deleted_at is not None
    assert search_orgs(db.session_factory, "将被删除") == []


def test_a_tombstone_does_not_remove_a_row_with_an_unsent_edit(db: Database) -> None:
    org_id = create_org(db.session_factory, OrgInput(name="正在编辑", org_type=OrgType.COMMUNITY_FILED), actor="t").id
    row = org_row("正在编辑", org_id)
    _apply(db, [change("social_org", {**row, "deleted_at": row["updated_at"]}, 3, deleted=True)])
    assert _org(db, org_id).deleted_at is None


def test_follow_ups_are_insert_only(db: Database) -> None:
    follow_up = sample_row("rectification_follow_up")
    follow_up.update(kind=RectificationFollowUpKind.NOTE, from_status=None, to_status=None, note="第一次")
    _apply(db, [change("rectification_follow_up", follow_up, 2)])
    rewritten = {**follow_up, "note": "被改写", "on_date": date(2026, 1, 1)}
    assert _apply(db, [change("rectification_follow_up", rewritten, 6)]).written == 1
    with db.session_factory() as session:
        stored = session.get(RectificationFollowUp, follow_up["id"])
        assert stored is not None
        assert stored.note == "第一次" and stored.server_version == 6


def test_conflicts_are_kept_in_the_local_table(db: Database) -> None:
    org = org_row("甲协会")
    record = {"entity": "sync_conflict", "id": "c-1", "scope": f"org:{org['id']}", "version": 8, "deleted": False,
              "data": {"id": "c-1", "entity": "social_org", "record_id": org["id"], "field": "contact_phone",
                       "yours": "111", "other": "222", "kept": "111", "base_version": 3, "version": 8,
                       "user": "bob"}}
    done = _apply(db, [record])
    assert done.conflicts == 1
    with db.session_factory() as session:
        stored = session.get(SyncConflict, "c-1")
        assert stored is not None
        assert (stored.yours, stored.other, stored.kept, stored.user) == ("111", "222", "111", "bob")
        assert stored.resolved_at is None


def test_an_unknown_code_is_stored_and_reported(db: Database) -> None:
    org = org_row("新版本的组织")
    data = change("social_org", org, 2)
    data["data"]["org_type"] = "PARTY_SCHOOL"
    done = _apply(db, [data])
    assert done.written == 1 and any("PARTY_SCHOOL" in p for p in done.problems)


def test_an_unknown_entity_is_skipped_and_reported(db: Database) -> None:
    done = _apply(db, [{"entity": "hologram", "id": "x", "scope": "org:y", "version": 2, "deleted": False,
                        "data": {}}])
    assert done.written == 0 and "hologram" in done.problems[0]


def test_a_local_edit_after_a_pull_is_queued_against_the_pulled_version(db: Database) -> None:
    org = org_row("甲协会")
    _apply(db, [change("social_org", org, 5)])
    update_org(db.session_factory, org["id"], OrgInput(name="甲协会（改）", org_type=OrgType.COMMUNITY_FILED),
               actor="t")
    with db.session_factory() as session:
        entry = session.execute(select(OutboxEntry)).scalar_one()
    assert entry.base_version == 5 and entry.fields["name"] == "甲协会（改）"
