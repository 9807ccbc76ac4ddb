"""Settings from the environment: defaults, overrides, and the one line a value that cannot work gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.config import DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_TTL, SettingsError, load_settings


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("DATABASE_URL", "DANGJIAN_ACCESS_TTL", "DANGJIAN_REFRESH_TTL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DANGJIAN_SERVER_HOME", str(tmp_path / "home"))
    return monkeypatch


def test_defaults_keep_everything_in_the_home(env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    settings = load_settings()
    home = (tmp_path / "home").resolve()
    assert settings.home == home and settings.is_sqlite
    assert settings.database_url == f"sqlite:///{home / 'server.db'}"
    assert settings.blobs_dir == home / "blobs" and settings.uploads_dir == home / "uploads"
    assert (settings.access_ttl, settings.refresh_ttl) == (DEFAULT_ACCESS_TTL, DEFAULT_REFRESH_TTL) == (900, 5184000)


def test_overrides(env: pytest.MonkeyPatch) -> None:
    env.setenv("DANGJIAN_ACCESS_TTL", "1")
    env.setenv("DATABASE_URL", "postgresql://district:s3cret@db.example:5432/dangjian")
    settings = load_settings()
    assert settings.access_ttl == 1 and not settings.is_sqlite
    assert settings.url.drivername == "postgresql+psycopg"  # plain postgresql:// means psycopg 3
    assert "s3cret" not in settings.where() and "db.example" in settings.where()


@pytest.mark.parametrize(("name", "value", "words"), [
    ("DANGJIAN_ACCESS_TTL", "soon", "DANGJIAN_ACCESS_TTL"),
    ("DANGJIAN_REFRESH_TTL", "-5", "DANGJIAN_REFRESH_TTL"),
    ("DATABASE_URL", "mysql://root@localhost/db", "mysql"),
    ("DATABASE_URL", "postgresql+asyncpg://u@h/db", "asyncpg"),
    ("DATABASE_URL", "sqlite://", "SQLite"),
    ("DATABASE_URL", "::", "DATABASE_URL"),
])
def test_values_that_cannot_work_are_one_line(env: pytest.MonkeyPatch, name: str, value: str, words: str) -> None:
    env.setenv(name, value)
    with pytest.raises(SettingsError) as refused:
        load_settings()
    assert words in str(refused.value) and "\n" not in str(refused.value)
