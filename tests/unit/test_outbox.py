"""The outbox capture: every flush that adds, changes or tombstones a synced row queues its entry in the
same transaction; consecutive pending edits of one record coalesce into one entry."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect, select, text, update

from app.domain.enums import OrgType, OutboxOp, OutboxState, PartyOrgFormation, PartyOrgLevel
from app.models import AuditLog, OutboxEntry, PartyOrg, PartyOrgCoverage, SocialOrg, new_id
from app.models.base import scope_of
from app.models.org import DERIVED_COLUMNS
from app.services.core import derived, identity
from app.services.core.database import Database
from app.services.core.outbox import (
    UnrecordedWriteError,
    bulk_load,
    record_delete,
    record_upsert,
    set_actor,
    tombstone,
    wire_value,
)
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


def _add_party_org(db: Database, name: str = "联合党支部") -> str:
    with db.session_factory.begin() as session:
        set_actor(session, "t")
        party = _party_org(new_id(), name)
        session.add(party)
    return party.id


def _rename(db: Database, party_id: str, name: str, actor: str = "t") -> None:
    with db.session_factory.begin() as session:
        set_actor(session, actor)
        row = session.get(PartyOrg, party_id)
        assert row is not None
        row.name = name


def _set_state(db: Database, record_id: str, state: OutboxState) -> None:
    with db.session_factory.begin() as session:  # what the push does when it sends an entry
        session.execute(update(OutboxEntry).where(OutboxEntry.record_id == record_id).values(state=state))


# -- what an entry holds ----------------------------------------------------------------------------------


def test_create_queues_one_upsert_with_every_field(db: Database) -> None:
    detail = create_org(db.session_factory, _input(founded_on=date(2020, 5, 4), member_count=12), actor="u:me")
    [entry] = _entries(db)
    assert entry.entity == "social_org"
    assert entry.record_id == detail.id
    assert (entry.scope_key, entry.scope_id) == ("org_id", detail.id)
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


def test_entry_records_the_scope_key_of_the_model(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(PartyOrgCoverage, "scope_key", "party_org_id")  # the party aggregate's scope
    party_id = new_id()
    with db.session_factory.begin() as session:
        coverage = PartyOrgCoverage(id=new_id(), org_id=new_id(), party_org_id=party_id)
        session.add(coverage)
    [entry] = _entries(db, coverage.id)
    assert (entry.scope_key, entry.scope_id) == ("party_org_id", party_id) == ("party_org_id", scope_of(coverage))


def test_row_and_entry_share_the_transaction(db: Database) -> None:
    with pytest.raises(RuntimeError, match="after the flush"), db.session_factory.begin() as session:
        session.add(_party_org(new_id()))
        session.flush()
        assert session.execute(select(OutboxEntry)).scalars().all() != []  # queued inside the transaction
        raise RuntimeError("failure after the flush")
    with db.session_factory() as session:
        assert session.execute(select(PartyOrg)).first() is None
    assert _entries(db) == []


def test_update_queues_only_the_changed_fields(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    _set_state(db, detail.id, OutboxState.ACKED)  # the create has been pushed
    update_org(db.session_factory, detail.id, _input(address="东街100号", member_count=30), actor="u:other")
    first, second = _entries(db, detail.id)
    assert first.seq < second.seq
    assert set(second.fields) == {"address", "member_count"} | SYNC_BOOKKEEPING
    assert second.fields["address"] == "东街100号" and second.fields["member_count"] == 30
    assert second.fields["updated_by"] == "u:other"
    assert second.op is OutboxOp.UPSERT and second.base_version == 0


def test_renaming_sends_the_name_and_keeps_the_sort_keys_local(db: Database) -> None:
    """name_pinyin / name_initials are derived from the name on each client (DERIVED_COLUMNS): never sent."""
    detail = create_org(db.session_factory, _input(), actor="t")
    _set_state(db, detail.id, OutboxState.ACKED)
    update_org(db.session_factory, detail.id, _input(name="阿里社区服务社"), actor="t")
    last = _entries(db, detail.id)[-1]
    assert set(last.fields) == {"name"} | SYNC_BOOKKEEPING
    with db.session_factory() as session:
        initials = session.execute(select(SocialOrg.name_initials).where(SocialOrg.id == detail.id)).scalar_one()
    assert initials == "alsqfws"


def test_update_that_changes_nothing_writes_no_entry(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    before = _entries(db, detail.id)
    again = update_org(db.session_factory, detail.id, _input(address="  五一路8号 "), actor="t")  # trimmed: same
    assert [(e.seq, e.fields) for e in _entries(db, detail.id)] == [(e.seq, e.fields) for e in before]
    assert again.updated_at == detail.updated_at


def test_changing_only_local_columns_writes_no_entry(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    _set_state(db, detail.id, OutboxState.ACKED)
    with db.session_factory.begin() as session:
        row = session.get(SocialOrg, detail.id)
        assert row is not None
        row.server_version, row.derived_coverage = 3, "WORK"
    assert [e.state for e in _entries(db, detail.id)] == [OutboxState.ACKED]


def test_base_version_is_the_synced_server_version(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    _set_state(db, detail.id, OutboxState.ACKED)
    with db.session_factory.begin() as session:  # what a sync pull does, below the ORM
        session.execute(text("UPDATE social_org SET server_version = 7 WHERE id = :i"), {"i": detail.id})
    update_org(db.session_factory, detail.id, _input(address="新地址"), actor="t")
    last = _entries(db, detail.id)[-1]
    assert last.base_version == 7
    assert "server_version" not in last.fields


def test_archive_and_restore_coalesce_into_the_pending_entry(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    archive_org(db.session_factory, detail.id, reason="已注销", actor="t")
    [archived] = _entries(db, detail.id)
    assert archived.fields["archive_reason"] == "已注销" and archived.fields["archived_at"]
    restore_org(db.session_factory, detail.id, actor="t")
    [restored] = _entries(db, detail.id)
    assert restored.seq == archived.seq and restored.op is OutboxOp.UPSERT
    assert restored.fields["archived_at"] is None and restored.fields["archive_reason"] == ""
    assert restored.fields["name"] == "鼓楼区志愿服务协会"  # still the complete new record


# -- the flush is the capture: no helper needed -----------------------------------------------------------


def test_a_plain_add_is_captured_with_the_actor_of_the_session(db: Database) -> None:
    with db.session_factory.begin() as session:
        set_actor(session, "u:plain")
        party = _party_org(new_id())
        session.add(party)
    [entry] = _entries(db, party.id)
    assert entry.op is OutboxOp.UPSERT and entry.fields["name"] == "联合党支部"
    assert entry.fields["superior_org"] == ""  # the column default reaches the server too
    assert entry.fields["updated_by"] == "u:plain"
    with db.session_factory() as session:
        assert session.get(PartyOrg, party.id).updated_by == "u:plain"  # type: ignore[union-attr]


def test_without_set_actor_the_current_user_is_the_actor(db: Database) -> None:
    with db.session_factory.begin() as session:
        party = _party_org(new_id())
        session.add(party)
    [entry] = _entries(db, party.id)
    assert entry.fields["updated_by"] == identity.current_actor()


def test_a_query_between_an_edit_and_record_upsert_is_no_trap(db: Database) -> None:
    """Regression: the autoflush of any query raised UnrecordedWriteError before record_upsert ran."""
    party_id = _add_party_org(db)
    _set_state(db, party_id, OutboxState.ACKED)
    with db.session_factory.begin() as session:
        new = _party_org(new_id(), "新支部")
        session.add(new)
        row = session.get(PartyOrg, party_id)
        assert row is not None
        row.superior_org = "王芳"
        session.execute(select(AuditLog)).all()  # autoflush
        assert record_upsert(session, new, actor="u:svc") is not None
        entry = record_upsert(session, row, actor="u:svc")
        assert entry is not None
        new.superior_org = "李明"
        again = record_upsert(session, new, actor="u:svc")
        assert again is not None and again.fields["superior_org"] == "李明"  # the merged entry, current
    [created] = _entries(db, new.id)
    assert created.fields["name"] == "新支部" and created.fields["updated_by"] == "u:svc"
    assert created.fields["superior_org"] == "李明"
    edited = _entries(db, party_id)[-1]
    assert edited.state is OutboxState.PENDING
    assert set(edited.fields) == {"superior_org"} | SYNC_BOOKKEEPING
    assert edited.fields["updated_by"] == "u:svc"


def test_the_keepers_of_derived_data_hear_of_every_flushed_row(db: Database,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    heard: list[tuple[str, frozenset[str]]] = []
    monkeypatch.setitem(derived._KEEPERS, "party_org", [lambda _s, table, ids: heard.append((table, ids))])
    party_id = _add_party_org(db)
    _rename(db, party_id, "改名")
    with db.session_factory.begin() as session:
        tombstone(session, session.get(PartyOrg, party_id), actor="t")  # type: ignore[arg-type]
    assert heard == [("party_org", frozenset({party_id}))] * 3


# -- coalescing ---------------------------------------------------------------------------------------------


def test_n_offline_edits_cost_one_entry(db: Database) -> None:
    party_id = _add_party_org(db)
    for n in range(5):
        _rename(db, party_id, f"第{n}党支部", actor=f"u:{n}")
    [entry] = _entries(db, party_id)
    assert entry.op is OutboxOp.UPSERT and entry.base_version == 0
    assert entry.fields["name"] == "第4党支部" and entry.fields["updated_by"] == "u:4"
    assert entry.fields["level"] == "BRANCH"  # the create's fields are kept


def test_an_in_flight_entry_is_never_changed(db: Database) -> None:
    party_id = _add_party_org(db)
    _set_state(db, party_id, OutboxState.IN_FLIGHT)
    _rename(db, party_id, "发送中改名")
    _rename(db, party_id, "再改名")
    sent, pending = _entries(db, party_id)
    assert sent.state is OutboxState.IN_FLIGHT and sent.fields["name"] == "联合党支部"
    assert pending.state is OutboxState.PENDING and pending.fields["name"] == "再改名"
    assert set(pending.fields) == {"name"} | SYNC_BOOKKEEPING


def test_coalescing_keeps_the_base_version_of_the_first_edit(db: Database) -> None:
    party_id = _add_party_org(db)
    _set_state(db, party_id, OutboxState.ACKED)
    with db.session_factory.begin() as session:
        session.execute(text("UPDATE party_org SET server_version = 4 WHERE id = :i"), {"i": party_id})
    _rename(db, party_id, "一改")
    with db.session_factory.begin() as session:  # a pull brought a newer version meanwhile
        session.execute(text("UPDATE party_org SET server_version = 9 WHERE id = :i"), {"i": party_id})
    _rename(db, party_id, "二改")
    entry = _entries(db, party_id)[-1]
    assert len(_entries(db, party_id)) == 2
    assert entry.base_version == 4 and entry.fields["name"] == "二改"


# -- tombstones ----------------------------------------------------------------------------------------------


def test_tombstone_keeps_the_row_and_queues_a_delete(db: Database) -> None:
    party_id = _add_party_org(db)
    _set_state(db, party_id, OutboxState.ACKED)
    with db.session_factory.begin() as session:
        loaded = session.get(PartyOrg, party_id)
        assert loaded is not None
        entry = record_delete(session, loaded, actor="t")
        assert entry.op is OutboxOp.DELETE
    with db.session_factory() as session:
        stored = session.get(PartyOrg, party_id)
        assert stored is not None and stored.deleted_at is not None  # kept as a tombstone
    last = _entries(db, party_id)[-1]
    assert last.op is OutboxOp.DELETE
    assert set(last.fields) == {"deleted_at"} | SYNC_BOOKKEEPING


def test_tombstone_carries_the_other_edits_of_its_transaction(db: Database) -> None:
    """Regression: record_delete after other edits stored them, yet its entry carried only deleted_at."""
    party_id = _add_party_org(db)
    _set_state(db, party_id, OutboxState.ACKED)
    with db.session_factory.begin() as session:
        row = session.get(PartyOrg, party_id)
        assert row is not None
        row.superior_org = "删除前补记的书记"
        record_delete(session, row, actor="t")
    last = _entries(db, party_id)[-1]
    assert last.op is OutboxOp.DELETE
    assert last.fields["superior_org"] == "删除前补记的书记" and last.fields["deleted_at"]


def test_tombstone_after_pending_edits_keeps_them_in_one_delete(db: Database) -> None:
    party_id = _add_party_org(db)
    _rename(db, party_id, "改过名")
    with db.session_factory.begin() as session:
        tombstone(session, session.get(PartyOrg, party_id), actor="t")  # type: ignore[arg-type]
    [entry] = _entries(db, party_id)
    assert entry.op is OutboxOp.DELETE
    assert entry.fields["name"] == "改过名" and entry.fields["level"] == "BRANCH" and entry.fields["deleted_at"]


def test_restoring_a_pending_tombstone_makes_it_an_upsert_again(db: Database) -> None:
    party_id = _add_party_org(db)
    with db.session_factory.begin() as session:
        tombstone(session, session.get(PartyOrg, party_id), actor="t")  # type: ignore[arg-type]
    with db.session_factory.begin() as session:
        row = session.get(PartyOrg, party_id)
        assert row is not None
        row.deleted_at = None
    [entry] = _entries(db, party_id)
    assert entry.op is OutboxOp.UPSERT and entry.fields["deleted_at"] is None


def test_a_hard_delete_through_the_orm_is_refused(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t")
    with pytest.raises(UnrecordedWriteError, match=r"SocialOrg.*social_org.*tombstone"), \
            db.session_factory.begin() as session:
        session.delete(session.get(SocialOrg, detail.id))
    with db.session_factory() as session:
        assert session.get(SocialOrg, detail.id) is not None


def test_local_tables_are_written_freely(db: Database) -> None:
    with db.session_factory.begin() as session:
        session.add(AuditLog(actor="t", action="note", entity="social_org", record_id="x"))
    with db.session_factory() as session:
        assert session.execute(select(AuditLog.action)).scalars().all() == ["note"]


def test_bulk_load_writes_one_entry_per_row(db: Database) -> None:
    rows = []
    for n in range(5):
        party_org_id = new_id()
        rows.append({"id": party_org_id, "party_org_id": party_org_id, "name": f"党支部{n}", "level": "BRANCH",
                     "formation": "SINGLE", "established_on": None, "superior_org": ""})
    with db.session_factory.begin() as session:
        assert bulk_load(session, PartyOrg, rows, actor="import") == 5
    entries = _entries(db)
    assert [e.record_id for e in entries] == [r["id"] for r in rows]
    assert {e.scope_key for e in entries} == {"party_org_id"}  # the party aggregate's scope key
    assert [e.scope_id for e in entries] == [r["party_org_id"] for r in rows]
    assert len({e.op_id for e in entries}) == 5
    for entry, row in zip(entries, rows, strict=True):
        assert entry.entity == "party_org"
        assert entry.op is OutboxOp.UPSERT and entry.state is OutboxState.PENDING and entry.base_version == 0
        assert entry.fields["name"] == row["name"] and entry.fields["updated_by"] == "import"
    with db.session_factory() as session:
        stored = session.execute(select(PartyOrg).order_by(PartyOrg.name)).scalars().all()
        assert [p.name for p in stored] == [f"党支部{n}" for n in range(5)]
        assert all(p.updated_by == "import" and p.server_version == 0 for p in stored)


def test_bulk_load_of_nothing_writes_nothing(db: Database) -> None:
    with db.session_factory.begin() as session:
        assert bulk_load(session, PartyOrg, [], actor="t") == 0
    assert _entries(db) == []


def test_the_references_followed_name_the_organization_and_party_tables() -> None:
    """outbox spells the two table names (declaring the models would cost the first screen ~80 ms)."""
    from app.models import PartyOrg, SocialOrg
    from app.services.core.outbox import _REFERENCES

    assert {"org_id": SocialOrg.__tablename__, "party_org_id": PartyOrg.__tablename__} == _REFERENCES
