"""Export: every field with Chinese headers, dates as dates, frozen header, fitted widths — and
export → import into an empty profile → export gives the same cells."""

from __future__ import annotations

import gc
import os
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from ledger_files import code

from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.ledger_io.apply import apply_plan
from app.services.ledger_io.columns import COLUMNS
from app.services.ledger_io.errors import ExportCancelled
from app.services.ledger_io.export import export_ledger
from app.services.ledger_io.plan import RowStatus, plan_import
from app.services.orgs import organizations
from app.services.orgs.dto import ArchivedFilter, EvaluationGrade, LedgerFilter, OrgInput, OrgType
from tests.conftest import fresh_database

FULL = OrgInput(
    name="福州市鼓楼区书法家协会", org_type=OrgType.SOCIAL_GROUP, short_name="书协", uscc=code("1", 1),
    legal_representative="张三", registration_authority="鼓楼区民政局", supervisory_unit="鼓楼区文联",
    industry_department="鼓楼区文体局", founded_on=date(2015, 6, 1), sub_district="东街街道", community="斗池社区",
    address="鼓楼区东街 8 号", contact_person="李四", contact_phone="13800000000", staff_count=3, member_count=120,
    party_member_count=5, evaluation_grade=EvaluationGrade.A4, evaluation_date=date(2022, 12, 1),
    party_clause_in_charter=True, party_clause_approved_on=date(2019, 7, 1), notes="第一行\n第二行")


def fill(db: Database) -> None:
    factory = db.session_factory
    organizations.create_org(factory, FULL, actor="t")
    organizations.create_org(factory, OrgInput(name="东街舞蹈队", org_type=OrgType.COMMUNITY_FILED,
                                               community_category="文体活动类", sub_district="东街街道"), actor="t")
    bad = code("2", 2)[:17] + ("0" if code("2", 2)[17] != "0" else "1")
    organizations.create_org(factory, OrgInput(name="阳光养老服务中心", org_type=OrgType.SOCIAL_SERVICE,
                                               registration_authority="鼓楼区民政局", uscc=bad,
                                               uscc_override_reason="早期试点代码"), actor="t")
    gone = organizations.create_org(factory, OrgInput(name="已注销协会", org_type=OrgType.SOCIAL_GROUP,
                                                      registration_authority="鼓楼区民政局",
                                                      uscc=code("1", 3)), actor="t")
    organizations.archive_org(factory, gone.id, reason="已注销", actor="t")


def cells(path: Path) -> list[tuple[object, ...]]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def test_the_file_a_user_gets(tmp_path: Path, db: Database) -> None:
    fill(db)
    path = tmp_path / "组织台账.xlsx"
    assert export_ledger(db.session_factory, path).rows == 4
    sheet = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header == [c.header for c in COLUMNS]
    assert sheet.freeze_panes == "A2" and sheet.title == "组织台账"
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in cells(path)[1:]}
    full = rows["福州市鼓楼区书法家协会"]
    assert full["组织类型"] == "社会团体" and full["评估等级"] == "4A" and full["党建入章"] == "是"
    assert full["成立日期"] == datetime(2015, 6, 1) and full["党员人数"] == 5 and full["联系电话"] == "13800000000"
    assert full["归档"] == "否" and full["备注"] == "第一行\n第二行"
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == FULL.name)
    date_cell = next(c for c in row if isinstance(c.value, datetime))
    assert date_cell.number_format == "yyyy-mm-dd"
    dance = rows["东街舞蹈队"]
    assert dance["组织类型"] == "社区社会组织(备案)" and dance["社区社会组织类别"] == "文体活动类"
    assert dance["党员人数"] is None and dance["成立日期"] is None  # unknown numbers are blank, never 0
    assert rows["已注销协会"]["归档"] == "是" and rows["已注销协会"]["归档原因"] == "已注销"
    assert rows["阳光养老服务中心"]["信用代码保留原因"] == "早期试点代码"
    widths = {c.header: sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width
              for i, c in enumerate(COLUMNS)}
    assert widths["组织名称"] >= 24 and widths["统一社会信用代码"] >= 20 and widths["党员人数"] < widths["地址"]


def test_export_import_export_gives_the_same_cells(tmp_path: Path, db: Database, migrated_template: Path) -> None:
    fill(db)
    first = tmp_path / "第一次.xlsx"
    export_ledger(db.session_factory, first)
    empty = fresh_database(migrated_template, tmp_path / "empty" / "db.sqlite3")
    try:
        plan = plan_import(empty.session_factory, first)
        assert [r.status for r in plan.rows] == [RowStatus.NEW] * 4, [r.reason_text for r in plan.rows]
        apply_plan(empty.session_factory, plan, skip_invalid=False, actor="t")
        second = tmp_path / "第二次.xlsx"
        export_ledger(empty.session_factory, second)
        assert cells(second) == cells(first)
        again = plan_import(empty.session_factory, second)
        assert {r.status for r in again.rows} == {RowStatus.UNCHANGED}
    finally:
        empty.close()


