"""Standing findings about a 社会组织 (issue 7 item 4): 年检, 评估等级, credit listing, 党建入章, 工作覆盖.

Each rule takes the facts of one organization and today, and answers None (nothing to say) or a
:class:`Standing` with its level, the civil day it fell or falls due, and a Chinese message saying what
is wrong and what to do.  Thresholds come from the policy pack.  Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from app.domain.compliance import Level
from app.domain.enums import CreditListKind, EvaluationGrade, InspectionResult
from app.domain.periods import shift_months
from app.domain.policy import NATIONAL, Policy

__all__ = ["Standing", "charter_standing", "credit_standing", "evaluation_standing", "inspection_due",
           "inspection_standing",
           "no_instructor_standing"]


@dataclass(frozen=True)
class Standing:
    level: Level
    due_on: date | None
    message: str
    year: int | None = None  # the 年检 year a finding is about


def _day(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def inspection_due(year: int, *, policy: Policy = NATIONAL) -> date:
    """The last day the 年检 result of ``year`` is expected: the end of ``due_month`` of the next year."""
    return shift_months(date(year + 1, policy.inspection_due_month, 1), 1) - timedelta(days=1)


def inspection_standing(results: Mapping[int, InspectionResult], *, founded_on: date | None, today: date,
                        policy: Policy = NATIONAL) -> Standing | None:
    """年检 of the last year whose result is due by now: missing or 未参检 after the due day, or 不合格 —
    a violation; the previous year's result not yet in before its due day — due (待办).  An organization
    founded after a year's end owes no 年检 for that year."""
    year = today.year - 1
    if today > inspection_due(year, policy=policy):
        return _inspection_fault(year, results.get(year), founded_on, policy)
    fault = _inspection_fault(year - 1, results.get(year - 1), founded_on, policy)
    if fault is not None:
        return fault
    if year in results or (founded_on is not None and founded_on > date(year, 12, 31)):
        return None
    due = inspection_due(year, policy=policy)
    return Standing(Level.DUE, due, f"{year}年度年检结论尚未录入：请督促在{_day(due)}前参加年检并录入结论", year)


def _inspection_fault(year: int, result: InspectionResult | None, founded_on: date | None,
                      policy: Policy) -> Standing | None:
    if founded_on is not None and founded_on > date(year, 12, 31):
        return None
    due = inspection_due(year, policy=policy)
    if result is None:
        return Standing(Level.VIOLATION, due, f"{year}年度未录入年检结论（应于{_day(due)}前完成）：请核实是否参加年检，"
                                              "并录入结论", year)
    if result is InspectionResult.NOT_INSPECTED:
        return Standing(Level.VIOLATION, due, f"{year}年度未参加年检：请督促补检，并跟进整改", year)
    if result is InspectionResult.FAILED:
        return Standing(Level.VIOLATION, due, f"{year}年度年检不合格：请督促整改，并跟进复查结果", year)
    return None


def evaluation_standing(grade: EvaluationGrade | None, evaluated_on: date | None, *, today: date,
                        policy: Policy = NATIONAL) -> Standing | None:
    """评估等级: valid ``evaluation_valid_years``; a warning ``evaluation_warn_months`` before it lapses and
    once it has lapsed."""
    if grade is None or evaluated_on is None:
        return None
    expires = shift_months(evaluated_on, 12 * policy.evaluation_valid_years)
    if today >= expires:
        return Standing(Level.WARNING, expires, f"评估等级{grade.value}已于{_day(expires)}到期，不得再使用该等级："
                                                "请提醒申请重新评估")
    if today >= shift_months(expires, -policy.evaluation_warn_months):
        return Standing(Level.WARNING, expires, f"评估等级{grade.value}将于{_day(expires)}到期（还有 "
                                                f"{(expires - today).days} 天）：请提醒及早申请重新评估")
    return None


def credit_standing(kind: CreditListKind, listed_on: date, reason: str) -> Standing:
    """A current listing: 严重违法失信名单 a violation, 异常名录 a warning."""
    level = Level.VIOLATION if kind is CreditListKind.SERIOUS else Level.WARNING
    why = f"（{reason.strip()}）" if reason.strip() else ""
    return Standing(level, listed_on, f"{_day(listed_on)}被列入{kind.label}{why}：请督促整改并申请移出")


def charter_standing() -> Standing:
    return Standing(Level.WARNING, None, "章程中尚无党的建设内容（党建入章）：请督促修改章程并报登记管理机关核准")


def no_instructor_standing() -> Standing:
    return Standing(Level.WARNING, None, "未建立党组织，也未选派党建指导员（工作覆盖缺失）：请选派党建指导员")
