"""What a meeting record still lacks before it may be marked 完成 (DESIGN §2.1), worked out from plain facts.

A record lacking 时间, 地点, 主持人, 记录人, 应到/实到 (attendance taken from the roster), absentees' reasons,
议题, or — for 支部党员大会 / 支部委员会 — 决议 is incomplete; so is one whose votes were held without a
quorum or with counts that cannot be, a 支委会 without more than half of its members, and a 民主评议
whose 优秀 exceed the share.  Kind-specific items: 党课 讲课人 and 课时, 党小组会 its 党小组, 主题党日 its
形式.  Each item is one Chinese line saying what to fill in or correct; an empty tuple means complete.
A draft may lack anything and never counts toward compliance.  Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.domain.enums import AttendanceStatus, MeetingKind, MemberKind, ReviewGrade, VoteKind
from app.domain.policy import NATIONAL, Policy
from app.domain.reviews import ReviewEntry, check_review
from app.domain.votes import committee_quorum, quorum, vote_outcome

__all__ = ["FUTURE_MEETING", "AttendeeFacts", "RecordFacts", "VoteFacts", "attendance_line", "explain_vote",
           "missing_items", "topic_label"]

KINDS_WITH_DECISIONS = (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING)


@dataclass(frozen=True)
class AttendeeFacts:
    """One member on the record: the status, the reason given, the voting right and kind on the day."""

    name: str
    status: AttendanceStatus
    reason: str = ""
    has_vote: bool = False
    kind: MemberKind | None = None
    grade: ReviewGrade | None = None
    on_committee: bool = False


@dataclass(frozen=True)
class VoteFacts:
    """One vote as typed: its kind and motion, whether a subject member is named, and the tally."""

    kind: VoteKind
    motion: str
    subject_named: bool = False
    yes: int = 0
    no: int = 0
    abstain: int = 0
    written_yes: int = 0
    candidates: tuple[tuple[str, int], ...] = ()  # (name, yes votes) of an election


@dataclass(frozen=True)
class RecordFacts:
    kind: MeetingKind
    started_at: datetime | None
    ended_at: datetime | None = None
    location: str = ""
    host_name: str = ""
    recorder_name: str = ""
    topic: str = ""
    agenda_titles: tuple[str, ...] = ()
    decisions: str = ""
    lecturer: str = ""
    lecture_hours: float | None = None
    party_group_named: bool = False
    activity_form: str = ""
    attendees: tuple[AttendeeFacts, ...] = ()
    committee_size: int = 0  # 支委会: members of the committee on the meeting's day
    votes: tuple[VoteFacts, ...] = ()
    unmarked: tuple[str, ...] = ()  # members on the roster whose attendance is not recorded yet
    unmarked_voters: int = 0  # of them, those with a vote: they count in 应到 (expected, not present)

    @property
    def expected(self) -> int:
        """应到有表决权党员 (列席 never counts; a voter not yet marked is expected all the same)."""
        marked = sum(1 for a in self.attendees if a.has_vote and a.status is not AttendanceStatus.OBSERVER)
        return marked + self.unmarked_voters

    @property
    def present(self) -> int:
        return sum(1 for a in self.attendees if a.has_vote and a.status is AttendanceStatus.PRESENT)

    @property
    def committee_present(self) -> int:
        return sum(1 for a in self.attendees if a.on_committee and a.status is AttendanceStatus.PRESENT)


def topic_label(kind: MeetingKind) -> str:
    """How the form names the meeting's ``topic`` for this kind."""
    return {MeetingKind.PARTY_LECTURE: "党课题目", MeetingKind.THEME_DAY: "活动主题"}.get(kind, "会议议题")


def attendance_line(facts: RecordFacts, *, policy: Policy = NATIONAL) -> str:
    """The live line of the attendance: 应到 / 实到, with the quorum at a 支部党员大会 (支委会: the committee's;
    other kinds hold no vote, so no verdict)."""
    if facts.kind is MeetingKind.COMMITTEE_MEETING and facts.committee_size:
        return committee_quorum(facts.committee_size, facts.committee_present, policy=policy).explanation
    if not facts.expected:
        return "尚未登记有表决权的党员（从名册中标记出席情况）"
    if facts.kind is MeetingKind.GENERAL_MEETING:  # the one kind whose votes need a quorum of members
        line = quorum(facts.expected, facts.present, policy=policy).explanation
    else:
        line = f"应到有表决权党员 {facts.expected} 人，实到 {facts.present} 人"
    without = sum(1 for a in facts.attendees if a.status.is_present and not a.has_vote)
    return line + (f"（另有 {without} 人到会，无表决权）" if without else "")


def vote_label(index: int, vote: VoteFacts) -> str:
    motion = vote.motion.strip()
    return f"第 {index + 1} 项表决（{vote.kind.label}{'：' + motion if motion else ''}）"


def explain_vote(vote: VoteFacts, expected: int, present: int, *, policy: Policy = NATIONAL) -> str:
    """The outcome of one vote at a 支部党员大会 in words, or what is wrong with its counts."""
    return "；".join(_vote_lines(vote, expected, present, policy)[1])


