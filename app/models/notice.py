"""Numbered documents: 走访通知, 整改通知书, 提醒函 (GB/T 9704 numbers ``{代字}〔YYYY〕N号``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import NoticeKind
from app.models.base import Base, CivilDate, OrgScoped, enum_type


class Notice(OrgScoped, Base):
    """A document for one organization.  ``sequence`` is unique per series and year; offline it is
    provisional (``number_confirmed`` false) until the server confirms it."""

    __tablename__ = "notice"
    __table_args__ = (UniqueConstraint("series", "year", "sequence"),)

    kind: Mapped[NoticeKind] = mapped_column(enum_type(NoticeKind))
    series: Mapped[str] = mapped_column(String(30))  # 机关代字, e.g. 某街党建整改
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer, default=None)
    number_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    title: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
