"""Fixtures of the 台账 import/export tests: the database's whole state, to prove an import changed nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import text

from app.services.core.database import Database

STATE_SQL = {
    "social_org": "SELECT * FROM social_org ORDER BY id",
    "outbox": "SELECT * FROM outbox ORDER BY seq",
    "search_doc": "SELECT * FROM org_search_doc ORDER BY doc",
    "search_tri": "SELECT rowid, * FROM org_search_tri ORDER BY rowid",
    "audit": "SELECT * FROM audit_log ORDER BY id",
}


def database_state(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.session_factory() as session:
        return {key: [tuple(row) for row in session.execute(text(sql))] for key, sql in STATE_SQL.items()}


@pytest.fixture
def state(db: Database) -> Callable[[], dict[str, list[tuple[object, ...]]]]:
    return lambda: database_state(db)
