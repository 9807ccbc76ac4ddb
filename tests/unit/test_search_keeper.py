"""The search index is derived data kept in step on every write path (DESIGN §3): a change that reaches
``social_org`` through Core (as a sync pull or a bulk load will write it) is reindexed by the keeper that
``app.services.orgs.search`` registers with ``core.derived``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, text

from app import paths
from app.domain.enums import OrgType
from app.services.core import derived
from app.services.core.database import Database, open_database
from app.services.core.outbox_guard import bulk_writes
from app.services.orgs import search
from app.services.orgs.dto import LedgerFilter, LedgerSort, OrgInput
from app.services.orgs.ledger import query_ledger, search_orgs
from app.services.orgs.organizations import create_org


def _config(connection: object) -> Config:
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    config.attributes["connection"] = connection
    return config


def _found(db: Database, query: str) -> set[str]:
    return {hit.id for hit in search_orgs(db.session_factory, query, limit=100)}


def _core_write(db: Database, sql: str, org_id: str, **params: object) -> None:
    """A write that bypasses the service (on the sanctioned bulk path, as a sync pull writes), then what
    every write path reports to core.derived."""
    with db.session_factory.begin() as session, bulk_writes(session):
        session.execute(text(sql), {"i": org_id, **params})
        derived.rows_changed(session, {"social_org": {org_id}})


def _index_rows(db: Database, org_id: str) -> tuple[int, int, int]:
    """(trigram rows, unigram rows, document ids) of the organization; each index row's rowid is its
    document id, which its social_org row carries for the ledger's text filter."""
    with db.session_factory() as session:
        docs = session.execute(text("SELECT doc FROM org_search_doc WHERE org_id = :i"), {"i": org_id}).scalars().all()
        on_row = session.execute(text("SELECT search_doc FROM social_org WHERE id = :i"), {"i": org_id}).scalar()
        counts = []
        for table in ("org_search_tri", "org_search_uni"):
            rowids = session.execute(text(f"SELECT rowid FROM {table} WHERE org_id = :i"), {"i": org_id}).scalars()
            found = list(rowids)
            assert all(rowid in docs and rowid == on_row for rowid in found)
            counts.append(len(found))
        return counts[0], counts[1], len(docs)


def test_the_search_index_registers_its_keeper() -> None:
    assert search.keep_search_in_step in derived.keepers_for("social_org")


def test_a_rename_through_core_is_reindexed_with_its_pinyin(db: Database) -> None:
    """Issue 5 item 6: a rename arriving through Core left the index stale (new name 0 hits, old 1)."""
    org = create_org(db.session_factory, OrgInput(name="阳光志愿者协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
    _core_write(db, "UPDATE social_org SET name = :n WHERE id = :i", org.id, n="长乐商会联谊会")
    assert _found(db, "长乐商会") == {org.id}
    assert _found(db, "阳光志愿者") == set()
    assert _found(db, "ygzyz") == set() and _found(db, "yangguang") == set()
    assert _found(db, "clsh") == {org.id} and _found(db, "changle") == {org.id}
    with db.session_factory() as session:
        keys = session.execute(text("SELECT name_pinyin, name_initials FROM social_org WHERE id = :i"),
                               {"i": org.id}).one()
    assert tuple(keys) == ("changleshanghuilianyihui", "clshlyh")  # the ledger's name order follows the name
    assert _index_rows(db, org.id) == (1, 1, 1)


def test_a_tombstone_through_core_leaves_the_index_and_a_restore_comes_back(db: Database) -> None:
    org = create_org(db.session_factory, OrgInput(name="黄巷社区腰鼓队", org_type=OrgType.COMMUNITY_FILED), actor="t")
    _core_write(db, "UPDATE social_org SET deleted_at = '2026-12-01 00:00:00' WHERE id = :i", org.id)
    assert _found(db, "腰鼓") == set()
    assert query_ledger(db.session_factory, LedgerFilter(text="腰鼓"), LedgerSort()).ids == ()
    assert _index_rows(db, org.id) == (0, 0, 1)  # the document id is kept for a restore
    _core_write(db, "UPDATE social_org SET deleted_at = NULL WHERE id = :i", org.id)
    assert _found(db, "腰鼓") == {org.id}
    assert _index_rows(db, org.id) == (1, 1, 1)


def test_rows_inserted_through_core_are_indexed_and_a_vanished_row_is_forgotten(db: Database) -> None:
    with db.session_factory.begin() as session, bulk_writes(session):
        session.execute(text(
            "INSERT INTO social_org (id, org_id, server_version, updated_at, updated_by, name, short_name, org_type,"
            " community_category, uscc, uscc_override_reason, legal_representative, registration_authority,"
            " supervisory_unit, industry_department, sub_district, community, address, contact_person,"
            " contact_phone, party_clause_in_charter, archive_reason, notes, name_pinyin, name_initials)"
            " VALUES ('x1', 'x1', 5, '2026-12-01 00:00:00', 'server', '温泉社区书画社', '', 'COMMUNITY_FILED', '',"
            " '', '', '', '', '', '', '温泉街道', '温泉社区', '', '', '', 0, '', '', '', '')"))
        derived.rows_changed(session, {"social_org": {"x1"}})
    assert _found(db, "书画社") == {"x1"} and _found(db, "温泉街道") == {"x1"} and _found(db, "wqsq") == {"x1"}
    with db.session_factory.begin() as session:
        search.index_new_orgs(session, ["x1"])  # the bulk-load entry point again: harmless, nothing doubled
    assert _index_rows(db, "x1") == (1, 1, 1)
    with db.session_factory.begin() as session, bulk_writes(session):
        session.execute(text("DELETE FROM social_org WHERE id = 'x1'"))
        derived.rows_changed(session, {"social_org": {"x1"}})
    assert _index_rows(db, "x1") == (0, 0, 0)


def test_upgrade_to_0008_indexes_places_and_normalizes_keeping_document_ids(tmp_path: Path) -> None:
    path = tmp_path / "at0005.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0005")
        conn.execute(text(
            "INSERT INTO social_org (id, org_id, server_version, updated_at, updated_by, name, short_name, org_type,"
            " community_category, uscc, uscc_override_reason, legal_representative, registration_authority,"
            " supervisory_unit, industry_department, sub_district, community, address, contact_person,"
            " contact_phone, party_clause_in_charter, archive_reason, notes, name_pinyin, name_initials)"
            " VALUES ('o1', 'o1', 1, '2026-12-01 00:00:00', 'old', '夕阳红合唱团', '', 'SOCIAL_GROUP', '',"
            " '52350102ＭＪ0000010', '', '', '', '', '', '安泰街道', '黄巷社区', '', '', '', 0, '', '',"
            " 'xiyanghonghechangtuan', 'xyhhct')"))
        conn.execute(text("INSERT INTO org_search_doc (doc, org_id) VALUES (7, 'o1')"))
    engine.dispose()
    database = open_database(path)
    try:
        db_found = {h.id for h in search_orgs(database.session_factory, "黄巷社区")}
        assert db_found == {"o1"}
        assert {h.id for h in search_orgs(database.session_factory, "MJ00")} == {"o1"}
        assert {h.id for h in search_orgs(database.session_factory, "xiyang")} == {"o1"}
        with database.session_factory() as session:
            assert session.execute(text("SELECT rowid FROM org_search_tri")).scalars().all() == [7]
            assert session.execute(text("SELECT search_doc FROM social_org")).scalars().all() == [7]
        ledger = query_ledger(database.session_factory, LedgerFilter(text="黄巷"), LedgerSort())
        assert ledger.ids == ("o1",)
    finally:
        database.close()
