"""走访: an instructor's visit, its checklist answers and its findings."""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import ChecklistAnswerValue, VisitMode
from app.models.base import Base, CivilDate, OrgScoped, enum_type


class Visit(OrgScoped, Base):
    __tablename__ = "visit"

    instructor_id: Mapped[str] = mapped_column(String(36), index=True)
    visited_on: Mapped[date] = mapped_column(CivilDate, index=True)
    mode: Mapped[VisitMode] = mapped_column(enum_type(VisitMode))
    checklist_version: Mapped[str] = mapped_column(String(20), default="")
    met_with: Mapped[str] = mapped_column(String(100), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    notice_id: Mapped[str | None] = mapped_column(String(36), default=None)


class ChecklistAnswer(OrgScoped, Base):
    __tablename__ = "checklist_answer"

    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    item_code: Mapped[str] = mapped_column(String(30))
    answer: Mapped[ChecklistAnswerValue] = mapped_column(enum_type(ChecklistAnswerValue))
    note: Mapped[str] = mapped_column(String(200), default="")


class Finding(OrgScoped, Base):
    __tablename__ = "finding"

    visit_id: Mapped[str] = mapped_column(String(36), index=True)
    description: Mapped[str] = mapped_column(Text)
    item_code: Mapped[str] = mapped_column(String(30), default="")
