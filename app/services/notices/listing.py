"""Reading notices: the list (filters: kind, status, organization, issue month, text) and one notice with
what it is about.  Read-only; any thread (the UI: the read lane)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func, nulls_first, or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import NoticeKind, NoticeStatus
from app.models import Notice, NoticePrint, Rectification, SocialOrg, Visit
from app.services.notices.dto import NoticeDetail, NoticePrintRow, NoticeRow
from app.services.notices.numbering import number_text
from app.services.notices.subjects import item_dtos, live_notice, notice_items

__all__ = ["LIST_LIMIT", "list_notices", "load_notice", "notice_row"]

LIST_LIMIT = 1000


def _item_counts() -> Select[str | None, int]:
    return (select(Rectification.notice_id, func.count().label("n"))
            .where(Rectification.deleted_at.is_(None), Rectification.notice_id.is_not(None))
            .group_by(Rectification.notice_id))


def notice_row(session: Session, notice: Notice) -> NoticeRow:
    """The list row of one notice (in the caller's session)."""
    name = session.execute(select(SocialOrg.name).where(SocialOrg.id == notice.org_id)).scalar() or ""
    count = session.execute(select(func.count()).select_from(Rectification).where(
        Rectification.notice_id == notice.id, Rectification.deleted_at.is_(None))).scalar_one()
    return _row(notice, name, count)


def _row(notice: Notice, name: str, count: int) -> NoticeRow:
    provisional = notice.confirmed_seq is None and notice.provisional_seq is not None
    return NoticeRow(notice.id, notice.kind, notice.status, number_text(notice), provisional, notice.org_id, name,
                     notice.title, notice.issued_on, notice.delivered_on, notice.signed_on, count)


def list_notices(factory: sessionmaker[Session], *, kind: NoticeKind | None = None,
                 status: NoticeStatus | None = None, org_id: str | None = None, year: int | None = None,
                 month: int | None = None, search: str = "", limit: int = LIST_LIMIT) -> list[NoticeRow]:
    """Notices, drafts first, then the latest issued first.  ``year`` / ``month``: issued then (a 草稿 has
    no issue day and is left out); ``search``: in the organization's name, the title, the 主送."""
    counts = _item_counts().subquery()
    query = (select(Notice, SocialOrg.name, func.coalesce(counts.c.n, 0))
             .join(SocialOrg, SocialOrg.id == Notice.org_id, isouter=True)
             .join(counts, counts.c.notice_id == Notice.id, isouter=True)
             .where(Notice.deleted_at.is_(None)))
    if kind is not None:
        query = query.where(Notice.kind == kind)
    if status is not None:
        query = query.where(Notice.status == status)
    if org_id is not None:
        query = query.where(Notice.org_id == org_id)
    if year is not None:
        first, last = month_span(year, month)
        query = query.where(Notice.issued_on >= first, Notice.issued_on <= last)
    if text := search.strip():
        pattern = f"%{text}%"
        query = query.where(or_(SocialOrg.name.like(pattern), Notice.title.like(pattern),
                                Notice.addressee.like(pattern)))
    query = query.order_by(nulls_first(Notice.issued_on.desc()), Notice.updated_at.desc()).limit(limit)
    with factory() as session:
        return [_row(notice, name or "", count) for notice, name, count in session.execute(query)]


def month_span(year: int, month: int | None) -> tuple[date, date]:
    """The first and last day of a year, or of one of its months."""
    if month is None:
        return date(year, 1, 1), date(year, 12, 31)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), date.fromordinal(following.toordinal() - 1)


def load_notice(factory: sessionmaker[Session], notice_id: str) -> NoticeDetail:
    """One notice with its items (整改通知书, deadline in force), its visit (走访通知) and its printings.
    NotFoundError for an unknown or deleted notice."""
    with factory() as session:
        return detail_in(session, notice_id)


def detail_in(session: Session, notice_id: str) -> NoticeDetail:
    notice = live_notice(session, notice_id)
    items = item_dtos(session, notice_items(session, notice.id))
    visit_id = session.execute(select(Visit.id).where(Visit.notice_id == notice.id,
                                                      Visit.deleted_at.is_(None))).scalar()
    prints = tuple(NoticePrintRow(p.sha256, p.printed_at, p.pages, p.masked, p.updated_by)
                   for p in session.scalars(select(NoticePrint).where(
                       NoticePrint.notice_id == notice.id, NoticePrint.deleted_at.is_(None))
                       .order_by(NoticePrint.printed_at)))
    row = _row(notice, session.execute(select(SocialOrg.name).where(SocialOrg.id == notice.org_id)).scalar() or "",
               len(items))
    return NoticeDetail(row, notice.series, notice.year, notice.confirmed_seq, notice.provisional_seq,
                        notice.provisional_device or "", notice.addressee, notice.issuer, notice.body,
                        notice.signed_by, notice.void_reason, notice.with_receipt, visit_id, notice.rule_id,
                        notice.period, items, prints, notice.updated_at)
