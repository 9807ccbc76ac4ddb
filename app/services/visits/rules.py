"""What a visit form may and may not hold (pure checks over ``VisitInput``; today and now are parameters).

``problems`` are refusals (nothing is saved): a 已走访 visit dated in the future, a plan dated in the past,
an end before the start, a next visit not after this one, an answer to an item the checklist does not
have, an empty finding.  ``notes`` are what the form points out but may be saved anyway: an answer 否 with
no finding recorded, items left unanswered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, datetime

from app.domain.enums import ChecklistAnswerValue, VisitStatus
from app.services.visits.dto import VisitInput

__all__ = ["MAX_MET_WITH", "MAX_NOTE", "cleaned_input", "notes_of", "problems_of"]

MAX_MET_WITH = 200
MAX_NOTE = 200
MAX_FINDING = 2000


def cleaned_input(data: VisitInput) -> VisitInput:
    """Trimmed text; a 计划 keeps only what a plan has (a hidden value must not linger)."""
    data = dataclasses.replace(
        data, met_with=data.met_with.strip(), summary=data.summary.strip(), suggestions=data.suggestions.strip(),
        coordination=data.coordination.strip(),
        answers=tuple(dataclasses.replace(a, note=a.note.strip()) for a in data.answers),
        findings=tuple(dataclasses.replace(f, description=f.description.strip())
                       for f in data.findings if f.description.strip() or f.id))
    if data.status is VisitStatus.PLANNED:
        data = dataclasses.replace(data, answers=(), findings=(), suggestions="", coordination="", photos=(),
                                   next_visit_on=None, plan_next=False, met_with=data.met_with)
    if data.next_visit_on is None:
        data = dataclasses.replace(data, plan_next=False)
    return data


def problems_of(data: VisitInput, *, items: Mapping[str, str], today: date, now: datetime) -> dict[str, str]:
    """Refusals, by field.  ``items``: the codes (and texts) of the checklist the answers are of."""
    problems: dict[str, str] = {}
    day = data.visited_on
    if day is None:
        problems["visited_on"] = "请填写走访日期" if data.status is VisitStatus.DONE else "请填写计划走访的日期"
    elif data.status is VisitStatus.DONE and day > today:
        problems["visited_on"] = (f"已走访的日期（{day:%Y-%m-%d}）不能晚于今天：还没去的走访请选“计划”，"
                                  "走访后再改为“已走访”")
    elif data.status is VisitStatus.PLANNED and day < today:
        problems["visited_on"] = (f"计划走访的日期（{day:%Y-%m-%d}）已经过去：已经去过请改为“已走访”并填写记录，"
                                  "没去请把日期改到今天或以后")
    elif data.status is VisitStatus.DONE and day == today and data.start_time and data.start_time > now.time():
        problems["start_time"] = f"开始时刻 {data.start_time:%H:%M} 还没到：请核对时刻"
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        problems["end_time"] = f"结束时刻（{data.end_time:%H:%M}）应晚于开始时刻（{data.start_time:%H:%M}）"
    if data.end_time and not data.start_time:
        problems["start_time"] = "填写了结束时刻，请同时填写开始时刻"
    if len(data.met_with) > MAX_MET_WITH:
        problems["met_with"] = f"“见到的人”最多 {MAX_MET_WITH} 字，现有 {len(data.met_with)} 字，请精简"
    if data.next_visit_on is not None and day is not None and data.next_visit_on <= day:
        problems["next_visit_on"] = f"下次计划走访的日期应晚于本次（{day:%Y-%m-%d}）"
    elif data.plan_next and data.next_visit_on is not None and data.next_visit_on < today:
        problems["next_visit_on"] = "下次计划走访的日期已经过去，请改到今天或以后"
    _answer_problems(data, items, problems)
    for n, finding in enumerate(data.findings, start=1):
        if not finding.description:
            problems["findings"] = f"第 {n} 条发现的问题是空的：请填写内容或删除这一条"
        elif len(finding.description) > MAX_FINDING:
            problems["findings"] = f"第 {n} 条发现的问题超过 {MAX_FINDING} 字，请精简"
    return problems


def _answer_problems(data: VisitInput, items: Mapping[str, str], problems: dict[str, str]) -> None:
    seen: set[str] = set()
    for answer in data.answers:
        if answer.item_code not in items:
            version = data.checklist_version or "当前"
            problems["answers"] = f"检查项 {answer.item_code} 不在 {version} 版检查表中：请重新打开表单填写"
        elif answer.item_code in seen:
            problems["answers"] = f"检查项“{items[answer.item_code]}”回答了两次"
        elif len(answer.note) > MAX_NOTE:
            problems["answers"] = f"检查项“{items[answer.item_code]}”的说明超过 {MAX_NOTE} 字，请精简"
        seen.add(answer.item_code)


def notes_of(data: VisitInput, *, items: Mapping[str, str]) -> tuple[str, ...]:
    """What the form points out but may be saved anyway (a done visit only)."""
    if data.status is not VisitStatus.DONE:
        return ()
    notes: list[str] = []
    found_for = {f.item_code for f in data.findings if f.item_code}
    free_findings = any(not f.item_code for f in data.findings)
    for answer in data.answers:
        if answer.answer is ChecklistAnswerValue.NO and answer.item_code not in found_for and not free_findings:
            text = items.get(answer.item_code, answer.item_code)
            notes.append(f"“{text}”答“否”，但没有记录发现的问题：建议补一条（可转为整改事项）")
    answered = {a.item_code for a in data.answers}
    if answered and len(answered) < len(items):
        notes.append(f"检查表还有 {len(items) - len(answered)} 项未回答")
    return tuple(notes)
