"""Who is working: the active profile (``local`` until sign-in names a district account), and the tag of
this profile's device on provisional document numbers."""

from __future__ import annotations

import getpass
import secrets
from typing import TYPE_CHECKING

from app import paths

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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


# -- the device tag of provisional document numbers ----------------------------------------------------------

DEVICE_TAG_KEY = "device.tag"
# Capital letters and digits that cannot be misread on paper (no I/1, O/0, S/5, Z/2, B/8).
_TAG_CHARS = "ACDEFGHJKLMNPQRTUVWXY34679"
DEVICE_TAG_LENGTH = 3


def device_tag(session: Session) -> str:
    """This profile's short device tag (``ProvisionalNumber.device``: ``鼓民社党〔2026〕临K7Q-3号``): made at
    random the first time it is asked for and kept in the profile's local settings, so two devices'
    provisional numbers differ on paper and a profile's tag never changes.  Runs in the caller's session
    (a write transaction, where it is first made)."""
    from app.services.core.local_settings import setting_once

    made = "".join(secrets.choice(_TAG_CHARS) for _ in range(DEVICE_TAG_LENGTH))
    return setting_once(session, DEVICE_TAG_KEY, made)
