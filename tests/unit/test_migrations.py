"""Migrations: they agree with the models, the shipped list agrees with alembic, upgrades keep data."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.runtime.environment import EnvironmentContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Engine, Integer, MetaData, create_engine, text

from app import paths
from app.models import Base
from app.services.core.database import known_revisions, open_database
from app.services.core.errors import CorruptDatabaseError
from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerSort
from app.services.orgs.ledger import query_ledger, search_orgs


def _config(connection: Any = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _diffs_via_env(engine: Engine, metadata: MetaData) -> list[Any]:
    """Run migrations/env.py (so its include_name filter and compare options apply) and compare."""
    found: list[Any] = []
    with engine.connect() as conn:
        config = _config(conn)
        script = ScriptDirectory.from_config(config)

        def compare(_rev: Any, context: Any) -> list[Any]:
            found.extend(compare_metadata(context, metadata))
            return []

        with EnvironmentContext(config, script, fn=compare):
            script.run_env()
    return found


@pytest.fixture
def migrated_engine(tmp_path: Path) -> Engine:
    database = open_database(tmp_path / "m.sqlite3")
    database.close()
    return create_engine(f"sqlite:///{database.path}")


def test_models_and_migrations_agree(migrated_engine: Engine) -> None:
    assert _diffs_via_env(migrated_engine, Base.metadata) == []


def test_the_comparison_would_see_a_difference(migrated_engine: Engine) -> None:
    # guards the test above against comparing nothing: a column the migrations lack is reported
    metadata = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(metadata)
    metadata.tables["social_org"].append_column(Column("not_migrated", Integer))
    diffs = _diffs_via_env(migrated_engine, metadata)
    assert any(d[0] == "add_column" and d[3].name == "not_migrated" for d in diffs), diffs


def test_search_tables_exist_and_only_the_env_filter_hides_them(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as conn:
        names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
        unfiltered = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert {"org_search_tri", "org_search_uni"} <= names
    removed = {d[1].name for d in unfiltered if d[0] == "remove_table"}
    assert {"org_search_tri", "org_search_uni"} <= removed
    assert all(name.startswith("org_search") for name in removed)


def test_known_revisions_agree_with_alembic() -> None:
    script = ScriptDirectory.from_config(_config())
    revisions, head = known_revisions()
    assert sorted(revisions) == sorted(s.revision for s in script.walk_revisions())
    assert script.get_heads() == [head]
    assert len(set(revisions)) == len(revisions)


def test_known_revisions_refuses_two_heads(tmp_path: Path) -> None:
    versions = tmp_path / "migrations" / "versions"
    versions.mkdir(parents=True)
    for name in ("0001_initial_schema.py", "0002_org_search_index.py"):
        (versions / name).write_text((paths.migrations_dir() / "versions" / name).read_text("utf-8"), "utf-8")
    (versions / "0003_branch.py").write_text('revision = "0003"\ndown_revision = "0001"\n', "utf-8")
    with pytest.raises(RuntimeError, match="one head"):
        known_revisions(tmp_path / "migrations")


# --- upgrading a database that already holds data -------------------------------------------------

ORGS_AT_0001 = [
    ("a0000000-0000-7000-8000-000000000001", "中北大华社会工作服务中心", "zbdhshgzfwzx", "SOCIAL_SERVICE",
     "52350100MJ0000010X", "鼓楼区五一路8号"),
    ("a0000000-0000-7000-8000-000000000002", "阳光志愿者协会", "ygzyzxh", "SOCIAL_GROUP", "", "台江区江滨路1号"),
    ("a0000000-0000-7000-8000-000000000003", "已删除的组织", "ysc", "SOCIAL_GROUP", "", "仓山区"),
]


def _database_at_0001(path: Path, insert: Callable[[Any], None]) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0001")
        insert(conn)
    engine.dispose()


def _insert_orgs(conn: Any) -> None:
    for org_id, name, initials, org_type, uscc, address in ORGS_AT_0001:
        conn.execute(
            text(
                "INSERT INTO social_org (id, org_id, server_version, deleted_at, updated_at, updated_by, name, "
                "short_name, org_type, community_category, uscc, uscc_override_reason, legal_representative, "
                "registration_authority, supervisory_unit, industry_department, sub_district, community, "
                "address, contact_person, contact_phone, party_clause_in_charter, archive_reason, notes, "
                "name_pinyin, name_initials) VALUES (:id, :id, 3, :deleted, '2026-01-02 03:04:05', 'old', "
                ":name, '', :type, '', :uscc, '', '', '', '', '', '', '', :address, '', '', 0, '', '', "
                ":initials, :initials)"
            ),
            {"id": org_id, "name": name, "type": org_type, "uscc": uscc, "address": address,
             "initials": initials, "deleted": "2026-02-01 00:00:00" if name.startswith("已删除") else None},
        )


def test_upgrade_keeps_the_data_and_indexes_it(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path, _insert_orgs)
    database = open_database(path)
    try:
        _, head = known_revisions()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
            rows = conn.execute(text("SELECT id, name, server_version, updated_by FROM social_org ORDER BY id"))
            assert [tuple(r) for r in rows] == [(o[0], o[1], 3, "old") for o in ORGS_AT_0001]
        factory = database.session_factory
        first, second, deleted = (o[0] for o in ORGS_AT_0001)
        assert [h.id for h in search_orgs(factory, "大华")] == [first]  # unigram index
        assert [h.id for h in search_orgs(factory, "华社会工作")] == [first]  # trigram index
        assert [h.id for h in search_orgs(factory, "zbdh")] == [first]  # pinyin initials
        with database.engine.connect() as conn:  # the trigram table's pinyin is full-width (no shared trigram)
            stored = conn.execute(text("SELECT initials FROM org_search_tri WHERE org_id = :i"), {"i": first})
            assert stored.scalar_one() == "ｚｂｄｈｓｈｇｚｆｗｚｘ"
        assert [h.id for h in search_orgs(factory, "江滨")] == [second]
        assert search_orgs(factory, "已删除") == []  # tombstones are not indexed
        everything = query_ledger(factory, LedgerFilter(archived=ArchivedFilter.ALL), LedgerSort())
        assert set(everything.ids) == {first, second}
        assert deleted not in everything.ids
    finally:
        database.close()


def test_upgrade_makes_a_timestamped_backup_of_the_old_file_first(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    _database_at_0001(path, _insert_orgs)
    database = open_database(path)
    database.close()
    backup = database.backup_path
    assert backup is not None and backup.parent == tmp_path / "backups"
    assert backup.name.startswith("old-") and backup.name.endswith(".sqlite3")
    assert sorted((tmp_path / "backups").iterdir()) == [backup]
    conn = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert conn.execute("SELECT count(*) FROM social_org").fetchone() == (len(ORGS_AT_0001),)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "org_search_tri" not in tables  # the copy is of the file before the upgrade
    finally:
        conn.close()
    reopened = open_database(path)  # now up to date: no second backup
    reopened.close()
    assert reopened.backup_path is None
    assert sorted((tmp_path / "backups").iterdir()) == [backup]


def test_an_old_database_with_damaged_pages_is_refused_before_upgrading(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"

    def many_orgs(conn: Any) -> None:
        _insert_orgs(conn)
        conn.execute(text("CREATE TABLE filler (x TEXT)"))
        for n in range(400):
            conn.execute(text("INSERT INTO filler VALUES (:x)"), {"x": f"{n:04d}" * 200})

    _database_at_0001(path, many_orgs)
    original = path.read_bytes()
    cut = len(original) * 3 // 4
    damaged = original[:cut] + random.Random(3).randbytes(len(original) - cut)  # header and schema intact
    path.write_bytes(damaged)
    with pytest.raises(CorruptDatabaseError):
        open_database(path)
    assert path.read_bytes() == damaged


# --- 0006: the party aggregate scoped by party_org_id -----------------------------------------------

def _insert_row(conn: Any, table: str, **values: object) -> None:
    """Insert with every other NOT NULL column given a neutral value (the schema of that revision)."""
    for _cid, name, col_type, notnull, default, _pk in conn.execute(text(f"PRAGMA table_info({table})")):
        if notnull and default is None and name not in values:
            numeric = col_type.upper().startswith(("INTEGER", "BOOLEAN", "FLOAT"))
            values[name] = 0 if numeric else "2026-01-01 00:00:00" if col_type.upper() == "DATETIME" else ""
    names = ", ".join(values)
    conn.execute(text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + n for n in values)})"), values)


def test_upgrade_to_0006_moves_party_rows_to_their_party_scope(tmp_path: Path) -> None:
    path = tmp_path / "at0005.sqlite3"
    lead, second, third = "org-lead", "org-second", "org-third"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0005")
        for org in (lead, second, third):
            _insert_row(conn, "social_org", id=org, org_id=org, name=org, org_type="SOCIAL_GROUP")
        _insert_row(conn, "party_org", id="party", org_id=lead, name="联合支部", level="BRANCH", formation="JOINT")
        _insert_row(conn, "party_org", id="gone", org_id=third, name="已撤销支部", level="BRANCH", formation="SINGLE",
                    deleted_at="2026-02-01 00:00:00")
        for n, org in enumerate((lead, second)):
            _insert_row(conn, "party_org_coverage", id=f"cov{n}", org_id=org, party_org_id="party")
        _insert_row(conn, "party_org_coverage", id="cov-gone", org_id=third, party_org_id="gone")
        _insert_row(conn, "member", id="m1", org_id=second, party_org_id="party", name="陈红", kind="FULL")
        _insert_row(conn, "meeting", id="g1", org_id=lead, party_org_id="party", kind="GENERAL_MEETING")
        _insert_row(conn, "meeting_attendance", id="a1", org_id=lead, meeting_id="g1", member_id="m1", status="PRESENT")
        _insert_row(conn, "agenda_item", id="i1", org_id=lead, meeting_id="g1", position=1, title="议题")
        _insert_row(conn, "vote", id="v1", org_id=lead, meeting_id="g1", motion="决议", eligible=1, present=1, yes=1)
        _insert_row(conn, "vote", id="v2", org_id=lead, meeting_id="not-arrived", motion="决议", eligible=1,
                    present=1, yes=1)
        assert conn.execute(text("SELECT derived_coverage FROM social_org WHERE id = :i"), {"i": third}).scalar() \
            == "ORGANIZATION"  # the old trigger's rule: a tombstoned branch still covered
    engine.dispose()
    database = open_database(path)
    try:
        with database.engine.connect() as conn:
            def scopes(table: str) -> dict[str, str]:
                return dict(conn.execute(text(f"SELECT id, party_org_id FROM {table}")).all())  # type: ignore[arg-type]

            assert scopes("party_org") == {"party": "party", "gone": "gone"}
            assert scopes("meeting_attendance") == {"a1": "party"} and scopes("agenda_item") == {"i1": "party"}
            assert scopes("vote") == {"v1": "party", "v2": ""}  # its meeting has not arrived: no scope yet
            assert conn.execute(text("SELECT org_id FROM member")).scalar() == second  # where they work: kept
            assert dict(conn.execute(text("SELECT id, org_id FROM party_org_coverage")).all()) == {  # type: ignore[arg-type]
                "cov0": lead, "cov1": second, "cov-gone": third}
            assert conn.execute(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "  # only 0014's
                                     "AND name NOT LIKE 'rectification_follow_up_no_%'")).scalar() == 0
            assert conn.execute(text("SELECT value FROM sync_state WHERE key = 'org_facts_on'")).first() is None
        from app.services.orgs.facts import refresh_derived_facts

        refresh_derived_facts(database.session_factory, today=date(2026, 6, 15))
        with database.engine.connect() as conn:
            coverage = dict(conn.execute(text("SELECT id, derived_coverage FROM social_org")).all())  # type: ignore[arg-type]
        assert coverage == {lead: "ORGANIZATION", second: "ORGANIZATION", third: "NONE"}
    finally:
        database.close()
