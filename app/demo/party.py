"""Demo 党组织 and 党员: which organizations get a branch (单独组建, or 联合支部 of 2-5), and the members.

The planner decides, while the organizations are generated, how many party members each one has (the
organization row carries ``party_member_count``); the branches and members are written afterwards, so
``party_member_count`` of every covered organization equals its members.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import NamedTuple

from app.demo.base import DemoContext, add_years, chinese_number
from app.demo.names import DISTRICT
from app.demo.orgs import OrgStub
from app.domain.enums import MemberKind, OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import Member, PartyOrg, PartyOrgCoverage, new_id

# Share of organizations by party situation (cumulative thresholds on one draw).
SINGLE_BRANCH = 0.11  # own branch, 3-30 members
JOINT_MEMBER = 0.22  # 1-2 members, grouped into a 联合支部
SHOULD_FORM = 0.24  # 3-4 members but no branch yet (应建未建)
FEW_MEMBERS = 0.36  # 1-2 members, no branch (工作覆盖 only)
BRANCH_SIZES = (((3, 6), 45), ((7, 12), 35), ((13, 20), 15), ((21, 30), 5))
TERM_YEARS = 3
COMPREHENSIVE_COMMITTEE = f"中共{DISTRICT[0]}社会组织综合委员会"


class PlannedBranch(NamedTuple):
    covered: list[tuple[OrgStub, int]]  # each covered organization and its party member count
    formation: PartyOrgFormation


class MemberInfo(NamedTuple):
    id: str
    org_id: str
    name: str
    gender: str
    joined_on: date
    full_on: date | None  # None while 预备党员
    disciplined: bool  # 留党察看: no vote
    group: str
    role: str  # 书记 / 副书记 / 委员 / ""

    def has_vote_on(self, day: date) -> bool:
        return self.full_on is not None and self.full_on <= day and not self.disciplined


class BranchInfo(NamedTuple):
    """A written branch, for the meeting generator."""

    id: str
    lead_id: str
    lead_name: str
    community: str
    established_on: date
    term_started_on: date
    members: list[MemberInfo]

    @property
    def secretary(self) -> MemberInfo:
        return next(m for m in self.members if m.role == "书记")

    @property
    def committee(self) -> list[MemberInfo]:
        return [m for m in self.members if m.role] if self.has_committee else []

    @property
    def has_committee(self) -> bool:
        return sum(1 for m in self.members if m.role) >= 3

    @property
    def groups(self) -> list[str]:
        return sorted({m.group for m in self.members if m.group})


class PartyPlanner:
    """Decides each organization's party members as it is generated; collects the branches to write."""

    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.branches: list[PlannedBranch] = []
        self._pending: dict[str, list[tuple[OrgStub, int]]] = {}
        self._targets: dict[str, int] = {}

    def members_of(self, stub: OrgStub) -> int | None:
        """``party_member_count`` of a new organization (None: unknown, as for many 备案 groups)."""
        rng = self.ctx.rng
        if stub.org_type is OrgType.COMMUNITY_FILED:
            return None if rng.random() < 0.7 else rng.choice((0, 0, 1, 2))
        if stub.archived or stub.founded_on > self.ctx.today - timedelta(days=365):
            return rng.choice((0, 0, 1))
        draw = rng.random()
        if draw < SINGLE_BRANCH:
            low, high = rng.choices([r for r, _ in BRANCH_SIZES], weights=[w for _, w in BRANCH_SIZES])[0]
            count = rng.randint(low, high)
            self.branches.append(PlannedBranch([(stub, count)], PartyOrgFormation.SINGLE))
            return count
        if draw < JOINT_MEMBER:
            count = rng.randint(1, 2)
            self._join(stub, count)
            return count
        if draw < SHOULD_FORM:
            return rng.randint(3, 4)
        if draw < FEW_MEMBERS:
            return rng.randint(1, 2)
        return 0

    def _join(self, stub: OrgStub, count: int) -> None:
        pending = self._pending.setdefault(stub.street, [])
        target = self._targets.setdefault(stub.street, self.ctx.rng.randint(2, 5))
        pending.append((stub, count))
        if len(pending) >= target and sum(c for _, c in pending) >= 3:
            self._close(stub.street)

    def _close(self, street: str) -> None:
        self.branches.append(PlannedBranch(self._pending.pop(street), PartyOrgFormation.JOINT))
        self._targets.pop(street, None)

    def finish(self) -> list[PlannedBranch]:
        """Group what is still open across 街道 (a small district has few per 街道); a remainder too small
        for a branch stays uncovered: party members but no branch."""
        leftovers = [item for street in list(self._pending) for item in self._pending.pop(street)]
        group: list[tuple[OrgStub, int]] = []
        target = self.ctx.rng.randint(2, 5)
        for item in leftovers:
            group.append(item)
            if len(group) >= target and sum(c for _, c in group) >= 3:
                self.branches.append(PlannedBranch(group, PartyOrgFormation.JOINT))
                group, target = [], self.ctx.rng.randint(2, 5)
        if len(group) >= 2 and sum(c for _, c in group) >= 3:
            self.branches.append(PlannedBranch(group, PartyOrgFormation.JOINT))
        return self.branches


