"""The server's settings, each declared once with its default and the environment variable that overrides it.

Where the data lives (``DANGJIAN_SERVER_HOME``, else the platform's user data folder), which database
(``DATABASE_URL``, else SQLite in the home) and how long tokens live.  Read once at start-up: the app and
the admin CLI receive a :class:`Settings` instead of reading the environment themselves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

HOME_ENV = "DANGJIAN_SERVER_HOME"
DATABASE_ENV = "DATABASE_URL"
ACCESS_TTL_ENV = "DANGJIAN_ACCESS_TTL"
REFRESH_TTL_ENV = "DANGJIAN_REFRESH_TTL"

DEFAULT_ACCESS_TTL = 15 * 60  # seconds (SYNC §8.7: access 15 min)
DEFAULT_REFRESH_TTL = 60 * 24 * 3600  # 60 days, sliding: every refresh issues a new one


class SettingsError(ValueError):
    """A setting that cannot work; ``str()`` is one Chinese line saying which and how to fix it."""


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    access_ttl: int = DEFAULT_ACCESS_TTL
    refresh_ttl: int = DEFAULT_REFRESH_TTL

    @property
    def blobs_dir(self) -> Path:
        return self.home / "blobs"

    @property
    def uploads_dir(self) -> Path:
        return self.home / "uploads"

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def url(self) -> URL:
        return parse_database_url(self.database_url)

    def where(self) -> str:
        """Where the data is, for the serve banner (a PostgreSQL password is masked)."""
        database = self.url.render_as_string(hide_password=True)
        return f"数据目录：{self.home}\n数据库：{database}"


def parse_database_url(text: str) -> URL:
    """``sqlite:///…`` or ``postgresql[+psycopg]://…`` (plain ``postgresql://`` uses psycopg 3)."""
    try:
        url = make_url(text)
    except ArgumentError:
        raise SettingsError(f"DATABASE_URL 无法识别：“{text}”；应为 sqlite:///路径 或 "
                            "postgresql://用户:密码@主机:端口/库名") from None
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.drivername in ("postgresql", "postgresql+psycopg"):
            return url.set(drivername="postgresql+psycopg")
        raise SettingsError(f"DATABASE_URL 的驱动“{url.drivername}”不受支持；请写 postgresql://…（使用 psycopg）")
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            raise SettingsError("DATABASE_URL 须指向一个 SQLite 文件（sqlite:///路径），不能是内存数据库")
        return url
    raise SettingsError(f"DATABASE_URL 的数据库“{backend}”不受支持；只支持 SQLite 和 PostgreSQL")


def _seconds(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise SettingsError(f"{name} 应为正整数秒数，现在是“{text}”") from None
    if value <= 0:
        raise SettingsError(f"{name} 应为正整数秒数，现在是“{text}”")
    return value


def default_home() -> Path:
    override = os.environ.get(HOME_ENV, "").strip()
    if override:
        return Path(override).expanduser().resolve()
    return Path(platformdirs.user_data_dir("dangjian-server", appauthor=False))


def load_settings() -> Settings:
    """The settings from the environment; raises :class:`SettingsError` on a value that cannot work."""
    home = default_home()
    url = os.environ.get(DATABASE_ENV, "").strip() or f"sqlite:///{home / 'server.db'}"
    parse_database_url(url)  # refuse a bad one now, with its one line
    return Settings(home=home, database_url=url, access_ttl=_seconds(ACCESS_TTL_ENV, DEFAULT_ACCESS_TTL),
                    refresh_ttl=_seconds(REFRESH_TTL_ENV, DEFAULT_REFRESH_TTL))
