"""整改: an item raised from a visit, an inspection or 年检, and its append-only follow-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import RectificationSource, RectificationStatus
from app.models.base import Base, CivilDate, Instant, OrgScoped, enum_type


class Rectification(OrgScoped, Base):
    __tablename__ = "rectification"

    source: Mapped[RectificationSource] = mapped_column(enum_type(RectificationSource))
    visit_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    finding_id: Mapped[str | None] = mapped_column(String(36), default=None)
    notice_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    requirement: Mapped[str] = mapped_column(Text, default="")  # 整改要求
    raised_on: Mapped[date] = mapped_column(CivilDate)
    deadline: Mapped[date] = mapped_column(CivilDate, index=True)
    status: Mapped[RectificationStatus] = mapped_column(enum_type(RectificationStatus), index=True)


class RectificationFollowUp(OrgScoped, Base):
    """Append-only: a status change or a note on a rectification item."""

    __tablename__ = "rectification_follow_up"

    rectification_id: Mapped[str] = mapped_column(String(36), index=True)
    at: Mapped[datetime] = mapped_column(Instant)
    from_status: Mapped[RectificationStatus | None] = mapped_column(enum_type(RectificationStatus), default=None)
    to_status: Mapped[RectificationStatus | None] = mapped_column(enum_type(RectificationStatus), default=None)
    note: Mapped[str] = mapped_column(Text, default="")