def emit_branches(ctx: DemoContext, planned: list[PlannedBranch]) -> list[BranchInfo]:
    """Write every planned branch with its coverage rows and members."""
    joint_numbers: dict[str, int] = {}
    written = []
    for n, plan in enumerate(planned):
        ctx.report("党组织与党员", n, len(planned))
        written.append(_emit_branch(ctx, plan, joint_numbers))
    return written


def _emit_branch(ctx: DemoContext, plan: PlannedBranch, joint_numbers: dict[str, int]) -> BranchInfo:
    rng, today = ctx.rng, ctx.today
    lead = plan.covered[0][0]
    founded = max(stub.founded_on for stub, _ in plan.covered)
    earliest = max(founded + timedelta(days=180), date(2008, 1, 1))
    established = min(ctx.date_between(earliest, today - timedelta(days=90)) for _ in range(2))
    cycles = (today - established).days // (TERM_YEARS * 365)
    if cycles >= 1 and rng.random() < 0.08:
        cycles -= 1  # 换届 overdue
    term_started = add_years(established, TERM_YEARS * cycles)
    if plan.formation is PartyOrgFormation.SINGLE:
        name, superior = f"中共{lead.name}支部委员会", COMPREHENSIVE_COMMITTEE
    else:
        number = joint_numbers[lead.street] = joint_numbers.get(lead.street, 0) + 1
        name = f"中共{DISTRICT[0]}{lead.street}社会组织第{chinese_number(number)}联合支部委员会"
        superior = f"中共{DISTRICT[0]}{lead.street}{'委员会' if lead.street.endswith('镇') else '工作委员会'}"
    branch_id = new_id()
    members = _members(ctx, plan, established)
    secretary = next(m for m in members if m.role == "书记")
    ctx.writer.add(PartyOrg, {
        "id": branch_id, "party_org_id": branch_id, "name": name, "level": PartyOrgLevel.BRANCH,
        "formation": plan.formation, "established_on": established, "term_years": TERM_YEARS,
        "term_started_on": term_started, "secretary_name": secretary.name, "superior_org": superior,
    })
    for stub, _ in plan.covered:
        ctx.writer.add(PartyOrgCoverage, {"id": new_id(), "party_org_id": branch_id, "org_id": stub.id})
    for m in members:
        ctx.writer.add(Member, {
            "id": m.id, "org_id": m.org_id, "party_org_id": branch_id, "name": m.name, "gender": m.gender,
            "birth_year": min(m.joined_on.year - rng.randint(19, 35), today.year - 19),
            "phone": ctx.mobile(), "kind": MemberKind.FULL if m.full_on else MemberKind.PROBATIONARY,
            "joined_on": m.joined_on, "full_member_on": m.full_on, "on_probation_discipline": m.disciplined,
            "relation_transferred": rng.random() < 0.92, "party_group": m.group, "committee_role": m.role,
        })
    return BranchInfo(branch_id, lead.id, lead.name, lead.community, established, term_started, members)


def _members(ctx: DemoContext, plan: PlannedBranch, established: date) -> list[MemberInfo]:
    rng, today = ctx.rng, ctx.today
    total = sum(count for _, count in plan.covered)
    probationary = {i for i in range(total) if rng.random() < 0.1}
    while total - len(probationary) < 3:  # a branch needs at least 3 正式党员
        probationary.pop()
    full_count = total - len(probationary)
    group_count = math.ceil(total / 8) if total > 15 else 0
    committee_size = (5 if full_count >= 15 else 3) if full_count >= 7 else 1
    roles = ["书记", "副书记"] if committee_size == 5 else ["书记"]
    roles += ["委员"] * (committee_size - len(roles))
    members, index = [], 0
    for stub, count in plan.covered:
        for _ in range(count):
            name, gender = ctx.person()
            if index in probationary:
                joined, full_on = ctx.date_between(today - timedelta(days=330), today - timedelta(days=10)), None
            else:
                joined = ctx.date_between(date(1985, 1, 1), min(established, today - timedelta(days=400)))
                full_on = add_years(joined, 1)
            role = roles.pop(0) if roles and full_on is not None else ""
            disciplined = not role and full_on is not None and rng.random() < 0.01
            group = f"第{chinese_number(index % group_count + 1)}党小组" if group_count else ""
            members.append(MemberInfo(new_id(), stub.id, name, gender, joined, full_on, disciplined, group, role))
            index += 1
    return members
