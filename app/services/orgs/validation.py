"""Whole-form validation of a 社会组织 (DESIGN §2.1): problems block a save, warnings do not.

Every message names its field by the label the form shows (``FIELD_LABELS``).  Pure except for the
look-ups of other organizations (same code, same name), which take the session they run in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import phones
from app.domain import uscc as uscc_rules
from app.domain.enums import COMMUNITY_CATEGORY_ALIASES, DEFAULT_COMMUNITY_CATEGORIES, OrgType
from app.models import SocialOrg
from app.services.orgs.dto import FIELD_LABELS, REGISTERED_TYPES, OrgInput

NAME_MAX = 100
SHORT_NAME_MAX = 50
ADDRESS_MAX = 200
REASON_MAX = 200
COUNT_FIELDS = ("staff_count", "member_count", "party_member_count")
COUNT_LABELS = {key: FIELD_LABELS[key] for key in COUNT_FIELDS}
# Text fields and their column lengths (SQLite would store more; the server's columns would not).
TEXT_LIMITS = {
    key: (FIELD_LABELS[key], limit) for key, limit in (
        ("short_name", SHORT_NAME_MAX), ("address", ADDRESS_MAX), ("uscc_override_reason", REASON_MAX),
        ("legal_representative", 50), ("registration_authority", 100), ("supervisory_unit", 100),
        ("industry_department", 100), ("sub_district", 50), ("community", 50), ("contact_person", 50),
        ("contact_phone", 30),
    )
}


def quoted(key: str) -> str:
    """A field's label as messages name it: “登记管理机关”."""
    return f"“{FIELD_LABELS[key]}”"


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
        problems["name"] = f"{quoted('name')}不能为空"
    elif len(name) > NAME_MAX:
        problems["name"] = f"{quoted('name')}过长（{len(name)}字），最多{NAME_MAX}字"
    for key, (_label, limit) in TEXT_LIMITS.items():
        length = len(getattr(data, key).strip())
        if length > limit:
            problems[key] = f"{quoted(key)}最多{limit}字（现为{length}字）"


# Required on the form, yet few offices' 台账 carry the column: an import brings such an organization in with
# a warning saying what to fill in (app.services.ledger_io), rather than refusing a district's file row by row;
# the form then asks for it at the next edit.
REQUIRED_LATER = frozenset({"registration_authority"})


def _check_required(data: OrgInput, problems: dict[str, str], warnings: dict[str, str]) -> None:
    """Per type: a registered organization names its 登记管理机关; a filed one should say where it works."""
    if data.org_type in REGISTERED_TYPES and not data.registration_authority.strip():
        problems["registration_authority"] = (
            f"{quoted('registration_authority')}不能为空（{data.org_type.label}是登记的社会组织，如：某某区民政局）")
    if data.org_type is OrgType.COMMUNITY_FILED and not (data.community.strip() or data.sub_district.strip()):
        warnings["community"] = (
            f"社区社会组织请填写{quoted('community')}或{quoted('sub_district')}（在哪里备案、开展活动）")


def _check_category(data: OrgInput, problems: dict[str, str]) -> None:
    category = normalize_category(data.community_category)
    if data.org_type is OrgType.COMMUNITY_FILED:
        if category and category not in DEFAULT_COMMUNITY_CATEGORIES:
            problems["community_category"] = f"{quoted('community_category')}应为：" + "、".join(
                DEFAULT_COMMUNITY_CATEGORIES)
    elif category:
        problems["community_category"] = f"只有社区社会组织(备案)填写{quoted('community_category')}"


def _check_dates(data: OrgInput, today: date, problems: dict[str, str]) -> None:
    if data.founded_on and data.founded_on > today:
        problems["founded_on"] = f"{quoted('founded_on')}（{data.founded_on:%Y-%m-%d}）晚于今天，请更正"
    if data.evaluation_date and data.evaluation_date > today:
        problems["evaluation_date"] = f"{quoted('evaluation_date')}不能晚于今天"
    if data.evaluation_grade and not data.evaluation_date:
        problems["evaluation_date"] = f"填写了{quoted('evaluation_grade')}，请同时填写{quoted('evaluation_date')}"
    if data.party_clause_approved_on:
        if not data.party_clause_in_charter:
            problems["party_clause_approved_on"] = (
                f"未勾选{quoted('party_clause_in_charter')}时不应填写{quoted('party_clause_approved_on')}")
        elif data.party_clause_approved_on > today:
            problems["party_clause_approved_on"] = f"{quoted('party_clause_approved_on')}不能晚于今天"


