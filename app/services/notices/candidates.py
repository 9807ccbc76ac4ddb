"""What a new notice can be made from, for the 文书 view's 新建… dialogs: an organization's items free to go
on a 整改通知书, the planned visits that may get a 走访通知, the findings a 提醒函 may be about.

Read-only; any thread (the UI: the read lane).  The create calls check again in their own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import NoticeStatus, VisitMode, VisitStatus
from app.models import Notice, SocialOrg, Visit
from app.services.compliance.dto import FindingRow
from app.services.core import clock
from app.services.notices import wording
from app.services.notices.dto import NoticeItem
from app.services.notices.subjects import free_items, item_dtos

__all__ = ["CANDIDATE_LIMIT", "VisitChoice", "free_items_of", "planned_visits", "reminder_findings"]

CANDIDATE_LIMIT = 500


@dataclass(frozen=True)
class VisitChoice:
    """A planned visit that may be announced by a 走访通知."""

    id: str
    org_id: str
    org_name: str
    visited_on: date
    started_at: datetime | None
    mode: VisitMode


def free_items_of(factory: sessionmaker[Session], org_id: str) -> tuple[NoticeItem, ...]:
    """The organization's items not on a live notice that may go on a new 整改通知书, oldest first."""
    with factory() as session:
        return item_dtos(session, free_items(session, org_id))


def planned_visits(factory: sessionmaker[Session], *, today: date | None = None) -> tuple[VisitChoice, ...]:
    """Planned visits from ``today`` on, announced (不打招呼 ones excluded) and without a live 走访通知,
    soonest first."""
    today = today or clock.today()
    live = select(Notice.id).where(Notice.deleted_at.is_(None), Notice.status != NoticeStatus.VOID)
    query = (select(Visit, SocialOrg.name).join(SocialOrg, SocialOrg.id == Visit.org_id)
             .where(Visit.deleted_at.is_(None), Visit.status == VisitStatus.PLANNED, Visit.surprise.is_(False),
                    Visit.visited_on >= today, or_(Visit.notice_id.is_(None), Visit.notice_id.not_in(live)))
             .order_by(Visit.visited_on, SocialOrg.name).limit(CANDIDATE_LIMIT))
    with factory() as session:
        return tuple(VisitChoice(visit.id, visit.org_id, name, visit.visited_on, visit.started_at, visit.mode)
                     for visit, name in session.execute(query))


def reminder_findings(factory: sessionmaker[Session]) -> tuple[FindingRow, ...]:
    """Standing findings a 提醒函 may be about (换届 due or overdue, 三会一课 missing), not waived, worst
    first; the create call refuses one that already has a live letter."""
    from app.services.compliance import findings

    with factory() as session:
        return tuple(findings(session, rules=wording.REMINDER_RULES)[:CANDIDATE_LIMIT])
