"""Opening the client database: fresh creation, connection settings, refusing files it must not touch."""

from __future__ import annotations

import hashlib
import os
import random
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.domain.enums import OrgType
from app.services.core.backups import backup_database, latest_backup
from app.services.core.database import Database, known_revisions, open_database
from app.services.core.errors import CorruptDatabaseError, NewerDatabaseError
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backups(db_path: Path) -> list[Path]:
    folder = db_path.parent / "backups"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _make_database(path: Path, orgs: int = 0) -> None:
    database = open_database(path)
    for n in range(orgs):
        create_org(database.session_factory, OrgInput(name=f"测试组织{n}号", org_type=OrgType.COMMUNITY_FILED,
                                                      address="中山路" * 30), actor="test")
    database.close()


def test_fresh_database_is_created_by_upgrading_from_base(tmp_path: Path) -> None:
    path = tmp_path / "fresh" / "new.sqlite3"
    database = open_database(path)
    try:
        _, head = known_revisions()
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [head]
            tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
        assert {"social_org", "outbox", "org_search_tri", "org_search_uni"} <= tables
        assert database.backup_path is None and database.migrated
        assert _backups(path) == []
    finally:
        database.close()


def test_every_connection_has_wal_full_sync_and_enforced_foreign_keys(db: Database) -> None:
    connections = [db.engine.connect() for _ in range(3)]  # three distinct pooled connections
    try:
        for n, conn in enumerate(connections):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            # the pragma is not just reported on, it is enforced: a dangling reference is refused
            conn.exec_driver_sql(f"CREATE TEMP TABLE parent{n} (id INTEGER PRIMARY KEY)")
            conn.exec_driver_sql(f"CREATE TEMP TABLE child{n} (parent_id INTEGER REFERENCES parent{n}(id))")
            with pytest.raises(IntegrityError, match="FOREIGN KEY"):
                conn.exec_driver_sql(f"INSERT INTO child{n} VALUES (42)")
    finally:
        for conn in connections:
            conn.close()
    with db.session_factory() as session:
        assert session.execute(text("PRAGMA synchronous")).scalar() == 2
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_synced_tables_carry_no_foreign_keys(db: Database) -> None:
    """A sync pull delivers rows in server order, so a child may come before its parent (SyncColumns):
    a foreign key between synced tables would refuse a valid pull."""
    from app.models import SYNCED_ENTITIES

    with db.engine.connect() as conn:
        for table in SYNCED_ENTITIES:
            assert conn.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').fetchall() == [], table


def test_opening_an_up_to_date_database_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    _make_database(path, orgs=2)
    database = open_database(path)
    try:
        assert database.backup_path is None and not database.migrated
        assert _backups(path) == []
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM social_org")).scalar() == 2
    finally:
        database.close()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(random.Random(7).randbytes(8192), id="random-bytes"),
        pytest.param("这不是数据库\nname,uscc\n".encode() * 50, id="text-file"),
        pytest.param(b"SQLite format 3", id="header-without-nul"),
    ],
)
def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "d.sqlite3"
    path.write_bytes(content)
    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(path)
    assert str(path) in str(caught.value)
    assert "没有找到备份" in str(caught.value)
    assert path.read_bytes() == content
    assert _backups(path) == []


