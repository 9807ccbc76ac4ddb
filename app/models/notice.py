"""Numbered documents: 走访通知, 整改通知书, 提醒函 (GB/T 9704 numbers ``{代字}〔YYYY〕N号``, DESIGN §2.0).

A number is allocated per series (机关代字) and year.  Offline it is *provisional* (``provisional_seq``,
with the device tag that makes it unique across devices) and printed as such (临 … （临时编号）); the server
confirms it (``confirmed_seq``).  The two are kept apart: a notice keeps its provisional number after the
confirmation, so the paper already handed over can still be found.  Confirmed numbers are unique among
live notices of a series and year (a partial unique index: not deleted, not 作废).

The subject: the organization (``org_id``), the items (``Rectification.notice_id`` points here), the visit
a 走访通知 announces (``Visit.notice_id``), or the finding a 提醒函 is about (``rule_id`` and ``period`` of
a compliance finding).  Each PDF printed is a ``NoticePrint`` row with its SHA-256, so a reprint is
provably the same document.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import NoticeKind, NoticeStatus
from app.models.base import Base, CivilDate, Instant, OrgScoped, enum_type


class Notice(OrgScoped, Base):
    __tablename__ = "notice"
    __table_args__ = (
        Index("uq_notice_confirmed_number", "series", "year", "confirmed_seq", unique=True,
              sqlite_where=text("confirmed_seq IS NOT NULL AND deleted_at IS NULL AND status != 'VOID'"),
              postgresql_where=text("confirmed_seq IS NOT NULL AND deleted_at IS NULL AND status != 'VOID'")),
        UniqueConstraint("series", "year", "provisional_device", "provisional_seq"),
    )

    kind: Mapped[NoticeKind] = mapped_column(enum_type(NoticeKind))
    status: Mapped[NoticeStatus] = mapped_column(enum_type(NoticeStatus), default=NoticeStatus.DRAFT,
                                                 server_default=NoticeStatus.DRAFT.value, index=True)
    series: Mapped[str] = mapped_column(String(30))  # 机关代字, e.g. 鼓民社党
    year: Mapped[int] = mapped_column(Integer)
    provisional_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    provisional_device: Mapped[str | None] = mapped_column(String(6), default=None)
    confirmed_seq: Mapped[int | None] = mapped_column(Integer, default=None)
    issued_on: Mapped[date | None] = mapped_column(CivilDate, default=None)  # 成文日期
    delivered_on: Mapped[date | None] = mapped_column(CivilDate, default=None)  # 送达
    signed_on: Mapped[date | None] = mapped_column(CivilDate, default=None)  # 签收
    signed_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    void_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    addressee: Mapped[str] = mapped_column(String(200), default="", server_default="")  # 主送
    issuer: Mapped[str] = mapped_column(String(200), default="", server_default="")  # 落款
    body: Mapped[str] = mapped_column(Text, default="")
    rule_id: Mapped[str] = mapped_column(String(40), default="", server_default="")  # 提醒函: the finding's rule
    period: Mapped[str] = mapped_column(String(20), default="", server_default="")  # … and its period
    with_receipt: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # 回执 / 整改反馈表


class NoticePrint(OrgScoped, Base):
    """One printing (or saving) of a notice's PDF: its SHA-256, when, by whom, how many pages."""

    __tablename__ = "notice_print"

    notice_id: Mapped[str] = mapped_column(String(36), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    printed_at: Mapped[datetime] = mapped_column(Instant)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    masked: Mapped[bool] = mapped_column(Boolean, default=True)
