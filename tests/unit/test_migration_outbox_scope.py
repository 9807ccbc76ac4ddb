"""Migration 0007: outbox entries queued before it keep their scope (then always an org_id)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, select, text

from app import paths
from app.models import OutboxEntry
from app.services.core.database import open_database


def test_entries_queued_before_0007_are_scoped_by_their_org_id(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        config = Config()
        config.set_main_option("script_location", str(paths.migrations_dir()))
        config.attributes["connection"] = conn
        command.upgrade(config, "0005")
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
