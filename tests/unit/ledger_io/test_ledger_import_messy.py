"""Real 台账 are messy: title rows, merged cells, header synonyms in any order, full-width digits, dates as
Excel dates or text, blank rows, a 合计 row, duplicate codes — in .xlsx, .xls and .csv (UTF-8 or GBK)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from ledger_files import code, write_csv, write_xls, write_xlsx

from app.services.core.database import Database
from app.services.ledger_io.plan import ImportPlan, RowStatus, plan_import
from app.services.orgs.dto import EvaluationGrade, OrgType

MESSY_HEADER = ["序号", "社会信用代码", "单位名称", "类型", "成立时间", "街道", "社区", "党员数", "评估等级",
                "是否党建入章", "核准日期", "联系电话", "评估时间"]


FULL_WIDTH = str.maketrans("0123456789MJ", "０１２３４５６７８９ＭＪ")


def messy_rows() -> list[list[object]]:
    return [
        ["福州市鼓楼区社会组织台账（2026年第一季度）"] + [None] * 12,
        ["填报单位：东街街道　　　　填报日期：2026年3月"] + [None] * 12,
        MESSY_HEADER,
        [1, code("1", 1), "福州市鼓楼区书法家协会", "社会团体", datetime(2015, 6, 1), "东街街道", "斗池社区", 5,
         "3A", "是", "2019.7.1", 13800000000.0, "2022.12.1"],
        [2, code("2", 2).translate(FULL_WIDTH),
         "福州市鼓楼区阳光养老服务中心", "民非", "2018/3/5", None, "塔巷社区", "１２", "ＡＡＡＡ", "否", None,
         "0591-87654321", 20230105],
        [None] * 13,
        [3, "", "东街舞蹈队", "社区社会组织", "2021年3月5日", None, "斗池社区", None, None, None, None, None, None],
        [4, code("1", 4), "福州市鼓楼区摄影协会", "社团", 20210305, None, None, "３人", None, None, None, None, None],
        [5, code("1", 4), "福州市鼓楼区摄影家协会", "社团", "2020.1.1", None, None, None, None, None, None, None, None],
        ["合计", None, None, None, None, None, None, 20, None, None, None, None, None],
    ]


def check_messy_plan(plan: ImportPlan) -> None:
    assert plan.header_row == 3
    assert [(r.sheet_row, r.status) for r in plan.rows] == [
        (4, RowStatus.NEW), (5, RowStatus.NEW), (7, RowStatus.NEW), (8, RowStatus.NEW), (9, RowStatus.REJECTED)]
    assert plan.skipped == ((10, "合计行"),)
    assert plan.ignored_columns == ("序号",)
    first, second, dance, photo, duplicate = plan.rows
    assert first.data is not None and first.data.org_type is OrgType.SOCIAL_GROUP
    assert first.data.founded_on == date(2015, 6, 1) and first.data.party_member_count == 5
    assert first.data.evaluation_grade is EvaluationGrade.A3 and first.data.party_clause_in_charter
    assert first.data.party_clause_approved_on == date(2019, 7, 1)
    assert first.data.contact_phone == "13800000000"  # a number Excel stored as a float
    assert second.data is not None and second.data.uscc == code("2", 2)  # full-width letters and digits
    assert second.data.org_type is OrgType.SOCIAL_SERVICE and second.data.party_member_count == 12
    assert second.data.evaluation_grade is EvaluationGrade.A4 and second.data.founded_on == date(2018, 3, 5)
    assert first.data.evaluation_date == date(2022, 12, 1) and second.data.evaluation_date == date(2023, 1, 5)
    assert dance.data is not None and dance.data.org_type is OrgType.COMMUNITY_FILED and not dance.data.uscc
    assert dance.data.founded_on == date(2021, 3, 5)
    assert photo.data is not None and photo.data.founded_on == date(2021, 3, 5) and photo.data.party_member_count == 3
    assert duplicate.problems[0].message == ("B列“社会信用代码”与第 8 行（福州市鼓楼区摄影协会）相同，但名称不同"
                                             "（福州市鼓楼区摄影家协会）：可能有一行的代码填错了，请核对后修改")


def test_messy_xlsx(tmp_path: Path, db: Database) -> None:
    rows = messy_rows()
    path = write_xlsx(tmp_path / "东街.xlsx", rows, merges=["A1:M1", "A2:M2"])
    check_messy_plan(plan_import(db.session_factory, path))


def test_messy_xls(tmp_path: Path, db: Database) -> None:
    rows = messy_rows()
    rows[3][4] = date(2015, 6, 1)
    path = write_xls(tmp_path / "东街.xls", rows, merges=[(0, 0, 0, 12), (1, 1, 0, 12)])
    check_messy_plan(plan_import(db.session_factory, path))


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_messy_csv(tmp_path: Path, db: Database, encoding: str) -> None:
    rows = messy_rows()
    rows[3][4] = "2015-06-01"
    rows[3][11] = "13800000000"
    path = write_csv(tmp_path / "东街.csv", rows, encoding=encoding)
    check_messy_plan(plan_import(db.session_factory, path))


def test_merged_cells_give_their_value_to_every_row(tmp_path: Path, db: Database) -> None:
    """A 街道 merged down several rows is the 街道 of each; a header merged over two rows still reads."""
    rows = [["单位名称", "类型", "统一社会信用代码", "所在街道"],
            [None, None, None, None],
            ["甲协会", "社会团体", code("1", 11), "东街街道"],
            ["乙协会", "社会团体", code("1", 12), None],
            ["丙协会", "社会团体", code("1", 13), None]]
    path = write_xlsx(tmp_path / "merged.xlsx", rows, merges=["A1:A2", "B1:B2", "C1:C2", "D1:D2", "D3:D5"])
    plan = plan_import(db.session_factory, path)
    assert [r.data.sub_district for r in plan.rows if r.data] == ["东街街道"] * 3
    xls = write_xls(tmp_path / "merged.xls", rows, merges=[(2, 4, 3, 3)])
    assert [r.data.sub_district for r in plan_import(db.session_factory, xls).rows if r.data] == ["东街街道"] * 3


def test_export_headers_and_synonyms_in_any_order(tmp_path: Path, db: Database) -> None:
    rows = [["所在街道", "名称", "信用代码", "组织类型", "成立日期"],
            ["东街街道", "甲协会", code("1", 21), "社会团体", "2020-01-02"]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "a.xlsx", rows))
    (row,) = plan.rows
    assert row.status is RowStatus.NEW and row.data is not None
    assert (row.data.name, row.data.sub_district, row.data.founded_on) == ("甲协会", "东街街道", date(2020, 1, 2))


def test_headers_with_marks_and_full_width_letters(tmp_path: Path, db: Database) -> None:
    rows = [["组织名称*", "组织类型（必填）", "统一社会信用代码 ", "法定代表人(负责人)"],
            ["甲协会", "社会团体", code("1", 22), "张三"]]
    (row,) = plan_import(db.session_factory, write_xlsx(tmp_path / "a.xlsx", rows)).rows
    assert row.status is RowStatus.NEW and row.data is not None and row.data.legal_representative == "张三"


def test_a_repeated_header_row_is_skipped(tmp_path: Path, db: Database) -> None:
    header = ["组织名称", "组织类型", "统一社会信用代码"]
    rows = [header, ["甲协会", "社会团体", code("1", 23)], header, ["乙协会", "社会团体", code("1", 24)]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "a.xlsx", rows))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW]
    assert plan.skipped == ((3, "重复的表头"),)


def test_rejected_rows_name_the_sheet_row_the_column_and_the_reason(tmp_path: Path, db: Database) -> None:
    rows = [["台账"], ["组织名称", "组织类型", "统一社会信用代码", "成立日期", "党员人数"],
            ["甲协会", "社会团体", "91350102MA31234", "2018年13月1日", "约30"],
            ["", "社会团体", code("1", 31), None, None],
            ["乙协会", "不知道", code("1", 32), None, None],
            ["丙协会", "社会团体", "", None, None],
            ["丁协会", "社会团体", code("1", 33), "2099-01-01", -3]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "bad.xlsx", rows))
    reasons = {r.sheet_row: [str(p) for p in r.problems] for r in plan.rows}
    assert all(r.status is RowStatus.REJECTED for r in plan.rows)
    assert reasons[3][0] == "D列“成立日期”：“2018年13月1日”不是有效的日期（没有这一天）"
    assert reasons[3][1].startswith("E列“党员人数”：“约30”不是整数")
    assert reasons[3][2].startswith("C列“统一社会信用代码”：“统一社会信用代码”有误：应为18位")
    assert reasons[4][0].startswith("A列“组织名称”：组织名称为空")
    assert reasons[5][0].startswith("B列“组织类型”：“不知道”不是组织类型，应为：社会团体、")
    assert reasons[6] == ["C列“统一社会信用代码”：“统一社会信用代码”不能为空（仅备案的社区社会组织可以不填）"]
    assert any("晚于今天" in r for r in reasons[7]) and any("不能为负数" in r for r in reasons[7])


def test_a_missing_type_is_read_from_the_code(tmp_path: Path, db: Database) -> None:
    rows = [["组织名称", "统一社会信用代码"], ["甲中心", code("2", 41)], ["乙协会", code("1", 42)]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "a.xlsx", rows))
    assert [r.data.org_type for r in plan.rows if r.data] == [OrgType.SOCIAL_SERVICE, OrgType.SOCIAL_GROUP]


def test_warnings_never_refuse_a_row(tmp_path: Path, db: Database) -> None:
    mismatched = code("1", 43)  # a 社会团体 code given to a 民办非企业单位: a warning in the form
    rows = [["组织名称", "组织类型", "统一社会信用代码"], ["甲中心", "民办非企业单位", mismatched]]
    (row,) = plan_import(db.session_factory, write_xlsx(tmp_path / "a.xlsx", rows)).rows
    assert row.status is RowStatus.NEW and row.warnings and "不一致" in str(row.warnings[0])


def test_a_second_sheet_is_read_when_the_first_has_no_header(tmp_path: Path, db: Database) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["说明：本表由街道填报"])
    data = book.create_sheet("组织")
    data.append(["组织名称", "组织类型", "统一社会信用代码"])
    data.append(["甲协会", "社会团体", code("1", 44)])
    book.save(tmp_path / "two.xlsx")
    plan = plan_import(db.session_factory, tmp_path / "two.xlsx")
    assert plan.sheet_name == "组织" and len(plan.rows) == 1


def test_excel_unicode_text(tmp_path: Path, db: Database) -> None:
    """Excel's 另存为“Unicode 文本”: UTF-16 with a BOM, tab-separated, named .txt."""
    path = tmp_path / "台账.txt"
    content = f"组织名称\t组织类型\t统一社会信用代码\r\n甲协会\t社会团体\t{code('1', 51)}\r\n"
    path.write_bytes(content.encode("utf-16"))
    (row,) = plan_import(db.session_factory, path).rows
    assert row.status is RowStatus.NEW and row.data is not None and row.data.name == "甲协会"
