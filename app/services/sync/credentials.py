"""The refresh token, kept in the system keyring (SYNC.md §8.7) — only the refresh token, which is short
(Windows Credential Manager refuses long secrets), under service ``dangjian-workbench:<host[:port]>`` and
the username.  Where no keyring backend works (NoKeyringError on Linux without a Secret Service, or any
keyring error) nothing is written to disk: the token lives in this process's memory only and the password
is asked again at the next start's sync.  Never a plain-text file."""

from __future__ import annotations

import contextlib
import logging
import threading
from urllib.parse import urlsplit

import keyring
import keyring.errors

__all__ = ["forget", "load", "service_name", "store"]

SERVICE_PREFIX = "dangjian-workbench"
_log = logging.getLogger(__name__)
_memory: dict[tuple[str, str], str] = {}
_lock = threading.Lock()


def service_name(server_url: str) -> str:
    """``dangjian-workbench:<host[:port]>`` of a server address."""
    return f"{SERVICE_PREFIX}:{urlsplit(server_url).netloc or server_url}"


def store(server_url: str, username: str, token: str) -> bool:
    """Keep ``token``: in the keyring (True), else in memory only (False, the keyring said no)."""
    key = (service_name(server_url), username)
    with _lock:
        _memory[key] = token
    try:
        keyring.set_password(key[0], username, token)
    except (keyring.errors.KeyringError, RuntimeError, OSError) as exc:
        # the caller tells the user, in Chinese; a warning here would print English on every CLI sign-in
        _log.info("no keyring to keep the refresh token in (%s): kept in memory only", exc)
        return False
    return True


def load(server_url: str, username: str) -> str | None:
    """The kept token: this process's newest, else the keyring's; None when there is none."""
    key = (service_name(server_url), username)
    with _lock:
        if key in _memory:
            return _memory[key]
    try:
        return keyring.get_password(key[0], username)
    except (keyring.errors.KeyringError, RuntimeError, OSError):
        return None


def forget(server_url: str, username: str) -> None:
    """Remove the token from memory and the keyring (best effort: an absent entry is fine)."""
    key = (service_name(server_url), username)
    with _lock:
        _memory.pop(key, None)
    with contextlib.suppress(keyring.errors.KeyringError, RuntimeError, OSError):
        keyring.delete_password(key[0], username)
