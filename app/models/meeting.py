"""三会一课 and other organizational life: the meeting, who attended, guests, its agenda and its votes.

Attendance rows are the truth: 应到 / 实到 are counted from them (each stores the member's voting right
as it was at the meeting), never typed or stored beside them (app.services.meetings.attendance).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import AttendanceStatus, GuestRole, MeetingKind, MeetingStatus, ReviewGrade, VoteKind
from app.models.base import Base, CivilDateTime, PartyScoped, enum_type


class Meeting(PartyScoped, Base):
    """One meeting of a 党组织 (``party_org_id``); its attendance, guests, agenda and votes carry the same
    scope.  A 草稿 never counts toward compliance."""

    __tablename__ = "meeting"

    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind), index=True)
    status: Mapped[MeetingStatus] = mapped_column(enum_type(MeetingStatus), default=MeetingStatus.DRAFT)
    topic: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(CivilDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(CivilDateTime, default=None)
    location: Mapped[str] = mapped_column(String(200), default="")
    host_name: Mapped[str] = mapped_column(String(50), default="")  # 主持人
    recorder_name: Mapped[str] = mapped_column(String(50), default="")  # 记录人
    party_group_id: Mapped[str | None] = mapped_column(String(36), default=None)  # for 党小组会
    lecturer: Mapped[str] = mapped_column(String(50), default="")  # for 党课
    lecture_hours: Mapped[float | None] = mapped_column(Float, default=None)
    activity_form: Mapped[str] = mapped_column(String(100), default="", server_default="")  # 主题党日 的形式
    decisions: Mapped[str] = mapped_column(Text, default="")  # 决议
    minutes: Mapped[str] = mapped_column(Text, default="")  # 会议记录


class MeetingAttendance(PartyScoped, Base):
    """One member at one meeting (one live row per member): 出席 / 请假 / 缺席 / 列席, the reason of a 请假
    or 缺席, and the voting right at the meeting's date (``had_vote``, ``vote_note`` saying why not) — a
    snapshot that stays when the member later becomes 正式.  民主评议 grade of a 正式党员."""

    __tablename__ = "meeting_attendance"
    __table_args__ = (
        Index("uq_meeting_attendance_member", "meeting_id", "member_id", unique=True,
              sqlite_where=text("deleted_at IS NULL")),
    )

    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_type(AttendanceStatus))
    absence_reason: Mapped[str] = mapped_column(String(200), default="")  # 请假 / 缺席 的原因
    had_vote: Mapped[bool] = mapped_column(Boolean, default=False)
    vote_note: Mapped[str] = mapped_column(String(200), default="")
    review_grade: Mapped[ReviewGrade | None] = mapped_column(enum_type(ReviewGrade), default=None)


class MeetingGuest(PartyScoped, Base):
    """Someone at the meeting who is not a member of this 党组织: 讲课人, 上级党组织代表, 列席人员."""

    __tablename__ = "meeting_guest"

    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(50))
    role: Mapped[GuestRole] = mapped_column(enum_type(GuestRole))
    unit: Mapped[str] = mapped_column(String(100), default="")  # 单位 / 职务


class AgendaItem(PartyScoped, Base):
    """议题 of a meeting, in order."""

    __tablename__ = "agenda_item"

    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))


class Vote(PartyScoped, Base):
    """A vote at a meeting: its kind, the member it is about (接收 / 转正), and the tally.  应到 / 实到 are
    counted from the meeting's attendance rows, not stored here.  ``written_yes``: written opinions in
    favour of voting members who could not attend (接收预备党员 / 转正 only).  An election's tally is per
    candidate (``VoteCandidate``)."""

    __tablename__ = "vote"

    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    agenda_item_id: Mapped[str | None] = mapped_column(String(36), default=None)
    kind: Mapped[VoteKind] = mapped_column(enum_type(VoteKind), default=VoteKind.RESOLUTION)
    subject_member_id: Mapped[str | None] = mapped_column(String(36), default=None)
    motion: Mapped[str] = mapped_column(String(200))
    yes: Mapped[int] = mapped_column(Integer, default=0)
    no: Mapped[int] = mapped_column(Integer, default=0)
    abstain: Mapped[int] = mapped_column(Integer, default=0)
    written_yes: Mapped[int] = mapped_column(Integer, default=0)


class VoteCandidate(PartyScoped, Base):
    """A candidate of an election and the votes for them; elected or not is worked out from the votes
    and 应到 (app.domain.votes.vote_outcome), never stored.  ``member_id`` when the candidate is a member."""

    __tablename__ = "vote_candidate"

    vote_id: Mapped[str] = mapped_column(String(36), index=True)
    member_id: Mapped[str | None] = mapped_column(String(36), default=None)
    name: Mapped[str] = mapped_column(String(50))
    yes_votes: Mapped[int] = mapped_column(Integer, default=0)
