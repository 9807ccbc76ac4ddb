"""Worked examples of the pure compliance rules: meetings owed per period (DUE vs VIOLATION, grace to
31 March, one meeting counts once, periods before the branch), record completeness, organization standing."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.compliance import Level
from app.domain.enums import CreditListKind, EvaluationGrade, InspectionResult, MeetingKind
from app.domain.obligations import owed_periods, shortfall_message, shortfalls
from app.domain.org_standing import credit_standing, evaluation_standing, inspection_standing
from app.domain.periods import PeriodKind, quarter_of, year_of
from app.domain.policy import NATIONAL, MeetingRule
from app.domain.record_completeness import RecordFacts, missing_items

QUARTERLY = MeetingRule(PeriodKind.QUARTER)
LIFE = NATIONAL.meeting_rule(MeetingKind.LIFE_MEETING)


def test_the_running_quarter_is_due_and_a_past_one_a_violation() -> None:
    today = date(2026, 8, 15)
    periods = owed_periods(PeriodKind.QUARTER, since=date(2026, 1, 1), today=today, established=None)
    assert [p.label() for p in periods] == ["2026年第1季度", "2026年第2季度", "2026年第3季度"]
    found = shortfalls(QUARTERLY, periods, {date(2026, 2, 1): 1}, today=today)
    assert [(s.period.label(), s.level, s.due_on) for s in found] == [
        ("2026年第2季度", Level.VIOLATION, date(2026, 6, 30)), ("2026年第3季度", Level.DUE, date(2026, 9, 30))]
    assert shortfall_message(MeetingKind.GENERAL_MEETING, found[1]) == (
        "2026年第3季度未召开支部党员大会（应至少1次），请在2026年9月30日前召开并录入记录")
    assert shortfall_message(MeetingKind.GENERAL_MEETING, found[0]).startswith(
        "2026年第2季度未召开支部党员大会（应至少1次），期限（2026年6月30日）已过")


def test_on_the_last_day_of_a_period_it_is_still_due() -> None:
    [short] = shortfalls(QUARTERLY, [quarter_of(date(2026, 9, 1))], {}, today=date(2026, 9, 30))
    assert short.level is Level.DUE
    [short] = shortfalls(QUARTERLY, [quarter_of(date(2026, 9, 1))], {}, today=date(2026, 10, 1))
    assert short.level is Level.VIOLATION


def test_fewer_than_owed_says_how_many() -> None:
    rule = MeetingRule(PeriodKind.QUARTER, at_least=2)
    [short] = shortfalls(rule, [quarter_of(date(2026, 4, 1))], {date(2026, 5, 1): 1}, today=date(2026, 12, 1))
    assert (short.held, short.needed) == (1, 2)
    assert shortfall_message(MeetingKind.PARTY_LECTURE, short).startswith(
        "2026年第2季度召开党课 1 次，少于应召开的 2 次")


def test_periods_before_the_branch_are_not_owed_the_one_it_was_formed_in_is() -> None:
    periods = owed_periods(PeriodKind.QUARTER, since=date(2026, 1, 1), today=date(2026, 12, 1),
                           established=date(2026, 5, 20))
    assert [p.label() for p in periods] == ["2026年第2季度", "2026年第3季度", "2026年第4季度"]


def test_a_life_meeting_held_by_31_march_counts_for_the_year_before() -> None:
    years = [year_of(date(2025, 1, 1)), year_of(date(2026, 1, 1))]
    held = {date(2026, 3, 1): 1}  # March 2026: within 2025's window
    found = shortfalls(LIFE, years, held, today=date(2026, 6, 1))
    assert [(s.period.label(), s.level) for s in found] == [("2026年", Level.DUE)]  # 2025 met; 2026 still due
    assert found[0].due_on == date(2027, 3, 31)


def test_a_life_meeting_on_1_april_is_too_late_for_the_year_before() -> None:
    years = [year_of(date(2025, 1, 1)), year_of(date(2026, 1, 1))]
    found = shortfalls(LIFE, years, {date(2026, 4, 1): 1}, today=date(2026, 6, 1))
    assert [(s.period.label(), s.level) for s in found] == [("2025年", Level.VIOLATION)]


def test_the_year_before_stays_due_until_31_march() -> None:
    found = shortfalls(LIFE, [year_of(date(2025, 1, 1))], {}, today=date(2026, 3, 31))
    assert [s.level for s in found] == [Level.DUE]
    assert [s.level for s in shortfalls(LIFE, [year_of(date(2025, 1, 1))], {}, today=date(2026, 4, 1))] == [
        Level.VIOLATION]


def test_one_meeting_never_counts_for_two_years() -> None:
    years = [year_of(date(2025, 1, 1)), year_of(date(2026, 1, 1))]
    found = shortfalls(LIFE, years, {date(2026, 2, 1): 1}, today=date(2027, 6, 1))
    assert [s.period.label() for s in found] == ["2026年"]  # the February meeting made up 2025


@pytest.mark.parametrize(("facts", "missing"), [
    (RecordFacts(MeetingKind.THEME_DAY, location="会议室", host="甲", recorder="乙", topic="学习",
                 attendance_rows=3), ()),
    (RecordFacts(MeetingKind.THEME_DAY), ("地点", "主持人", "记录人", "出席情况（应到/实到）", "议题")),
    (RecordFacts(MeetingKind.GENERAL_MEETING, location="会议室", host="甲", recorder="乙", agenda_items=1,
                 attendance_rows=5, reasons_missing=2), ("请假或缺席原因（2 人未填）", "决议")),
    (RecordFacts(MeetingKind.PARTY_LECTURE, location="会议室", host="甲", recorder="乙", topic="党史",
                 attendance_rows=5), ("讲课人",)),
    (RecordFacts(MeetingKind.GROUP_MEETING, location="会议室", host="甲", recorder="乙", topic="学习",
                 attendance_rows=5), ("党小组",)),
    (RecordFacts(MeetingKind.COMMITTEE_MEETING, has_time=False, location=" ", host="甲", recorder="乙", topic="x",
                 attendance_rows=3, decisions="同意"), ("会议时间", "地点")),
])
def test_what_a_record_lacks(facts: RecordFacts, missing: tuple[str, ...]) -> None:
    assert missing_items(facts) == missing


def test_inspection_of_last_year_is_due_until_the_end_of_june_then_a_violation() -> None:
    earlier = {2024: InspectionResult.PASSED}
    due = inspection_standing(earlier, founded_on=date(2010, 1, 1), today=date(2026, 6, 30))
    assert due is not None and due.level is Level.DUE and due.year == 2025 and due.due_on == date(2026, 6, 30)
    late = inspection_standing(earlier, founded_on=date(2010, 1, 1), today=date(2026, 7, 1))
    assert late is not None and late.level is Level.VIOLATION and "2025年度未录入年检结论" in late.message
    failed = inspection_standing({2024: InspectionResult.FAILED}, founded_on=None, today=date(2026, 3, 1))
    assert failed is not None and failed.level is Level.VIOLATION and "2024年度年检不合格" in failed.message
    fine = {2024: InspectionResult.PASSED, 2025: InspectionResult.BASICALLY_PASSED}
    assert inspection_standing(fine, founded_on=None, today=date(2026, 3, 1)) is None
    assert inspection_standing({}, founded_on=date(2026, 1, 5), today=date(2026, 8, 1)) is None  # too new
    older = inspection_standing({}, founded_on=date(2010, 1, 1), today=date(2026, 6, 30))
    assert older is not None and older.year == 2024 and older.level is Level.VIOLATION  # still missing


def test_evaluation_warns_six_months_before_it_lapses_and_after() -> None:
    evaluated = date(2021, 9, 1)  # valid 5 years: to 1 September 2026
    assert evaluation_standing(EvaluationGrade.A4, evaluated, today=date(2026, 2, 28)) is None
    soon = evaluation_standing(EvaluationGrade.A4, evaluated, today=date(2026, 3, 1))
    assert soon is not None and soon.level is Level.WARNING and "将于2026年9月1日到期" in soon.message
    lapsed = evaluation_standing(EvaluationGrade.A4, evaluated, today=date(2026, 9, 1))
    assert lapsed is not None and "已于2026年9月1日到期" in lapsed.message


def test_a_serious_listing_is_a_violation_an_abnormal_one_a_warning() -> None:
    assert credit_standing(CreditListKind.SERIOUS, date(2026, 1, 2), "虚假材料").level is Level.VIOLATION
    abnormal = credit_standing(CreditListKind.ABNORMAL, date(2026, 1, 2), "")
    assert abnormal.level is Level.WARNING and "列入异常名录" in abnormal.message
