"""党建指导员 and their assignments to 社会组织 (工作覆盖)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import INSTANT_DEFAULT, Base, CivilDate, Instant, OrgScoped, new_id


class Instructor(Base):
    """党建指导员: a district-level record managed by the server's admin; pulled, never pushed.

    It belongs to no single organization, so it carries the sync columns except ``org_id``.
    """

    __tablename__ = "instructor"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    server_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    deleted_at: Mapped[datetime | None] = mapped_column(Instant, default=None)
    updated_at: Mapped[datetime] = mapped_column(Instant, default=INSTANT_DEFAULT)
    updated_by: Mapped[str] = mapped_column(String(64), default="", server_default="")
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(50))
    phone: Mapped[str] = mapped_column(String(30), default="")
    sub_district: Mapped[str] = mapped_column(String(50), default="")  # 街道


class Assignment(OrgScoped, Base):
    """An instructor's responsibility for one organization, from ``since`` until ``until``."""

    __tablename__ = "assignment"

    instructor_id: Mapped[str] = mapped_column(String(36), index=True)
    since: Mapped[date] = mapped_column(CivilDate)
    until: Mapped[date | None] = mapped_column(CivilDate, default=None)
