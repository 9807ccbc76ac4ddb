"""The outbox write path: every synced write is the row and its entry in one transaction."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, select, text

from app.domain.enums import OrgType, OutboxOp, OutboxState, PartyOrgFormation, PartyOrgLevel
from app.models import AuditLog, OutboxEntry, PartyOrg, SocialOrg, new_id
from app.models.org import DERIVED_COLUMNS
from app.services.core.database import Database
from app.services.core.outbox import UnrecordedWriteError, bulk_insert, record_delete, record_upsert, wire_value
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import archive_org, create_org, restore_org, update_org

SYNC_BOOKKEEPING = {"updated_at", "updated_by"}


def _entries(db: Database, record_id: str | None = None) -> list[OutboxEntry]:
    with db.session_factory() as session:
        stmt = select(OutboxEntry).order_by(OutboxEntry.seq)
        if record_id is not None:
            stmt = stmt.where(OutboxEntry.record_id == record_id)
        return list(session.execute(stmt).scalars())


def _input(**changes: object) -> OrgInput:
    base: dict[str, object] = {"name": "鼓楼区志愿服务协会", "org_type": OrgType.COMMUNITY_FILED,
                               "address": "五一路8号", "community_category": "公益慈善类"}
    base.update(changes)
    return OrgInput(**base)  # type: ignore[arg-type]


def _party_org(party_org_id: str, name: str = "联合党支部") -> PartyOrg:
    return PartyOrg(id=party_org_id, party_org_id=party_org_id, name=name, level=PartyOrgLevel.BRANCH,
                    formation=PartyOrgFormation.JOINT)


def test_create_queues_one_upsert_with_every_field(db: Database) -> None:
    detail = create_org(db.session_factory, _input(founded_on=date(2020, 5, 4), member_count=12), actor="u:me")
    [entry] = _entries(db)
    assert entry.entity == "social_org"
    assert entry.record_id == detail.id and entry.org_id == detail.id
    assert entry.op is OutboxOp.UPSERT
    assert entry.base_version == 0
    assert entry.state is OutboxState.PENDING
    assert entry.attempts == 0 and entry.last_error == ""
    columns = {attr.key for attr in inspect(SocialOrg).column_attrs}
    assert set(entry.fields) == columns - {"server_version", *DERIVED_COLUMNS}  # local-only, never pushed
    with db.session_factory() as session:
        row = session.get(SocialOrg, detail.id)
        assert row is not None
        assert entry.fields == {key: wire_value(getattr(row, key)) for key in entry.fields}
    assert entry.fields["name"] == "鼓楼区志愿服务协会"
    assert entry.fields["org_type"] == "COMMUNITY_FILED"
    assert entry.fields["founded_on"] == "2020-05-04"
    assert entry.fields["updated_by"] == "u:me"


def test_row_and_entry_share_the_transaction(db: Database) -> None:
    org_id = new_id()
    with pytest.raises(RuntimeError, match="after the helper"), db.session_factory.begin() as session:
        entry = record_upsert(session, _party_org(org_id), actor="t")
        assert entry is not None and entry.seq is not None  # flushed inside the transaction
        raise RuntimeError("failure after the helper")
    with db.session_factory() as session:
        assert session.execute(select(PartyOrg)).first() is None
    assert _entries(db) == []


def test_update_queues_only_the_changed_fields(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    update_org(db.session_factory, detail.id, _input(address="东街100号", member_count=30), actor="u:other")
    first, second = _entries(db, detail.id)
    assert first.seq < second.seq
    assert set(second.fields) == {"address", "member_count"} | SYNC_BOOKKEEPING
    assert second.fields["address"] == "东街100号" and second.fields["member_count"] == 30
    assert second.fields["updated_by"] == "u:other"
    assert second.op is OutboxOp.UPSERT and second.base_version == 0


def test_renaming_also_sends_the_derived_sort_keys(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    update_org(db.session_factory, detail.id, _input(name="阿里社区服务社"), actor="t")
    last = _entries(db, detail.id)[-1]
    assert set(last.fields) == {"name", "name_pinyin", "name_initials"} | SYNC_BOOKKEEPING
    assert last.fields["name_initials"] == "alsqfws"


def test_update_that_changes_nothing_writes_no_entry(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    again = update_org(db.session_factory, detail.id, _input(address="  五一路8号 "), actor="t")  # trimmed: same
    assert len(_entries(db, detail.id)) == 1
    assert again.updated_at == detail.updated_at


def test_base_version_is_the_synced_server_version(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    with db.session_factory.begin() as session:  # what a sync pull does, below the ORM
        session.execute(text("UPDATE social_org SET server_version = 7 WHERE id = :i"), {"i": detail.id})
    update_org(db.session_factory, detail.id, _input(address="新地址"), actor="t")
    last = _entries(db, detail.id)[-1]
    assert last.base_version == 7
    assert "server_version" not in last.fields


def test_archive_and_restore_queue_entries(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    archive_org(db.session_factory, detail.id, reason="已注销", actor="t")
    restore_org(db.session_factory, detail.id, actor="t")
    _, archived, restored = _entries(db, detail.id)
    assert set(archived.fields) == {"archived_at", "archive_reason"} | SYNC_BOOKKEEPING
    assert archived.fields["archive_reason"] == "已注销" and archived.fields["archived_at"]
    assert set(restored.fields) == {"archived_at", "archive_reason"} | SYNC_BOOKKEEPING
    assert restored.fields["archived_at"] is None and restored.fields["archive_reason"] == ""
    assert all(e.op is OutboxOp.UPSERT for e in (archived, restored))


def test_delete_tombstones_and_queues_a_delete(db: Database) -> None:
    org_id = new_id()
    with db.session_factory.begin() as session:
        party = _party_org(org_id)
        record_upsert(session, party, actor="t")
    with db.session_factory.begin() as session:
        loaded = session.get(PartyOrg, party.id)
        assert loaded is not None
        record_delete(session, loaded, actor="t")
    with db.session_factory() as session:
        stored = session.get(PartyOrg, party.id)
        assert stored is not None and stored.deleted_at is not None  # kept as a tombstone
    last = _entries(db, party.id)[-1]
    assert last.op is OutboxOp.DELETE
    assert set(last.fields) == {"deleted_at"}


def test_guard_refuses_a_new_synced_row_added_directly(db: Database) -> None:
    with pytest.raises(UnrecordedWriteError, match="PartyOrg"), db.session_factory.begin() as session:
        session.add(_party_org(new_id()))
    with db.session_factory() as session:
        assert session.execute(select(PartyOrg)).first() is None


def test_guard_refuses_a_synced_row_modified_directly(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    session = db.session_factory()
    try:
        row = session.get(SocialOrg, detail.id)
        assert row is not None
        row.address = "偷偷改的地址"
        with pytest.raises(UnrecordedWriteError, match="SocialOrg"):
            session.commit()
    finally:
        session.close()
    with db.session_factory() as session:
        assert session.get(SocialOrg, detail.id).address == "五一路8号"  # type: ignore[union-attr]


def test_guard_refuses_a_hard_delete_of_a_synced_row(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    with pytest.raises(UnrecordedWriteError, match="SocialOrg"), db.session_factory.begin() as session:
        row = session.get(SocialOrg, detail.id)
        session.delete(row)
    with db.session_factory() as session:
        assert session.get(SocialOrg, detail.id) is not None


def test_guard_marks_do_not_outlive_the_helpers_flush(db: Database) -> None:
    with pytest.raises(UnrecordedWriteError), db.session_factory.begin() as session:
        party = _party_org(new_id())
        record_upsert(session, party, actor="t")
        party.name = "改名但没有经过助手"
        session.flush()


def test_guard_allows_local_tables(db: Database) -> None:
    with db.session_factory.begin() as session:
        session.add(AuditLog(actor="t", action="note", entity="social_org", record_id="x"))
    with db.session_factory() as session:
        assert session.execute(select(AuditLog.action)).scalars().all() == ["note"]


def test_bulk_insert_writes_one_entry_per_row(db: Database) -> None:
    rows = []
    for n in range(5):
        party_org_id = new_id()
        rows.append({"id": party_org_id, "party_org_id": party_org_id, "name": f"党支部{n}", "level": "BRANCH",
                     "formation": "SINGLE", "term_years": 3, "secretary_name": "", "superior_org": ""})
    with db.session_factory.begin() as session:
        assert bulk_insert(session, PartyOrg, rows, actor="import") == 5
    entries = _entries(db)
    assert [e.record_id for e in entries] == [r["id"] for r in rows]
    assert [e.org_id for e in entries] == [r["party_org_id"] for r in rows]  # the row's scope key
    assert len({e.op_id for e in entries}) == 5
    for entry, row in zip(entries, rows, strict=True):
        assert entry.entity == "party_org"
        assert entry.op is OutboxOp.UPSERT and entry.state is OutboxState.PENDING and entry.base_version == 0
        assert entry.fields["name"] == row["name"] and entry.fields["updated_by"] == "import"
    with db.session_factory() as session:
        stored = session.execute(select(PartyOrg).order_by(PartyOrg.name)).scalars().all()
        assert [p.name for p in stored] == [f"党支部{n}" for n in range(5)]
        assert all(p.updated_by == "import" and p.server_version == 0 for p in stored)


def test_bulk_insert_of_nothing_writes_nothing(db: Database) -> None:
    with db.session_factory.begin() as session:
        assert bulk_insert(session, PartyOrg, [], actor="t") == 0
    assert _entries(db) == []
