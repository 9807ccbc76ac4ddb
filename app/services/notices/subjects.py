"""What notices are about, read in the caller's session: the organization, the rectification items on a
notice (with the deadline in force), the items free to go on a new one.

The notices area owns the links (``Rectification.notice_id``, ``Visit.notice_id``); the items' own flow is
the rectification area's (``issue_in_session`` / ``acknowledge_in_session``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain.enums import NoticeStatus, RectificationFollowUpKind, RectificationStatus
from app.domain.rectification_flow import OPEN_STATUSES, latest_deadline
from app.models import Notice, Rectification, RectificationFollowUp, SocialOrg
from app.services.core.errors import NotFoundError
from app.services.notices.dto import NoticeItem

# Items that may go on a new 整改通知书: 草稿, or still open (已签发 … 复查未通过) and on no live notice, e.g.
# their notice was 作废 (作废后重开).
FREE_STATUSES = (RectificationStatus.DRAFT, *sorted(OPEN_STATUSES, key=list(RectificationStatus).index))
# The 备注 written on an item already past 签发 when a new notice listing it is 签发 (after a 作废).
ON_NOTICE_NOTE = "列入整改通知书"


def org_name(session: Session, org_id: str) -> str:
    """The organization's name; NotFoundError when there is no such (live) organization."""
    name = session.execute(select(SocialOrg.name).where(SocialOrg.id == org_id,
                                                        SocialOrg.deleted_at.is_(None))).scalar()
    if name is None:
        raise NotFoundError(f"找不到该社会组织（{org_id}），可能已被删除。")
    return str(name)


def live_notice(session: Session, notice_id: str) -> Notice:
    """The notice (not deleted); NotFoundError otherwise."""
    notice = session.get(Notice, notice_id)
    if notice is None or notice.deleted_at is not None:
        raise NotFoundError(f"找不到该通知（{notice_id}），可能已被删除。")
    return notice


def _on_live_notice() -> ColumnElement[bool]:
    live = select(Notice.id).where(Notice.deleted_at.is_(None), Notice.status != NoticeStatus.VOID)
    return Rectification.notice_id.in_(live)


def free_items(session: Session, org_id: str) -> list[Rectification]:
    """The organization's items not on a live notice that may go on one, oldest first."""
    return list(session.scalars(select(Rectification).where(
        Rectification.org_id == org_id, Rectification.deleted_at.is_(None),
        Rectification.status.in_(FREE_STATUSES),
        or_(Rectification.notice_id.is_(None), ~_on_live_notice()),
    ).order_by(Rectification.raised_on, Rectification.id)))


def items_by_id(session: Session, item_ids: Sequence[str]) -> list[Rectification]:
    """The live items of ``item_ids`` in that order; NotFoundError naming how many are missing."""
    found = {row.id: row for row in session.scalars(select(Rectification).where(
        Rectification.id.in_(list(item_ids)), Rectification.deleted_at.is_(None)))}
    missing = [item_id for item_id in item_ids if item_id not in found]
    if missing:
        raise NotFoundError(f"找不到 {len(missing)} 项整改事项（可能已被删除），请刷新后重新选择。")
    return [found[item_id] for item_id in dict.fromkeys(item_ids)]


def notice_items(session: Session, notice_id: str) -> list[Rectification]:
    """The live items on a notice, in the order they were raised."""
    return list(session.scalars(select(Rectification).where(
        Rectification.notice_id == notice_id, Rectification.deleted_at.is_(None))
        .order_by(Rectification.raised_on, Rectification.id)))


def deadlines_in_force(session: Session, items: Sequence[Rectification], *,
                       as_issued: bool = False) -> dict[str, date]:
    """Item id -> the deadline in force (the original or the furthest 延期).  ``as_issued``: as it stood
    when the item went on its (issued) notice — the 延期 granted after that are in the item's history, not
    on the notice, so a reprint is the same document."""
    ids = [item.id for item in items]
    cutoffs: dict[str, datetime] = {}
    if as_issued:
        for item_id, at in session.execute(select(RectificationFollowUp.rectification_id, RectificationFollowUp.at)
                                           .where(RectificationFollowUp.rectification_id.in_(ids),
                                                  RectificationFollowUp.deleted_at.is_(None), _put_on_notice())):
            cutoffs[item_id] = max(at, cutoffs.get(item_id, at))
    extensions: dict[str, list[date]] = {}
    rows = session.execute(select(RectificationFollowUp.rectification_id, RectificationFollowUp.new_deadline,
                                  RectificationFollowUp.at).where(
        RectificationFollowUp.rectification_id.in_(ids),
        RectificationFollowUp.kind == RectificationFollowUpKind.EXTEND,
        RectificationFollowUp.new_deadline.is_not(None), RectificationFollowUp.deleted_at.is_(None)))
    for item_id, new_deadline, at in rows:
        cutoff = cutoffs.get(item_id)
        if new_deadline is not None and (cutoff is None or at < cutoff):
            extensions.setdefault(item_id, []).append(new_deadline)
    return {item.id: latest_deadline(item.deadline, extensions.get(item.id, [])) for item in items}


def _put_on_notice() -> ColumnElement[bool]:
    """The follow-ups that put an item on a 整改通知书 being 签发: its 签发, or the 备注 of a re-issue."""
    return or_(RectificationFollowUp.kind == RectificationFollowUpKind.ISSUE,
               (RectificationFollowUp.kind == RectificationFollowUpKind.NOTE)
               & RectificationFollowUp.note.startswith(ON_NOTICE_NOTE, autoescape=True))


def item_dtos(session: Session, items: Sequence[Rectification], *, as_issued: bool = False) -> tuple[NoticeItem, ...]:
    deadlines = deadlines_in_force(session, items, as_issued=as_issued)
    return tuple(NoticeItem(item.id, item.title, item.description, item.basis, item.requirement,
                            item.responsible_person, deadlines[item.id], item.status)
                 for item in items)
