"""Demo 党员 with their dated histories, and a branch's terms, committees and 党小组.

Each member carries the domain's dated record (``app.domain.voting_rights.MemberRecord``): kind changes
(预备 on joining, 正式 a year later — some 转正 in the last year, some still 预备), a few 留党察看, a few
组织关系 not (yet) transferred in, a rare approved exclusion from 应到.  The meeting generator asks the same
record who had a vote on a meeting's day, so the demo follows the rules the app checks.

Terms: a branch elects its committee at its founding and every three years (换届); a few are overdue.  A
branch with ≥ 7 正式党员 (组织关系 here) elects a 支部委员会 of 3 (5 from 15 正式党员); a smaller one only a
书记.  Branches of more than 15 members have 党小组.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.demo.base import DemoContext, add_years, chinese_number
from app.domain.enums import CommitteeRole, MemberKind
from app.domain.voting_rights import (
    ExpectedExclusion,
    KindChange,
    MemberRecord,
    Probation,
    RelationChange,
    voting_right,
)
from app.models import new_id

TERM_YEARS = 3
EXCLUSION_REASONS = ("因病长期住院", "出国学习半年以上", "长期在外地驻点工作")


@dataclass(frozen=True)
class MemberInfo:
    id: str
    org_id: str
    name: str
    gender: str
    joined_on: date  # 接收为预备党员
    full_on: date | None  # 转正; None while 预备党员
    record: MemberRecord
    note: str = ""  # why a probation / relation row was made (demo)
    group_id: str | None = None

    def has_vote_on(self, day: date) -> bool:
        return voting_right(self.record, day).has_vote

    def member_on(self, day: date) -> bool:
        return self.joined_on <= day


@dataclass
class TermInfo:
    id: str
    no: int
    started: date
    due: date
    renewed: date | None
    committee: list[tuple[MemberInfo, CommitteeRole]] = field(default_factory=list)


@dataclass(frozen=True)
class GroupInfo:
    id: str
    name: str
    leader: MemberInfo


@dataclass
class BranchInfo:
    """A written branch, for the meeting generator."""

    id: str
    lead_id: str
    lead_name: str
    community: str
    superior: str
    established_on: date
    members: list[MemberInfo]
    terms: list[TermInfo]
    groups: list[GroupInfo]

    def term_on(self, day: date) -> TermInfo | None:
        return next((t for t in reversed(self.terms) if t.started <= day), None)

    def committee_on(self, day: date) -> list[tuple[MemberInfo, CommitteeRole]]:
        term = self.term_on(day)
        return term.committee if term else []

    def has_committee_on(self, day: date) -> bool:
        return len(self.committee_on(day)) >= 3

    def secretary_on(self, day: date) -> MemberInfo:
        for member, role in self.committee_on(day):
            if role is CommitteeRole.SECRETARY:
                return member
        return min((m for m in self.members if m.member_on(day)), key=lambda m: m.joined_on,
                   default=self.members[0])


def make_members(ctx: DemoContext, covered: list[tuple[str, int]], established: date) -> list[MemberInfo]:
    """``covered``: (organization id, member count) of each covered organization."""
    rng, today = ctx.rng, ctx.today
    old_until = min(established - timedelta(days=370), today - timedelta(days=400))  # 正式 by the founding
    total = sum(count for _, count in covered)
    probationary = {i for i in range(total) if rng.random() < 0.1}
    recent = {i for i in range(total) if i not in probationary and rng.random() < 0.1}  # 转正 in the last year
    while total - len(probationary) - len(recent) < 3:  # a branch needs at least 3 正式党员 from its founding
        (probationary or recent).pop()
    members, index = [], 0
    for org_id, count in covered:
        for _ in range(count):
            name, gender = ctx.person()
            if index in probationary:
                joined, full_on = ctx.date_between(today - timedelta(days=330), today - timedelta(days=10)), None
            elif index in recent:
                joined = ctx.date_between(today - timedelta(days=720), today - timedelta(days=370))
                full_on = add_years(joined, 1)
            else:
                joined = ctx.date_between(date(1985, 1, 1), old_until)
                full_on = add_years(joined, 1)
            kinds = [KindChange(joined, MemberKind.PROBATIONARY)]
            if full_on is not None:
                kinds.append(KindChange(full_on, MemberKind.FULL))
            members.append(MemberInfo(new_id(), org_id, name, gender, joined, full_on,
                                      MemberRecord(name, tuple(kinds))))
            index += 1
    return members


def add_history(ctx: DemoContext, members: list[MemberInfo], established: date) -> list[MemberInfo]:
    """A few 留党察看 (one in each branch of 12 or more members, one in four smaller ones), 组织关系
    transferred in late or not at all, approved exclusions — never so many that fewer than 3 正式党员 keep
    their vote (a branch stays a branch)."""
    rng, today = ctx.rng, ctx.today
    spare = sum(1 for m in members if m.full_on is not None and m.full_on <= established) - 3
    full = [n for n, m in enumerate(members) if m.full_on is not None]
    likely = 1.0 if len(members) >= 12 else 0.25  # 留党察看 is rare: about one in a larger branch
    disciplined = rng.choice(full) if spare > 0 and full and rng.random() < likely else -1
    out: list[MemberInfo] = []
    for n, m in enumerate(members):
        record, note = m.record, ""
        draw = rng.random()
        if m.full_on is not None and (n == disciplined or (spare > 1 and draw < 0.1)):
            spare -= 1
            if n == disciplined:
                first = ctx.date_between(max(m.full_on, today - timedelta(days=900)), today - timedelta(days=60))
                last = add_years(first, rng.choice((1, 2))) - timedelta(days=1)
                record = MemberRecord(m.name, record.kinds, probations=(Probation(first, last),))
                note = "留党察看"
            elif draw < 0.03:
                record = MemberRecord(m.name, record.kinds, relations=(RelationChange(m.joined_on, False),))
                note = "组织关系未转入"
            elif draw < 0.07:
                moved_in = ctx.date_between(max(m.full_on, established), today - timedelta(days=30))
                record = MemberRecord(m.name, record.kinds, relations=(RelationChange(moved_in, True),))
                note = "组织关系转入"
            else:
                first = ctx.date_between(max(m.full_on, today - timedelta(days=700)), today - timedelta(days=30))
                exclusion = ExpectedExclusion(rng.choice(EXCLUSION_REASONS), "支部党员大会通过，报上级党组织同意",
                                              first, first, first + timedelta(days=rng.choice((180, 270, 365))))
                record = MemberRecord(m.name, record.kinds, exclusions=(exclusion,))
                note = "不计入应到"
        out.append(MemberInfo(m.id, m.org_id, m.name, m.gender, m.joined_on, m.full_on, record, note))
    return out


def make_groups(ctx: DemoContext, members: list[MemberInfo]) -> tuple[list[MemberInfo], list[GroupInfo]]:
    """党小组 for branches of more than 15 members (about 8 per group), led by a 正式党员."""
    if len(members) <= 15:
        return members, []
    count = math.ceil(len(members) / 8)
    ids = [new_id() for _ in range(count)]
    placed = [MemberInfo(m.id, m.org_id, m.name, m.gender, m.joined_on, m.full_on, m.record, m.note, ids[i % count])
              for i, m in enumerate(members)]
    groups = []
    for n, group_id in enumerate(ids):
        inside = [m for m in placed if m.group_id == group_id]
        leader = next((m for m in inside if m.full_on is not None and not m.note), inside[0])
        groups.append(GroupInfo(group_id, f"第{chinese_number(n + 1)}党小组", leader))
    return placed, groups


def make_terms(ctx: DemoContext, members: list[MemberInfo], established: date) -> list[TermInfo]:
    """Terms from the founding, every three years; about 8 % of branches are late with the current 换届."""
    rng, today = ctx.rng, ctx.today
    cycles = (today - established).days // (TERM_YEARS * 365)
    if cycles >= 1 and rng.random() < 0.08:
        cycles -= 1  # 换届 overdue
    terms: list[TermInfo] = []
    secretary: MemberInfo | None = None
    for n in range(cycles + 1):
        started = add_years(established, TERM_YEARS * n) if n else established
        term = TermInfo(new_id(), n + 1, started, add_years(started, TERM_YEARS), None)
        if terms:
            terms[-1].renewed = started
        voters = [m for m in members if m.has_vote_on(started)]
        size = (5 if len(voters) >= 15 else 3) if len(voters) >= 7 else 1
        if secretary is None or secretary not in voters or rng.random() < 0.3:
            secretary = rng.choice(voters) if voters else None
        if secretary is not None:
            others = rng.sample([m for m in voters if m is not secretary], size - 1)
            roles = [CommitteeRole.DEPUTY_SECRETARY] if size == 5 else []
            roles += [CommitteeRole.MEMBER] * (size - 1 - len(roles))
            term.committee = [(secretary, CommitteeRole.SECRETARY), *zip(others, roles, strict=True)]
        terms.append(term)
    return terms