def _vote_lines(vote: VoteFacts, expected: int, present: int, policy: Policy) -> tuple[list[str], list[str]]:
    """(problems, the lines explaining the outcome)."""
    problems: list[str] = []
    if vote.kind is VoteKind.ELECTION:
        return _election_lines(vote, expected, present, policy)
    if vote.written_yes and not vote.kind.counts_written_opinions:
        problems.append("只有接收预备党员、预备党员转正的表决计入书面意见，请删去书面赞成意见")
    if vote.kind.counts_written_opinions and not vote.subject_named:
        problems.append("请选择表决涉及的党员")
    cast = vote.yes + vote.no + vote.abstain
    if cast > present and vote.yes <= present:  # yes-votes alone too many: said once, by vote_outcome below
        problems.append(f"赞成、反对、弃权合计 {cast} 票，多于实到有表决权党员 {present} 人，请核对计票")
    written = vote.written_yes if vote.kind.counts_written_opinions else 0
    try:
        outcome = vote_outcome(expected, present, vote.yes, written_yes=written, policy=policy)
    except ValueError as exc:
        problems.append(str(exc))
        return problems, [str(exc)]
    if not outcome.may_vote:
        problems.append(f"{outcome.explanation}，这项表决无效")
    return problems, [outcome.explanation]


def _election_lines(vote: VoteFacts, expected: int, present: int,
                    policy: Policy) -> tuple[list[str], list[str]]:
    """An election: more than 4/5 of 应到 present, then each candidate's votes against half of 应到."""
    if not vote.candidates:
        return ["请填写候选人及其得票"], ["请填写候选人及其得票"]
    try:
        present_check = quorum(expected, present, election=True, policy=policy)
    except ValueError as exc:
        return [str(exc)], [str(exc)]
    if not present_check.reached:
        return [f"{present_check.explanation}，这次选举无效"], [present_check.explanation]
    problems: list[str] = []
    lines = [present_check.explanation]
    for name, votes in vote.candidates:
        who = f"候选人{name.strip() or '（未填姓名）'}"
        if not name.strip():
            problems.append("有候选人未填姓名")
        try:
            outcome = vote_outcome(expected, present, votes, election=True, policy=policy)
        except ValueError as exc:
            problems.append(f"{who}：{exc}")
            lines.append(f"{who}：{exc}")
            continue
        lines.append(f"{who}：{outcome.explanation.rsplit('；', 1)[-1]}")
    return problems, lines


FUTURE_MEETING = "会议时间晚于现在：会议开过以后才能标记为完成（现在可以存为草稿）"


def missing_items(facts: RecordFacts, *, policy: Policy = NATIONAL, now: datetime | None = None) -> tuple[str, ...]:
    """Everything the record still lacks or gets wrong, one line each, in the order of the form.  ``now``:
    the district's civil time; a meeting that starts after it has not been held yet."""
    items: list[str] = []
    if facts.started_at is None:
        items.append("会议时间")
    elif now is not None and facts.started_at > now:
        items.append(FUTURE_MEETING)
    elif facts.ended_at is not None and facts.ended_at < facts.started_at:
        items.append("结束时间早于开始时间，请核对")
    for value, label in ((facts.location, "会议地点"), (facts.host_name, "主持人"), (facts.recorder_name, "记录人")):
        if not value.strip():
            items.append(label)
    items += _kind_items(facts)
    if not facts.topic.strip() and not any(t.strip() for t in facts.agenda_titles):
        items.append(topic_label(facts.kind))
    items += _attendance_items(facts, policy)
    if facts.kind in KINDS_WITH_DECISIONS and not facts.decisions.strip():
        items.append("决议（会议形成的决定；没有表决事项也请写明会议结论）")
    items += _vote_items(facts, policy)
    if facts.kind is MeetingKind.DEMOCRATIC_REVIEW:
        entries = [ReviewEntry(a.name, a.kind, a.grade) for a in facts.attendees
                   if a.kind is not None and a.status is not AttendanceStatus.OBSERVER]
        items += list(check_review(entries, policy=policy).problems)
    return tuple(items)


def _kind_items(facts: RecordFacts) -> list[str]:
    items: list[str] = []
    if facts.kind is MeetingKind.PARTY_LECTURE:
        if not facts.lecturer.strip():
            items.append("讲课人")
        if facts.lecture_hours is None or facts.lecture_hours <= 0:
            items.append("党课课时（如 1.5 小时）")
    if facts.kind is MeetingKind.GROUP_MEETING and not facts.party_group_named:
        items.append("党小组（哪个党小组的会议）")
    if facts.kind is MeetingKind.THEME_DAY and not facts.activity_form.strip():
        items.append("活动形式（如 集中学习、志愿服务、参观学习）")
    return items


def _attendance_items(facts: RecordFacts, policy: Policy) -> list[str]:
    if not facts.attendees:
        return ["应到/实到（请从名册登记每名党员的出席情况）"]
    items = [f"尚未登记出席情况：{'、'.join(facts.unmarked)}"] if facts.unmarked else []
    items += [f"{a.name}{a.status.label}：请填写{a.status.label}原因" for a in facts.attendees
             if a.status.needs_reason and not a.reason.strip()]
    if facts.kind is MeetingKind.COMMITTEE_MEETING:
        if not facts.committee_size:
            items.append("会议当天没有登记在任的支部委员会委员，无法判断支委会是否有效：请先在党组织中登记委员")
        else:
            check = committee_quorum(facts.committee_size, facts.committee_present, policy=policy)
            if not check.reached:
                items.append(check.explanation)
    return items


def _vote_items(facts: RecordFacts, policy: Policy) -> list[str]:
    items: list[str] = []
    for index, vote in enumerate(facts.votes):
        if facts.kind is not MeetingKind.GENERAL_MEETING:
            continue  # a 支委会's decisions stand on its quorum (above)
        problems, _lines = _vote_lines(vote, facts.expected, facts.present, policy)
        items += [f"{vote_label(index, vote)}：{p}" for p in problems]
    return items


def absentees_without_reason(attendees: Sequence[AttendeeFacts]) -> list[str]:
    """The names of those marked 请假 / 缺席 with no reason (the form's clear message)."""
    return [a.name for a in attendees if a.status.needs_reason and not a.reason.strip()]
