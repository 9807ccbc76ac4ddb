"""What the preview tells a user before anything is written: an 更新 row's old → new values, the column to add
for a kept code, duplicate rows by name and column, phones as typed in full width, and a 新增 row whose name
is very like an organization already in the same 社区 / 街道."""

from __future__ import annotations

from pathlib import Path

from ledger_files import code, write_csv, write_xlsx

from app.services.core.database import Database
from app.services.ledger_io.plan import RowStatus, plan_import
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput, OrgType


def bad_check_digit(valid: str) -> str:
    last = "0" if valid[-1] != "0" else "1"
    return valid[:-1] + last


def test_an_update_lists_each_field_with_its_old_and_new_value(tmp_path: Path, db: Database) -> None:
    organizations.create_org(db.session_factory, OrgInput(
        name="福州市鼓楼区书法家协会", org_type=OrgType.SOCIAL_GROUP,
        registration_authority="鼓楼区民政局", uscc=code("1", 1), sub_district="东街街道",
        contact_phone="0591-8765 4321", notes="很长的备注" * 20), actor="someone")
    rows = [["统一社会信用代码", "组织名称", "联系电话", "地址", "备注"],
            [code("1", 1), "福州市鼓楼区书法家协会", "13800000000", "东街 8 号", "短备注"]]
    (row,) = plan_import(db.session_factory, write_xlsx(tmp_path / "旧.xlsx", rows)).rows
    assert row.status is RowStatus.UPDATE and row.changed == ("地址", "联系电话", "备注")
    by_label = {change.label: change for change in row.changes}
    assert (by_label["联系电话"].old, by_label["联系电话"].new) == ("0591-8765 4321", "13800000000")
    assert "联系电话：0591-8765 4321 → 13800000000" in row.change_text
    assert "地址：（空） → 东街 8 号" in row.change_text
    notes = str(by_label["备注"])
    assert notes.endswith("… → 短备注") and len(notes) < 40  # a long value is cut, not printed whole


def test_a_failed_check_digit_names_the_column_to_add_and_the_import_reads_it(tmp_path: Path, db: Database) -> None:
    wrong = bad_check_digit(code("1", 7))
    rows = [["组织名称", "组织类型", "统一社会信用代码"], ["东街书法协会", "社会团体", wrong]]
    (refused,) = plan_import(db.session_factory, write_xlsx(tmp_path / "a.xlsx", rows)).rows
    assert refused.status is RowStatus.REJECTED
    assert "请在文件中增加一列“信用代码保留原因”" in refused.reason_text
    assert "“保留原因”中说明" not in refused.reason_text
    rows[0].append("信用代码保留原因")
    rows[1].append("营业执照上的代码如此")
    (kept,) = plan_import(db.session_factory, write_xlsx(tmp_path / "b.xlsx", rows)).rows
    assert kept.status is RowStatus.NEW and kept.data is not None
    assert kept.data.uscc_override_reason == "营业执照上的代码如此"
    rows[1][3] = None  # the column is there but blank: say which column to fill
    (blank,) = plan_import(db.session_factory, write_xlsx(tmp_path / "c.xlsx", rows)).rows
    assert "请在D列“信用代码保留原因”中说明" in blank.reason_text


def test_a_duplicate_code_names_the_column_and_both_names(tmp_path: Path, db: Database) -> None:
    rows = [["组织名称", "组织类型", "统一社会信用代码"], ["东街书法协会", "社会团体", code("1", 3)],
            ["东街摄影协会", "社会团体", code("1", 3)], ["东街书法协会", "社会团体", code("1", 3)]]
    _first, other, same = plan_import(db.session_factory, write_xlsx(tmp_path / "重.xlsx", rows)).rows
    assert other.status is RowStatus.REJECTED and same.status is RowStatus.REJECTED
    assert ("C列“统一社会信用代码”与第 2 行（东街书法协会）相同，但名称不同（东街摄影协会）："
            "可能有一行的代码填错了") in other.reason_text
    assert "C列“统一社会信用代码”与第 2 行（东街书法协会）相同，是同一个组织：请删除重复的一行" in same.reason_text


