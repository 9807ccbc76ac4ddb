"""Integrity checks: damaged pages found after start stop every save; attachments; outbox sanity."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app.domain.enums import OrgType
from app.services.core import integrity, integrity_state
from app.services.core.backups import latest_backup, restore_from
from app.services.core.database import Database, open_database
from app.services.core.errors import CorruptDatabaseError
from app.services.core.sqlite_file import quick_check
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org
from app.services.sync import resolve_conflict
from app.services.sync.apply import apply_changes
from tests.damage import damage_a_middle_page
from tests.unit.sync.sync_builders import change, org_row

NOW = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)
SHA_A, SHA_B, SHA_C, SHA_D = (hashlib.sha256(t).hexdigest() for t in (b"a", b"b", b"c", b"d"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _org(name: str) -> OrgInput:
    return OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED, address="中山路" * 30)


def test_damage_found_after_start_stops_every_save_until_restored(tmp_path: Path) -> None:
    """Regression: random bytes in the middle of the file — quick_check reports errors, yet the app opened
    it and saved an edit into it."""
    path = tmp_path / "d.sqlite3"
    database = open_database(path)
    for n in range(40):
        create_org(database.session_factory, _org(f"测试组织{n}号"), actor="t")
    first = integrity.daily_maintenance(database, now=NOW - timedelta(days=1))  # yesterday: sound, backed up
    assert first.checked and first.damage == [] and first.backup is not None
    database.close()
    damage_a_middle_page(path)
    assert quick_check(path)  # the damage is real
    damaged = path.read_bytes()

    database = open_database(path)  # opening is cheap: no O(size) check before the first paint
    result = integrity.daily_maintenance(database, now=NOW)  # after the first paint, on the write lane
    assert result.checked and result.damage
    assert result.backup is None  # a damaged file is never backed up over the good copies
    with pytest.raises(CorruptDatabaseError) as caught:
        create_org(database.session_factory, _org("损坏后保存的组织"), actor="t")
    assert str(path) in str(caught.value) and str(first.backup) in str(caught.value)
    with database.session_factory() as session:  # reads still work: what can be read can be seen
        assert session.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        with pytest.raises(OperationalError, match="readonly"):  # a write slipping past the services
            session.execute(text("UPDATE sync_state SET value = 'x'"))
    message = integrity.damage_message(path, result.damage)
    assert "停止保存" in message and f'restore "{first.backup}"' in message
    database.close()
    assert path.read_bytes() == damaged  # nothing was written into it

    with pytest.raises(CorruptDatabaseError):  # the next start refuses it too
        open_database(path)
    assert path.read_bytes() == damaged

    backup = latest_backup(path)
    assert backup == first.backup
    kept = restore_from(backup, path, now=NOW)
    assert kept is not None and kept.read_bytes() == damaged
    database = open_database(path)
    try:
        create_org(database.session_factory, _org("恢复后保存的组织"), actor="t")
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM social_org").scalar() == 41
    finally:
        database.close()


def test_the_check_runs_once_a_day_and_the_backup_once_a_day(db: Database) -> None:
    first = integrity.daily_maintenance(db, now=NOW)
    again = integrity.daily_maintenance(db, now=NOW + timedelta(hours=3))
    assert first.checked and first.backup is not None
    assert not again.checked and again.backup is None
    assert integrity_state.last_check_day(db.path) == NOW.astimezone().date()
    tomorrow = integrity.daily_maintenance(db, now=NOW + timedelta(days=1))
    assert tomorrow.checked and tomorrow.backup is not None


def test_a_failed_daily_backup_is_reported_not_raised(db: Database) -> None:
    (db.path.parent / "backups").write_text("not a folder")
    result = integrity.daily_maintenance(db, now=NOW)
    assert result.damage == [] and result.backup is None
    assert result.backup_error is not None and "无法读写文件" in result.backup_error


def _raw(db: Database) -> sqlite3.Connection:
    return sqlite3.connect(db.path, isolation_level=None)


def test_attachments_missing_orphaned_and_altered_files_are_reported(db: Database, tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    (folder / SHA_A[:2]).mkdir(parents=True)
    (folder / SHA_A[:2] / SHA_A).write_bytes(b"a")  # good
    (folder / SHA_C).write_bytes(b"not c")  # altered
    (folder / f"{SHA_D}.jpg").write_bytes(b"d")  # no row: orphan
    (folder / "notes.txt").write_text("?")
    conn = _raw(db)
    for n, (sha, name) in enumerate([(SHA_A, "签到表.jpg"), (SHA_B, "现场照片.jpg"), (SHA_C, "会议记录.pdf")]):
        conn.execute("INSERT INTO attachment (id, org_id, server_version, updated_at, updated_by, sha256, "
                     "owner_entity, owner_id, filename, mime_type, size, caption) "
                     "VALUES (?, 'o', 0, '2026-01-01', '', ?, 'meeting', 'm', ?, '', 1, '')", (f"att{n}", sha, name))
    problems = integrity.check_attachments(conn, folder)
    conn.close()
    assert len(problems) == 4, problems
    assert "缺失" in problems[0] and "现场照片.jpg" in problems[0] and SHA_B in problems[0]
    assert "孤立" in problems[1] and SHA_D in problems[1]
    assert "不符" in problems[2] and SHA_C in problems[2]
    assert "notes.txt" in problems[3]


def test_outbox_entries_that_cannot_be_sent_are_reported(db: Database) -> None:
    org = create_org(db.session_factory, _org("正常的组织"), actor="t")
    conn = _raw(db)
    assert integrity.check_outbox(conn) == []
    rows = [("gone-1", "social_org", "upsert", "pending"), ("x", "no_such_table", "upsert", "pending"),
            (org.id, "social_org", "upsert", "lost"), (org.id, "social_org", "upsert", "in_flight")]
    for n, (record, entity, op, state) in enumerate(rows):
        conn.execute("INSERT INTO outbox (op_id, entity, record_id, scope_key, scope_id, op, base_version, fields,"
                     " state, attempts, last_error, created_at)"
                     " VALUES (?, ?, ?, 'org_id', ?, ?, 0, '{}', ?, 0, '', '2026-01-01')",
                     (f"op{n}", entity, record, record, op, state))
    problems = integrity.check_outbox(conn)
    conn.close()
    assert problems == ["发送队列第 4 条的状态未知：lost", "发送队列第 3 条的数据类型未知：no_such_table",
                        "发送队列第 2 条指向不存在的记录：social_org gone-1",
                        "发送队列中有 1 条停在“发送中”，但没有正在进行的同步（上次同步被中断）"]


def test_a_settled_conflict_waiting_to_be_sent_is_a_sound_entry(db: Database) -> None:
    """resolve_conflict queues a ``delete`` on the conflict itself (app.wire): not an unknown type."""
    org = org_row("阳光协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 9), {
            "entity": "sync_conflict", "id": "c1", "scope": f"org:{org['id']}", "version": 9, "deleted": False,
            "data": {"entity": "social_org", "record_id": org["id"], "field": "name", "yours": "阳光协会",
                     "other": "月光协会", "kept": "阳光协会"}}])
    resolve_conflict(db.session_factory, "c1", "kept", actor="t")
    conn = _raw(db)
    try:
        assert conn.execute("SELECT entity FROM outbox").fetchall() == [("sync_conflict",)]
        assert integrity.check_outbox(conn) == []
    finally:
        conn.close()


def test_check_all_on_a_good_database_finds_nothing_and_records_the_day(db: Database, tmp_path: Path) -> None:
    create_org(db.session_factory, _org("正常的组织"), actor="t")
    assert integrity.check_all(db.path, tmp_path / "attachments", today=NOW) == []
    assert integrity_state.last_check_day(db.path) == NOW.astimezone().date()
    assert integrity_state.recorded_damage(db.path) is None
