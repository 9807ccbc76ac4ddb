"""How a party organization should be set up, and where its term stands (DESIGN §2.1).

Setup (中国共产党支部工作条例（试行）): 正式党员 counted only when their 组织关系 has been transferred in;
≥ 3 → the organization should form its own branch (应建未建 when it has none); ≥ 7 → a 支委会 of 3–7
members; more than 50 members → warn; a 联合党支部 covering more than 5 organizations → warn.
Term: 3 years (村/社区 5); remind 6 months before it ends; a delay of more than a year is a violation.
Every threshold comes from the policy pack; today is a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.periods import shift_months
from app.domain.policy import NATIONAL, Policy
from app.domain.wording import chinese_number

__all__ = ["BranchFinding", "FindingLevel", "TermState", "TermStatus", "branch_setup_findings",
           "needs_committee", "should_form_branch", "term_due", "term_status", "term_years"]


class FindingLevel(StrEnum):
    VIOLATION = "VIOLATION"  # 违规: a rule broken
    WARNING = "WARNING"  # 提醒: worth a look

    @property
    def label(self) -> str:
        return {"VIOLATION": "违规", "WARNING": "提醒"}[self.value]


@dataclass(frozen=True)
class BranchFinding:
    level: FindingLevel
    text: str


def should_form_branch(full_members: int, *, policy: Policy = NATIONAL) -> bool:
    """≥ 3 正式党员 (组织关系已转入): the organization should form its own branch."""
    return full_members >= policy.own_branch_min_full_members


def needs_committee(full_members: int, *, policy: Policy = NATIONAL) -> bool:
    """≥ 7 正式党员: the branch needs a 支部委员会."""
    return full_members >= policy.committee_min_full_members


def branch_setup_findings(*, full_members: int, members: int, has_party_org: bool,
                          committee_size: int | None = None, covered_orgs: int = 1, joint: bool = False,
                          policy: Policy = NATIONAL) -> tuple[BranchFinding, ...]:
    """What is wrong with a setup: ``full_members`` are 正式党员 whose 组织关系 is transferred in,
    ``members`` all members (正式 and 预备), ``committee_size`` the 支委会 (None: none elected),
    ``covered_orgs`` the organizations a 联合党支部 (``joint``) covers."""
    for name, value in (("正式党员人数", full_members), ("党员人数", members), ("覆盖的社会组织数", covered_orgs)):
        if value < 0:
            raise ValueError(f"{name}不能为负数（填写的是 {value}），请核对")
    if full_members > members:
        raise ValueError(f"正式党员 {full_members} 人多于党员总数 {members} 人，请核对")
    findings: list[BranchFinding] = []
    if not has_party_org and should_form_branch(full_members, policy=policy):
        findings.append(BranchFinding(FindingLevel.VIOLATION,
                                      f"正式党员 {full_members} 人（组织关系已转入），达到 "
                                      f"{policy.own_branch_min_full_members} 人，应单独建立党支部（应建未建）"))
    if has_party_org and needs_committee(full_members, policy=policy):
        low, high = policy.committee_size_min, policy.committee_size_max
        if not committee_size:
            findings.append(BranchFinding(FindingLevel.VIOLATION,
                                          f"正式党员 {full_members} 人，达到 {policy.committee_min_full_members} 人，"
                                          f"应设立支部委员会（{low} 至 {high} 人）"))
        elif not low <= committee_size <= high:
            findings.append(BranchFinding(FindingLevel.VIOLATION,
                                          f"支部委员会 {committee_size} 人，应为 {low} 至 {high} 人"))
    if members > policy.warn_members_above:
        findings.append(BranchFinding(FindingLevel.WARNING,
                                      f"党员 {members} 人，超过 {policy.warn_members_above} 人，"
                                      "宜按规定调整组织设置（如分设党支部或成立党总支）"))
    if joint and covered_orgs > policy.joint_max_orgs:
        findings.append(BranchFinding(FindingLevel.WARNING,
                                      f"联合党支部覆盖 {covered_orgs} 个社会组织，超过 {policy.joint_max_orgs} 个，"
                                      "宜调整覆盖范围"))
    return tuple(findings)


class TermState(StrEnum):
    NORMAL = "NORMAL"
    DUE_SOON = "DUE_SOON"
    EXPIRED = "EXPIRED"
    OVERDUE = "OVERDUE"  # more than the allowed delay: a violation

    @property
    def label(self) -> str:
        return {"NORMAL": "正常", "DUE_SOON": "即将到期", "EXPIRED": "已到期", "OVERDUE": "超期一年以上"}[self.value]


@dataclass(frozen=True)
class TermStatus:
    state: TermState
    due: date
    text: str

    @property
    def is_violation(self) -> bool:
        return self.state is TermState.OVERDUE


def term_years(*, community: bool = False, policy: Policy = NATIONAL) -> int:
    """The term of a branch: 3 years, 5 for a 村/社区 party organization."""
    return policy.community_term_years if community else policy.term_years


def term_due(started: date, *, community: bool = False, policy: Policy = NATIONAL) -> date:
    """The day the term that began on ``started`` ends (届满), i.e. when 换届 is due."""
    return shift_months(started, 12 * term_years(community=community, policy=policy))


def term_status(due: date, today: date, *, policy: Policy = NATIONAL) -> TermStatus:
    """Where a term due on ``due`` stands on ``today``: 正常, 即将到期 (within the reminder months),
    已到期 (from the due day), 超期一年以上 (more than the allowed delay after it: a violation)."""
    shown = f"{due.year}年{due.month}月{due.day}日"
    if today < shift_months(due, -policy.term_remind_months):
        return TermStatus(TermState.NORMAL, due, f"正常：{shown}届满")
    if today < due:
        return TermStatus(TermState.DUE_SOON, due,
                          f"即将到期：{shown}届满，还有 {(due - today).days} 天，请提前准备换届")
    late = (today - due).days
    if today > shift_months(due, policy.term_violation_months):
        allowed = _months_words(policy.term_violation_months)
        return TermStatus(TermState.OVERDUE, due,
                          f"超期{allowed}以上：{shown}届满，已超期 {late} 天，属违规，应立即换届")
    overdue = "今日届满" if late == 0 else f"已超期 {late} 天"
    return TermStatus(TermState.EXPIRED, due, f"已到期：{shown}届满，{overdue}，应尽快换届")


def _months_words(months: int) -> str:
    years, rest = divmod(months, 12)
    return f"{chinese_number(years)}年" if years and not rest else f"{months}个月"
