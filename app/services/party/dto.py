"""What the 党组织 area hands out and takes in: frozen, plain values (no ORM rows, no Qt).

Reads return the summary of each party organization (the list), the detail of one (概况, 任期与班子,
党小组), and the roster as it stood on a day (党员名册).  Writes take one input value per form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.branch_rules import BranchFinding, TermState, TermStatus
from app.domain.enums import CommitteeRole, MemberKind, PartyOrgFormation, PartyOrgLevel

__all__ = [
    "CommitteePost", "CommitteePostInput", "CoveredOrg", "ExclusionInput", "GroupInfo", "GroupInput", "MemberInput",
    "PartyOrgDetail", "PartyOrgInput", "PartyOrgSummary", "ProbationInput", "RosterEntry", "ShouldFormBranch",
    "TermInfo", "TermInput", "TermState",
]


# -- reads ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyOrgSummary:
    """One row of the 党组织 list: counts and the term as they stand on the day asked for."""

    id: str
    name: str
    level: PartyOrgLevel
    formation: PartyOrgFormation
    covered_names: tuple[str, ...]
    full_members: int  # 正式党员
    probationary_members: int  # 预备党员
    term_due: date | None
    term_state: TermState | None
    term_text: str  # "正常：2027年3月1日届满" …, or "未录入任期"
    secretary: str  # "" when none recorded
    mine: bool  # covers an organization assigned to the user


@dataclass(frozen=True)
class CoveredOrg:
    org_id: str
    name: str
    sub_district: str
    community: str


@dataclass(frozen=True)
class TermInfo:
    """One term (届).  ``status`` is where it stands today (only for the current term: the others are
    done, their 换届 day is ``renewed_on``)."""

    id: str
    term_no: int
    started_on: date
    due_on: date
    renewed_on: date | None
    note: str
    status: TermStatus | None

    @property
    def current(self) -> bool:
        return self.renewed_on is None


@dataclass(frozen=True)
class CommitteePost:
    """A member's post on the 支部委员会 of one term."""

    id: str
    term_id: str
    member_id: str
    member_name: str
    role: CommitteeRole
    first_day: date
    last_day: date | None

    def active_on(self, day: date) -> bool:
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True)
class GroupInfo:
    id: str
    name: str
    leader_member_id: str | None
    leader_name: str
    first_day: date | None
    last_day: date | None  # 撤销
    members: int

    @property
    def dissolved(self) -> bool:
        return self.last_day is not None


@dataclass(frozen=True)
class PartyOrgDetail:
    """概况 and 任期与班子 and 党小组 of one party organization, as they stand on ``today``."""

    id: str
    name: str
    level: PartyOrgLevel
    formation: PartyOrgFormation
    superior_org: str
    established_on: date | None
    community: bool  # a 村/社区 party organization: 5-year terms (app.services.party.terms)
    covered: tuple[CoveredOrg, ...]
    terms: tuple[TermInfo, ...]  # newest first
    committee: tuple[CommitteePost, ...]  # of the current term, 书记 first
    groups: tuple[GroupInfo, ...]
    full_members: int  # 正式党员, 组织关系 here
    members: int  # 正式 and 预备
    findings: tuple[BranchFinding, ...]  # 应设支委会, > 50 人, 联合 > 5 …
    updated_at: datetime

    @property
    def current_term(self) -> TermInfo | None:
        return next((term for term in self.terms if term.current), None)

    @property
    def org_ids(self) -> tuple[str, ...]:
        return tuple(org.org_id for org in self.covered)


@dataclass(frozen=True)
class RosterEntry:
    """A member as they stood on ``day``: kind, voting right and why not, 组织关系, 党小组."""

    member_id: str
    name: str
    gender: str
    birth_year: int | None
    phone: str
    org_id: str
    org_name: str
    joined_on: date | None
    kind: MemberKind | None  # None: no 入党 day recorded
    kind_since: date | None
    has_vote: bool
    vote_reason: str
    relation_here: bool  # 组织关系 in this party organization on ``day``
    relation_text: str  # "已转入（2021-03-05）" / "未转入" / "已转出（…）"
    on_probation: bool  # 留党察看
    group_id: str | None
    group_name: str
    day: date


@dataclass(frozen=True)
class ShouldFormBranch:
    """应建未建: an organization with enough 正式党员 (组织关系已转入) and no party organization of its own;
    ``covered_by`` names the 联合 / 区域性 … party organizations its members sit in now (may be empty)."""

    org_id: str
    name: str
    sub_district: str
    full_members: int
    covered_by: tuple[str, ...]


# -- inputs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyOrgInput:
    name: str
    level: PartyOrgLevel
    formation: PartyOrgFormation
    superior_org: str = ""
    established_on: date | None = None
    org_ids: tuple[str, ...] = ()  # the 社会组织 it covers, picked from the ledger


@dataclass(frozen=True)
class TermInput:
    """换届 (or the first term): the day the new term started; its due day is computed."""

    started_on: date | None
    note: str = ""


@dataclass(frozen=True)
class CommitteePostInput:
    member_id: str | None
    role: CommitteeRole
    first_day: date | None


@dataclass(frozen=True)
class GroupInput:
    name: str
    leader_member_id: str | None = None
    first_day: date | None = None


@dataclass(frozen=True)
class MemberInput:
    """A member's personal data, their kind since a day, 党小组, and 组织关系.  ``relation_in``: the
    组织关系 is in this party organization (from ``relation_on``; blank: from the start)."""

    name: str
    org_id: str | None
    kind: MemberKind
    kind_since: date | None
    gender: str = ""
    birth_year: int | None = None
    phone: str = ""
    joined_on: date | None = None  # 入党 day
    party_group_id: str | None = None
    relation_in: bool = True
    relation_on: date | None = None


@dataclass(frozen=True)
class ProbationInput:
    first_day: date | None
    last_day: date | None = None
    note: str = ""


@dataclass(frozen=True)
class ExclusionInput:
    """经批准不计入应到."""

    reason: str
    approved_by: str
    approved_on: date | None
    first_day: date | None
    last_day: date | None = None
