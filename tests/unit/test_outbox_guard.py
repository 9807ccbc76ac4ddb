"""No write of a synced table escapes the outbox: Core, ORM-bulk and text() DML are refused outside the
flush and the one bulk-load function, which accepts uneven rows and fills column defaults."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session

from app.domain.enums import MeetingStatus, OrgType, OutboxOp, OutboxState
from app.models import Meeting, OutboxEntry, PartyOrg, SocialOrg, new_id
from app.services.core import derived
from app.services.core.database import Database
from app.services.core.outbox import UnrecordedWriteError, bulk_load
from app.services.core.outbox_guard import refused_write
from app.services.orgs.dto import OrgInput
from app.services.orgs.facts import COVERAGE_SQL, LISTED_SQL
from app.services.orgs.organizations import create_org


def _entries(db: Database) -> list[tuple[str, OutboxOp, dict[str, object]]]:
    with db.session_factory() as session:
        return [(e.record_id, e.op, e.fields) for e in
                session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars()]


def _org(db: Database) -> str:
    data = OrgInput(name="鼓楼区志愿服务协会", org_type=OrgType.COMMUNITY_FILED, community_category="公益慈善类")
    return create_org(db.session_factory, data, actor="t").id


def _name(db: Database, org_id: str) -> str | None:
    with db.session_factory() as session:
        return session.execute(select(SocialOrg.name).where(SocialOrg.id == org_id)).scalar()


WRITES: dict[str, Callable[[Session, str], object]] = {
    "core update": lambda s, i: s.execute(update(SocialOrg).where(SocialOrg.id == i).values(name="绕过")),
    "orm bulk update": lambda s, i: s.execute(update(SocialOrg), [{"id": i, "name": "绕过"}]),
    "text update": lambda s, i: s.execute(text("UPDATE social_org SET name = '绕过' WHERE id = :i"), {"i": i}),
    "mixed update": lambda s, i: s.execute(
        text("update social_org set server_version = 2, name = :n where id = :i"), {"n": "绕过", "i": i}),
    "core delete": lambda s, i: s.execute(delete(SocialOrg).where(SocialOrg.id == i)),
    "text delete": lambda s, i: s.execute(text("DELETE FROM social_org WHERE id = :i"), {"i": i}),
    "driver delete": lambda s, i: s.connection().exec_driver_sql("DELETE FROM social_org WHERE id = ?", (i,)),
    "core insert": lambda s, i: s.execute(insert(SocialOrg.__table__).values(  # type: ignore[arg-type]
        id=new_id(), org_id=i, name="绕过", org_type="SOCIAL_GROUP")),
    "orm bulk insert": lambda s, i: s.execute(insert(PartyOrg), [
        {"id": new_id(), "party_org_id": i, "name": "绕过", "level": "BRANCH", "formation": "SINGLE"}]),
    "text replace": lambda s, i: s.execute(text("REPLACE INTO party_org (id, party_org_id) VALUES (:i, :i)"), {"i": i}),
    "cte delete": lambda s, i: s.execute(
        text("WITH gone AS (SELECT :i AS id) DELETE FROM social_org WHERE id IN (SELECT id FROM gone)"), {"i": i}),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_core_and_text_writes_of_a_synced_table_are_refused(db: Database,
                                                           write: Callable[[Session, str], object]) -> None:
    """Regression: a Core UPDATE or DELETE of a synced row went through, and the outbox never knew."""
    org_id = _org(db)
    before = _entries(db)
    with pytest.raises(UnrecordedWriteError, match=r"synced table (social_org|party_org) bypasses the outbox"), \
            db.session_factory.begin() as session:
        write(session, org_id)
    assert _name(db, org_id) == "鼓楼区志愿服务协会"
    assert _entries(db) == before


def test_core_updates_of_local_only_columns_are_allowed(db: Database) -> None:
    org_id = _org(db)
    before = _entries(db)
    with db.session_factory.begin() as session:  # what the keepers of derived data and a pull ack do
        session.execute(text("UPDATE social_org SET derived_coverage = 'WORK', server_version = 5 WHERE id = :i"),
                        {"i": org_id})
        session.execute(update(SocialOrg).where(SocialOrg.id == org_id).values(derived_credit_listed=True))
    with db.session_factory() as session:
        row = session.get(SocialOrg, org_id)
        assert row is not None and (row.derived_coverage, row.server_version, row.derived_credit_listed) == (
            "WORK", 5, True)
    assert _entries(db) == before


@pytest.mark.parametrize(("sql", "refused"), [
    ("SELECT * FROM social_org", None),
    ("INSERT INTO audit_log (actor) VALUES (?)", None),
    ("INSERT INTO org_search_tri(org_search_tri) VALUES ('optimize')", None),
    ("DELETE FROM org_search_uni WHERE rowid = ?", None),
    ("UPDATE outbox SET state = ? WHERE seq = ?", None),
    ("  -- a comment\n /* another */ UPDATE social_org SET derived_coverage = ?", None),
    ("UPDATE social_org SET derived_coverage = CASE WHEN x IN (SELECT a, b FROM t WHERE name = 'a,b') THEN 'x' "
     "ELSE 'y' END, server_version = coalesce(server_version, 0) WHERE id = ?", None),
    (f"UPDATE social_org SET derived_coverage = {COVERAGE_SQL}, derived_credit_listed = {LISTED_SQL} "
     f"WHERE deleted_at IS NULL AND (derived_coverage IS NOT {COVERAGE_SQL})", None),
    ("UPDATE social_org SET name=?, updated_at=? WHERE social_org.id = ?", ("UPDATE", "social_org")),
    ('UPDATE "social_org" SET "derived_coverage" = ?, "notes" = ? WHERE id = ?', ("UPDATE", "social_org")),
    ("UPDATE social_org SET (name, notes) = (?, ?)", ("UPDATE", "social_org")),
    ("UPDATE OR IGNORE main.meeting SET server_version = 1, title = ?", ("UPDATE", "meeting")),
    ("insert or replace into vote (id) values (?)", ("INSERT", "vote")),
    ("DELETE FROM \"member\"", ("DELETE", "member")),
    ("INSERT INTO outbox (entity) SELECT 'x' FROM social_org", None),
])
def test_the_statement_guard_reads_the_target(sql: str, refused: tuple[str, str] | None) -> None:
    assert refused_write(sql) == refused


def test_a_failed_flush_leaves_no_opening_behind(db: Database) -> None:
    org_id = _org(db)
    session = db.session_factory()
    try:
        session.begin()
        session.add(SocialOrg(id=org_id, org_id=org_id, name="重复", org_type=OrgType.SOCIAL_GROUP))
        with pytest.raises(Exception, match="UNIQUE"):
            session.flush()
        session.rollback()
        session.begin()
        with pytest.raises(UnrecordedWriteError):
            session.execute(text("DELETE FROM social_org"))
    finally:
        session.close()
    assert _name(db, org_id) == "鼓楼区志愿服务协会"


# -- bulk_load ------------------------------------------------------------------------------------------------


def test_bulk_load_accepts_uneven_rows_and_fills_column_defaults(db: Database) -> None:
    """Regression: rows of different key sets failed with StatementError; column defaults (then term_years=3,
    now the meeting's status 草稿) were never sent."""
    started = datetime(2026, 3, 1, 9, 0)
    rows: list[dict[str, object]] = [
        {"party_org_id": new_id(), "kind": "GENERAL_MEETING", "topic": "甲", "started_at": started},
        {"id": new_id(), "party_org_id": new_id(), "kind": "THEME_DAY", "topic": "乙", "started_at": started,
         "status": "DONE", "location": "党员活动室"},
        # after a fuller row
        {"party_org_id": new_id(), "kind": "GENERAL_MEETING", "topic": "丙", "started_at": started},
    ]
    with db.session_factory.begin() as session:
        assert bulk_load(session, Meeting, rows, actor="import") == 3
    with db.session_factory() as session:
        stored = {m.topic: m for m in session.execute(select(Meeting)).scalars()}
    assert (stored["甲"].status, stored["甲"].location) == (MeetingStatus.DRAFT, "")
    assert (stored["乙"].status, stored["乙"].location) == (MeetingStatus.DONE, "党员活动室")
    assert (stored["丙"].status, stored["丙"].location) == (MeetingStatus.DRAFT, "")
    assert all(m.updated_by == "import" and m.server_version == 0 and m.id for m in stored.values())
    entries = _entries(db)
    assert [record for record, _, _ in entries] == [stored[n].id for n in ("甲", "乙", "丙")]
    first = entries[0][2]
    assert first["status"] == "DRAFT" and first["location"] == "" and first["updated_by"] == "import"
    assert "server_version" not in first
    with db.session_factory() as session:
        entry = session.execute(select(OutboxEntry).limit(1)).scalar_one()
        assert entry.op is OutboxOp.UPSERT and entry.state is OutboxState.PENDING and entry.base_version == 0
        assert (entry.scope_key, entry.scope_id) == (Meeting.scope_key, rows[0][Meeting.scope_key])


def test_bulk_load_names_a_missing_or_unknown_column(db: Database) -> None:
    with pytest.raises(ValueError, match=r"party_org.*\['colour'\].*\['formation', 'level', 'name'\]"), \
            db.session_factory.begin() as session:
        bulk_load(session, PartyOrg, [{"party_org_id": new_id(), "colour": "red"}], actor="t")


def test_bulk_load_without_outbox_and_the_keepers(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    heard: list[frozenset[str]] = []
    monkeypatch.setitem(derived._KEEPERS, "party_org", [lambda _s, _t, ids: heard.append(ids)])
    with db.session_factory.begin() as session:
        assert bulk_load(session, PartyOrg, [{"id": "p1", "party_org_id": "p1", "name": "演示支部", "level": "BRANCH",
                                              "formation": "SINGLE"}], actor="demo", outbox=False) == 1
        assert bulk_load(session, PartyOrg, [], actor="demo") == 0
    assert _entries(db) == []
    assert heard == [frozenset({"p1"})]


def test_bulk_load_leaves_the_guard_closed_after_it(db: Database) -> None:
    with pytest.raises(UnrecordedWriteError), db.session_factory.begin() as session:
        bulk_load(session, PartyOrg, [{"party_org_id": "o1", "name": "支部", "level": "BRANCH", "formation": "SINGLE"}],
                  actor="t")
        session.execute(text("DELETE FROM party_org"))
