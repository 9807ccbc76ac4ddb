"""Periods are taken from civil dates (DESIGN §3 Time): the district's calendar decides the month."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.domain.enums import MeetingKind
from app.domain.periods import (
    Period,
    PeriodKind,
    counted_periods,
    month_of,
    period_of,
    quarter_of,
    shift_months,
    year_of,
)
from app.domain.policy import Policy
from app.services.core import clock


def test_a_meeting_at_8pm_on_31_march_is_in_march() -> None:
    held = datetime(2026, 3, 31, 20, 0)  # a civil time: naive local time
    assert month_of(held) == Period(date(2026, 3, 1), PeriodKind.MONTH)
    assert held in month_of(date(2026, 3, 1)) and held not in month_of(date(2026, 4, 1))
    assert quarter_of(held).label() == "2026年第1季度"


def test_the_instant_of_that_meeting_gives_march_once_made_civil() -> None:
    """The repro: 20:00 in Beijing is 12:00 UTC; taking the month of the civil time gives March."""
    instant = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert month_of(clock.to_civil(instant)).label() == "2026年3月"
    assert month_of(clock.to_civil(datetime(2026, 3, 31, 16, 30, tzinfo=UTC))).label() == "2026年4月"


def test_an_instant_is_refused_until_made_civil() -> None:
    with pytest.raises(ValueError, match="换算为本地时间"):
        month_of(datetime(2026, 3, 31, 12, 0, tzinfo=UTC))


@pytest.mark.parametrize(("day", "kind", "first", "last", "label"), [
    (date(2026, 2, 14), PeriodKind.MONTH, date(2026, 2, 1), date(2026, 2, 28), "2026年2月"),
    (date(2024, 2, 14), PeriodKind.MONTH, date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
    (date(2026, 12, 31), PeriodKind.MONTH, date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
    (date(2026, 3, 31), PeriodKind.QUARTER, date(2026, 1, 1), date(2026, 3, 31), "2026年第1季度"),
    (date(2026, 4, 1), PeriodKind.QUARTER, date(2026, 4, 1), date(2026, 6, 30), "2026年第2季度"),
    (date(2026, 11, 5), PeriodKind.QUARTER, date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度"),
    (date(2026, 7, 9), PeriodKind.YEAR, date(2026, 1, 1), date(2026, 12, 31), "2026年"),
])
def test_periods_of_civil_dates(day: date, kind: PeriodKind, first: date, last: date, label: str) -> None:
    period = period_of(day, kind)
    assert (period.first, period.last, period.label()) == (first, last, label)
    assert day in period and first in period and last in period


def test_year_of_and_ordering() -> None:
    assert year_of(date(2026, 1, 1)) < year_of(date(2027, 1, 1))
    assert month_of(date(2026, 1, 31)) < month_of(date(2026, 2, 1))


@pytest.mark.parametrize(("held", "quarter"), [
    (datetime(2026, 3, 31, 20, 0), "2026年第1季度"),
    (datetime(2026, 6, 30, 20, 0), "2026年第2季度"),
    (datetime(2026, 9, 30, 20, 0), "2026年第3季度"),
    (datetime(2026, 12, 31, 20, 0), "2026年第4季度"),
    (datetime(2026, 7, 1, 0, 0), "2026年第3季度"),
])
def test_a_meeting_at_8pm_on_the_last_day_of_a_quarter_counts_for_that_quarter(held: datetime, quarter: str) -> None:
    assert period_of(held, PeriodKind.QUARTER).label() == quarter
    assert counted_periods(held, PeriodKind.QUARTER) == (quarter_of(held),)


def test_a_life_meeting_may_be_held_until_31_march_of_the_next_year() -> None:
    grace = Policy.national().meeting_rule(MeetingKind.LIFE_MEETING).grace_months
    assert year_of(date(2026, 6, 1)).window_last(grace) == date(2027, 3, 31)
    late = counted_periods(datetime(2027, 3, 31, 20, 0), PeriodKind.YEAR, grace_months=grace)
    assert [period.label() for period in late] == ["2027年", "2026年"]
    assert counted_periods(datetime(2027, 4, 1, 0, 30), PeriodKind.YEAR, grace_months=grace) == (
        year_of(date(2027, 4, 1)),)
    assert counted_periods(date(2026, 12, 31), PeriodKind.YEAR, grace_months=grace) == (year_of(date(2026, 1, 1)),)
    assert counted_periods(date(2027, 1, 1), PeriodKind.YEAR) == (year_of(date(2027, 1, 1)),)


def test_previous_periods() -> None:
    assert quarter_of(date(2026, 2, 1)).previous().label() == "2025年第4季度"
    assert month_of(date(2026, 1, 5)).previous().label() == "2025年12月"


@pytest.mark.parametrize(("day", "months", "moved"), [
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2026, 8, 31), -6, date(2026, 2, 28)),
    (date(2026, 9, 30), -6, date(2026, 3, 30)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
])
def test_shift_months_keeps_within_the_month(day: date, months: int, moved: date) -> None:
    assert shift_months(day, months) == moved
