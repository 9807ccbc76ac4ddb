"""本月走访计划: who of my organizations is due a visit under the policy pack's rule, who was visited,
who is overdue, and the visits planned (DESIGN §2.1: default ≥ 1 on-site visit per organization per month).

Only 实地走访 that were done count toward the rule; phone and online visits are logged (``other_modes``)
but do not count.  "My organizations" are those the user was assigned to at any time in the rule's period.
Read-only; any thread.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import VisitMode, VisitStatus
from app.domain.periods import Period, month_of, period_of
from app.domain.policy import Policy
from app.models import Assignment, Instructor, SocialOrg, Visit
from app.services.core import clock, identity
from app.services.meetings import load_policy
from app.services.visits.dto import MonthPlan, OrgChoice, PlanRow, PlanState

__all__ = ["month_plan", "my_orgs", "plan_state"]


def plan_state(period: Period, *, required: int, on_site: int, today: date) -> str:
    """VISITED once the on-site visits reach ``required``; else UPCOMING before the period, DUE while it
    runs (its last day included) and OVERDUE from the day after it ends."""
    if on_site >= required:
        return PlanState.VISITED
    if today < period.first:
        return PlanState.UPCOMING
    return PlanState.DUE if today <= period.last else PlanState.OVERDUE


def _mine(session: Session, user: str, first: date, last: date) -> dict[str, str]:
    """org id → name of the live organizations the user was assigned to on some day of [first, last]."""
    rows = session.execute(
        select(SocialOrg.id, SocialOrg.name).join(Assignment, Assignment.org_id == SocialOrg.id)
        .join(Instructor, Instructor.id == Assignment.instructor_id)
        .where(Instructor.username == user, Instructor.deleted_at.is_(None), Assignment.deleted_at.is_(None),
               SocialOrg.deleted_at.is_(None), Assignment.since <= last,
               Assignment.until.is_(None) | (Assignment.until >= first))
        .order_by(SocialOrg.name_pinyin, SocialOrg.name))
    return {org_id: name for org_id, name in rows}


def my_orgs(factory: sessionmaker[Session], *, today: date | None = None) -> tuple[OrgChoice, ...]:
    """The organizations the user is responsible for today (the visit form's choices), by name."""
    day = today or clock.today()
    with factory() as session:
        mine = _mine(session, identity.current_user(), day, day)
        covered = set(session.execute(select(SocialOrg.id).where(
            SocialOrg.id.in_(list(mine)), SocialOrg.derived_coverage == "ORGANIZATION")).scalars())
        return tuple(OrgChoice(org_id, name, org_id in covered) for org_id, name in mine.items())


def month_plan(factory: sessionmaker[Session], *, policy: Policy | None = None, month: date | None = None,
               today: date | None = None) -> MonthPlan:
    """The plan of the month holding ``month`` (default: this month) for my organizations: each one's
    state against the rule over the rule's period (a month, quarter or year holding that month), the
    on-site visits done, phone / online visits logged, and the visits planned in the month.  ``policy``:
    the pack in use (default: the national pack, ``meetings.load_policy``)."""
    policy = policy or load_policy()
    today = today or clock.today()
    shown = month_of(month or today)
    period = period_of(shown.first, policy.visit_period)
    required = policy.on_site_visits_per_org
    with factory() as session:
        mine = _mine(session, identity.current_user(), period.first, period.last)
        ids = list(mine)
        done = _done_counts(session, ids, period)
        planned: dict[str, list[tuple[date, str]]] = defaultdict(list)
        for org_id, day, visit_id in session.execute(select(Visit.org_id, Visit.visited_on, Visit.id).where(
                Visit.org_id.in_(ids), Visit.deleted_at.is_(None), Visit.status == VisitStatus.PLANNED,
                Visit.visited_on >= shown.first, Visit.visited_on <= shown.last).order_by(Visit.visited_on, Visit.id)):
            planned[org_id].append((day, visit_id))
        last = dict(session.execute(select(Visit.org_id, func.max(Visit.visited_on)).where(
            Visit.org_id.in_(ids), Visit.deleted_at.is_(None), Visit.status == VisitStatus.DONE,
            Visit.mode == VisitMode.ON_SITE, Visit.visited_on <= period.last).group_by(Visit.org_id)).all())
    rows = []
    for org_id, name in mine.items():
        on_site, other = done.get(org_id, (0, 0))
        state = plan_state(period, required=required, on_site=on_site, today=today)
        plans = planned.get(org_id, [])
        rows.append(PlanRow(org_id, name, state, required, on_site, other, tuple(day for day, _ in plans),
                            last.get(org_id), tuple(visit_id for _, visit_id in plans)))
    order = {PlanState.OVERDUE: 0, PlanState.DUE: 1, PlanState.UPCOMING: 2, PlanState.VISITED: 3}
    rows.sort(key=lambda row: (order[row.state], row.planned[0] if row.planned else date.max))
    return MonthPlan(shown, period, required, tuple(rows))


def _done_counts(session: Session, org_ids: list[str], period: Period) -> dict[str, tuple[int, int]]:
    """org id → (on-site visits done, phone / online visits done) in ``period``."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for org_id, mode, n in session.execute(select(Visit.org_id, Visit.mode, func.count()).where(
            Visit.org_id.in_(org_ids), Visit.deleted_at.is_(None), Visit.status == VisitStatus.DONE,
            Visit.visited_on >= period.first, Visit.visited_on <= period.last).group_by(Visit.org_id, Visit.mode)):
        counts[org_id][0 if mode is VisitMode.ON_SITE else 1] += int(n)
    return {org_id: (c[0], c[1]) for org_id, c in counts.items()}
