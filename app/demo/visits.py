"""Demo 走访 (done and planned, with checklist answers on the version of their day) and 整改 items with their
follow-ups.

Done visits spread over the history window (on-site mostly, some 不打招呼, civil start and end times, people
met, suggestions, matters for coordination); each on-site visit is answered on the checklist version in
force that day (``resources/checklists``: the older visits on 2024.1, this year's on 2026.1), every answer
keeping its item's text.  Some organizations have a PLANNED visit in the coming weeks.  A 整改 item goes as
far along the DESIGN §2.1 chain as its age makes likely; its follow-ups record every step with the right
kind, civil day and actor — some with a 延期 (new deadline and reason), some after a failed re-check, some
stuck open past their deadline (overdue).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from app.demo import texts as T
from app.demo import visit_texts as V
from app.demo.base import DemoContext, add_months
from app.domain.checklists import Checklist, newest
from app.domain.enums import ChecklistAnswerValue, RectificationSource, RectificationStatus, VisitMode, VisitStatus
from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.rectification_flow import OPEN_STATUSES, apply_follow_up
from app.models import ChecklistAnswer, Finding, Rectification, RectificationFollowUp, Visit, new_id
from app.services.core import clock
from app.services.visits.checklists import all_checklists

CHAIN = (Kind.ISSUE, Kind.ACKNOWLEDGE, Kind.START, Kind.REPORT, Kind.REVIEW_PASS, Kind.CLOSE)
CHAIN_WITH_RETRY = (Kind.ISSUE, Kind.ACKNOWLEDGE, Kind.START, Kind.REPORT, Kind.REVIEW_FAIL, Kind.START,
                    Kind.REPORT, Kind.REVIEW_PASS, Kind.CLOSE)
INSTRUCTOR_KINDS = frozenset({Kind.ISSUE, Kind.REVIEW_PASS, Kind.REVIEW_FAIL, Kind.CLOSE, Kind.EXTEND, Kind.NOTE})
SETTLE_DAYS = 150  # by this age most items are closed
STUCK_FOR_YEARS_DAYS = 365  # past a year almost every item is closed
MODE_WEIGHTS = ((VisitMode.ON_SITE, 80), (VisitMode.PHONE, 12), (VisitMode.ONLINE, 8))
NO_RATE = 0.015  # share of checklist items answered 否
SURPRISE_RATE = 0.2
PLANNED_RATE = 0.45  # organizations with a visit planned in the coming weeks
EXTEND_RATE = 0.2


class AssignedOrg(NamedTuple):
    org_id: str
    founded_on: date
    instructor_id: str
    since: date
    covered: bool  # has a party organization


def _checklist_on(day: date) -> Checklist:
    shipped = all_checklists()
    return newest(shipped, on=day) or shipped[0]


def emit_visits(ctx: DemoContext, org: AssignedOrg, diligence: float) -> None:
    """An instructor's visits to one organization over the history window (about ``diligence`` months in
    every month visited), and perhaps one planned in the coming weeks."""
    rng = ctx.rng
    modes, weights = [m for m, _ in MODE_WEIGHTS], [w for _, w in MODE_WEIGHTS]
    for month in ctx.months():
        if rng.random() > diligence:
            continue
        first = max(month, org.since, org.founded_on)
        # done by yesterday, as the meetings are: a visit "done" at 15:30 today would be in the future at 04:00
        last = min(add_months(month, 1) - timedelta(days=1), ctx.today - timedelta(days=1))
        if first <= last:
            _done_visit(ctx, org, ctx.date_between(first, last), rng.choices(modes, weights=weights)[0])
    if ctx.years and rng.random() < PLANNED_RATE:
        _planned_visit(ctx, org, ctx.today + timedelta(days=rng.randint(1, 35)))


def _times(ctx: DemoContext, day: date) -> tuple[datetime, datetime]:
    start = ctx.at(day, 9, 10, 14, 15)
    return start, start + timedelta(minutes=ctx.rng.choice((45, 60, 90, 120)))


def _done_visit(ctx: DemoContext, org: AssignedOrg, day: date, mode: VisitMode) -> None:
    rng = ctx.rng
    visit_id, on_site = new_id(), mode is VisitMode.ON_SITE
    checklist = _checklist_on(day) if on_site else None
    start, end = _times(ctx, day)
    ctx.writer.add(Visit, {
        "id": visit_id, "org_id": org.org_id, "instructor_id": org.instructor_id, "status": VisitStatus.DONE,
        "surprise": on_site and rng.random() < SURPRISE_RATE, "visited_on": day, "started_at": start,
        "ended_at": end, "mode": mode, "checklist_version": checklist.version if checklist else "",
        "met_with": f"{rng.choice(T.MET_WITH_TITLES)} {ctx.person()[0]}", "summary": rng.choice(T.VISIT_SUMMARIES),
        "suggestions": rng.choice(V.SUGGESTIONS), "coordination": rng.choice(V.COORDINATION),
    })
    if checklist is not None:
        _checklist(ctx, org, visit_id, day, checklist)


def _planned_visit(ctx: DemoContext, org: AssignedOrg, day: date) -> None:
    start, end = _times(ctx, day)
    ctx.writer.add(Visit, {
        "id": new_id(), "org_id": org.org_id, "instructor_id": org.instructor_id, "status": VisitStatus.PLANNED,
        "surprise": ctx.rng.random() < SURPRISE_RATE, "visited_on": day, "started_at": start, "ended_at": end,
        "mode": VisitMode.ON_SITE, "summary": ctx.rng.choice(V.PLAN_PURPOSES),
    })


def _checklist(ctx: DemoContext, org: AssignedOrg, visit_id: str, day: date, checklist: Checklist) -> None:
    rng = ctx.rng
    for position, item in enumerate(checklist.items):
        if item.party_only and not org.covered:
            answer = ChecklistAnswerValue.NOT_APPLICABLE
        else:
            answer = ChecklistAnswerValue.NO if rng.random() < NO_RATE else ChecklistAnswerValue.YES
        pool = T.FINDINGS.get(item.code) or V.NEW_FINDINGS.get(item.code, ())
        finding_text = rng.choice(pool) if answer is ChecklistAnswerValue.NO and pool else ""
        ctx.writer.add(ChecklistAnswer, {
            "id": new_id(), "org_id": org.org_id, "visit_id": visit_id, "item_code": item.code,
            "item_text": item.text, "position": position, "answer": answer, "note": finding_text,
        })
        if finding_text:
            finding_id = new_id()
            ctx.writer.add(Finding, {"id": finding_id, "org_id": org.org_id, "visit_id": visit_id,
                                     "description": finding_text, "item_code": item.code})
            if rng.random() < 0.6:
                emit_rectification(ctx, org.org_id, RectificationSource.VISIT, day, finding_text,
                                   visit_id=visit_id, finding_id=finding_id,
                                   basis=f"走访检查表（{checklist.version}版）：{item.text}",
                                   source_detail=f"{chinese_date(day)}实地走访")


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def emit_rectification(ctx: DemoContext, org_id: str, source: RectificationSource, raised_on: date, title: str,
                       *, visit_id: str | None = None, finding_id: str | None = None, basis: str = "",
                       source_detail: str = "") -> None:
    """One 整改 item, advanced along the status chain as far as its age makes likely, with its follow-ups."""
    rng = ctx.rng
    deadline = raised_on + timedelta(days=rng.choice((15, 30, 30, 60)))
    rect_id = new_id()
    steps = _steps(ctx, raised_on)
    extension = _extension(ctx, deadline, steps)
    status, follow_ups = _follow_ups(ctx, raised_on, steps, extension)
    ctx.writer.add(Rectification, {
        "id": rect_id, "org_id": org_id, "source": source, "visit_id": visit_id, "finding_id": finding_id,
        "source_detail": source_detail or V.SOURCE_DETAIL.get(source, "").format(year=raised_on.year - 1),
        "title": title, "description": f"{chinese_date(raised_on)}发现：{title}。",
        "basis": basis or V.BASIS[source], "requirement": T.REQUIREMENT.format(deadline=chinese_date(deadline)),
        "responsible_person": f"{rng.choice(T.MET_WITH_TITLES)} {ctx.person()[0]}", "raised_on": raised_on,
        "deadline": deadline, "status": status,
    })
    instructor, contact = f"指导员 {ctx.person()[0]}", f"{rng.choice(T.MET_WITH_TITLES)} {ctx.person()[0]}"
    for row in follow_ups:
        row.update(id=new_id(), org_id=org_id, rectification_id=rect_id,
                   actor=instructor if row["kind"] in INSTRUCTOR_KINDS else contact)
        ctx.writer.add(RectificationFollowUp, row)


def _steps(ctx: DemoContext, raised_on: date) -> tuple[Kind, ...]:
    """The follow-up kinds the item has gone through by today (none: still a 草稿)."""
    rng = ctx.rng
    chain = CHAIN_WITH_RETRY if rng.random() < 0.15 else CHAIN
    age = (ctx.today - raised_on).days
    if age >= SETTLE_DAYS:
        # some stay stuck, fewer the older they are: an instructor chases an item for months, rarely for years
        stuck = 0.15 if age < STUCK_FOR_YEARS_DAYS else 0.02
        reached = len(chain) if rng.random() >= stuck else rng.randint(1, len(chain) - 1)
    else:
        reached = round(len(chain) * age / SETTLE_DAYS * rng.uniform(0.6, 1.3))
    return chain[: max(0, min(len(chain), reached))]


def _extension(ctx: DemoContext, deadline: date, steps: tuple[Kind, ...]) -> tuple[int, date] | None:
    """(after which step, new deadline) of a 延期 granted while the item was open, if any."""
    if len(steps) < 2 or ctx.rng.random() > EXTEND_RATE:
        return None
    return ctx.rng.randint(1, min(len(steps) - 1, 3)), deadline + timedelta(days=ctx.rng.choice((15, 30, 45)))


def _follow_ups(ctx: DemoContext, raised_on: date, steps: tuple[Kind, ...],
                extension: tuple[int, date] | None) -> tuple[RectificationStatus, list[dict[str, object]]]:
    """The status reached and the follow-up rows (without ids and actor), spread between the day the item
    was raised and today, each applied to the status by the flow's own rule."""
    kinds: list[Kind] = list(steps)
    if extension is not None:
        kinds.insert(extension[0], Kind.EXTEND)
    days = sorted(ctx.date_between(raised_on + timedelta(days=1), min(ctx.today, raised_on + timedelta(
        days=SETTLE_DAYS))) for _ in kinds)
    status, rows = RectificationStatus.DRAFT, []
    for n, (kind, day) in enumerate(zip(kinds, days, strict=True)):
        if kind is Kind.EXTEND and status not in OPEN_STATUSES:
            continue
        after = apply_follow_up(status, kind)
        notes = V.FOLLOW_UP_NOTES.get(kind)
        note = ctx.rng.choice(V.EXTENSION_REASONS) if kind is Kind.EXTEND else (
            (notes[1] if kind is Kind.START and status is RectificationStatus.REVIEW_FAILED and len(notes) > 1
             else ctx.rng.choice(notes)) if notes else "")
        at = datetime.combine(day, time(9)) + timedelta(minutes=7 * n)  # entered in the order they happened
        rows.append({"kind": kind, "at": clock.from_civil(at),
                     "on_date": day, "from_status": status, "to_status": after, "note": note,
                     "new_deadline": extension[1] if kind is Kind.EXTEND and extension else None})
        status = after
    return status, rows
