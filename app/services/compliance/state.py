"""Which day and which policy pack the stored compliance results were derived for (``sync_state``).

The results hold as of the civil day and the pack recorded under :data:`STATE_KEY`; they are stale on a
new day (a period ends, a term falls due with the date alone) or under another pack, and
``engine.ensure_fresh`` then rebuilds them.  The keepers refresh incrementally only results that are
current, as of the day recorded, so a write never mixes two days or two packs in the table.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from app import paths

if TYPE_CHECKING:
    from app.domain.policy import Policy

__all__ = ["STATE_KEY", "DerivedState", "current_fingerprint", "current_policy", "read_state", "write_state"]

STATE_KEY = "compliance_on"


@dataclass(frozen=True)
class DerivedState:
    day: date
    pack: str  # the pack's name
    fingerprint: str  # Policy.fingerprint()

    def holds_for(self, today: date, policy: Policy) -> bool:
        return self.day == today and self.fingerprint == policy.fingerprint()


def read_state(conn: Connection) -> DerivedState | None:
    raw = conn.execute(text("SELECT value FROM sync_state WHERE key = :k"), {"k": STATE_KEY}).scalar()
    if not raw:
        return None
    try:
        value = json.loads(raw)
        return DerivedState(date.fromisoformat(value["day"]), str(value["pack"]), str(value["fingerprint"]))
    except (ValueError, KeyError, TypeError):
        return None  # unreadable: treated as never derived, so the next check rebuilds


def write_state(conn: Connection, *, today: date, policy: Policy) -> None:
    value = json.dumps({"day": today.isoformat(), "pack": policy.name, "fingerprint": policy.fingerprint()},
                       ensure_ascii=False)
    conn.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
                      "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"k": STATE_KEY, "v": value})


_CACHE: dict[str, tuple[float, Policy, str]] = {}


def _current() -> tuple[Policy, str]:
    from app.services.meetings import load_policy

    path: Path = paths.national_policy_path()
    stamp = path.stat().st_mtime if path.exists() else 0.0
    cached = _CACHE.get("national")
    if cached is None or cached[0] != stamp:
        policy = load_policy()
        cached = _CACHE["national"] = (stamp, policy, policy.fingerprint())
    return cached[1], cached[2]


def current_policy() -> Policy:
    """The policy pack in use (the national pack; read again when its file changes)."""
    return _current()[0]


def current_fingerprint() -> str:
    """``current_policy().fingerprint()``, worked out once per reading of the pack (each save's keeper
    asks for it)."""
    return _current()[1]
