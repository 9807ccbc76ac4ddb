"""Demo 走访 (with checklist answers and findings) and 整改 items with their follow-ups.

A rectification's status is where it would be by now along the DESIGN §2.1 chain, given its age; its
follow-ups record every step (append-only), some after a 复查未通过 round, and some stuck past the deadline.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from app.demo import texts as T
from app.demo.base import DemoContext, add_months
from app.domain.enums import ChecklistAnswerValue, RectificationSource, RectificationStatus, VisitMode
from app.models import ChecklistAnswer, Finding, Rectification, RectificationFollowUp, Visit, new_id
from app.services.core import clock

S = RectificationStatus
CHAIN = (S.DRAFT, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REPORTED, S.REVIEW_PASSED, S.CLOSED)
CHAIN_WITH_RETRY = (S.DRAFT, S.ISSUED, S.ACKNOWLEDGED, S.IN_PROGRESS, S.REPORTED, S.REVIEW_FAILED,
                    S.IN_PROGRESS, S.REPORTED, S.REVIEW_PASSED, S.CLOSED)
SETTLE_DAYS = 150  # by this age most items are closed
MODE_WEIGHTS = ((VisitMode.ON_SITE, 80), (VisitMode.PHONE, 12), (VisitMode.ONLINE, 8))
PARTY_ITEMS = frozenset({"C02", "C04"})  # not applicable where there is no party organization
NO_RATE = 0.015  # share of checklist items answered 否


class AssignedOrg(NamedTuple):
    org_id: str
    founded_on: date
    instructor_id: str
    since: date
    covered: bool  # has a party organization


def emit_visits(ctx: DemoContext, org: AssignedOrg, diligence: float) -> None:
    """An instructor's visits to one organization over the history window (about ``diligence`` months in
    every month visited)."""
    rng = ctx.rng
    modes, weights = [m for m, _ in MODE_WEIGHTS], [w for _, w in MODE_WEIGHTS]
    for month in ctx.months():
        if rng.random() > diligence:
            continue
        first = max(month, org.since, org.founded_on)
        last = min(add_months(month, 1) - timedelta(days=1), ctx.today)
        if first > last:
            continue
        day = ctx.date_between(first, last)
        mode = rng.choices(modes, weights=weights)[0]
        visit_id = new_id()
        ctx.writer.add(Visit, {
            "id": visit_id, "org_id": org.org_id, "instructor_id": org.instructor_id, "visited_on": day,
            "mode": mode, "checklist_version": T.CHECKLIST_VERSION if mode is VisitMode.ON_SITE else "",
            "met_with": f"{rng.choice(T.MET_WITH_TITLES)}{ctx.person()[0]}", "summary": rng.choice(T.VISIT_SUMMARIES),
        })
        if mode is VisitMode.ON_SITE:
            _checklist(ctx, org, visit_id, day)


def _checklist(ctx: DemoContext, org: AssignedOrg, visit_id: str, day: date) -> None:
    rng = ctx.rng
    for code, _label in T.CHECKLIST:
        if code in PARTY_ITEMS and not org.covered:
            answer = ChecklistAnswerValue.NOT_APPLICABLE
        else:
            answer = ChecklistAnswerValue.NO if rng.random() < NO_RATE else ChecklistAnswerValue.YES
        finding_text = rng.choice(T.FINDINGS[code]) if answer is ChecklistAnswerValue.NO else ""
        ctx.writer.add(ChecklistAnswer, {
            "id": new_id(), "org_id": org.org_id, "visit_id": visit_id, "item_code": code, "answer": answer,
            "note": finding_text,
        })
        if finding_text:
            finding_id = new_id()
            ctx.writer.add(Finding, {"id": finding_id, "org_id": org.org_id, "visit_id": visit_id,
                                     "description": finding_text, "item_code": code})
            if rng.random() < 0.6:
                emit_rectification(ctx, org.org_id, RectificationSource.VISIT, day, finding_text,
                                   visit_id=visit_id, finding_id=finding_id)


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def emit_rectification(ctx: DemoContext, org_id: str, source: RectificationSource, raised_on: date, title: str,
                       *, visit_id: str | None = None, finding_id: str | None = None) -> None:
    """One 整改 item, advanced along the status chain as far as its age makes likely."""
    rng = ctx.rng
    deadline = raised_on + timedelta(days=rng.choice((15, 30, 30, 60)))
    steps = _steps(ctx, raised_on)
    rect_id = new_id()
    ctx.writer.add(Rectification, {
        "id": rect_id, "org_id": org_id, "source": source, "visit_id": visit_id, "finding_id": finding_id,
        "title": title, "description": f"{chinese_date(raised_on)}发现：{title}。",
        "requirement": T.REQUIREMENT.format(deadline=chinese_date(deadline)), "raised_on": raised_on,
        "deadline": deadline, "status": steps[-1],
    })
    for previous, status, at in _timeline(ctx, raised_on, steps):
        ctx.writer.add(RectificationFollowUp, {
            "id": new_id(), "org_id": org_id, "rectification_id": rect_id, "at": clock.from_civil(at),
            "from_status": previous, "to_status": status, "note": T.STATUS_NOTES[status],  # at: an instant
        })


def _steps(ctx: DemoContext, raised_on: date) -> tuple[RectificationStatus, ...]:
    rng = ctx.rng
    chain = CHAIN_WITH_RETRY if rng.random() < 0.15 else CHAIN
    age = (ctx.today - raised_on).days
    if age >= SETTLE_DAYS:
        reached = len(chain) if rng.random() < 0.85 else rng.randint(3, len(chain) - 1)  # some stay stuck
    else:
        reached = round(len(chain) * age / SETTLE_DAYS * rng.uniform(0.6, 1.3))
    return chain[: max(1, min(len(chain), reached))]


def _timeline(ctx: DemoContext, raised_on: date, steps: tuple[RectificationStatus, ...]
              ) -> list[tuple[RectificationStatus | None, RectificationStatus, datetime]]:
    """(from, to, when) for each step, spread between the day it was raised and today."""
    start = datetime.combine(raised_on, time(9, 0))
    end = datetime.combine(min(ctx.today, raised_on + timedelta(days=SETTLE_DAYS)), time(17, 0))
    span = max((end - start).total_seconds(), 3600.0)
    moments = sorted(ctx.rng.uniform(0, span) for _ in steps[1:])
    times = [start, *(start + timedelta(seconds=s) for s in moments)]
    out: list[tuple[RectificationStatus | None, RectificationStatus, datetime]] = []
    previous: RectificationStatus | None = None
    for step, at in zip(steps, times, strict=True):
        out.append((previous, step, at))
        previous = step
    return out
