"""Demo 党组织 and 党员: which organizations get a branch (单独组建, or 联合支部 of 2-5), and the members.

The planner decides, while the organizations are generated, how many party members each one has (the
organization row carries ``party_member_count``); the branches and members are written afterwards, so
``party_member_count`` of every covered organization equals its members.  The members' dated histories,
the terms, committees and 党小组 are made in :mod:`app.demo.party_members`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from app.demo.base import DemoContext, chinese_number
from app.demo.names import DISTRICT
from app.demo.orgs import OrgStub
from app.demo.party_members import BranchInfo, MemberInfo, add_history, make_groups, make_members, make_terms
from app.domain.enums import OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import (
    CommitteeMember,
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    MemberRelationChange,
    PartyGroup,
    PartyOrg,
    PartyOrgCoverage,
    PartyOrgTerm,
    new_id,
)

# Share of organizations by party situation (cumulative thresholds on one draw).
SINGLE_BRANCH = 0.11  # own branch, 3-30 members
JOINT_MEMBER = 0.22  # 1-2 members, grouped into a 联合支部
SHOULD_FORM = 0.24  # 3-4 members in a 联合支部: grown big enough to form their own (应建未建)
FEW_MEMBERS = 0.36  # 1-2 members, no branch (工作覆盖 only)
BRANCH_SIZES = (((3, 6), 45), ((7, 12), 35), ((13, 20), 15), ((21, 30), 5))
COMPREHENSIVE_COMMITTEE = f"中共{DISTRICT[0]}社会组织综合委员会"


class PlannedBranch(NamedTuple):
    covered: list[tuple[OrgStub, int]]  # each covered organization and its party member count
    formation: PartyOrgFormation


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
            count = rng.randint(3, 4)
            self._join(stub, count)
            return count
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
    """Write every planned branch with its coverage rows, terms, committees, groups and members."""
    joint_numbers: dict[str, int] = {}
    written = []
    for n, plan in enumerate(planned):
        ctx.report("党组织与党员", n, len(planned))
        written.append(_emit_branch(ctx, plan, joint_numbers))
    return written


def _emit_branch(ctx: DemoContext, plan: PlannedBranch, joint_numbers: dict[str, int]) -> BranchInfo:
    today = ctx.today
    lead = plan.covered[0][0]
    founded = max(stub.founded_on for stub, _ in plan.covered)
    earliest = max(founded + timedelta(days=180), date(2008, 1, 1))
    established = min(ctx.date_between(earliest, today - timedelta(days=90)) for _ in range(2))
    if plan.formation is PartyOrgFormation.SINGLE:
        name, superior = f"中共{lead.name}支部委员会", COMPREHENSIVE_COMMITTEE
    else:
        number = joint_numbers[lead.street] = joint_numbers.get(lead.street, 0) + 1
        name = f"中共{DISTRICT[0]}{lead.street}社会组织第{chinese_number(number)}联合支部委员会"
        superior = f"中共{DISTRICT[0]}{lead.street}{'委员会' if lead.street.endswith('镇') else '工作委员会'}"
    branch_id = new_id()
    members = add_history(ctx, make_members(ctx, [(stub.id, count) for stub, count in plan.covered], established),
                          established)
    members, groups = make_groups(ctx, members)
    terms = make_terms(ctx, members, established)
    ctx.writer.add(PartyOrg, {
        "id": branch_id, "party_org_id": branch_id, "name": name, "level": PartyOrgLevel.BRANCH,
        "formation": plan.formation, "established_on": established, "superior_org": superior,
    })
    for stub, _ in plan.covered:
        ctx.writer.add(PartyOrgCoverage, {"id": new_id(), "party_org_id": branch_id, "org_id": stub.id})
    for term in terms:
        ctx.writer.add(PartyOrgTerm, {"id": term.id, "party_org_id": branch_id, "term_no": term.no,
                                      "started_on": term.started, "due_on": term.due, "renewed_on": term.renewed})
        for member, role in term.committee:
            ctx.writer.add(CommitteeMember, {"id": new_id(), "party_org_id": branch_id, "term_id": term.id,
                                             "member_id": member.id, "role": role, "first_day": term.started})
    for group in groups:
        ctx.writer.add(PartyGroup, {"id": group.id, "party_org_id": branch_id, "name": group.name,
                                    "leader_member_id": group.leader.id, "first_day": established})
    for m in members:
        _emit_member(ctx, branch_id, m)
    return BranchInfo(branch_id, lead.id, lead.name, lead.community, superior, established, members, terms, groups)


def _emit_member(ctx: DemoContext, branch_id: str, m: MemberInfo) -> None:
    rng, today, add = ctx.rng, ctx.today, ctx.writer.add
    add(Member, {
        "id": m.id, "org_id": m.org_id, "party_org_id": branch_id, "name": m.name, "gender": m.gender,
        "birth_year": min(m.joined_on.year - rng.randint(19, 35), today.year - 19), "phone": ctx.mobile(),
        "joined_on": m.joined_on, "party_group_id": m.group_id,
    })
    scope = {"party_org_id": branch_id, "member_id": m.id}
    for change in m.record.kinds:
        add(MemberKindChange, {"id": new_id(), **scope, "kind": change.kind, "changed_on": change.on})
    for probation in m.record.probations:
        add(MemberProbation, {"id": new_id(), **scope, "first_day": probation.first_day,
                              "last_day": probation.last_day, "note": "受到留党察看处分"})
    for relation in m.record.relations:
        note = "组织关系转入本支部" if relation.transferred_in else "组织关系仍在原单位党组织，尚未转入"
        add(MemberRelationChange, {"id": new_id(), **scope, "changed_on": relation.on,
                                   "transferred_in": relation.transferred_in, "note": note})
    for exclusion in m.record.exclusions:
        add(MemberExpectedExclusion, {"id": new_id(), **scope, "reason": exclusion.reason,
                                      "approved_by": exclusion.approved_by, "approved_on": exclusion.approved_on,
                                      "first_day": exclusion.first_day, "last_day": exclusion.last_day})
