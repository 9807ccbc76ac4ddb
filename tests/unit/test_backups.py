"""Backups: verified copies, the daily backup and its retention rule, restore that keeps the current data."""

from __future__ import annotations

import hashlib
import random
import shutil
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from app.domain.enums import OrgType
from app.services.core import backups
from app.services.core.backups import (
    ArchiveError,
    backup_database,
    daily_backup,
    latest_backup,
    list_backups,
    prune_backups,
    restore_from,
)
from app.services.core.database import Database, open_database
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org

NOW = datetime(2026, 12, 1, 2, 30, tzinfo=UTC)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _add(db: Database, name: str) -> None:
    create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED, address="中山路" * 30),
               actor="t")


def _names(path: Path) -> set[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM social_org")}
    finally:
        conn.close()


def test_a_copy_that_does_not_verify_is_not_kept(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backups, "quick_check", lambda _path, limit=20: ["Page 7: btreeInitPage() returns error"])
    with pytest.raises(ArchiveError, match="未通过校验"):
        backup_database(db.path, "manual")
    assert list((db.path.parent / "backups").iterdir()) == []  # neither the copy nor its .partial
    assert latest_backup(db.path) is None


def test_daily_backup_once_per_civil_day_and_the_latest_always_exists(db: Database) -> None:
    _add(db, "第一天的组织")
    first = daily_backup(db.path, now=NOW)
    assert first is not None and latest_backup(db.path) == first
    assert _names(first) == {"第一天的组织"}
    _add(db, "同一天稍后的组织")
    assert daily_backup(db.path, now=NOW + timedelta(hours=5)) is None  # one per day
    second = daily_backup(db.path, now=NOW + timedelta(days=1))
    assert second is not None and latest_backup(db.path) == second != first
    assert _names(second) == {"第一天的组织", "同一天稍后的组织"}
    conn = sqlite3.connect(second)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
    finally:
        conn.close()


def test_retention_keeps_7_daily_4_weekly_12_monthly_and_every_other_copy(db: Database) -> None:
    template = backup_database(db.path, "before-0005", now=NOW - timedelta(days=900))
    manual = backup_database(db.path, "manual", now=NOW - timedelta(days=800))
    folder = template.parent
    last = date(2026, 12, 1)
    days = [last - timedelta(days=n) for n in range(400)]
    for day in days:
        shutil.copyfile(template, folder / f"{db.path.stem}-{day:%Y%m%d}-100000-000000-daily.sqlite3")
    removed = prune_backups(db.path)
    kept = [b for b in list_backups(db.path) if b.reason == "daily"]
    kept_days = {b.day for b in kept}
    assert {last - timedelta(days=n) for n in range(7)} <= kept_days  # the last 7 days
    weeks = {d.isocalendar()[:2] for d in days[:28]}
    assert all(any(k.isocalendar()[:2] == w for k in kept_days) for w in sorted(weeks)[-4:])  # 4 weeks
    months = sorted({(d.year, d.month) for d in days})[-12:]
    assert all(any((k.year, k.month) == m for k in kept_days) for m in months)  # 12 months
    assert len(kept) <= 7 + 4 + 12 and len(kept) + len(removed) == 400
    assert min(kept_days) >= date(2025, 12, 1)  # nothing older than a year
    assert template.exists() and manual.exists()  # upgrade and manual copies are never pruned


def _damage_middle_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = (len(data) // 4096 // 2) * 4096
    data[middle:middle + 4096] = random.Random(7).randbytes(4096)
    path.write_bytes(bytes(data))


def test_restore_refuses_a_damaged_or_newer_or_foreign_archive_and_changes_nothing(db: Database,
                                                                                 tmp_path: Path) -> None:
    for n in range(30):
        _add(db, f"组织{n}")
    damaged = backup_database(db.path, "manual", out=tmp_path / "damaged.sqlite3")
    _damage_middle_page(damaged)
    newer = backup_database(db.path, "manual", out=tmp_path / "newer.sqlite3")
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    text = tmp_path / "notes.sqlite3"
    text.write_text("这不是备份", encoding="utf-8")
    db.close()
    before = _digest(db.path)
    expected = {damaged: "已损坏", newer: "更新版本", empty: "0 字节", text: "不是可用的备份",
                tmp_path / "missing.sqlite3": "找不到"}
    for archive, reason in expected.items():
        with pytest.raises(ArchiveError, match=reason):
            restore_from(archive, db.path)
        assert _digest(db.path) == before
        assert not [p for p in db.path.parent.iterdir() if ".replaced-" in p.name or ".restoring" in p.name]


def test_restore_puts_the_current_data_back_when_the_restored_copy_does_not_open(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(db, "当前的组织")
    archive = backup_database(db.path, "manual", out=tmp_path / "a.sqlite3")
    _add(db, "备份之后的组织")
    db.close()
    before = _digest(db.path)
    from app.services.core import database

    def fail_to_open(_path: Path) -> Database:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(database, "open_database", fail_to_open)
    with pytest.raises(ArchiveError, match="放回原来的数据"):
        restore_from(archive, db.path)
    assert _digest(db.path) == before
    assert _names(db.path) == {"当前的组织", "备份之后的组织"}
    assert not [p for p in db.path.parent.iterdir() if ".replaced-" in p.name]


def test_restore_keeps_the_current_data_aside_and_gives_back_the_archive(db: Database, tmp_path: Path) -> None:
    _add(db, "当前的组织")
    archive = backup_database(db.path, "manual", out=tmp_path / "a.sqlite3")
    _add(db, "备份之后的组织")
    db.close()
    kept = restore_from(archive, db.path, now=NOW)
    assert kept is not None and kept.name.startswith(f"{db.path.name}.replaced-")
    assert _names(db.path) == {"当前的组织"}
    assert _names(kept) == {"当前的组织", "备份之后的组织"}
    open_database(db.path).close()


def test_restore_is_refused_while_the_database_is_open_elsewhere(db: Database, tmp_path: Path) -> None:
    _add(db, "当前的组织")
    archive = backup_database(db.path, "manual", out=tmp_path / "a.sqlite3")
    _add(db, "备份之后的组织")  # the GUI is still running: its pool holds a connection open
    with pytest.raises(ArchiveError, match="正被另一个程序"):
        restore_from(archive, db.path)
    assert not [p for p in db.path.parent.iterdir() if ".replaced-" in p.name or ".restoring" in p.name]
    with db.session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM social_org")).scalar() == 2


@pytest.mark.parametrize("where", ["proc", "under_a_file"])
def test_a_target_that_cannot_be_written_is_named_and_the_database_not_blamed(db: Database, tmp_path: Path,
                                                                              where: str) -> None:
    if where == "proc" and not Path("/proc/self").is_dir():
        pytest.skip("no /proc here")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = Path("/proc/x.sqlite3") if where == "proc" else blocker / "copy.sqlite3"
    with pytest.raises(ArchiveError) as raised:
        backup_database(db.path, "manual", out=target)
    message = str(raised.value)
    assert "无法读写文件" in message and str(target) in message
    assert "损坏" not in message and "integrity-check" not in message
    assert not target.exists() and blocker.read_text() == "not a folder"


def test_a_target_that_exists_is_never_overwritten(db: Database, tmp_path: Path) -> None:
    for existing in (tmp_path / "there.sqlite3", tmp_path / "a-folder"):
        existing.mkdir() if existing.suffix == "" else existing.write_bytes(b"keep me")
        with pytest.raises(ArchiveError, match="已存在") as raised:
            backup_database(db.path, "manual", out=existing)
        assert "损坏" not in str(raised.value)
    assert (tmp_path / "there.sqlite3").read_bytes() == b"keep me"