def _check_counts(data: OrgInput, problems: dict[str, str], warnings: dict[str, str]) -> None:
    for key in COUNT_FIELDS:
        value = getattr(data, key)
        if value is not None and value < 0:
            problems[key] = f"{quoted(key)}不能为负数"
    party = data.party_member_count
    if party is None or "party_member_count" in problems:
        return
    # 党员 are among the organization's members, or (with no member roll) among its staff
    against = "member_count" if data.member_count is not None else "staff_count"
    bound = getattr(data, against)
    if bound is not None and bound >= 0 and party > bound:
        warnings["party_member_count"] = (
            f"{quoted('party_member_count')}（{party}）多于{quoted(against)}（{bound}），请核对")


def _check_phone(data: OrgInput, problems: dict[str, str], warnings: dict[str, str]) -> None:
    if "contact_phone" in problems:  # too long: say that first
        return
    check = phones.check_phones(data.contact_phone, FIELD_LABELS["contact_phone"])
    if check.problems:
        problems["contact_phone"] = "；".join(check.problems)
    elif check.warnings:
        warnings["contact_phone"] = "；".join(check.warnings)


def _check_uscc(
    session: Session, data: OrgInput, org_id: str | None, problems: dict[str, str], warnings: dict[str, str]
) -> None:
    code = uscc_rules.normalize(data.uscc)
    if not code:
        if data.org_type is not OrgType.COMMUNITY_FILED:
            problems["uscc"] = f"{quoted('uscc')}不能为空（仅备案的社区社会组织可以不填）"
        return
    result = uscc_rules.validate(code, data.org_type)
    if result.severity is uscc_rules.Severity.ERROR:
        problems["uscc"] = f"{quoted('uscc')}有误：{result.reason}"
        return
    if result.checksum_failed and not data.uscc_override_reason.strip():
        problems["uscc"] = (f"{quoted('uscc')}{result.reasons[0]}；"
                            f"如确认代码无误，请在{quoted('uscc_override_reason')}中说明")
    elif result.reasons:
        warnings["uscc"] = "请核对：" + result.reason
    holder = session.execute(
        select(SocialOrg.id, SocialOrg.name).where(
            SocialOrg.uscc == code, SocialOrg.deleted_at.is_(None), SocialOrg.id != (org_id or "")
        )
    ).first()
    if holder is not None:
        problems["uscc"] = f"该统一社会信用代码已被“{holder.name}”使用"


def _check_same_name(session: Session, data: OrgInput, org_id: str | None, warnings: dict[str, str]) -> None:
    """Two organizations may share a name (a 协会 re-founded elsewhere), but usually it is the same one
    entered twice: warn, naming the first so the user can look it up."""
    name = data.name.strip()
    if not name:
        return
    first = session.execute(
        select(SocialOrg.name, SocialOrg.sub_district, SocialOrg.uscc, SocialOrg.archived_at)
        .where(SocialOrg.name == name, SocialOrg.deleted_at.is_(None), SocialOrg.id != (org_id or ""))
        .order_by(SocialOrg.updated_at, SocialOrg.id)
    ).first()
    if first is None:
        return
    facts = [f"所在街道：{first.sub_district or '未填写'}"]
    if first.uscc:
        facts.append(f"统一社会信用代码：{first.uscc}")
    if first.archived_at is not None:
        facts.append("已归档")
    warnings["name"] = f"台账中已有同名组织“{first.name}”（{'，'.join(facts)}），请确认不是重复录入"


def check_org_input(session: Session, data: OrgInput, *, org_id: str | None, today: date) -> OrgCheck:
    """Every problem and warning of the form at once (the form shows each next to its field)."""
    problems: dict[str, str] = {}
    warnings: dict[str, str] = {}
    _check_text(data, problems)
    _check_required(data, problems, warnings)
    _check_category(data, problems)
    _check_dates(data, today, problems)
    _check_counts(data, problems, warnings)
    _check_phone(data, problems, warnings)
    _check_uscc(session, data, org_id, problems, warnings)
    _check_same_name(session, data, org_id, warnings)
    return OrgCheck(problems, warnings)
