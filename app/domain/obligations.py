"""How many meetings of a kind a 党组织 owes per period, and which periods fall short (DESIGN §2, §2.1).

A kind is owed ``at_least`` times per period (month, quarter, year) of the policy pack, from the period
the 党组织 was established in up to the running one.  Only completed meetings count, each for the period
of its *civil* day (a meeting at 20:00 on 30 September belongs to the third quarter) — the caller counts
them per month.  With ``grace_months`` (the 组织生活会 of a year may be held until 31 March of the next
year) a meeting held in that window may count for the earlier period; one meeting never counts twice:
periods take, oldest first, the earliest meetings their window holds.

A period whose window has not closed yet is *due* (待办, not a fault); one whose window has closed
without enough meetings is a violation.  Pure: today is a parameter.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from app.domain.compliance import Level
from app.domain.enums import MeetingKind
from app.domain.periods import Period, PeriodKind, month_of, period_of
from app.domain.policy import MeetingRule

__all__ = ["Shortfall", "owed_periods", "shortfall_message", "shortfalls"]

# 开展 rather than 召开 for what is not a sitting meeting
_HELD_VERB = {MeetingKind.THEME_DAY: "开展", MeetingKind.DEMOCRATIC_REVIEW: "开展", MeetingKind.HEART_TO_HEART: "开展"}


@dataclass(frozen=True)
class Shortfall:
    """One period with fewer meetings than owed: ``held`` of ``needed``; ``due_on`` the last day of
    the period's window (its end plus the grace months)."""

    period: Period
    held: int
    needed: int
    level: Level
    due_on: date


def owed_periods(kind: PeriodKind, *, since: date, today: date, established: date | None) -> list[Period]:
    """The periods of ``kind`` from the one holding ``since`` to the running one, oldest first, leaving out
    those that ended before the 党组织 was ``established`` (the period it was established in is owed: a
    waiver says when it should not be)."""
    lasts, periods = _periods(kind, since, today)
    return list(periods[bisect_left(lasts, established):] if established is not None else periods)


@lru_cache(maxsize=64)
def _periods(kind: PeriodKind, since: date, today: date) -> tuple[tuple[date, ...], tuple[Period, ...]]:
    """Every period of ``kind`` from ``since``'s to today's, oldest first, and their last days."""
    periods: list[Period] = []
    period = period_of(today, kind)
    first = period_of(since, kind)
    while period >= first:
        periods.append(period)
        period = period.previous()
    periods.reverse()
    return tuple(p.last for p in periods), tuple(periods)


def shortfalls(rule: MeetingRule, periods: Sequence[Period], held_per_month: Mapping[date, int], *,
               today: date) -> list[Shortfall]:
    """The periods of ``periods`` (oldest first, all of ``rule.period``) short of ``rule.at_least``
    meetings.  ``held_per_month``: completed meetings per month (key: the month's first day)."""
    if rule.grace_months == 0:
        held: dict[date, int] = defaultdict(int)
        for month, n in held_per_month.items():
            held[_period_first(month, rule.period)] += n
        return [_shortfall(rule, period, held.get(period.first, 0), today)
                for period in periods if held.get(period.first, 0) < rule.at_least]
    available = dict(held_per_month)
    found = []
    for period in periods:
        taken = 0
        for month in _months(period.first, period.window_last(rule.grace_months)):
            use = min(available.get(month, 0), rule.at_least - taken)
            if use > 0:
                available[month] -= use
                taken += use
            if taken >= rule.at_least:
                break
        if taken < rule.at_least:
            found.append(_shortfall(rule, period, taken, today))
    return found


@lru_cache(maxsize=4096)
def _period_first(month: date, kind: PeriodKind) -> date:
    return period_of(month, kind).first


def _shortfall(rule: MeetingRule, period: Period, held: int, today: date) -> Shortfall:
    due = period.window_last(rule.grace_months)
    level = Level.DUE if today <= due else Level.VIOLATION
    return Shortfall(period, held, rule.at_least, level, due)


def _months(first: date, last: date) -> Iterable[date]:
    month = month_of(first)
    while month.first <= last:
        yield month.first
        month = Period(_next_month(month.first), PeriodKind.MONTH)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def shortfall_message(kind: MeetingKind, shortfall: Shortfall, *, subject: str = "") -> str:
    """What is missing and what to do, e.g. "2026年第3季度未召开支部党员大会（应至少1次），请督促补开并
    补录会议记录"."""
    verb = _HELD_VERB.get(kind, "召开")
    label = shortfall.period.label()
    who = f"{subject}：" if subject else ""
    if shortfall.held:
        what = f"{who}{label}{verb}{kind.label} {shortfall.held} 次，少于应{verb}的 {shortfall.needed} 次"
    else:
        what = f"{who}{label}未{verb}{kind.label}（应至少{shortfall.needed}次）"
    due = shortfall.due_on
    shown = f"{due.year}年{due.month}月{due.day}日"
    if shortfall.level is Level.DUE:
        return f"{what}，请在{shown}前{verb}并录入记录"
    remedy = "补开" if verb == "召开" else "补充开展"
    return f"{what}，期限（{shown}）已过，请督促{remedy}并如实录入记录"
