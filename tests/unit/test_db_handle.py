"""The start-up's quick open (``open_at_head``): only a sound file at the head revision is opened without
SQLAlchemy; every other state is left to ``open_database``.  The engine is made on first use or by warm()."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from app import paths
from app.domain.enums import OrgType
from app.services.core import integrity_state
from app.services.core.database import Database, known_revisions, open_database
from app.services.core.db_handle import open_at_head
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org, get_org


def _at_head(template: Path, target: Path) -> Path:
    target.write_bytes(template.read_bytes())
    return target


def test_a_file_at_the_head_revision_opens_without_making_an_engine(tmp_path: Path, migrated_template: Path) -> None:
    database = open_at_head(_at_head(migrated_template, tmp_path / "a.sqlite3"))
    assert database is not None and not database.made and not database.migrated and database.backup_path is None
    data = OrgInput(name="甲协会", org_type=OrgType.COMMUNITY_FILED)
    detail = create_org(database.session_factory, data, actor="t")  # the engine is made on first use
    assert database.made
    assert get_org(database.session_factory, detail.id).data.name == "甲协会"
    database.close()


def test_warm_makes_the_engine_on_a_thread_of_its_own(tmp_path: Path, migrated_template: Path) -> None:
    database = open_at_head(_at_head(migrated_template, tmp_path / "a.sqlite3"))
    assert database is not None
    database.warm()
    deadline = time.monotonic() + 30
    while not database.made and time.monotonic() < deadline:
        time.sleep(0.01)
    assert database.made
    database.close()


def test_closing_a_database_never_used_makes_no_engine(tmp_path: Path, migrated_template: Path) -> None:
    database = open_at_head(_at_head(migrated_template, tmp_path / "a.sqlite3"))
    assert database is not None
    database.close()
    assert database.health.closed and not database.made


def _older(template: Path, target: Path) -> Path:
    _at_head(template, target)
    revisions, head = known_revisions()
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revisions[revisions.index(head) - 1],))
    return target


def _newer(template: Path, target: Path) -> Path:
    _at_head(template, target)
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    return target


def _recorded_damage(template: Path, target: Path) -> Path:
    _at_head(template, target)
    integrity_state.record_check(target, date(2026, 3, 31), ["第 3 页损坏"])
    return target


def _empty_sqlite(_template: Path, target: Path) -> Path:
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.close()
    return target


@pytest.mark.parametrize("make", [
    lambda _t, target: target,  # missing
    lambda _t, target: (target.write_bytes(b""), target)[1],  # 0 bytes
    lambda _t, target: (target.write_bytes(b"not a database at all" * 100), target)[1],  # not SQLite
    lambda t, target: (target.write_bytes(t.read_bytes()[:4096] + b"\0" * 100), target)[1],  # damaged
    _older, _newer, _recorded_damage, _empty_sqlite,
], ids=["missing", "zero-bytes", "not-sqlite", "damaged", "older", "newer", "recorded-damage", "no-tables"])
def test_any_other_state_is_left_to_the_full_open(tmp_path: Path, migrated_template: Path, make: object) -> None:
    target = make(migrated_template, tmp_path / "x.sqlite3")  # type: ignore[operator]
    before = target.read_bytes() if target.exists() else None
    assert open_at_head(target) is None
    assert (target.read_bytes() if target.exists() else None) == before  # looked at, never touched


def test_an_older_file_still_migrates_through_the_full_open(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine

    target = tmp_path / "old.sqlite3"
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    engine = create_engine(f"sqlite:///{target}")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
    engine.dispose()
    assert open_at_head(target) is None
    database = open_database(target)
    assert database.migrated and database.backup_path is not None
    database.close()
    reopened = open_at_head(target)
    assert isinstance(reopened, Database)
    reopened.close()


def test_the_quick_open_imports_no_sqlalchemy(tmp_path: Path, migrated_template: Path) -> None:
    target = _at_head(migrated_template, tmp_path / "a.sqlite3")
    script = ("import sys\n"
              "from functools import partial\n"
              "from pathlib import Path\n"
              "from app.services.compliance import dashboard\n"
              "from app.services.core.db_handle import open_at_head\n"
              "from app.services.core.raw_sql import read_only\n"
              f"database = open_at_head(Path({str(target)!r}))\n"
              "read = dashboard.load_dashboard(partial(read_only, database.path))\n"
              "print(read.org_count, database.made, any(m.startswith('sqlalchemy') for m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["0", "False", "False"]
