"""The only module that knows where files live.

Resolution order: the ``DANGJIAN_HOME`` environment variable (tests, portable installs), else the
platform's per-user data directory (platformdirs).  Bundled read-only resources come from the
source tree, or from the PyInstaller bundle when frozen.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from platformdirs import user_data_dir

from app import APP_ID

HOME_ENV = "DANGJIAN_HOME"
DEFAULT_USER = "local"


def _bundle_root() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return _bundle_root() / "resources"


def migrations_dir() -> Path:
    return _bundle_root() / "migrations"


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def home_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    base = Path(override) if override else Path(user_data_dir(APP_ID, appauthor=False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def _safe_user(user: str) -> str:
    cleaned = re.sub(r"[^0-9A-Za-z_.-]", "_", user).strip("._")
    return cleaned or DEFAULT_USER


def data_dir(user: str = DEFAULT_USER) -> Path:
    """Per-user folder holding that user's database, backups and attachments."""
    path = home_dir() / "users" / _safe_user(user)
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path(user: str = DEFAULT_USER) -> Path:
    return data_dir(user) / "dangjian.sqlite3"


def backups_dir(db_path: Path) -> Path:
    """Where the copies of a database file made before upgrades live (beside the file; not created)."""
    return db_path.parent / "backups"


def attachments_dir(user: str = DEFAULT_USER) -> Path:
    path = data_dir(user) / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def drafts_dir(user: str = DEFAULT_USER) -> Path:
    path = data_dir(user) / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path
