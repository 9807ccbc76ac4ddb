"""Numbers of notices (GB/T 9704 发文字号): per series (机关代字) and year, provisional offline, confirmed by
the server later (DESIGN §2.1; format and parse: ``app.domain.doc_numbers``).

Offline the next *provisional* sequence of (代字, year, this device's tag) is allocated inside the caller's
write transaction: ``factory.begin()`` starts with ``BEGIN IMMEDIATE`` (``core.database``), so two
allocations — two threads, the GUI and the CLI — are serialized by SQLite's write lock and never read the
same maximum; the unique constraint (series, year, device, sequence) backs that up.  Sequences are never
reused: a 作废 or deleted notice keeps its number.  The year is the civil year of the issue date (a notice
issued on 31 December is numbered in that year's series, whenever it was entered).

The server's answer is :func:`confirm_number`: a *confirmed* sequence unique among the live (not 作废, not
deleted) notices of the series and year (the partial unique index of migration 0014).  A notice keeps its
provisional number beside the confirmed one, so paper already handed over can still be found.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.doc_numbers import (
    BRACKET_VARIANTS,
    CLOSE,
    OPEN,
    PROVISIONAL_MARK,
    DocNumber,
    ProvisionalNumber,
    format_doc_number,
    is_provisional,
    parse_doc_number,
)
from app.domain.enums import NoticeKind, NoticeStatus
from app.models import Notice
from app.services.core.errors import NotFoundError, ServiceError
from app.services.core.identity import device_tag
from app.services.core.outbox import set_actor

__all__ = ["NumberClash", "allocate_provisional", "confirm_number", "find_by_number", "number_of", "number_text"]

UNNUMBERED = "（未签发，无文号）"
_BRACKETS = str.maketrans(BRACKET_VARIANTS)


class NumberClash(ServiceError):
    """The confirmed number is already held by another live notice of the series and year."""


def allocate_provisional(session: Session, *, series: str, year: int) -> ProvisionalNumber:
    """The next provisional number of ``series`` / ``year`` on this device.  Must run in a write
    transaction (``with factory.begin()``), which also stores the number on the notice before it ends."""
    device = device_tag(session)
    top = session.execute(select(func.max(Notice.provisional_seq)).where(
        Notice.series == series, Notice.year == year, Notice.provisional_device == device)).scalar()
    return ProvisionalNumber(series, year, (top or 0) + 1, device)


def number_of(notice: Notice) -> DocNumber | ProvisionalNumber | None:
    """The number a notice prints: the confirmed one, else the provisional one, else None (a 草稿)."""
    if notice.confirmed_seq is not None:
        return DocNumber(notice.series, notice.year, notice.confirmed_seq)
    if notice.provisional_seq is not None:
        return ProvisionalNumber(notice.series, notice.year, notice.provisional_seq, notice.provisional_device or "")
    return None


def number_text(notice: Notice) -> str:
    """``社党整改〔2026〕7号``, ``社党整改〔2026〕临K7Q-3号（临时编号）`` or ``（未签发，无文号）``."""
    number = number_of(notice)
    return UNNUMBERED if number is None else number.text


def confirm_number(factory: sessionmaker[Session], notice_id: str, seq: int, *, actor: str = "") -> str:
    """Record the server's sequence for a notice issued offline; returns the confirmed number's text.
    NotFoundError for an unknown notice; ServiceError for a 草稿 (no number yet) or a 作废 notice, a bad
    sequence, and NumberClash when another live notice of the series and year already holds it.  Any thread
    (the sync: its own)."""
    with factory.begin() as session:
        if actor:
            set_actor(session, actor)
        notice = session.get(Notice, notice_id)
        if notice is None or notice.deleted_at is not None:
            raise NotFoundError(f"找不到要确认编号的通知（{notice_id}）。")
        if notice.status is NoticeStatus.DRAFT:
            raise ServiceError("草稿通知还没有编号，签发后才能确认文号。")
        if notice.status is NoticeStatus.VOID:
            raise ServiceError("通知已作废，不再确认文号。")
        try:
            text = format_doc_number(notice.series, notice.year, seq)
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        holder = session.execute(select(Notice.id).where(
            Notice.series == notice.series, Notice.year == notice.year, Notice.confirmed_seq == seq,
            Notice.id != notice.id, Notice.deleted_at.is_(None), Notice.status != NoticeStatus.VOID)).first()
        if holder is not None:
            raise NumberClash(f"文号 {text} 已被另一份有效通知使用，不能重复确认；请同步后核对。")
        notice.confirmed_seq = seq
        try:
            session.flush()
        except IntegrityError:
            raise NumberClash(f"文号 {text} 已被另一份有效通知使用，不能重复确认；请同步后核对。") from None
    return text


_PROVISIONAL = re.compile(rf"^(?P<prefix>[^{OPEN}]+){OPEN}(?P<year>\d{{4}}){CLOSE}{PROVISIONAL_MARK}"
                          rf"(?:(?P<device>[A-Z0-9]{{1,6}})-)?(?P<seq>\d+)号")


def find_by_number(session: Session, text: str, kind: NoticeKind | None = None) -> str | None:
    """The id of the notice a typed 发文字号 names — confirmed (``社党整改〔2026〕7号``, the common slips
    normalized) or provisional (``社党整改〔2026〕临K7Q-3号``) — preferring a live one; None when no notice has
    it.  ServiceError for text that is not a number, saying how to write one."""
    typed = "".join(text.split()).translate(_BRACKETS)
    query = select(Notice.id).where(Notice.deleted_at.is_(None))
    if kind is not None:
        query = query.where(Notice.kind == kind)
    if is_provisional(typed):
        found = _PROVISIONAL.match(typed)
        if found is None:
            raise ServiceError(f"无法识别临时编号“{text}”，应写作如 社党整改〔2026〕临K7Q-3号。")
        query = query.where(Notice.series == found["prefix"], Notice.year == int(found["year"]),
                            Notice.provisional_seq == int(found["seq"]),
                            Notice.provisional_device == (found["device"] or ""))
    else:
        try:
            number = parse_doc_number(text)
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        query = query.where(Notice.series == number.prefix, Notice.year == number.year,
                            Notice.confirmed_seq == number.seq)
    found_id = session.execute(query.order_by(Notice.status == NoticeStatus.VOID).limit(1)).scalar()
    return None if found_id is None else str(found_id)
