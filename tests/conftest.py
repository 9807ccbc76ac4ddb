"""Shared fixtures: offscreen Qt, a per-test DANGJIAN_HOME, a migrated temporary database."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.services.core.database import Database, open_database


@pytest.fixture(autouse=True)
def dangjian_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    from app import paths

    home = tmp_path / "home"
    monkeypatch.setenv("DANGJIAN_HOME", str(home))
    monkeypatch.delenv(paths.PROFILE_ENV, raising=False)
    yield home
    paths.set_active_profile(None)  # a --profile given in one test must not leak into the next


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "test.sqlite3")
    yield database
    database.close()