def test_export_follows_the_filter(tmp_path: Path, db: Database) -> None:
    fill(db)
    active = tmp_path / "在册.xlsx"
    assert export_ledger(db.session_factory, active, flt=LedgerFilter()).rows == 3
    archived = tmp_path / "归档.xlsx"
    assert export_ledger(db.session_factory, archived, flt=LedgerFilter(archived=ArchivedFilter.ARCHIVED)).rows == 1
    assert [r[0] for r in cells(archived)[1:]] == ["已注销协会"]
    found = tmp_path / "书法.xlsx"
    assert export_ledger(db.session_factory, found, flt=LedgerFilter(text="书法")).rows == 1


def test_a_cancelled_export_leaves_no_file(tmp_path: Path, db: Database) -> None:
    fill(db)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportCancelled, match="已取消导出"):
        export_ledger(db.session_factory, folder / "组织台账.xlsx", cancelled=lambda: True)
    assert list(folder.iterdir()) == []


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path, db: Database) -> None:
    """A name or note starting with "=" must not become a formula Excel runs; control characters pasted
    into notes (not allowed in .xlsx) are dropped rather than failing the export."""
    organizations.create_org(db.session_factory, OrgInput(
        name="=HYPERLINK(\"http://x\",\"点我\")", org_type=OrgType.COMMUNITY_FILED, notes="备注\x0b第二段"), actor="t")
    path = tmp_path / "公式.xlsx"
    export_ledger(db.session_factory, path)
    sheet = openpyxl.load_workbook(path).worksheets[0]
    name_cell = sheet.cell(row=2, column=1)
    assert name_cell.data_type == "s" and name_cell.value == "=HYPERLINK(\"http://x\",\"点我\")"
    assert sheet.cell(row=2, column=len(COLUMNS)).value == "备注第二段"
    (row,) = plan_import(db.session_factory, path).rows
    assert row.data is not None and row.data.name == "=HYPERLINK(\"http://x\",\"点我\")"


def test_an_organization_with_a_newer_servers_code(tmp_path: Path, db: Database) -> None:
    """Exported as 未知（code）, never a crash; an import does not change it (the form would not either)."""
    from sqlalchemy import text

    from app.services.core.outbox_guard import bulk_writes

    newer = organizations.create_org(db.session_factory, OrgInput(name="党校分校", org_type=OrgType.SOCIAL_GROUP,
                                                                  registration_authority="鼓楼区民政局",
                                                                  uscc=code("1", 7)), actor="t")
    with db.session_factory.begin() as session, bulk_writes(session):  # as a sync pull would write it
        session.execute(text("UPDATE social_org SET org_type = 'PARTY_SCHOOL' WHERE id = :i"), {"i": newer.id})
    path = tmp_path / "新代码.xlsx"
    export_ledger(db.session_factory, path)
    header, row = cells(path)
    assert dict(zip(header, row, strict=True))["组织类型"] == "未知（PARTY_SCHOOL）"
    (planned,) = plan_import(db.session_factory, path).rows
    assert planned.status is RowStatus.REJECTED and "PARTY_SCHOOL" in planned.reason_text


def test_the_header_row_has_excels_filter(tmp_path: Path, db: Database) -> None:
    fill(db)
    path = export_ledger(db.session_factory, tmp_path / "筛选.xlsx").path
    sheet = openpyxl.load_workbook(path).worksheets[0]
    last = openpyxl.utils.get_column_letter(len(COLUMNS))
    assert sheet.auto_filter.ref == f"A1:{last}5" and sheet.freeze_panes == "A2"


def write_failure(db: Database, path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The message of an export to ``path`` that fails, with no traceback left for the garbage collector."""
    leaked: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", leaked.append)
    with pytest.raises(ServiceError) as caught:
        export_ledger(db.session_factory, path)
    gc.collect()
    assert leaked == []  # an abandoned openpyxl writer would print a traceback on stderr
    message = str(caught.value)
    assert not any(english in message for english in ("No such file", "Permission denied", "directory"))
    return message


def test_write_failures_are_said_in_chinese(tmp_path: Path, db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    fill(db)
    missing = tmp_path / "没有这个文件夹"
    assert write_failure(db, missing / "台账.xlsx", monkeypatch) == f"文件夹不存在：{missing}"
    (tmp_path / ".占用.xlsx.part").mkdir()  # the temporary file cannot be made: openpyxl fails mid-save
    assert write_failure(db, tmp_path / "占用.xlsx", monkeypatch).startswith(f"无法写入：{tmp_path / '占用.xlsx'}")
    target = tmp_path / "已打开.xlsx"
    target.write_bytes(b"")

    def refuse(_source: object, _target: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)  # what Windows says while Excel holds the file
    assert write_failure(db, target, monkeypatch) == (f"文件正被其他程序打开：{target}"
                                                      "（请在 Excel 等程序中关闭它后再导出）")
    monkeypatch.setattr(os, "access", lambda _path, _mode: False)  # a folder the user may not write
    assert write_failure(db, target, monkeypatch).startswith(f"没有写入权限：{tmp_path}")
