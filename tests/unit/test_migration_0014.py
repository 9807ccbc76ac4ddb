"""Migration 0014 (issue 8's model): old notices keep their numbers on the right side (provisional or
confirmed), old follow-ups get the kind of the step they record, and follow-ups become append-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine

from app.services.core.database import open_database
from tests.unit.test_migrations import _config, _insert_row

APPEND_ONLY = "整改跟进记录只能追加"


@pytest.fixture
def upgraded(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "at0013.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0013")
        _insert_row(conn, "notice", id="n-conf", org_id="o", kind="RECTIFICATION_NOTICE", series="鼓民社党", year=2026,
                    sequence=7, number_confirmed=1, issued_on="2026-03-02")
        _insert_row(conn, "notice", id="n-prov", org_id="o", kind="RECTIFICATION_NOTICE", series="鼓民社党", year=2026,
                    sequence=8, number_confirmed=0)
        _insert_row(conn, "rectification_follow_up", id="f-issue", org_id="o", rectification_id="r",
                    from_status="DRAFT", to_status="ISSUED", note="")
        _insert_row(conn, "rectification_follow_up", id="f-fail", org_id="o", rectification_id="r",
                    from_status="REPORTED", to_status="REVIEW_FAILED", note="")
        _insert_row(conn, "rectification_follow_up", id="f-note", org_id="o", rectification_id="r", note="电话催办")
    engine.dispose()
    database = open_database(path)
    database.close()
    yield path


def _plain(path: Path) -> sqlite3.Connection:
    """A bare connection: the app's own refuses writes that bypass the outbox before SQLite sees them."""
    return sqlite3.connect(path, isolation_level=None)


def test_old_notice_numbers_land_on_their_side(upgraded: Path) -> None:
    rows = {r[0]: r[1:] for r in _plain(upgraded).execute(
        "SELECT id, status, provisional_seq, confirmed_seq FROM notice")}
    assert rows == {"n-conf": ("ISSUED", None, 7), "n-prov": ("DRAFT", 8, None)}


def test_old_follow_ups_get_the_kind_of_their_step(upgraded: Path) -> None:
    kinds = dict(_plain(upgraded).execute("SELECT id, kind FROM rectification_follow_up").fetchall())
    assert kinds == {"f-issue": "ISSUE", "f-fail": "REVIEW_FAIL", "f-note": "NOTE"}


def _notice(conn: sqlite3.Connection, notice_id: str, year: int, seq: int, status: str = "ISSUED") -> None:
    conn.execute("INSERT INTO notice (id, org_id, kind, status, series, year, confirmed_seq, updated_at, title, body) "
                 "VALUES (?, 'o', 'RECTIFICATION_NOTICE', ?, '鼓民社党', ?, ?, '2026-01-01 00:00:00', '', '')",
                 (notice_id, status, year, seq))


def test_a_confirmed_number_is_unique_among_live_notices_only(upgraded: Path) -> None:
    conn = _plain(upgraded)
    _notice(conn, "n-void", 2026, 7, status="VOID")  # the same number on a 作废 notice: allowed
    _notice(conn, "n-2025", 2025, 7)  # another year: allowed
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        _notice(conn, "n-dup", 2026, 7)


def test_follow_ups_are_append_only_in_the_database(upgraded: Path) -> None:
    conn = _plain(upgraded)
    conn.execute("UPDATE rectification_follow_up SET server_version = 12 WHERE id = 'f-note'")  # sync bookkeeping
    for statement in ("UPDATE rectification_follow_up SET note = '改写' WHERE id = 'f-note'",
                      "UPDATE rectification_follow_up SET deleted_at = '2026-05-01 00:00:00' WHERE id = 'f-note'",
                      "DELETE FROM rectification_follow_up WHERE id = 'f-note'"):
        with pytest.raises(sqlite3.IntegrityError, match=APPEND_ONLY):
            conn.execute(statement)
    assert conn.execute("SELECT note, server_version FROM rectification_follow_up WHERE id = 'f-note'").fetchone() \
        == ("电话催办", 12)
