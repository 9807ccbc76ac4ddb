"""三会一课 and other organizational life: the meeting, who attended, its agenda and its votes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import AttendanceStatus, MeetingKind, ReviewGrade
from app.models.base import Base, CivilDateTime, PartyScoped, enum_type


class Meeting(PartyScoped, Base):
    """One meeting of a 党组织 (``party_org_id``); its attendance, agenda and votes carry the same scope."""

    __tablename__ = "meeting"

    kind: Mapped[MeetingKind] = mapped_column(enum_type(MeetingKind), index=True)
    topic: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(CivilDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(CivilDateTime, default=None)
    location: Mapped[str] = mapped_column(String(200), default="")
    host_name: Mapped[str] = mapped_column(String(50), default="")  # 主持人
    recorder_name: Mapped[str] = mapped_column(String(50), default="")  # 记录人
    expected_count: Mapped[int] = mapped_column(Integer, default=0)  # 应到
    present_count: Mapped[int] = mapped_column(Integer, default=0)  # 实到
    party_group: Mapped[str] = mapped_column(String(50), default="")  # for 党小组会
    lecturer: Mapped[str] = mapped_column(String(50), default="")  # for 党课
    lecture_hours: Mapped[float | None] = mapped_column(Float, default=None)
    is_election: Mapped[bool] = mapped_column(Boolean, default=False)
    decisions: Mapped[str] = mapped_column(Text, default="")  # 决议
    minutes: Mapped[str] = mapped_column(Text, default="")  # 会议记录


class MeetingAttendance(PartyScoped, Base):
    """One member's attendance; an absence carries its reason.  Review grade for 民主评议."""

    __tablename__ = "meeting_attendance"

    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[AttendanceStatus] = mapped_column(enum_type(AttendanceStatus))
    absence_reason: Mapped[str] = mapped_column(String(200), default="")
    review_grade: Mapped[ReviewGrade | None] = mapped_column(enum_type(ReviewGrade), default=None)


class AgendaItem(PartyScoped, Base):
    """议题 of a meeting, in order."""

    __tablename__ = "agenda_item"

    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))


class Vote(PartyScoped, Base):
    """A vote on a motion: counts against 应到 (``eligible``), as the party rules require."""

    __tablename__ = "vote"

    meeting_id: Mapped[str] = mapped_column(String(36), index=True)
    agenda_item_id: Mapped[str | None] = mapped_column(String(36), default=None)
    motion: Mapped[str] = mapped_column(String(200))
    eligible: Mapped[int] = mapped_column(Integer)
    present: Mapped[int] = mapped_column(Integer)
    yes: Mapped[int] = mapped_column(Integer)
    no: Mapped[int] = mapped_column(Integer, default=0)
    abstain: Mapped[int] = mapped_column(Integer, default=0)
