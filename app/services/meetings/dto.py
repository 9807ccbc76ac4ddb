"""Frozen DTOs of meeting records: what the form fills (``MeetingInput``) and what the services return.

The UI never sees ORM objects; the enums it needs are re-exported here so ``app.ui`` need not import
``app.domain`` or ``app.models``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.enums import (
    AttendanceStatus,
    GuestRole,
    MeetingKind,
    MeetingStatus,
    MemberKind,
    ReviewGrade,
    VoteKind,
)
from app.domain.periods import Period, PeriodKind, month_of, quarter_of, year_of

__all__ = [
    "AgendaInput", "AttachmentInput", "AttendanceInput", "AttendanceStatus", "CandidateInput", "GuestInput",
    "GuestRole", "MeetingDetail", "MeetingInput", "MeetingKind", "MeetingList", "MeetingRow", "MeetingStatus",
    "MemberKind", "PartyOrgChoice", "Period", "PeriodKind", "ReviewGrade", "Roster", "RosterMember", "VoteInput",
    "VoteKind", "month_of", "quarter_of", "year_of",
]


@dataclass(frozen=True)
class AttendanceInput:
    """One member at the meeting: 出席 / 请假 / 缺席 / 列席, the reason of a 请假 or 缺席, and the 民主评议
    grade of a 正式党员."""

    member_id: str
    status: AttendanceStatus
    reason: str = ""
    review_grade: ReviewGrade | None = None


@dataclass(frozen=True)
class GuestInput:
    """Someone present who is not a member of the 党组织 (讲课人, 上级党组织代表, 列席人员)."""

    name: str
    role: GuestRole = GuestRole.OBSERVER
    unit: str = ""


@dataclass(frozen=True)
class CandidateInput:
    name: str
    yes_votes: int = 0
    member_id: str | None = None


@dataclass(frozen=True)
class VoteInput:
    """A vote on an agenda item.  ``written_yes`` only for 接收预备党员 / 预备党员转正; ``candidates`` only
    for 选举 (their votes are the tally)."""

    kind: VoteKind = VoteKind.RESOLUTION
    motion: str = ""
    subject_member_id: str | None = None
    yes: int = 0
    no: int = 0
    abstain: int = 0
    written_yes: int = 0
    candidates: tuple[CandidateInput, ...] = ()


@dataclass(frozen=True)
class AgendaInput:
    """One 议题, in order, with the votes taken on it."""

    title: str
    votes: tuple[VoteInput, ...] = ()


@dataclass(frozen=True)
class AttachmentInput:
    """A file whose bytes are already stored (``app.services.core.attachments.store_file``)."""

    sha256: str
    filename: str
    size: int
    mime_type: str = "application/octet-stream"
    caption: str = ""


@dataclass(frozen=True)
class MeetingInput:
    """Everything the meeting form holds.  ``topic`` is the 议题 (党课: its 题目; 主题党日: its 主题);
    ``activity_form`` the 主题党日's 形式; ``party_group_id`` the 党小组 of a 党小组会."""

    kind: MeetingKind
    party_org_id: str
    started_at: datetime | None
    ended_at: datetime | None = None
    location: str = ""
    host_name: str = ""
    recorder_name: str = ""
    topic: str = ""
    minutes: str = ""
    decisions: str = ""
    lecturer: str = ""
    lecture_hours: float | None = None
    activity_form: str = ""
    party_group_id: str | None = None
    agenda: tuple[AgendaInput, ...] = ()
    attendance: tuple[AttendanceInput, ...] = ()
    guests: tuple[GuestInput, ...] = ()
    attachments: tuple[AttachmentInput, ...] = ()


@dataclass(frozen=True)
class RosterMember:
    """A member of the 党组织 as they stood on the meeting's day: kind, voting right and why not."""

    id: str
    name: str
    kind: MemberKind | None
    has_vote: bool
    vote_note: str
    party_group_id: str | None = None
    on_committee: bool = False


@dataclass(frozen=True)
class Roster:
    """The 党组织's members on ``day`` (in name order), its 党小组 and the size of its committee."""

    party_org_id: str
    day: date
    members: tuple[RosterMember, ...]
    groups: tuple[tuple[str, str], ...] = ()  # (id, name)
    committee_size: int = 0
    # members of the 党组织 who were not on its roster that day (not yet joined, 组织关系 elsewhere, left):
    # an old record may name them; they never have a vote at that meeting
    others: tuple[RosterMember, ...] = ()

    def member(self, member_id: str) -> RosterMember | None:
        return next((m for m in (*self.members, *self.others) if m.id == member_id), None)


@dataclass(frozen=True)
class PartyOrgChoice:
    id: str
    name: str


@dataclass(frozen=True)
class MeetingDetail:
    """A saved meeting: what the form shows, its status, 应到 / 实到 from the snapshots, what it lacks."""

    id: str
    data: MeetingInput
    status: MeetingStatus
    updated_at: datetime
    party_org_name: str
    expected: int
    present: int
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingRow:
    """One line of the 三会一课 list."""

    id: str
    party_org_id: str
    party_org_name: str
    kind: MeetingKind
    status: MeetingStatus
    started_at: datetime
    topic: str
    location: str
    expected: int
    present: int


@dataclass(frozen=True)
class MeetingList:
    rows: tuple[MeetingRow, ...]
    total: int  # matching meetings; ``rows`` holds at most the limit asked, newest first
    limit: int = field(default=0)
