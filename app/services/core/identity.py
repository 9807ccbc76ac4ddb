"""Who is working: the active profile (``local`` until sign-in names a district account)."""

from __future__ import annotations

import getpass

from app import paths


def current_user() -> str:
    """The data folder's profile key: ``--profile``, else ``DANGJIAN_PROFILE``, else ``local``."""
    return paths.active_profile()


def current_actor() -> str:
    """What ``updated_by`` and the audit log record for this user's saves."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return f"{current_user()}:{login}"
