"""整改 status flow and the overdue rule (DESIGN §2.1), worked example by worked example."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationStatus as Status
from app.domain.rectification_flow import (
    Extension,
    allowed_kinds,
    allowed_next,
    apply_follow_up,
    check_extension,
    days_overdue,
    is_overdue,
    latest_deadline,
)

DEADLINE = date(2026, 12, 1)


@pytest.mark.parametrize(("status", "kind", "after"), [
    (Status.DRAFT, Kind.ISSUE, Status.ISSUED),
    (Status.ISSUED, Kind.ACKNOWLEDGE, Status.ACKNOWLEDGED),
    (Status.ACKNOWLEDGED, Kind.START, Status.IN_PROGRESS),
    (Status.IN_PROGRESS, Kind.REPORT, Status.REPORTED),
    (Status.REPORTED, Kind.REVIEW_PASS, Status.REVIEW_PASSED),
    (Status.REPORTED, Kind.REVIEW_FAIL, Status.REVIEW_FAILED),
    (Status.REVIEW_FAILED, Kind.START, Status.IN_PROGRESS),
    (Status.REVIEW_PASSED, Kind.CLOSE, Status.CLOSED),
    (Status.IN_PROGRESS, Kind.EXTEND, Status.IN_PROGRESS),
    (Status.REVIEW_FAILED, Kind.EXTEND, Status.REVIEW_FAILED),
    (Status.CLOSED, Kind.NOTE, Status.CLOSED),
])
def test_each_allowed_step(status: Status, kind: Kind, after: Status) -> None:
    assert apply_follow_up(status, kind) == after


def test_the_whole_flow_with_a_failed_recheck() -> None:
    status = Status.DRAFT
    for kind in (Kind.ISSUE, Kind.ACKNOWLEDGE, Kind.START, Kind.REPORT, Kind.REVIEW_FAIL, Kind.START,
                 Kind.REPORT, Kind.REVIEW_PASS, Kind.CLOSE):
        status = apply_follow_up(status, kind)
    assert status is Status.CLOSED


def test_allowed_next_follows_the_design_chain() -> None:
    assert allowed_next(Status.DRAFT) == (Status.ISSUED,)
    assert allowed_next(Status.ISSUED) == (Status.ACKNOWLEDGED,)
    assert allowed_next(Status.ACKNOWLEDGED) == (Status.IN_PROGRESS,)
    assert allowed_next(Status.IN_PROGRESS) == (Status.REPORTED,)
    assert allowed_next(Status.REPORTED) == (Status.REVIEW_PASSED, Status.REVIEW_FAILED)
    assert allowed_next(Status.REVIEW_FAILED) == (Status.IN_PROGRESS,)
    assert allowed_next(Status.REVIEW_PASSED) == (Status.CLOSED,)
    assert allowed_next(Status.CLOSED) == ()


@pytest.mark.parametrize(("status", "kind"), [
    (Status.DRAFT, Kind.ACKNOWLEDGE),
    (Status.ISSUED, Kind.REPORT),
    (Status.IN_PROGRESS, Kind.CLOSE),
    (Status.REPORTED, Kind.EXTEND),
    (Status.REVIEW_FAILED, Kind.REPORT),
    (Status.REVIEW_PASSED, Kind.REVIEW_FAIL),
    (Status.CLOSED, Kind.START),
    (Status.DRAFT, Kind.EXTEND),
])
def test_a_step_out_of_order_is_refused_naming_the_status_and_what_is_allowed(status: Status, kind: Kind) -> None:
    with pytest.raises(ValueError) as refused:
        apply_follow_up(status, kind)
    message = str(refused.value)
    assert f"当前为「{status.label}」" in message
    assert f"不能「{kind.label}」" in message
    for allowed in allowed_kinds(status):
        assert allowed.label in message


def test_refusal_wording() -> None:
    with pytest.raises(ValueError, match=r"^整改事项当前为「已签收」，不能「反馈」；此时可以：开始整改、延期、备注。$"):
        apply_follow_up(Status.ACKNOWLEDGED, Kind.REPORT)


def test_latest_deadline_is_the_furthest_extension() -> None:
    assert latest_deadline(DEADLINE, []) == DEADLINE
    ext = Extension(date(2026, 12, 20), date(2026, 11, 28), "李明", "材料需上级审批")
    assert latest_deadline(DEADLINE, [ext, date(2026, 12, 10)]) == date(2026, 12, 20)


def test_the_deadline_day_itself_is_not_overdue() -> None:
    assert not is_overdue(Status.IN_PROGRESS, DEADLINE, [], DEADLINE)
    assert is_overdue(Status.IN_PROGRESS, DEADLINE, [], date(2026, 12, 2))
    assert days_overdue(Status.IN_PROGRESS, DEADLINE, [], date(2026, 12, 5)) == 4
    assert days_overdue(Status.IN_PROGRESS, DEADLINE, [], DEADLINE) == 0


def test_an_extension_moves_the_overdue_day() -> None:
    ext = [Extension(date(2026, 12, 15), date(2026, 11, 30), "李明", "春节前无法召开党员大会")]
    assert not is_overdue(Status.IN_PROGRESS, DEADLINE, ext, date(2026, 12, 10))
    assert not is_overdue(Status.IN_PROGRESS, DEADLINE, ext, date(2026, 12, 15))
    assert is_overdue(Status.IN_PROGRESS, DEADLINE, ext, date(2026, 12, 16))


@pytest.mark.parametrize("status", [Status.ISSUED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REVIEW_FAILED])
def test_open_items_past_the_deadline_are_overdue(status: Status) -> None:
    assert is_overdue(status, DEADLINE, [], date(2027, 1, 1))


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REPORTED, Status.REVIEW_PASSED, Status.CLOSED])
def test_reported_or_later_and_drafts_are_never_overdue(status: Status) -> None:
    assert not is_overdue(status, DEADLINE, [], date(2027, 1, 1))
    assert days_overdue(status, DEADLINE, [], date(2027, 1, 1)) == 0


def test_a_failed_recheck_is_open_and_overdue_again_past_the_deadline() -> None:
    today = date(2026, 12, 10)
    reported = apply_follow_up(Status.IN_PROGRESS, Kind.REPORT)
    assert not is_overdue(reported, DEADLINE, [], today)
    failed = apply_follow_up(reported, Kind.REVIEW_FAIL)
    assert is_overdue(failed, DEADLINE, [], today)
    assert is_overdue(apply_follow_up(failed, Kind.START), DEADLINE, [], today)
    assert not is_overdue(failed, DEADLINE, [date(2026, 12, 31)], today)


def test_an_extension_must_move_the_deadline_later_and_give_a_reason() -> None:
    check_extension(DEADLINE, date(2026, 12, 2), "等待上级批复")
    with pytest.raises(ValueError, match="应晚于现在的期限 2026年12月1日"):
        check_extension(DEADLINE, DEADLINE, "等待上级批复")
    with pytest.raises(ValueError, match="延期理由"):
        check_extension(DEADLINE, date(2026, 12, 20), "  ")
