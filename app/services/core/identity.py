"""Who is working: the local user until sign-in (the sync issue) names a district account."""

from __future__ import annotations

import getpass

from app import paths


def current_user() -> str:
    """The data folder's user key (one database per signed-in user; ``local`` before any sign-in)."""
    return paths.DEFAULT_USER


def current_actor() -> str:
    """What ``updated_by`` and the audit log record for this user's saves."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = "unknown"
    return f"{current_user()}:{login}"