def test_full_width_phones_are_stored_plain(tmp_path: Path, db: Database) -> None:
    rows = [["组织名称", "组织类型", "联系电话"], ["东街舞蹈队", "社区社会组织", "　１９２９９９９８８８８ "],
            ["东街合唱团", "社区社会组织", "０５９１－８７６５４３２１"]]
    first, second = plan_import(db.session_factory, write_csv(tmp_path / "电话.csv", rows)).rows
    assert first.data is not None and first.data.contact_phone == "19299998888"
    assert second.data is not None and second.data.contact_phone == "0591-87654321"


def test_a_new_name_very_like_one_in_the_same_place_is_pointed_out(tmp_path: Path, db: Database) -> None:
    for name, community in (("东街舞蹈队", "斗池社区"), ("东街合唱团", "塔巷社区"), ("南门书画社", "斗池社区")):
        organizations.create_org(db.session_factory, OrgInput(
            name=name, org_type=OrgType.COMMUNITY_FILED, sub_district="东街街道", community=community),
            actor="someone")
    rows = [["组织名称", "组织类型", "所在街道", "所在社区"],
            ["东街舞蹈队（斗池）", "社区社会组织", "东街街道", "斗池社区"],  # a bracketed suffix
            ["鼓楼区东街合唱团", "社区社会组织", "东街街道", "塔巷社区"],  # one holds the other
            ["南门书画社", "社区社会组织", "西街街道", ""],  # another 街道: a different organization
            ["东街篮球队", "社区社会组织", "东街街道", "斗池社区"]]
    renamed, longer, elsewhere, new = plan_import(db.session_factory, write_xlsx(tmp_path / "改名.xlsx", rows)).rows
    assert [r.status for r in (renamed, longer, elsewhere, new)] == [RowStatus.NEW] * 4  # warnings never refuse
    assert "斗池社区已有名称相近的组织“东街舞蹈队”" in " ".join(str(w) for w in renamed.warnings)
    assert "塔巷社区已有名称相近的组织“东街合唱团”" in " ".join(str(w) for w in longer.warnings)
    assert not any("相近" in str(w) for w in (*elsewhere.warnings, *new.warnings))


def test_a_negative_count_says_so(tmp_path: Path, db: Database) -> None:
    rows = [["组织名称", "组织类型", "党员人数", "会员数"], ["东街舞蹈队", "社区社会组织", -3, "-5"]]
    (row,) = plan_import(db.session_factory, write_xlsx(tmp_path / "负.xlsx", rows)).rows
    assert row.status is RowStatus.REJECTED
    assert "C列“党员人数”：人数不能为负数" in row.reason_text and "D列“会员数”：人数不能为负数" in row.reason_text
    assert "不是整数" not in row.reason_text


def test_a_csv_is_not_called_a_sheet(tmp_path: Path, db: Database) -> None:
    plan = plan_import(db.session_factory, write_csv(tmp_path / "东街.csv", [["组织名称", "组织类型"],
                                                                           ["东街舞蹈队", "社区社会组织"]]))
    assert "工作表" not in plan.summary() and plan.sheet_name == ""




def test_a_registered_organization_without_its_authority_comes_in_with_a_warning(tmp_path: Path,
                                                                                  db: Database) -> None:
    """The form requires 登记管理机关 of a registered organization, but few offices' sheets have the column:
    the row is imported and the preview says what to fill in later, instead of refusing the whole file."""
    rows = [["组织名称", "组织类型", "统一社会信用代码", "登记管理机关"],
            ["甲协会", "社会团体", code("1", 41), ""],
            ["乙协会", "社会团体", code("1", 42), "鼓楼区民政局"]]
    plan = plan_import(db.session_factory, write_xlsx(tmp_path / "no-authority.xlsx", rows))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW]
    first, second = plan.rows
    assert [str(w) for w in first.warnings] == [
        "D列“登记管理机关”：“登记管理机关”不能为空（社会团体是登记的社会组织，如：某某区民政局）：导入后请在组织信息中补填"]
    assert second.warnings == ()
