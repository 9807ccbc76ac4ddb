"""Shared fixtures: offscreen Qt, a per-test DANGJIAN_HOME, a migrated temporary database, the clock.

Migrating a fresh database costs a few hundred milliseconds; the suite migrates one template per session
and gives each test a copy (opening a copy at the head revision runs no migration).  Tests of the
migrations themselves still migrate from base.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services.core import clock
from app.services.core.database import Database, open_database
from tests.sync.fixtures import postgres_cluster  # noqa: F401  (one PostgreSQL cluster for the whole run)

# 20:00 on 31 March 2026 in Asia/Shanghai: the evening the meeting was held.
FROZEN_AT = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def dangjian_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from app import paths

    home = tmp_path / "home"
    monkeypatch.setenv("DANGJIAN_HOME", str(home))
    monkeypatch.delenv(paths.PROFILE_ENV, raising=False)
    yield home
    paths.set_active_profile(None)  # a --profile given in one test must not leak into the next


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file upgraded to head once per session, checkpointed so the file alone is complete."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = open_database(path)
    with database.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    database.close()
    return path


def fresh_database(template: Path, target: Path) -> Database:
    """Open a copy of the migrated template at ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, target)
    database = open_database(target)
    assert not database.migrated, "the template is at head: opening a copy must not migrate"
    return database


@pytest.fixture
def db(tmp_path: Path, migrated_template: Path) -> Iterator[Database]:
    database = fresh_database(migrated_template, tmp_path / "test.sqlite3")
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _clock_restored() -> Iterator[None]:
    """Whatever a test does to the clock (source, district zone) is undone after it."""
    yield
    clock.reset()


@pytest.fixture
def frozen_clock() -> Iterator[clock.FrozenClock]:
    """The clock stands at :data:`FROZEN_AT` (2026-03-31 20:00 in Asia/Shanghai) until the test moves it
    (``frozen_clock.advance(timedelta(...))`` or ``.move_to(instant)``)."""
    with clock.frozen(FROZEN_AT) as frozen:
        yield frozen
