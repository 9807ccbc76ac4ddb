"""走访: an instructor's visit (planned or done), its checklist answers and its findings (DESIGN §2.0).

A plan has a day and may have a 走访通知 (``notice_id``); a surprise visit (``surprise``, 不打招呼) has none.
Each checklist answer keeps the item's text as it was asked (``item_text``) next to the checklist version
of the visit, so an old visit reads the same after the checklist in ``resources/checklists/`` changes.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import ChecklistAnswerValue, VisitMode, VisitStatus
from app.models.base import Base, CivilDate, CivilDateTime, OrgScoped, enum_type


class Visit(OrgScoped, Base):
    __tablename__ = "visit"

    instructor_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[VisitStatus] = mapped_column(enum_type(VisitStatus), default=VisitStatus.DONE,
                                                server_default=VisitStatus.DONE.value)
    surprise: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # 不打招呼
    visited_on: Mapped[date] = mapped_column(CivilDate, index=True)  # the planned day, or the day it was done
    started_at: Mapped[datetime | None] = mapped_column(CivilDateTime, default=None)  # civil time, when known
    ended_at: Mapped[datetime | None] = mapped_column(CivilDateTime, default=None)
    mode: Mapped[VisitMode] = mapped_column(enum_type(VisitMode))
    checklist_version: Mapped[str] = mapped_column(String(20), default="")
    met_with: Mapped[str] = mapped_column(String(200), default="")  # people met, names and posts
    summary: Mapped[str] = mapped_column(Text, default="")
    suggestions: Mapped[str] = mapped_column(Text, default="", server_default="")  # 意见建议
    coordination: Mapped[str] = mapped_column(Text, default="", server_default="")  # 需协调解决的事项
    next_visit_on: Mapped[date | None] = mapped_column(CivilDate, default=None)  # 下次计划走访
    notice_id: Mapped[str | None] = mapped_column(String(36), default=None)  # its 走访通知, if one was sent


class ChecklistAnswer(OrgScoped, Base):
    """One answered checklist item; the item's text is kept as it was asked (unique per visit and item)."""

    __tablename__ = "checklist_answer"
    __table_args__ = (UniqueConstraint("visit_id", "item_code"),)

    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    item_code: Mapped[str] = mapped_column(String(30))
    item_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answer: Mapped[ChecklistAnswerValue] = mapped_column(enum_type(ChecklistAnswerValue))
    note: Mapped[str] = mapped_column(String(200), default="")


class Finding(OrgScoped, Base):
    """A problem seen on a visit (发现的问题); a rectification item raised from it points back by
    ``finding_id``."""

    __tablename__ = "finding"

    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    description: Mapped[str] = mapped_column(Text)
    item_code: Mapped[str] = mapped_column(String(30), default="")  # the checklist item it came from, if any
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
