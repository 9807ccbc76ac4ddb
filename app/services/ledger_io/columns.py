"""The columns of the 组织台账 file: one per field a user enters, with the header the export writes and the
other headers offices use for it (单位名称 / 组织名称 / 名称 …), which the import recognizes.

The export writes exactly :data:`COLUMNS` in this order; the import accepts these headers and every synonym,
in any order, with or without 必填 marks, spaces or full-width letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    TEXT = "text"
    DATE = "date"
    COUNT = "count"
    YES_NO = "yes_no"
    ORG_TYPE = "org_type"
    GRADE = "grade"


@dataclass(frozen=True)
class LedgerColumn:
    key: str  # an OrgInput field, or "archived" / "archive_reason"
    header: str  # what the export writes (and the form's label)
    kind: Kind
    synonyms: tuple[str, ...] = ()


COLUMNS: tuple[LedgerColumn, ...] = (
    LedgerColumn("name", "组织名称", Kind.TEXT,
                 ("单位名称", "名称", "社会组织名称", "机构名称", "组织全称", "单位全称")),
    LedgerColumn("short_name", "简称", Kind.TEXT, ("组织简称", "单位简称")),
    LedgerColumn("org_type", "组织类型", Kind.ORG_TYPE,
                 ("类型", "社会组织类型", "单位类型", "登记类型", "组织类别")),
    # not plain "类别": offices use it for the organization's type as often as for this
    LedgerColumn("community_category", "社区社会组织类别", Kind.TEXT, ("社区组织类别", "社区类别")),
    LedgerColumn("uscc", "统一社会信用代码", Kind.TEXT, ("社会信用代码", "信用代码", "统一代码", "组织机构代码")),
    LedgerColumn("uscc_override_reason", "信用代码保留原因", Kind.TEXT, ("保留原因", "代码保留原因")),
    LedgerColumn("legal_representative", "法定代表人", Kind.TEXT,
                 ("法人", "法人代表", "负责人", "法定代表人(负责人)")),
    LedgerColumn("registration_authority", "登记管理机关", Kind.TEXT, ("登记机关", "登记管理部门")),
    LedgerColumn("supervisory_unit", "业务主管单位", Kind.TEXT, ("主管单位", "业务主管部门")),
    LedgerColumn("industry_department", "行业管理部门", Kind.TEXT, ("行业主管部门", "行业管理单位")),
    LedgerColumn("founded_on", "成立日期", Kind.DATE, ("成立时间", "登记日期", "成立登记日期")),
    LedgerColumn("sub_district", "所在街道", Kind.TEXT, ("街道", "所属街道", "街道(镇)", "街镇")),
    LedgerColumn("community", "所在社区", Kind.TEXT, ("社区", "所属社区", "社区(村)")),
    LedgerColumn("address", "地址", Kind.TEXT, ("住所", "办公地址", "注册地址", "详细地址")),
    LedgerColumn("contact_person", "联系人", Kind.TEXT, ("联络人",)),
    LedgerColumn("contact_phone", "联系电话", Kind.TEXT, ("电话", "联系方式", "手机", "联系人电话", "手机号码")),
    LedgerColumn("staff_count", "专职工作人员数", Kind.COUNT, ("从业人员数", "从业人数", "工作人员数", "专职人员数",
                                                          "从业人员")),
    LedgerColumn("member_count", "会员数", Kind.COUNT, ("会员人数", "会员数量")),
    LedgerColumn("party_member_count", "党员人数", Kind.COUNT, ("党员数", "党员数量")),
    LedgerColumn("evaluation_grade", "评估等级", Kind.GRADE, ("等级", "社会组织评估等级")),
    LedgerColumn("evaluation_date", "评估日期", Kind.DATE, ("评估时间",)),
    LedgerColumn("party_clause_in_charter", "党建入章", Kind.YES_NO,
                 ("是否党建入章", "党建工作写入章程", "党建是否入章")),
    LedgerColumn("party_clause_approved_on", "入章核准日期", Kind.DATE, ("党建入章核准日期", "核准日期")),
    LedgerColumn("archived", "归档", Kind.YES_NO, ("是否归档", "已归档")),
    LedgerColumn("archive_reason", "归档原因", Kind.TEXT, ()),
    LedgerColumn("notes", "备注", Kind.TEXT, ("说明",)),
)
LABELS = {column.key: column.header for column in COLUMNS}

_MARKS = re.compile(r"[\s*:：]|\((必填|选填|可选|必须填写)\)")


def header_key(text: str) -> str:
    """A header cell as compared: NFKC (full-width brackets and letters plain), no spaces, no * or 必填."""
    return _MARKS.sub("", unicodedata.normalize("NFKC", text)).lower()


HEADER_INDEX: dict[str, LedgerColumn] = {}
for _column in COLUMNS:
    for _text in (_column.header, *_column.synonyms):
        HEADER_INDEX.setdefault(header_key(_text), _column)
