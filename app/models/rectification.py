"""整改: an item raised from a visit, an inspection, 年检 or otherwise, and its append-only follow-ups.

The status flow and the overdue rule are ``app/domain/rectification_flow.py``.  ``deadline`` is the
original deadline; a 延期 is a follow-up of kind EXTEND carrying ``new_deadline`` (who: ``actor``, when:
``on_date``, why: ``note``), so every extension is kept and the deadline in force is the latest of them.

Follow-ups are append-only, enforced in the database: triggers (migration 0014) refuse an UPDATE of any
column but the sync bookkeeping (``server_version``, ``updated_at``, ``updated_by``) and every DELETE.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import RectificationFollowUpKind, RectificationSource, RectificationStatus
from app.models.base import Base, CivilDate, Instant, OrgScoped, enum_type


class Rectification(OrgScoped, Base):
    __tablename__ = "rectification"

    source: Mapped[RectificationSource] = mapped_column(enum_type(RectificationSource))
    source_detail: Mapped[str] = mapped_column(String(200), default="", server_default="")  # e.g. 哪次督查
    visit_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    finding_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    notice_id: Mapped[str | None] = mapped_column(String(36), default=None, index=True)
    title: Mapped[str] = mapped_column(String(200))  # the problem in one line
    description: Mapped[str] = mapped_column(Text, default="")  # 存在问题, in full
    basis: Mapped[str] = mapped_column(Text, default="", server_default="")  # 依据
    requirement: Mapped[str] = mapped_column(Text, default="")  # 整改要求
    responsible_person: Mapped[str] = mapped_column(String(100), default="", server_default="")  # 整改责任人
    raised_on: Mapped[date] = mapped_column(CivilDate)
    deadline: Mapped[date] = mapped_column(CivilDate, index=True)  # the original deadline
    status: Mapped[RectificationStatus] = mapped_column(enum_type(RectificationStatus), index=True)


class RectificationFollowUp(OrgScoped, Base):
    """Append-only: a step (签收, 反馈, 复查 …), a 延期 or a note on a rectification item.

    ``at`` is the instant it was entered (client clock; the server's version orders synced rows);
    ``on_date`` the civil day it happened (签收 on paper may predate its entry)."""

    __tablename__ = "rectification_follow_up"

    rectification_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[RectificationFollowUpKind] = mapped_column(
        enum_type(RectificationFollowUpKind), default=RectificationFollowUpKind.NOTE,
        server_default=RectificationFollowUpKind.NOTE.value)
    at: Mapped[datetime] = mapped_column(Instant)
    on_date: Mapped[date | None] = mapped_column(CivilDate, default=None)
    from_status: Mapped[RectificationStatus | None] = mapped_column(enum_type(RectificationStatus), default=None)
    to_status: Mapped[RectificationStatus | None] = mapped_column(enum_type(RectificationStatus), default=None)
    new_deadline: Mapped[date | None] = mapped_column(CivilDate, default=None)  # for a 延期
    actor: Mapped[str] = mapped_column(String(100), default="", server_default="")  # who did it
    note: Mapped[str] = mapped_column(Text, default="")
