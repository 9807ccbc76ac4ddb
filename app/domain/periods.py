"""Reporting periods (month, quarter, year) of civil dates (DESIGN §3 Time).

A period is always taken from a *civil* date or time, the district's calendar: a meeting held at 20:00
on 31 March belongs to March, one held at 00:30 on 1 April (16:30 UTC on 31 March) to April.  An aware
value (an instant) is refused: convert it with ``app.services.core.clock.to_civil`` first.  Nothing here
reads the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

__all__ = ["Period", "PeriodKind", "counted_periods", "month_of", "period_of", "quarter_of", "shift_months",
           "year_of"]


class PeriodKind(StrEnum):
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"


_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}


@dataclass(frozen=True, order=True)
class Period:
    """A month, quarter or year of the civil calendar: ``first`` and ``last`` day, both included."""

    first: date
    kind: PeriodKind

    @property
    def last(self) -> date:
        return _add_months(self.first, _MONTHS[self.kind]) - timedelta(days=1)

    def __contains__(self, day: date | datetime) -> bool:
        return self.first <= _civil_day(day) <= self.last

    def window_last(self, grace_months: int = 0) -> date:
        """The last day a meeting of this period may be held: ``grace_months`` after the period ends
        (the 组织生活会 of 2026 with 3: 31 March 2027)."""
        return _add_months(self.first, _MONTHS[self.kind] + grace_months) - timedelta(days=1)

    def previous(self) -> Period:
        return Period(_add_months(self.first, -_MONTHS[self.kind]), self.kind)

    def label(self) -> str:
        """The period as the UI names it: 2026年3月, 2026年第1季度, 2026年."""
        year = self.first.year
        if self.kind is PeriodKind.MONTH:
            return f"{year}年{self.first.month}月"
        if self.kind is PeriodKind.QUARTER:
            return f"{year}年第{(self.first.month - 1) // 3 + 1}季度"
        return f"{year}年"


def period_of(civil: date | datetime, kind: PeriodKind) -> Period:
    """The period of ``kind`` holding the civil date or naive local time ``civil``."""
    day = _civil_day(civil)
    size = _MONTHS[kind]
    return Period(date(day.year, (day.month - 1) // size * size + 1, 1), kind)


def counted_periods(civil: date | datetime, kind: PeriodKind, *, grace_months: int = 0) -> tuple[Period, ...]:
    """The periods a meeting held at ``civil`` may count for, latest first: its own period, and earlier
    ones whose window (``grace_months`` after their end) still holds it — a 组织生活会 on 15 March 2027
    may be 2026's (held within the window to 31 March) or 2027's."""
    day = _civil_day(civil)
    periods = [period_of(day, kind)]
    while day <= periods[-1].previous().window_last(grace_months):
        periods.append(periods[-1].previous())
    return tuple(periods)


def shift_months(day: date, months: int) -> date:
    """``day`` moved by whole months, kept within the month (29 February 2024 + 12 months: 28 February)."""
    first = _add_months(date(day.year, day.month, 1), months)
    last = _add_months(first, 1) - timedelta(days=1)
    return first.replace(day=min(day.day, last.day))


def month_of(civil: date | datetime) -> Period:
    return period_of(civil, PeriodKind.MONTH)


def quarter_of(civil: date | datetime) -> Period:
    return period_of(civil, PeriodKind.QUARTER)


def year_of(civil: date | datetime) -> Period:
    return period_of(civil, PeriodKind.YEAR)


def _civil_day(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError(f"周期按本地日期计算：请先把时间点 {value.isoformat()} 换算为本地时间")
        return value.date()
    return value


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
