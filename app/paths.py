"""The only module that knows where files live.

Resolution order: the ``DANGJIAN_HOME`` environment variable (tests, portable installs), else the
platform's per-user data directory (platformdirs).  Bundled read-only resources come from the
source tree, or from the PyInstaller bundle when frozen.

Profiles (DESIGN §3): one folder per profile under ``home_dir()/users/<profile>/``.  The active profile is
the ``--profile`` option (``set_active_profile``, called by ``__main__``), else ``DANGJIAN_PROFILE``, else
``local``.  ``demo`` holds demo data and nothing else.
"""

from __future__ import annotations

import functools
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from platformdirs import user_data_dir

from app import APP_ID

HOME_ENV = "DANGJIAN_HOME"
PROFILE_ENV = "DANGJIAN_PROFILE"
DEFAULT_PROFILE = "local"
DEMO_PROFILE = "demo"
DEFAULT_USER = DEFAULT_PROFILE  # the name older callers use
# Lower case, starting and ending with a letter or digit: the folder name is the profile name exactly, so
# no two names share a folder (not "demo." nor "Demo" on a case-blind disk, which would open the demo
# without its 演示数据 marks).
_PROFILE_NAME = re.compile(r"[0-9a-z](?:[0-9a-z_.-]{0,62}[0-9a-z])?")
_override: str | None = None


class ProfileNameError(ValueError):
    """A profile name that cannot name a folder; ``str()`` is the Chinese line shown."""


def check_profile_name(name: str) -> str:
    """``name`` if it can name a profile folder, else ProfileNameError saying what is allowed."""
    if not _PROFILE_NAME.fullmatch(name):
        raise ProfileNameError(f"无效的用户配置名“{name}”：只能用小写英文字母、数字、下划线、点和连字符，"
                               "以字母或数字开头和结尾，最多 64 个字符（例如 local、demo）。")
    return name


def set_active_profile(name: str | None) -> None:
    """The ``--profile`` option (None: back to ``DANGJIAN_PROFILE`` / ``local``)."""
    global _override
    _override = None if name is None else check_profile_name(name)


def active_profile() -> str:
    """The profile this process works in: ``--profile``, else ``DANGJIAN_PROFILE``, else the default
    profile sign-in chose (:func:`default_profile`), else ``local``."""
    if _override is not None:
        return _override
    from_env = os.environ.get(PROFILE_ENV, "").strip()
    return check_profile_name(from_env) if from_env else default_profile()


DEFAULT_PROFILE_FILE = "default_profile"


def default_profile() -> str:
    """The profile opened when none is named: the one the last sign-in chose (a file ``default_profile``
    in the home folder), else ``local``.  A file holding a name that is no longer valid counts as absent."""
    try:
        stored = (_home_path() / DEFAULT_PROFILE_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return DEFAULT_PROFILE
    return stored if stored and _PROFILE_NAME.fullmatch(stored) else DEFAULT_PROFILE


def set_default_profile(name: str) -> None:
    """Make ``name`` the profile opened when none is named (sign-in: the account's; sign-out: ``local``).
    Written to a temporary file and renamed, so a crash leaves the old choice or the new one."""
    check_profile_name(name)
    target = home_dir() / DEFAULT_PROFILE_FILE
    if name == DEFAULT_PROFILE:
        target.unlink(missing_ok=True)
        return
    temp = target.with_name(f"{DEFAULT_PROFILE_FILE}.{os.getpid()}.tmp")
    temp.write_text(name + "\n", encoding="utf-8")
    os.replace(temp, target)


def is_demo_profile(name: str) -> bool:
    return name == DEMO_PROFILE


@functools.cache  # per process (resolving costs ~70 µs, and each save's compliance keeper asks for its pack)
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


def document_font_path() -> Path:
    """The Ming (Song-style) face documents are set in: AR PL UMing, TrueType, embeddable (DESIGN §2.2)."""
    return resources_dir() / "fonts" / "uming.ttc"


def extension_font_path() -> Path:
    """The face for CJK characters outside the basic block that neither UMing nor WenQuanYi has (Extension
    B and beyond, e.g. 𠮷 in a name): Hanazono Mincho B, TrueType, free licence."""
    return resources_dir() / "fonts" / "HanaMinB.ttf"


def national_policy_path() -> Path:
    """The policy pack of national defaults (DESIGN §2.1), shipped read-only with the program."""
    return resources_dir() / "policy" / "national.toml"


def icons_dir() -> Path:
    """The application icon: ``app-{size}.png`` (rendered from ``app.svg`` by tools/render_icons.py)."""
    return resources_dir() / "icons"


def _home_path() -> Path:
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else Path(user_data_dir(APP_ID, appauthor=False))


def home_dir() -> Path:
    base = _home_path()
    base.mkdir(parents=True, exist_ok=True)
    return base


@contextmanager
def temporary_home(folder: Path) -> Iterator[Path]:
    """``DANGJIAN_HOME`` set to ``folder`` for the duration (self-check, benchmarks: scratch profiles)."""
    before = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(folder)
    try:
        yield folder
    finally:
        if before is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = before


def _safe_user(user: str) -> str:
    cleaned = re.sub(r"[^0-9A-Za-z_.-]", "_", user).strip("._")
    return cleaned or DEFAULT_USER


def profile_dir(user: str) -> Path:
    """Where a profile's files live (not created: for checks and for deleting the demo profile)."""
    return _home_path() / "users" / _safe_user(user)  # nothing created: opening any file asks about it


def data_dir(user: str = DEFAULT_USER) -> Path:
    """Per-user folder holding that user's database, backups and attachments."""
    path = profile_dir(user)
    path.mkdir(parents=True, exist_ok=True)
    return path


def in_demo_profile(path: Path) -> bool:
    """Whether ``path`` lies inside the demo profile's folder (the only place demo data may be written)."""
    return path.resolve().is_relative_to(profile_dir(DEMO_PROFILE).resolve())


DATABASE_NAME = "dangjian.sqlite3"


def database_path(user: str = DEFAULT_USER) -> Path:
    """The profile's database file; its folder is created (for opening, backing up, restoring)."""
    return data_dir(user) / DATABASE_NAME


def database_file(user: str = DEFAULT_USER) -> Path:
    """Where the profile's database is, creating nothing (read-only checks)."""
    return profile_dir(user) / DATABASE_NAME


def backups_dir(db_path: Path) -> Path:
    """Where the copies of a database file made before upgrades live (beside the file; not created)."""
    return db_path.parent / "backups"


def attachments_folder(user: str = DEFAULT_USER) -> Path:
    """Where the profile's attachments are, creating nothing (read-only checks)."""
    return profile_dir(user) / "attachments"


def attachments_dir(user: str = DEFAULT_USER) -> Path:
    path = attachments_folder(user)
    path.mkdir(parents=True, exist_ok=True)
    return path


def drafts_dir(user: str = DEFAULT_USER) -> Path:
    path = data_dir(user) / "drafts"
    path.mkdir(parents=True, exist_ok=True)
    return path
