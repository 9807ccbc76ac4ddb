"""The 组织台账 columns as the client's export writes them (app/services/ledger_io/columns.py COLUMNS):
header -> social_org field and how its cells read.

A copy, because the server imports nothing of the client but app.wire; tests/server checks it against the
client's COLUMNS, ORG_TYPE_LABELS and EvaluationGrade so the two cannot drift apart.
"""

from __future__ import annotations

TEXT, DATE, COUNT, YES_NO, ORG_TYPE, GRADE = "text", "date", "count", "yes_no", "org_type", "grade"

# header -> (field, kind); "archived" is a 是/否 column that sets or clears archived_at.
HEADERS: dict[str, tuple[str, str]] = {
    "组织名称": ("name", TEXT),
    "简称": ("short_name", TEXT),
    "组织类型": ("org_type", ORG_TYPE),
    "社区社会组织类别": ("community_category", TEXT),
    "统一社会信用代码": ("uscc", TEXT),
    "信用代码保留原因": ("uscc_override_reason", TEXT),
    "法定代表人": ("legal_representative", TEXT),
    "登记管理机关": ("registration_authority", TEXT),
    "业务主管单位": ("supervisory_unit", TEXT),
    "行业管理部门": ("industry_department", TEXT),
    "成立日期": ("founded_on", DATE),
    "所在街道": ("sub_district", TEXT),
    "所在社区": ("community", TEXT),
    "地址": ("address", TEXT),
    "联系人": ("contact_person", TEXT),
    "联系电话": ("contact_phone", TEXT),
    "专职工作人员数": ("staff_count", COUNT),
    "会员数": ("member_count", COUNT),
    "党员人数": ("party_member_count", COUNT),
    "评估等级": ("evaluation_grade", GRADE),
    "评估日期": ("evaluation_date", DATE),
    "党建入章": ("party_clause_in_charter", YES_NO),
    "入章核准日期": ("party_clause_approved_on", DATE),
    "归档": ("archived", YES_NO),
    "归档原因": ("archive_reason", TEXT),
    "备注": ("notes", TEXT),
}
REQUIRED = ("组织名称", "组织类型")

# The export writes an organization type as the label the UI shows (app.domain.enums.ORG_TYPE_LABELS);
# the wire carries the enum's value.
ORG_TYPES: dict[str, str] = {
    "社会团体": "SOCIAL_GROUP",
    "民办非企业单位": "SOCIAL_SERVICE",
    "基金会": "FOUNDATION",
    "社区社会组织(备案)": "COMMUNITY_FILED",
}
GRADES = ("1A", "2A", "3A", "4A", "5A")  # app.domain.enums.EvaluationGrade values, written as they are
YES, NO = "是", "否"
