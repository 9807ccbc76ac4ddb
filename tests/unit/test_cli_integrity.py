"""``integrity-check``, ``backup`` and ``restore`` run as a user would (a subprocess with DANGJIAN_HOME)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from app.domain.enums import OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import PartyOrg, PartyOrgCoverage, SocialOrg, new_id
from app.services.core.backups import backup_database
from app.services.core.database import open_database
from app.services.core.outbox import record_upsert
from app.services.orgs.dto import OrgInput
from app.services.orgs.facts import refresh_derived_facts
from app.services.orgs.organizations import create_org
from tests.damage import damage_a_middle_page

ROOT = Path(__file__).resolve().parents[2]


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DANGJIAN_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    environment.pop("DANGJIAN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, encoding="utf-8", timeout=180, check=False)


def _db_path(home: Path) -> Path:
    return home / "users" / "local" / "dangjian.sqlite3"


def _make(home: Path, orgs: int) -> Path:
    path = _db_path(home)
    path.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(path)
    for n in range(orgs):
        create_org(database.session_factory, OrgInput(name=f"测试组织{n}号", org_type=OrgType.COMMUNITY_FILED,
                                                      address="中山路" * 30), actor="t")
    database.close()
    return path


def _all_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                             "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'org_search_%'")]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()


def test_integrity_check_says_ok_on_a_good_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _make(home, orgs=3)
    result = cli(home, "integrity-check")
    assert result.returncode == 0, result.stderr
    assert "完整性检查通过" in result.stdout and not result.stderr


def test_integrity_check_names_damaged_pages_and_exits_1(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = _make(home, orgs=40)
    backup = backup_database(path, "daily")
    data = damage_a_middle_page(path)
    result = cli(home, "integrity-check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()  # one line per problem; the summary goes to stderr
    assert lines and all(line.startswith("数据库页面损坏：") for line in lines)
    assert f'restore "{backup}"' in result.stderr  # the way back
    assert path.read_bytes() == data


def test_integrity_check_refuses_a_zero_byte_file_without_changing_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = _db_path(home)
    path.parent.mkdir(parents=True)
    path.touch()
    result = cli(home, "integrity-check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stdout.splitlines() == [f"数据库文件无法读取：{path}（文件是空的（0 字节），其中没有任何数据）"]
    assert path.read_bytes() == b""


def test_backup_then_restore_into_a_fresh_home_gives_back_every_row(tmp_path: Path) -> None:
    home = tmp_path / "home"
    original = _make(home, orgs=5)
    archive = tmp_path / "copy" / "dangjian-backup.sqlite3"
    made = cli(home, "backup", "--out", str(archive))
    assert made.returncode == 0, made.stderr
    assert str(archive) in made.stdout and archive.is_file()
    again = cli(home, "backup", "--out", str(archive))  # never overwrites
    assert again.returncode == 1 and "已存在" in again.stderr and "Traceback" not in again.stderr

    fresh = tmp_path / "fresh"
    restored = cli(fresh, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert _all_rows(_db_path(fresh)) == _all_rows(original)
    assert len(_all_rows(original)["social_org"]) == 5

    rows_before = _all_rows(original)
    kept_run = cli(home, "restore", str(archive))  # over existing data: it is kept aside and named
    assert kept_run.returncode == 0, kept_run.stderr
    [kept] = [p for p in original.parent.iterdir()
              if ".replaced-" in p.name and not p.name.endswith(("-wal", "-shm"))]
    assert str(kept) in kept_run.stdout
    assert _all_rows(kept) == rows_before == _all_rows(original)


def test_restore_refuses_a_newer_or_damaged_archive_in_one_line(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = _make(home, orgs=1)
    before = path.read_bytes()
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(before)
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(before[:4096] + b"\x07" * (len(before) - 4096))
    for archive, reason in ((newer, "更新版本"), (damaged, "")):
        result = cli(home, "restore", str(archive))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(archive) in lines[0] and reason in lines[0]
        assert path.read_bytes() == before
    usage = cli(home, "restore")
    assert usage.returncode == 2 and len(usage.stderr.strip().splitlines()) == 1


def test_salvage_exports_what_can_be_read_and_restore_takes_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = _make(home, orgs=5)
    out = tmp_path / "rescued.sqlite3"
    result = cli(home, "salvage", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout.splitlines()[-1]
    assert _all_rows(out)["social_org"] == _all_rows(path)["social_org"]
    restored = cli(home, "restore", str(out))
    assert restored.returncode == 0, restored.stderr


def test_salvage_re_derives_coverage_from_the_rows_it_could_read(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = _make(home, orgs=1)
    database = open_database(path)
    try:
        with database.session_factory() as session:
            org_id = session.execute(select(SocialOrg.id)).scalar_one()
        party_id = new_id()
        with database.session_factory.begin() as session:
            record_upsert(session, PartyOrg(id=party_id, party_org_id=party_id, name="联合党支部",
                                            level=PartyOrgLevel.BRANCH, formation=PartyOrgFormation.JOINT), actor="t")
        with database.session_factory.begin() as session:
            record_upsert(session, PartyOrgCoverage(id=new_id(), org_id=org_id, party_org_id=party_id), actor="t")
        refresh_derived_facts(database.session_factory)  # derived for today: the flags say 组织覆盖
    finally:
        database.close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM party_org_coverage")  # the coverage rows were lost to damage
    conn.commit()
    conn.close()
    out = tmp_path / "rescued.sqlite3"
    result = cli(home, "salvage", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert _all_rows(out)["party_org_coverage"] == []
    conn = sqlite3.connect(f"file:{out}?mode=ro", uri=True)
    try:
        assert conn.execute("SELECT derived_coverage FROM social_org").fetchall() == [("NONE",)]
    finally:
        conn.close()


def test_integrity_check_of_a_profile_without_data_says_so_and_creates_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    _make(home, orgs=1)
    before = sorted(home.rglob("*"))
    result = cli(home, "--profile", "typo", "integrity-check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    expected = home / "users" / "typo" / "dangjian.sqlite3"
    assert result.stderr.strip().splitlines() == [f"没有找到数据库：{expected}。该配置档还没有数据。"]
    assert sorted(home.rglob("*")) == before
    fresh = tmp_path / "fresh"
    assert cli(fresh, "integrity-check").returncode == 1 and not fresh.exists()


def test_integrity_check_writes_only_its_record_beside_the_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    path = _make(home, orgs=1)

    def files() -> list[Path]:  # but SQLite's own -wal / -shm, which any reader of a WAL database may leave
        return sorted(p for p in home.rglob("*") if not p.name.endswith(("-wal", "-shm")))

    before = files()
    result = cli(home, "integrity-check")
    assert result.returncode == 0, result.stderr
    assert files() == sorted([*before, path.with_name(f"{path.name}.check.json")])  # no attachments folder
    assert "check.json" in cli(home, "integrity-check", "--help").stdout  # and its help says so
