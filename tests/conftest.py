"""Shared fixtures: offscreen Qt, a per-test DANGJIAN_HOME, a migrated temporary database, the clock."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.services.core import clock
from app.services.core.database import Database, open_database

# 20:00 on 31 March 2026 in Asia/Shanghai: the evening the meeting was held.
FROZEN_AT = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def dangjian_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("DANGJIAN_HOME", str(home))
    return home


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "test.sqlite3")
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
