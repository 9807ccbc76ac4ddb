"""Who has a vote on a civil date, from a member's dated history (DESIGN §2.0, §2.1).

A member's kind (预备 → 正式), 留党察看 and 组织关系 carry the dates they changed, so who had a vote at a past
meeting can be worked out; the meeting stores that answer in each attendance row (a snapshot), and 应到 /
实到 are counted from those rows (``count_voters``), never from today's kinds.  预备党员 and members under
留党察看 have no vote (党章 第七条, 第四十条).  A voting member who cannot take part (long illness, abroad
for a long time …) may be left out of 应到 only with approval (上级党组织同意、支部党员大会通过 —
基层组织选举工作条例): an :class:`ExpectedExclusion` carries the reason, who approved it and when, and
counts only from its approval on.  These plain records are what the models map onto.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from app.domain.enums import MemberKind

__all__ = ["AttendanceSnapshot", "ExpectedExclusion", "KindChange", "MemberRecord", "Probation",
           "RelationChange", "VoterCount", "VotingRight", "count_voters", "expected_voters", "voting_right"]

T = TypeVar("T")


@dataclass(frozen=True)
class KindChange:
    """The member is of ``kind`` from ``on`` (接收为预备党员, 转为正式党员, or 正式 on transfer in)."""

    on: date
    kind: MemberKind


@dataclass(frozen=True)
class Probation:
    """留党察看 from ``first_day`` to ``last_day`` (both included; None: not yet ended)."""

    first_day: date
    last_day: date | None = None

    def __post_init__(self) -> None:
        _check_span("留党察看", self.first_day, self.last_day)

    def covers(self, day: date) -> bool:
        return self.first_day <= day and (self.last_day is None or day <= self.last_day)


@dataclass(frozen=True)
class ExpectedExclusion:
    """经批准不计入应到: from ``first_day`` to ``last_day`` (None: until withdrawn), effective only from
    ``approved_on`` (an approval given after a meeting does not change that meeting's 应到)."""

    reason: str
    approved_by: str
    approved_on: date
    first_day: date
    last_day: date | None = None

    def __post_init__(self) -> None:
        if not self.reason.strip():
            raise ValueError("不计入应到须写明原因（如：因病长期住院、出国半年以上）")
        if not self.approved_by.strip():
            raise ValueError("不计入应到须经批准：请写明批准的组织（如：上级党组织同意、支部党员大会通过）")
        _check_span("不计入应到", self.first_day, self.last_day)

    def covers(self, day: date) -> bool:
        return (max(self.first_day, self.approved_on) <= day
                and (self.last_day is None or day <= self.last_day))


@dataclass(frozen=True)
class RelationChange:
    """组织关系 transferred into this branch (``transferred_in``) or out of it, from ``on``."""

    on: date
    transferred_in: bool


@dataclass(frozen=True)
class MemberRecord:
    """A member's dated history.  ``kinds`` must hold at least the day the member joined (or was
    transferred in as 正式); with no ``relations`` the member's 组织关系 is in this branch throughout."""

    name: str
    kinds: tuple[KindChange, ...]
    probations: tuple[Probation, ...] = ()
    exclusions: tuple[ExpectedExclusion, ...] = ()
    relations: tuple[RelationChange, ...] = ()

    def __post_init__(self) -> None:
        if not self.kinds:
            raise ValueError(f"党员{self.name}缺少入党（或转为正式党员）日期，无法判断表决权")
        for label, days in (("身份变化", [change.on for change in self.kinds]),
                            ("组织关系变化", [change.on for change in self.relations])):
            repeated = sorted({day for day in days if days.count(day) > 1})
            if repeated:
                raise ValueError(f"党员{self.name}在 {repeated[0].isoformat()} 有两条{label}记录，请只保留一条")

    def kind_on(self, day: date) -> MemberKind | None:
        """The member's kind on ``day``; None before the member joined."""
        return _latest(((change.on, change.kind) for change in self.kinds), day)

    def relation_here_on(self, day: date) -> bool:
        if not self.relations:
            return True
        return bool(_latest(((change.on, change.transferred_in) for change in self.relations), day))


@dataclass(frozen=True)
class VotingRight:
    """Whether the member counts in 应到 with a vote on a date, and why not in Chinese."""

    has_vote: bool
    reason: str


def voting_right(member: MemberRecord, on: date) -> VotingRight:
    """The member's voting right on the civil date ``on`` — the value an attendance row snapshots."""
    if not member.relation_here_on(on):
        return VotingRight(False, "组织关系不在本支部，不计入应到")
    kind = member.kind_on(on)
    if kind is None:
        return VotingRight(False, "当时尚未入党，无表决权")
    if kind is MemberKind.PROBATIONARY:
        return VotingRight(False, "预备党员，无表决权")
    if any(probation.covers(on) for probation in member.probations):
        return VotingRight(False, "留党察看期间，无表决权")
    for exclusion in member.exclusions:
        if exclusion.covers(on):
            return VotingRight(False, f"经批准不计入应到：{exclusion.reason.strip()}（{exclusion.approved_by.strip()}，"
                                      f"{exclusion.approved_on.isoformat()}）")
    return VotingRight(True, "正式党员，有表决权")


def expected_voters(members: Iterable[MemberRecord], on_date: date) -> int:
    """应到: how many of ``members`` had a vote on ``on_date``."""
    return sum(1 for member in members if voting_right(member, on_date).has_vote)


@dataclass(frozen=True)
class AttendanceSnapshot:
    """One attendance row as the rules see it: the voting right stored at the meeting, and presence."""

    has_vote: bool
    present: bool


@dataclass(frozen=True)
class VoterCount:
    expected: int  # 应到有表决权党员
    present: int  # 实到有表决权党员
    present_without_vote: int  # 到会但无表决权（预备党员、留党察看…）: shown, never counted


def count_voters(rows: Sequence[AttendanceSnapshot]) -> VoterCount:
    """应到 / 实到 from the attendance rows' snapshots, so they never drift when a member's kind changes."""
    return VoterCount(sum(1 for row in rows if row.has_vote),
                      sum(1 for row in rows if row.has_vote and row.present),
                      sum(1 for row in rows if row.present and not row.has_vote))


def _latest(changes: Iterable[tuple[date, T]], day: date) -> T | None:
    current: tuple[date, T] | None = None
    for on, value in changes:
        if on <= day and (current is None or on > current[0]):
            current = (on, value)
    return None if current is None else current[1]


def _check_span(label: str, first_day: date, last_day: date | None) -> None:
    if last_day is not None and last_day < first_day:
        raise ValueError(f"{label}的结束日期 {last_day.isoformat()} 早于开始日期 {first_day.isoformat()}，请核对")
