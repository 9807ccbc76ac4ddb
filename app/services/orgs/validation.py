"""Whole-form validation of a 社会组织 (DESIGN §2.1): problems block a save, warnings do not.

Pure except for the duplicate-code look-up, which takes the session it runs in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import uscc as uscc_rules
from app.domain.enums import COMMUNITY_CATEGORY_ALIASES, DEFAULT_COMMUNITY_CATEGORIES, OrgType
from app.models import SocialOrg
from app.services.orgs.dto import OrgInput

NAME_MAX = 100
SHORT_NAME_MAX = 50
ADDRESS_MAX = 200
REASON_MAX = 200
COUNT_LABELS = {"staff_count": "专职工作人员数", "member_count": "会员数", "party_member_count": "党员人数"}
# Other text fields and their column lengths (SQLite would store more; the server's columns would not).
TEXT_LIMITS = {
    "legal_representative": ("法定代表人", 50), "registration_authority": ("登记管理机关", 100),
    "supervisory_unit": ("业务主管单位", 100), "industry_department": ("行业管理部门", 100),
    "sub_district": ("所属街道", 50), "community": ("所属社区", 50), "contact_person": ("联系人", 50),
    "contact_phone": ("联系电话", 30),
}


@dataclass(frozen=True)
class OrgCheck:
    """``problems`` and ``warnings`` map a form field name to a Chinese message."""

    problems: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def normalize_category(category: str) -> str:
    category = category.strip()
    return COMMUNITY_CATEGORY_ALIASES.get(category, category)


def _check_text(data: OrgInput, problems: dict[str, str]) -> None:
    name = data.name.strip()
    if not name:
        problems["name"] = "请填写组织名称"
    elif len(name) > NAME_MAX:
        problems["name"] = f"名称过长（{len(name)}字），最多{NAME_MAX}字"
    if len(data.short_name.strip()) > SHORT_NAME_MAX:
        problems["short_name"] = f"简称最多{SHORT_NAME_MAX}字"
    if len(data.address.strip()) > ADDRESS_MAX:
        problems["address"] = f"地址最多{ADDRESS_MAX}字"
    if len(data.uscc_override_reason.strip()) > REASON_MAX:
        problems["uscc_override_reason"] = f"原因最多{REASON_MAX}字"
    for key, (label, limit) in TEXT_LIMITS.items():
        if len(getattr(data, key).strip()) > limit:
            problems[key] = f"{label}最多{limit}字"


def _check_category(data: OrgInput, problems: dict[str, str]) -> None:
    category = normalize_category(data.community_category)
    if data.org_type is OrgType.COMMUNITY_FILED:
        if category and category not in DEFAULT_COMMUNITY_CATEGORIES:
            problems["community_category"] = "类别应为：" + "、".join(DEFAULT_COMMUNITY_CATEGORIES)
    elif category:
        problems["community_category"] = "只有社区社会组织(备案)填写社区社会组织类别"


def _check_dates(data: OrgInput, today: date, problems: dict[str, str]) -> None:
    if data.founded_on and data.founded_on > today:
        problems["founded_on"] = f"成立日期 {data.founded_on:%Y-%m-%d} 晚于今天，请更正"
    if data.evaluation_date and data.evaluation_date > today:
        problems["evaluation_date"] = "评估日期不能晚于今天"
    if data.evaluation_grade and not data.evaluation_date:
        problems["evaluation_date"] = "填写了评估等级，请同时填写评估日期"
    if data.party_clause_approved_on:
        if not data.party_clause_in_charter:
            problems["party_clause_approved_on"] = "未勾选“党建入章”时不应填写核准日期"
        elif data.party_clause_approved_on > today:
            problems["party_clause_approved_on"] = "核准日期不能晚于今天"


def _check_counts(data: OrgInput, problems: dict[str, str]) -> None:
    for key, label in COUNT_LABELS.items():
        value = getattr(data, key)
        if value is not None and value < 0:
            problems[key] = f"{label}不能为负数"


def _check_uscc(
    session: Session, data: OrgInput, org_id: str | None, problems: dict[str, str], warnings: dict[str, str]
) -> None:
    code = uscc_rules.normalize(data.uscc)
    if not code:
        if data.org_type is not OrgType.COMMUNITY_FILED:
            problems["uscc"] = "登记的社会组织须填写统一社会信用代码（仅备案的社区社会组织可以不填）"
        return
    result = uscc_rules.validate(code, data.org_type)
    if result.severity is uscc_rules.Severity.ERROR:
        problems["uscc"] = f"统一社会信用代码有误：{result.reason}"
        return
    if result.checksum_failed and not data.uscc_override_reason.strip():
        problems["uscc"] = f"统一社会信用代码{result.reasons[0]}；如确认代码无误，请在“保留原因”中说明"
    elif result.reasons:
        warnings["uscc"] = "请核对：" + result.reason
    holder = session.execute(
        select(SocialOrg.id, SocialOrg.name).where(
            SocialOrg.uscc == code, SocialOrg.deleted_at.is_(None), SocialOrg.id != (org_id or "")
        )
    ).first()
    if holder is not None:
        problems["uscc"] = f"该统一社会信用代码已被“{holder.name}”使用"


def check_org_input(session: Session, data: OrgInput, *, org_id: str | None, today: date) -> OrgCheck:
    """Every problem and warning of the form at once (the form shows each next to its field)."""
    problems: dict[str, str] = {}
    warnings: dict[str, str] = {}
    _check_text(data, problems)
    _check_category(data, problems)
    _check_dates(data, today, problems)
    _check_counts(data, problems)
    _check_uscc(session, data, org_id, problems, warnings)
    return OrgCheck(problems, warnings)