def test_corrupt_database_message_names_the_latest_backup(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    _make_database(path, orgs=1)
    older = backup_database(path, "manual")
    newer = backup_database(path, "manual")
    assert latest_backup(path) == newer != older
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(path)
    assert caught.value.backup == newer
    assert str(newer) in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == b"garbage" * 1000


def _garbled(original: bytes, mode: str) -> bytes:
    rng = random.Random(mode)
    if mode == "garbage-after-header":
        return original[:100] + rng.randbytes(len(original) - 100)
    if mode == "truncated-half":
        return original[: len(original) // 2]
    if mode == "truncated-first-page":
        return original[:4096]
    raise AssertionError(mode)


@pytest.mark.parametrize("mode", ["garbage-after-header", "truncated-half", "truncated-first-page"])
def test_a_garbled_sqlite_file_is_refused_and_left_alone(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "d.sqlite3"
    _make_database(path, orgs=30)
    damaged = _garbled(path.read_bytes(), mode)
    assert damaged.startswith(b"SQLite format 3\x00")
    path.write_bytes(damaged)
    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(path)
    assert str(path) in str(caught.value)
    assert path.read_bytes() == damaged
    assert _backups(path) == []


def test_a_sqlite_file_of_another_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(CorruptDatabaseError):
        open_database(path)
    assert _digest(path) == before


def test_a_database_from_a_newer_app_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    _make_database(path, orgs=2)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(NewerDatabaseError) as caught:
        open_database(path)
    assert "9999_from_the_future" in str(caught.value)
    assert str(path) in str(caught.value)
    assert _digest(path) == before
    assert _backups(path) == []


def test_a_zero_byte_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    """Regression: a 0-byte database file was silently re-created as an empty ledger."""
    path = tmp_path / "d.sqlite3"
    path.touch()
    with pytest.raises(CorruptDatabaseError) as caught:
        open_database(path)
    assert "0 字节" in str(caught.value) and str(path) in str(caught.value)
    assert path.read_bytes() == b"" and _backups(path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.sqlite3"]


def test_backup_is_consistent_while_the_database_is_open(db: Database) -> None:
    create_org(db.session_factory, OrgInput(name="备份测试协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
    target = backup_database(db.path, "manual")  # the engine still holds the WAL open
    assert target.parent == db.path.parent / "backups"
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT name FROM social_org").fetchall() == [("备份测试协会",)]
    finally:
        conn.close()
    assert not Path(f"{target}-wal").exists() or os.path.getsize(f"{target}-wal") == 0


def test_an_empty_sqlite_file_is_created_afresh(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")  # writes the header: a valid SQLite file without tables
    conn.close()
    assert path.stat().st_size > 0
    database = open_database(path)
    try:
        assert database.backup_path is None
        with database.engine.connect() as c:
            assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == known_revisions()[1]
    finally:
        database.close()


def test_a_first_start_that_failed_mid_migration_leaves_no_file_and_can_start_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    real_upgrade = command.upgrade

    def upgrade_then_fail(*args: object, **kwargs: object) -> None:
        real_upgrade(*args, **kwargs)  # type: ignore[arg-type]
        raise OSError("disk full")

    path = tmp_path / "d.sqlite3"
    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    with pytest.raises(OSError, match="disk full"):
        open_database(path)
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    assert list(tmp_path.iterdir()) == []  # created under a temporary name: nothing half-made is left
    database = open_database(path)
    try:
        create_org(database.session_factory, OrgInput(name="第二次启动", org_type=OrgType.COMMUNITY_FILED), actor="t")
    finally:
        database.close()
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == ["d.sqlite3"]


def test_restore_keeps_a_copy_of_the_replaced_file_including_its_wal(tmp_path: Path) -> None:
    from app.services.core.backups import restore_from

    path = tmp_path / "d.sqlite3"
    _make_database(path, orgs=1)
    backup = backup_database(path, "manual")
    # the state after a crash: a commit that lives only in the WAL
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    live = open_database(path)
    create_org(live.session_factory, OrgInput(name="只在WAL里的组织", org_type=OrgType.COMMUNITY_FILED), actor="t")
    for suffix in ("", "-wal"):
        (crashed / f"d.sqlite3{suffix}").write_bytes(Path(f"{path}{suffix}").read_bytes())
    live.close()
    target = crashed / "d.sqlite3"
    restore_from(backup, target)
    restored = sqlite3.connect(target)
    assert restored.execute("SELECT count(*) FROM social_org").fetchone() == (1,)
    restored.close()
    [kept] = [p for p in crashed.iterdir() if ".replaced-" in p.name and not p.name.endswith("-wal")]
    conn = sqlite3.connect(kept)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM social_org")}
    finally:
        conn.close()
    assert "只在WAL里的组织" in names and len(names) == 2


def test_write_transactions_take_the_write_lock_up_front_and_reads_do_not(db: Database) -> None:
    other = sqlite3.connect(db.path, timeout=0, isolation_level=None)
    try:
        with db.session_factory() as reader:
            reader.execute(text("SELECT count(*) FROM social_org")).scalar()
            other.execute("BEGIN IMMEDIATE")  # a read-only session leaves writers alone
            other.execute("ROLLBACK")
        with db.session_factory.begin() as writer:
            writer.execute(text("SELECT count(*) FROM social_org")).scalar()
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            with db.session_factory() as reader:  # WAL: readers still read while a writer is open
                assert reader.execute(text("SELECT count(*) FROM social_org")).scalar() == 0
    finally:
        other.close()


def test_concurrent_saves_that_read_before_writing_all_succeed(db: Database) -> None:
    # Each save first looks for a duplicate code, then writes.  With deferred transactions a writer
    # whose snapshot went stale fails at once with "database is locked".
    from concurrent.futures import ThreadPoolExecutor

    from app.domain.uscc import make_code

    def save(worker: int) -> None:
        for n in range(25):
            code = make_code("1", "350100", f"MJ{worker:03d}{n:04d}")
            create_org(db.session_factory, OrgInput(name=f"并发{worker}-{n}", org_type=OrgType.SOCIAL_GROUP,
                                                    uscc=code, registration_authority="鼓楼区民政局"), actor="t")

    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(save, w) for w in range(4)]:
            future.result()
    with db.session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM social_org")).scalar() == 100
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar() == 100


def test_a_database_created_meanwhile_by_another_process_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services.core import database as database_module

    path = tmp_path / "d.sqlite3"
    theirs = tmp_path / "other" / "d.sqlite3"
    _make_database(theirs, orgs=1)
    real_upgrade = database_module._upgrade

    def upgrade_while_another_creates(engine: object) -> None:
        real_upgrade(engine)  # type: ignore[arg-type]
        path.write_bytes(theirs.read_bytes())  # the other process (e.g. the CLI beside the GUI) was faster

    monkeypatch.setattr(database_module, "_upgrade", upgrade_while_another_creates)
    database = open_database(path)
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM social_org")).scalar() == 1
    finally:
        database.close()
    assert not [p for p in tmp_path.iterdir() if ".creating" in p.name]
