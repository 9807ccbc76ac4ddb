"""党员 and the dated changes that decide their voting right (DESIGN §2.0, app.domain.voting_rights).

A member's kind (预备 → 正式), 留党察看, 组织关系 and an approved exclusion from 应到 are rows with the
dates they apply, never flags overwritten in place, so who had a vote at a past meeting can be worked
out (``app.services.meetings.attendance.member_records`` maps them onto the domain's records).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import MemberKind
from app.models.base import Base, CivilDate, PartyScoped, enum_type


class Member(PartyScoped, Base):
    """党员, with only the personal data the work needs.  ``org_id``: the 社会组织 they work in (data,
    not the scope).  ``joined_on`` is the 入党 day as recorded (data); the voting right reads
    ``MemberKindChange`` rows."""

    __tablename__ = "member"

    org_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(4), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer, default=None)
    phone: Mapped[str] = mapped_column(String(30), default="")
    joined_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    party_group_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)  # 党小组
    left_on: Mapped[date | None] = mapped_column(CivilDate, default=None)


class MemberKindChange(PartyScoped, Base):
    """The member is of ``kind`` from ``changed_on``: 接收为预备党员, 转为正式党员, or 正式 on transfer in."""

    __tablename__ = "member_kind_change"

    member_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[MemberKind] = mapped_column(enum_type(MemberKind))
    changed_on: Mapped[date] = mapped_column(CivilDate)


class MemberProbation(PartyScoped, Base):
    """留党察看 from ``first_day`` to ``last_day`` (both included; None: not yet ended)."""

    __tablename__ = "member_probation"

    member_id: Mapped[str] = mapped_column(String(36), index=True)
    first_day: Mapped[date] = mapped_column(CivilDate)
    last_day: Mapped[date | None] = mapped_column(CivilDate, default=None)
    note: Mapped[str] = mapped_column(String(200), default="")


class MemberRelationChange(PartyScoped, Base):
    """组织关系 transferred into this 党组织 (``transferred_in``) or out of it, from ``changed_on``.  A member
    without such rows has their 组织关系 here throughout."""

    __tablename__ = "member_relation_change"

    member_id: Mapped[str] = mapped_column(String(36), index=True)
    changed_on: Mapped[date] = mapped_column(CivilDate)
    transferred_in: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")


class MemberExpectedExclusion(PartyScoped, Base):
    """经批准不计入应到 (long illness, abroad …): the reason, who approved it and when, and the days it
    covers; counts only from ``approved_on`` (app.domain.voting_rights.ExpectedExclusion)."""

    __tablename__ = "member_expected_exclusion"

    member_id: Mapped[str] = mapped_column(String(36), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[str] = mapped_column(String(100))
    approved_on: Mapped[date] = mapped_column(CivilDate)
    first_day: Mapped[date] = mapped_column(CivilDate)
    last_day: Mapped[date | None] = mapped_column(CivilDate, default=None)
