"""Errors reach the user as Chinese sentences that say what to do, never raw driver text."""

from __future__ import annotations

import sqlite3

import pytest

from app.services.core.database import Database
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.orgs.dto import OrgInput, OrgType
from app.services.orgs.organizations import create_org


def test_a_locked_database_is_explained(db: Database) -> None:
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    db.engine.dispose()  # new connections wait 50 ms for a lock instead of the app's 5 s
    event.listen(db.engine, "connect", lambda conn, _record: conn.execute("PRAGMA busy_timeout=50"))
    holder = sqlite3.connect(db.path, timeout=0)
    holder.execute("BEGIN IMMEDIATE")  # e.g. seed-demo writing from the command line
    try:
        with pytest.raises(OperationalError) as caught:
            create_org(db.session_factory, OrgInput(name="东街社区合唱团", org_type=OrgType.COMMUNITY_FILED), actor="t")
    finally:
        holder.rollback()
        holder.close()
    text = describe_error(caught.value)
    assert "占用" in text and "稍后再试" in text and "已保存的数据不受影响" in text
    assert "sqlite3" not in text and "SQL:" not in text


def test_service_errors_and_files_and_the_unexpected() -> None:
    assert describe_error(ValidationFailed({"name": "请填写组织名称"})) == "请填写组织名称"
    text = describe_error(PermissionError(13, "Permission denied", "/data/dangjian.sqlite3"))
    assert "/data/dangjian.sqlite3" in text and "权限" in text
    assert describe_error(KeyError("x")).startswith("内部错误：KeyError")


def test_a_malformed_database_is_explained_with_the_way_back() -> None:
    from sqlalchemy.exc import DatabaseError

    error = DatabaseError("UPDATE social_org SET name=?", {}, sqlite3.DatabaseError("database disk image is malformed"))
    text = describe_error(error)
    assert "已损坏" in text and "integrity-check" in text and "restore" in text and "malformed" not in text
