"""Exporting what can still be read from a damaged database into a new one."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from app.domain.enums import OrgType
from app.services.core.backups import ArchiveError, inspect_archive
from app.services.core.database import open_database
from app.services.core.salvage import _copy_piecewise, salvage
from app.services.core.sqlite_file import quick_check
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org


def _make(path: Path, orgs: int) -> None:
    database = open_database(path)
    for n in range(orgs):
        create_org(database.session_factory, OrgInput(name=f"测试组织{n}号", org_type=OrgType.COMMUNITY_FILED,
                                                      address="中山路" * 30), actor="t")
    database.close()


def _schema_pages(path: Path) -> set[int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {row[0] for row in conn.execute("SELECT pageno FROM dbstat WHERE name = 'sqlite_schema'")}
    finally:
        conn.close()


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return sorted(conn.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
    finally:
        conn.close()


def test_a_sound_database_is_exported_row_for_row(tmp_path: Path) -> None:
    source, out = tmp_path / "d.sqlite3", tmp_path / "out.sqlite3"
    _make(source, orgs=5)
    report = salvage(source, out)
    assert report.lost == {} and report.unreadable == [] and report.copied["social_org"] == 5
    for table in ("social_org", "outbox", "audit_log", "sync_state"):
        assert _rows(out, table) == _rows(source, table), table
    inspect_archive(out)  # restorable as it is
    with pytest.raises(ArchiveError, match="已存在"):
        salvage(source, out)


def test_a_damaged_database_gives_what_can_be_read_and_is_not_changed(tmp_path: Path) -> None:
    source, out = tmp_path / "d.sqlite3", tmp_path / "out.sqlite3"
    _make(source, orgs=60)
    data = bytearray(source.read_bytes())
    pages = len(data) // 4096
    schema = _schema_pages(source)  # the pages of the schema itself: damaged, nothing could be read
    for page in (pages // 3, pages // 2, 2 * pages // 3):
        while page + 1 in schema:  # page numbers count from 1
            page += 1
        data[page * 4096:(page + 1) * 4096] = random.Random(page).randbytes(4096)
    source.write_bytes(bytes(data))
    assert quick_check(source)
    report = salvage(source, out)
    assert source.read_bytes() == bytes(data)
    assert quick_check(out) == []
    original_orgs = 60
    assert 0 < report.copied["social_org"] <= original_orgs
    assert report.lost or report.unreadable or report.copied["social_org"] == original_orgs
    database = open_database(out)  # a database the app opens and writes to again
    try:
        create_org(database.session_factory, OrgInput(name="导出后新增", org_type=OrgType.COMMUNITY_FILED), actor="t")
    finally:
        database.close()


def _outbox_pair(seqs: list[int]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("ATTACH DATABASE ':memory:' AS old")
    for schema in ("main", "old"):
        conn.execute(f"CREATE TABLE {schema}.outbox (seq INTEGER PRIMARY KEY, op_id TEXT)")
    conn.executemany("INSERT INTO old.outbox VALUES (?, ?)", [(s, f"op{s}") for s in seqs])
    return conn


def test_piecewise_copy_jumps_over_rowid_gaps() -> None:
    # acked outbox entries are pruned, so a long run of missing seqs before the pending ones is normal
    seqs = [-5, 1, 30000, 30001, 2**40]
    conn = _outbox_pair(seqs)
    assert _copy_piecewise(conn, "outbox", '"seq", "op_id"') == (len(seqs), 0, False)
    assert [r[0] for r in conn.execute("SELECT seq FROM main.outbox ORDER BY seq")] == seqs


def test_piecewise_copy_without_an_upper_bound_never_reports_nothing_lost() -> None:
    # when neither the gaps nor the last rowid can be read, the rows past where it stopped count as lost
    conn = _outbox_pair([1, 30000])
    reads = conn.execute

    class Failing:
        def execute(self, sql: str, args: tuple[object, ...] = ()) -> sqlite3.Cursor:
            if "max(rowid)" in sql or "min(rowid)" in sql:
                raise sqlite3.DatabaseError("database disk image is malformed")
            return reads(sql, args)

    copied, _lost, open_ended = _copy_piecewise(Failing(), "outbox", '"seq", "op_id"')  # type: ignore[arg-type]
    assert copied == 1 and open_ended
