"""Access tokens kept in this process's memory between sync runs (SYNC.md §8.7: the access token is never
stored; only the refresh token is, in the keyring).  A run while the last token still has a minute to live
uses it instead of asking ``/auth/refresh`` again, so a sync with nothing to do is ``/meta`` and one empty
``/pull`` (SYNC.md §8.11: two requests, bench/sync.py).  A token the server refuses (expired early,
device revoked) is answered by a refresh as before (the transport's 401 rule)."""

from __future__ import annotations

import threading
import time

__all__ = ["clear", "forget", "recall", "remember"]

MARGIN = 60.0  # seconds a kept token must still live to be used: a sync never starts on a dying one
_tokens: dict[tuple[str, str, str], tuple[str, float]] = {}
_lock = threading.Lock()


def remember(server_url: str, username: str, device_id: str, token: str, expires_in: float) -> None:
    """Keep ``token`` (valid ``expires_in`` seconds from now) for the next run of this account and device."""
    with _lock:
        _tokens[(server_url, username, device_id)] = (token, time.monotonic() + expires_in)


def recall(server_url: str, username: str, device_id: str) -> str | None:
    """The kept token when it lives at least :data:`MARGIN` more seconds, else None."""
    with _lock:
        kept = _tokens.get((server_url, username, device_id))
    if kept is None or kept[1] - time.monotonic() < MARGIN:
        return None
    return kept[0]


def forget(server_url: str, username: str) -> None:
    """Drop every kept token of the account (sign-out)."""
    with _lock:
        for key in [k for k in _tokens if k[:2] == (server_url, username)]:
            del _tokens[key]


def clear() -> None:
    """Drop every kept token (tests start from none)."""
    with _lock:
        _tokens.clear()
