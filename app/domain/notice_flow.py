"""The lifecycle of a notice (走访通知 / 整改通知书 / 提醒函, DESIGN §2.0).  Pure functions; no database.

    草稿 -签发-> 已签发 -送达-> 已送达 -签收-> 已签收
    any of them -作废 (with a reason)-> 作废

签发 gives the notice its number and its 成文日期; 送达 is the day it was handed over, 签收 the day (and the
person) the organization signed for it.  Each date is a civil day, not after today, and not before the
step it follows.  A 作废 notice is kept (its number is never reused) and can do nothing more.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from app.domain.date_text import chinese_date
from app.domain.enums import NoticeStatus as Status


class Step(StrEnum):
    ISSUE = "ISSUE"
    DELIVER = "DELIVER"
    SIGN = "SIGN"
    VOID = "VOID"

    @property
    def label(self) -> str:
        return {"ISSUE": "签发", "DELIVER": "送达", "SIGN": "签收", "VOID": "作废"}[self.value]


TRANSITIONS: dict[Step, dict[Status, Status]] = {
    Step.ISSUE: {Status.DRAFT: Status.ISSUED},
    Step.DELIVER: {Status.ISSUED: Status.DELIVERED},
    Step.SIGN: {Status.DELIVERED: Status.SIGNED},
    Step.VOID: {status: Status.VOID for status in Status if status is not Status.VOID},
}
_HINTS = {
    (Step.DELIVER, Status.DRAFT): "请先签发，再登记送达",
    (Step.SIGN, Status.DRAFT): "请先签发、送达，再登记签收",
    (Step.SIGN, Status.ISSUED): "请先登记送达，再登记签收",
}


def next_status(status: Status, step: Step) -> Status:
    """The status after ``step``; a ValueError in Chinese saying why not and what to do first."""
    if status in TRANSITIONS[step]:
        return TRANSITIONS[step][status]
    if status is Status.VOID:
        raise ValueError(f"通知已作废，不能再{step.label}。")
    hint = _HINTS.get((step, status))
    if hint:
        raise ValueError(f"通知当前为「{status.label}」，不能{step.label}：{hint}。")
    raise ValueError(f"通知当前为「{status.label}」，已经{step.label}过，不能再次{step.label}。")


def check_step_date(step: Step, on: date, *, today: date, after: date | None) -> None:
    """A step's civil day: not after ``today``, not before the day of the step it follows (``after``)."""
    if on > today:
        raise ValueError(f"{step.label}日期 {chinese_date(on)} 晚于今天（{chinese_date(today)}），请核对。")
    if after is not None and on < after:
        before = {Step.DELIVER: "签发", Step.SIGN: "送达"}.get(step, "上一步")
        raise ValueError(f"{step.label}日期 {chinese_date(on)} 早于{before}日期 {chinese_date(after)}，请核对。")


def check_void_reason(reason: str) -> str:
    """The reason of a 作废, stripped; a ValueError when there is none."""
    cleaned = reason.strip()
    if not cleaned:
        raise ValueError("作废通知须填写原因。")
    return cleaned
