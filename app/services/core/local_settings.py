"""The profile's local settings (``local_setting``: key/value text, never synced; see
``app/models/setting.py`` for why a table and not a file).

Reads and writes run in the caller's session, so a setting read inside a write transaction is consistent
with what that transaction writes.  Any thread.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.models import LocalSetting

__all__ = ["read_settings", "setting_once", "write_settings"]


def read_settings(session: Session, keys: Iterable[str]) -> dict[str, str]:
    """The stored value of each of ``keys`` that has one."""
    wanted = list(keys)
    found = session.execute(select(LocalSetting.key, LocalSetting.value).where(LocalSetting.key.in_(wanted)))
    return {key: value for key, value in found}


def write_settings(session: Session, values: Mapping[str, str]) -> None:
    """Store ``values`` (insert or replace each key)."""
    for key, value in values.items():
        statement = insert(LocalSetting).values(key=key, value=value)
        session.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def setting_once(session: Session, key: str, make: str) -> str:
    """The value of ``key``, storing ``make`` first if it has none (in a write transaction: the first
    writer wins, every later reader gets the same value)."""
    session.execute(insert(LocalSetting).values(key=key, value=make).on_conflict_do_nothing(index_elements=["key"]))
    return session.execute(select(LocalSetting.value).where(LocalSetting.key == key)).scalar_one()
