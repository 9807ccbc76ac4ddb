"""Importing writes through the outbox capture in one transaction: new rows in bulk with their entries,
updates with only the changed fields, nothing at all when the file brings nothing new."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ledger_files import HEADER, code, write_xlsx
from sqlalchemy import select, text

from app import paths
from app.models import OutboxEntry
from app.services.core.database import Database, open_database
from app.services.ledger_io.apply import InvalidRowsError, apply_plan
from app.services.ledger_io.errors import StalePlanError
from app.services.ledger_io.plan import RowStatus, plan_import
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput, OrgType
from app.services.orgs.ledger import search_orgs

State = Callable[[], dict[str, list[tuple[object, ...]]]]
ACTOR = "local:tester"


def district_file(tmp_path: Path, *extra: list[Any], name: str = "台账.xlsx") -> Path:
    rows: list[list[Any]] = [
        ["东街街道社会组织台账"], HEADER,
        ["福州市鼓楼区书法家协会", "社会团体", code("1", 1), date(2015, 6, 1), "东街街道", "斗池社区", 3],
        ["福州市鼓楼区阳光养老服务中心", "民办非企业单位", code("2", 2), "2018.3.5", "东街街道", "", 1],
        ["东街舞蹈队", "社区社会组织(备案)", "", "2021年3月5日", "东街街道", "斗池社区", None],
        *extra]
    return write_xlsx(tmp_path / name, rows)


def entries(db: Database) -> list[OutboxEntry]:
    with db.session_factory() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def import_file(db: Database, path: Path, *, skip_invalid: bool = False) -> Any:
    plan = plan_import(db.session_factory, path)
    return apply_plan(db.session_factory, plan, skip_invalid=skip_invalid, actor=ACTOR)


def test_new_rows_are_imported_with_one_outbox_entry_each(tmp_path: Path, db: Database) -> None:
    result = import_file(db, district_file(tmp_path))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    queued = entries(db)
    assert sorted(e.record_id for e in queued) == sorted(result.ids)
    assert all(e.op == "upsert" and e.state == "pending" and e.entity == "social_org" for e in queued)
    fields = next(e.fields for e in queued if e.fields["name"] == "福州市鼓楼区书法家协会")
    assert fields["uscc"] == code("1", 1) and fields["founded_on"] == "2015-06-01" and fields["party_member_count"] == 3
    assert fields["updated_by"] == ACTOR and fields["org_type"] == "SOCIAL_GROUP"
    assert {hit.name for hit in search_orgs(db.session_factory, "书法", limit=5)} == {"福州市鼓楼区书法家协会"}
    assert {hit.name for hit in search_orgs(db.session_factory, "shufa", limit=5)} == {"福州市鼓楼区书法家协会"}
    with db.session_factory() as session:
        audit = session.execute(text("SELECT actor, action, summary FROM audit_log")).all()
    assert audit == [(ACTOR, "import", '{"file": "台账.xlsx", "created": 3, "updated": 0}')]


def test_reimporting_the_same_file_changes_nothing(tmp_path: Path, db: Database, state: State) -> None:
    path = district_file(tmp_path)
    import_file(db, path)
    before = state()
    plan = plan_import(db.session_factory, path)
    assert [r.status for r in plan.rows] == [RowStatus.UNCHANGED] * 3
    result = apply_plan(db.session_factory, plan, skip_invalid=False, actor=ACTOR)
    assert (result.created, result.updated, result.unchanged, result.ids) == (0, 0, 3, ())
    assert state() == before  # no row, no outbox entry, no index row, no audit line


def test_invalid_rows_block_the_import_unless_skipped(tmp_path: Path, db: Database, state: State) -> None:
    path = district_file(tmp_path, ["坏代码协会", "社会团体", "91350102MA31234", None, "东街街道", None, None])
    before = state()
    plan = plan_import(db.session_factory, path)
    assert [r.status for r in plan.rows].count(RowStatus.REJECTED) == 1
    with pytest.raises(InvalidRowsError, match="有 1 行无效，没有导入任何数据"):
        apply_plan(db.session_factory, plan, skip_invalid=False, actor=ACTOR)
    assert state() == before
    result = apply_plan(db.session_factory, plan, skip_invalid=True, actor=ACTOR)
    assert (result.created, result.skipped_invalid) == (3, 1) and len(entries(db)) == 3


def _ack_everything(db: Database) -> None:
    with db.session_factory.begin() as session:
        session.execute(text("UPDATE outbox SET state = 'acked'"))


def test_an_update_sends_only_the_changed_fields(tmp_path: Path, db: Database) -> None:
    saved = organizations.create_org(db.session_factory, OrgInput(
        name="福州市鼓楼区书法家协会", org_type=OrgType.SOCIAL_GROUP,
        registration_authority="鼓楼区民政局", uscc=code("1", 1), sub_district="东街街道",
        address="鼓楼区东街 1 号", contact_phone="0591-87654321"), actor="someone")
    _ack_everything(db)
    rows = [["统一社会信用代码", "名称", "地址", "联系电话", "党员人数"],
            [code("1", 1), "福州市鼓楼区书法家协会", "鼓楼区东街 8 号", None, 4]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "更新.xlsx", rows))
    (row,) = plan.rows
    assert row.status is RowStatus.UPDATE and row.changed == ("地址", "党员人数") and row.org_id == saved.id
    apply_plan(db.session_factory, plan, skip_invalid=False, actor=ACTOR)
    latest = entries(db)[-1]
    assert latest.state == "pending" and latest.record_id == saved.id
    assert set(latest.fields) == {"address", "party_member_count", "updated_at", "updated_by"}
    assert latest.fields["updated_by"] == ACTOR
    detail = organizations.get_org(db.session_factory, saved.id)
    assert detail.data.contact_phone == "0591-87654321"  # a blank cell keeps what is saved
    assert detail.data.address == "鼓楼区东街 8 号" and detail.data.party_member_count == 4


def test_matching_by_name_and_street_when_there_is_no_code(tmp_path: Path, db: Database) -> None:
    filed = organizations.create_org(db.session_factory, OrgInput(
        name="东街舞蹈队", org_type=OrgType.COMMUNITY_FILED, sub_district="东街街道"), actor="someone")
    organizations.create_org(db.session_factory, OrgInput(
        name="东街舞蹈队", org_type=OrgType.COMMUNITY_FILED, sub_district="南街街道"), actor="someone")
    rows = [["组织名称", "所在街道", "所在社区"], ["东街舞蹈队", "东街街道", "斗池社区"],
            ["东街舞蹈队", "", "塔巷社区"]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "舞蹈队.xlsx", rows))
    matched, ambiguous = plan.rows
    assert matched.status is RowStatus.UPDATE and matched.org_id == filed.id and matched.changed == ("所在社区",)
    assert ambiguous.status is RowStatus.REJECTED
    assert "台账中有 2 个名为“东街舞蹈队”的组织，无法确定是哪一个" in ambiguous.reason_text


def test_a_code_added_to_an_organization_that_had_none(tmp_path: Path, db: Database) -> None:
    saved = organizations.create_org(db.session_factory, OrgInput(
        name="东街书画社", org_type=OrgType.COMMUNITY_FILED, sub_district="东街街道"), actor="someone")
    rows = [["组织名称", "所在街道", "统一社会信用代码"], ["东街书画社", "东街街道", code("9", 5)]]
    (row,) = plan_import(db.session_factory, write_xlsx(tmp_path / "a.xlsx", rows)).rows
    assert row.status is RowStatus.UPDATE and row.org_id == saved.id and row.changed == ("统一社会信用代码",)


def test_archive_and_restore_through_the_file(tmp_path: Path, db: Database) -> None:
    import_file(db, district_file(tmp_path))
    rows = [["统一社会信用代码", "组织名称", "归档", "归档原因"],
            [code("1", 1), "福州市鼓楼区书法家协会", "是", "已注销"]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "归档.xlsx", rows))
    assert plan.rows[0].changed == ("归档",)
    result = apply_plan(db.session_factory, plan, skip_invalid=False, actor=ACTOR)
    detail = organizations.get_org(db.session_factory, result.ids[0])
    assert detail.archived and detail.archive_reason == "已注销"
    rows[1][2:] = ["否", None]
    result = import_file(db, write_xlsx(tmp_path / "恢复.xlsx", rows))
    assert not organizations.get_org(db.session_factory, result.ids[0]).archived


def test_a_ledger_changed_after_the_preview_is_not_overwritten(tmp_path: Path, db: Database, state: State) -> None:
    plan = plan_import(db.session_factory, district_file(tmp_path))
    organizations.create_org(db.session_factory, OrgInput(name="福州市鼓楼区书法家协会", org_type=OrgType.SOCIAL_GROUP,
                                                          registration_authority="鼓楼区民政局",
                                                          uscc=code("1", 1)), actor="someone")
    before = state()
    with pytest.raises(StalePlanError, match="请重新预览"):
        apply_plan(db.session_factory, plan, skip_invalid=False, actor=ACTOR)
    assert state() == before


@pytest.fixture
def demo_db(migrated_template: Path) -> Iterator[Database]:
    path = paths.database_path(paths.DEMO_PROFILE)
    shutil.copyfile(migrated_template, path)
    database = open_database(path)
    yield database
    database.close()


def test_importing_into_the_demo_profile_queues_nothing(tmp_path: Path, demo_db: Database) -> None:
    path = district_file(tmp_path)
    assert import_file(demo_db, path).created == 3
    rows = [["统一社会信用代码", "组织名称", "地址"], [code("1", 1), "福州市鼓楼区书法家协会", "新地址"]]
    assert import_file(demo_db, write_xlsx(tmp_path / "b.xlsx", rows)).updated == 1
    assert entries(demo_db) == []
    assert {hit.name for hit in search_orgs(demo_db.session_factory, "书法", limit=5)} == {"福州市鼓楼区书法家协会"}
