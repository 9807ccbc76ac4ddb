"""The profile's sync state (table ``sync_state``, key/value text): account, position, last result.

Reads and writes run in the caller's session.  ``server_url`` is also what makes assignments read-only
(app.services.orgs.assignments.SERVER_KEY)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert
from sqlalchemy.orm import Session

from app.models import SyncState

SERVER_URL = "server_url"
USERNAME = "username"
USER_ID = "user_id"
ROLE = "role"
DISPLAY_NAME = "display_name"
DEVICE_ID = "device_id"
CA_FILE = "ca_file"
KEYRING_OK = "keyring_ok"
INSTANCE_ID = "server_instance_id"
CURSOR = "cursor"
LAST_SYNCED_AT = "last_synced_at"
LAST_ERROR = "last_error"
ACCOUNT_KEYS = (SERVER_URL, USERNAME, USER_ID, ROLE, DISPLAY_NAME, CA_FILE, KEYRING_OK)


def read(session: Session, keys: Iterable[str]) -> dict[str, str]:
    wanted = list(keys)
    rows = session.execute(select(SyncState.key, SyncState.value).where(SyncState.key.in_(wanted)))
    return {key: value for key, value in rows}


def get(session: Session, key: str, default: str = "") -> str:
    return read(session, [key]).get(key, default)


def write(session: Session, values: Mapping[str, str]) -> None:
    for key, value in values.items():
        statement = insert(SyncState).values(key=key, value=value)
        session.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))


def clear(session: Session, keys: Iterable[str]) -> None:
    session.execute(delete(SyncState).where(SyncState.key.in_(list(keys))))
