"""Validation of an organization's own records (年检, 信用记录, 换届, 评估): field -> Chinese message.

Each check sees the whole input and the organization's other live records of the same kind (``others``,
the record being edited left out), so a duplicate is named exactly.  Pure: no session, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from app.services.orgs.record_dto import CreditInput, EvaluationInput, InspectionInput, RecordInput, TermInput

FIRST_YEAR = 1949  # no 社会组织 record of this kind is older
NOTE_MAX = 200
TERM_NO_MAX = 99


def _day(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value is not None else "日期未填"


def _not_future(problems: dict[str, str], name: str, label: str, value: date | None, today: date) -> None:
    if value is not None and value > today:
        problems[name] = f"{label}（{_day(value)}）晚于今天，请核对"


def _not_before_founding(problems: dict[str, str], name: str, label: str, value: date | None,
                         founded_on: date | None) -> None:
    if value is not None and founded_on is not None and value < founded_on and name not in problems:
        problems[name] = f"{label}（{_day(value)}）早于该组织的成立日期（{_day(founded_on)}），请核对"


def _note(problems: dict[str, str], name: str, label: str, text: str) -> None:
    if len(text) > NOTE_MAX:
        problems[name] = f"{label}最多{NOTE_MAX}字（现为{len(text)}字）"


def check_inspection(data: InspectionInput, others: Sequence[InspectionInput], today: date,
                     founded_on: date | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.year is None:
        problems["year"] = "请填写年度（如 2025，即 2025 年度的年检/年报）"
    elif not FIRST_YEAR <= data.year <= today.year:
        problems["year"] = f"年度应在 {FIRST_YEAR}–{today.year} 之间（现为 {data.year}）"
    elif founded_on is not None and data.year < founded_on.year:
        problems["year"] = f"该组织成立于 {founded_on.year} 年，不能有 {data.year} 年度的年检"
    elif any(other.year == data.year for other in others):
        problems["year"] = f"{data.year} 年度的年检结果已经录入，请编辑那一条，不要重复录入"
    if data.result is None:
        problems["result"] = "请选择年检结论（合格 / 基本合格 / 不合格 / 未参检）"
    _note(problems, "note", "备注", data.note)
    return problems


def check_credit(data: CreditInput, others: Sequence[CreditInput], today: date,
                 founded_on: date | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.kind is None:
        problems["kind"] = "请选择名录（异常名录 / 严重违法失信名单）"
    if data.listed_on is None:
        problems["listed_on"] = "请填写列入日期"
    _not_future(problems, "listed_on", "列入日期", data.listed_on, today)
    _not_before_founding(problems, "listed_on", "列入日期", data.listed_on, founded_on)
    if not data.reason:
        problems["reason"] = "请填写列入原因（如：未按规定参加年检）"
    _note(problems, "reason", "列入原因", data.reason)
    _not_future(problems, "removed_on", "移出日期", data.removed_on, today)
    if data.removed_on is not None and data.listed_on is not None and data.removed_on < data.listed_on:
        problems["removed_on"] = f"移出日期（{_day(data.removed_on)}）不能早于列入日期（{_day(data.listed_on)}）"
    same = [o for o in others if o.kind == data.kind and o.listed_on == data.listed_on]
    if same and data.listed_on is not None and "listed_on" not in problems and data.kind is not None:
        problems["listed_on"] = f"{_day(data.listed_on)}列入{data.kind.label}的记录已经录入，请编辑那一条"
    open_listing = [o for o in others if o.kind == data.kind and o.removed_on is None]
    if data.removed_on is None and open_listing and data.kind is not None and "listed_on" not in problems:
        problems["removed_on"] = (f"该组织已有一条未移出的{data.kind.label}记录（{_day(open_listing[0].listed_on)}"
                                  "列入）：请先在那一条填写移出日期")
    return problems


def check_term(data: TermInput, others: Sequence[TermInput], today: date,
               founded_on: date | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.term_no is None:
        problems["term_no"] = "请填写届次（第几届）"
    elif not 1 <= data.term_no <= TERM_NO_MAX:
        problems["term_no"] = f"届次应在 1–{TERM_NO_MAX} 之间"
    elif any(other.term_no == data.term_no for other in others):
        problems["term_no"] = f"第{data.term_no}届已经录入，请编辑那一条"
    if data.started_on is None:
        problems["started_on"] = "请填写本届开始日期"
    _not_future(problems, "started_on", "本届开始日期", data.started_on, today)
    _not_before_founding(problems, "started_on", "本届开始日期", data.started_on, founded_on)
    if data.ends_on is None:
        problems["ends_on"] = "请填写届满日期"
    elif data.started_on is not None and data.ends_on <= data.started_on:
        problems["ends_on"] = f"届满日期（{_day(data.ends_on)}）应晚于开始日期（{_day(data.started_on)}）"
    _note(problems, "note", "备注", data.note)
    return problems


def check_evaluation(data: EvaluationInput, others: Sequence[EvaluationInput], today: date,
                     founded_on: date | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if data.grade is None:
        problems["grade"] = "请选择评估等级（1A–5A）"
    if data.evaluated_on is None:
        problems["evaluated_on"] = "请填写评估日期"
    _not_future(problems, "evaluated_on", "评估日期", data.evaluated_on, today)
    _not_before_founding(problems, "evaluated_on", "评估日期", data.evaluated_on, founded_on)
    if (data.evaluated_on is not None and "evaluated_on" not in problems
            and any(other.evaluated_on == data.evaluated_on for other in others)):
        problems["evaluated_on"] = f"{_day(data.evaluated_on)}的评估已经录入，请编辑那一条"
    _note(problems, "note", "备注", data.note)
    return problems


Check = Callable[[Any, Sequence[Any], date, date | None], dict[str, str]]
CHECKS: dict[type[RecordInput], Check] = {
    InspectionInput: check_inspection, CreditInput: check_credit, TermInput: check_term,
    EvaluationInput: check_evaluation,
}
