"""Migration 0007: outbox entries queued before it get their scope: org_id, or party_org_id for the party aggregate."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, create_engine, select, text

from app import paths
from app.models import OutboxEntry
from app.services.core.database import open_database


def _upgrade(conn: Connection, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)


def test_entries_queued_before_0007_are_scoped_by_their_org_id(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        _upgrade(conn, "0005")
        conn.execute(text(
            "INSERT INTO outbox (op_id, entity, record_id, org_id, op, base_version, fields, state, attempts, "
            "last_error, created_at) VALUES ('op-1', 'meeting', 'm-1', 'org-9', 'upsert', 2, '{\"title\": \"x\"}', "
            "'pending', 0, '', '2026-11-30 08:00:00')"))
    engine.dispose()
    database = open_database(path)
    try:
        with database.session_factory() as session:
            entry = session.execute(select(OutboxEntry)).scalar_one()
        assert (entry.scope_key, entry.scope_id) == ("org_id", "org-9")
        assert (entry.op_id, entry.record_id, entry.base_version, entry.fields) == ("op-1", "m-1", 2, {"title": "x"})
    finally:
        database.close()


def _entry(op_id: str, entity: str, record_id: str, org_id: str, fields: str) -> str:
    return ("INSERT INTO outbox (op_id, entity, record_id, org_id, op, base_version, fields, state, attempts, "
            f"last_error, created_at) VALUES ('{op_id}', '{entity}', '{record_id}', '{org_id}', 'upsert', 0, "
            f"'{fields}', 'pending', 0, '', '2026-11-30 08:00:00')")


def test_party_entries_queued_before_0007_are_scoped_by_their_party_org(tmp_path: Path) -> None:
    """Regression: entries of the party aggregate got scope ('org_id', the lead organization) and kept an
    org_id field for tables that no longer have that column."""
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        _upgrade(conn, "0006")
        conn.execute(text(
            "INSERT INTO party_org (id, party_org_id, name, level, formation, term_years, secretary_name, "
            "superior_org, updated_at) VALUES ('p-1', 'p-1', '联合支部', 'BRANCH', 'JOINT', 3, '', '', "
            "'2026-11-30 08:00:00')"))
        conn.execute(text("INSERT INTO party_org_coverage (id, party_org_id, org_id, updated_at) "
                          "VALUES ('c-1', 'p-1', 'org-2', '2026-11-30 08:00:00')"))
        conn.execute(text(_entry("op-p", "party_org", "p-1", "org-9",
                                 '{"org_id": "org-9", "name": "联合支部", "id": "p-1"}')))
        conn.execute(text(_entry("op-e", "party_org", "p-1", "org-9", '{"name": "联合支部"}')))
        conn.execute(text(_entry("op-c", "party_org_coverage", "c-1", "org-9", '{"org_id": "org-2"}')))
        conn.execute(text(_entry("op-m", "meeting", "gone", "org-9", '{"topic": "x"}')))
        conn.execute(text(_entry("op-o", "social_org", "org-2", "org-2", '{"name": "甲"}')))
    engine.dispose()
    database = open_database(path)
    try:
        with database.session_factory() as session:
            entries = {e.op_id: e for e in session.execute(select(OutboxEntry)).scalars()}
        scoped = {op_id: (e.scope_key, e.scope_id, e.fields) for op_id, e in entries.items()}
        assert scoped == {
            "op-p": ("party_org_id", "p-1", {"party_org_id": "p-1", "name": "联合支部", "id": "p-1"}),
            "op-e": ("party_org_id", "p-1", {"name": "联合支部"}),
            "op-c": ("party_org_id", "p-1", {"org_id": "org-2"}),  # coverage keeps org_id: the covered one
            "op-m": ("org_id", "org-9", {"topic": "x"}),  # its row is not there: nothing better is known
            "op-o": ("org_id", "org-2", {"name": "甲"}),
        }
    finally:
        database.close()
