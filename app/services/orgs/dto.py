"""Frozen data transfer objects: what the services take from and give to the UI and the CLI.

The UI never sees ORM objects; enums are re-exported here so ``app.ui`` need not import ``app.models``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.domain.enums import (
    DEFAULT_COMMUNITY_CATEGORIES,
    Coverage,
    CreditListKind,
    EvaluationGrade,
    OrgType,
)
from app.domain.unknown_values import UnknownValue
from app.services.core import clock

__all__ = [
    "DEFAULT_COMMUNITY_CATEGORIES",
    "FIELD_LABELS",
    "REGISTERED_TYPES",
    "ArchivedFilter",
    "Coverage",
    "CreditListKind",
    "EvaluationGrade",
    "LedgerFilter",
    "LedgerIds",
    "LedgerRow",
    "LedgerSort",
    "OrgDetail",
    "OrgHit",
    "OrgInput",
    "OrgType",
    "SortKey",
    "UnknownValue",
]

# The label of every OrgInput field as the form shows it: messages, the form and Excel headers use these.
FIELD_LABELS: dict[str, str] = {
    "name": "组织名称", "short_name": "简称", "org_type": "组织类型", "community_category": "社区社会组织类别",
    "uscc": "统一社会信用代码", "uscc_override_reason": "保留原因", "legal_representative": "法定代表人",
    "founded_on": "成立日期", "registration_authority": "登记管理机关", "supervisory_unit": "业务主管单位",
    "industry_department": "行业管理部门", "evaluation_grade": "评估等级", "evaluation_date": "评估日期",
    "party_clause_in_charter": "党建入章", "party_clause_approved_on": "入章核准日期",
    "party_member_count": "党员人数", "sub_district": "所在街道", "community": "所在社区", "address": "地址",
    "contact_person": "联系人", "contact_phone": "联系电话", "staff_count": "专职工作人员数",
    "member_count": "会员数", "notes": "备注",
}
# Registered with a 登记管理机关 (社会团体, 社会服务机构, 基金会); a 社区社会组织 is only filed (备案).
REGISTERED_TYPES = frozenset({OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE, OrgType.FOUNDATION})


@dataclass(frozen=True)
class OrgInput:
    """What the organization form (or an import) submits.  Text is taken as typed; the service trims."""

    name: str
    org_type: OrgType
    short_name: str = ""
    community_category: str = ""
    uscc: str = ""
    uscc_override_reason: str = ""
    legal_representative: str = ""
    registration_authority: str = ""
    supervisory_unit: str = ""
    industry_department: str = ""
    founded_on: date | None = None
    sub_district: str = ""
    community: str = ""
    address: str = ""
    contact_person: str = ""
    contact_phone: str = ""
    staff_count: int | None = None
    member_count: int | None = None
    party_member_count: int | None = None
    evaluation_grade: EvaluationGrade | None = None
    evaluation_date: date | None = None
    party_clause_in_charter: bool = False
    party_clause_approved_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class OrgDetail:
    """One organization as saved, with what the ledger derives about it."""

    id: str
    data: OrgInput
    server_version: int
    updated_at: datetime
    archived_at: datetime | None
    archive_reason: str
    coverage: Coverage
    credit_listed: bool
    warnings: dict[str, str] = field(default_factory=dict)
    read_only: str = ""  # why it can only be viewed here (no longer assigned, unsent changes kept); "" if not

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def archived_on(self) -> date | None:
        """The district's calendar day of archiving (``archived_at`` is an instant: 07:30 in Beijing is
        23:30 of the day before in UTC)."""
        return clock.civil_date(self.archived_at) if self.archived_at else None


class ArchivedFilter(StrEnum):
    ACTIVE = "ACTIVE"
    ARCHIVED = "ARCHIVED"
    ALL = "ALL"


class SortKey(StrEnum):
    NAME = "name"
    ORG_TYPE = "org_type"
    USCC = "uscc"
    LOCATION = "location"
    COVERAGE = "coverage"
    EVALUATION = "evaluation"
    PARTY_MEMBERS = "party_members"
    FOUNDED = "founded"
    UPDATED = "updated"


@dataclass(frozen=True)
class LedgerFilter:
    text: str = ""
    org_types: frozenset[OrgType] = frozenset()
    community_category: str = ""
    coverage: Coverage | None = None
    credit_listed: bool | None = None
    archived: ArchivedFilter = ArchivedFilter.ACTIVE
    sub_district: str = ""  # 街道, exactly as stored ("" = all)
    community: str = ""  # 社区, exactly as stored ("" = all)
    mine: bool = False  # 我负责的: only the organizations the user is assigned to today


@dataclass(frozen=True)
class LedgerSort:
    key: SortKey = SortKey.NAME
    descending: bool = False


@dataclass(frozen=True)
class LedgerIds:
    """The ordered ids of every organization matching a filter; rows are fetched a page at a time."""

    ids: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class LedgerRow:
    id: str
    name: str
    short_name: str
    org_type: OrgType | UnknownValue  # a code from a newer server: shown as 未知（code）
    community_category: str
    uscc: str
    sub_district: str
    community: str
    address: str
    coverage: Coverage
    evaluation_grade: EvaluationGrade | UnknownValue | None
    party_member_count: int | None
    founded_on: date | None
    credit_listed: bool
    archived: bool
    evaluation_expired: bool = False  # the grade is older than its validity (5 years)


@dataclass(frozen=True)
class OrgHit:
    """A quick-search result."""

    id: str
    name: str
    uscc: str
    address: str
