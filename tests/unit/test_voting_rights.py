"""Who has a vote at a meeting, from dated histories (DESIGN §2.0, §2.1): the snapshot, not today's kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from app.domain.enums import MemberKind
from app.domain.voting_rights import (
    AttendanceSnapshot,
    ExpectedExclusion,
    KindChange,
    MemberRecord,
    Probation,
    RelationChange,
    count_voters,
    expected_voters,
    voting_right,
)
from app.services.meetings import vote_outcome

MEETING = date(2026, 3, 31)
FULL_SINCE = (KindChange(date(2020, 7, 1), MemberKind.FULL),)


def full(name: str, **history: Any) -> MemberRecord:
    return MemberRecord(name, FULL_SINCE, **history)


def probationary_until(name: str, becomes_full: date) -> MemberRecord:
    return MemberRecord(name, (KindChange(date(2025, 3, 1), MemberKind.PROBATIONARY),
                               KindChange(becomes_full, MemberKind.FULL)))


def test_a_full_member_has_a_vote() -> None:
    assert voting_right(full("王芳"), MEETING).has_vote
    assert voting_right(full("王芳"), MEETING).reason == "正式党员，有表决权"


def test_a_probationary_member_present_has_no_vote_and_is_not_counted() -> None:
    zhang = probationary_until("张伟", date(2026, 6, 1))
    right = voting_right(zhang, MEETING)
    assert (right.has_vote, right.reason) == (False, "预备党员，无表决权")
    rows = [AttendanceSnapshot(has_vote=True, present=True)] * 5
    rows += [AttendanceSnapshot(has_vote=True, present=False)] * 4
    rows.append(AttendanceSnapshot(has_vote=right.has_vote, present=True))
    count = count_voters(rows)
    assert (count.expected, count.present, count.present_without_vote) == (9, 5, 1)


def test_a_member_who_became_full_after_the_meeting_had_no_vote_at_it() -> None:
    """The snapshot counts: today he is 正式, on the day of the meeting he was 预备."""
    li = probationary_until("李强", date(2026, 4, 1))
    assert li.kind_on(date(2026, 11, 30)) is MemberKind.FULL
    assert not voting_right(li, MEETING).has_vote
    assert voting_right(li, date(2026, 4, 1)).has_vote
    members = [full(f"党员{i}") for i in range(8)] + [li]
    assert expected_voters(members, MEETING) == 8
    assert expected_voters(members, date(2026, 11, 30)) == 9
    # The rows stored at the meeting keep its 应到: 8, whatever the member's kind is today.
    snapshot = [AttendanceSnapshot(voting_right(m, MEETING).has_vote, present=True) for m in members]
    assert count_voters(snapshot).expected == 8


def test_a_member_under_probation_has_no_vote_for_exactly_its_days() -> None:
    zhao = full("赵敏", probations=(Probation(date(2025, 4, 1), date(2026, 3, 31)),))
    assert voting_right(zhao, date(2025, 3, 31)).has_vote
    assert voting_right(zhao, date(2025, 4, 1)).reason == "留党察看期间，无表决权"
    assert not voting_right(zhao, MEETING).has_vote
    assert voting_right(zhao, date(2026, 4, 1)).has_vote
    open_ended = full("钱进", probations=(Probation(date(2026, 1, 1)),))
    assert not voting_right(open_ended, date(2030, 1, 1)).has_vote


def test_an_approved_exclusion_leaves_the_member_out_of_expected_from_its_approval() -> None:
    exclusion = ExpectedExclusion(reason="因病长期住院", approved_by="上级党组织同意、支部党员大会通过",
                                  approved_on=date(2026, 3, 10), first_day=date(2026, 3, 1),
                                  last_day=date(2026, 8, 31))
    sun = full("孙丽", exclusions=(exclusion,))
    right = voting_right(sun, MEETING)
    assert not right.has_vote
    assert right.reason == "经批准不计入应到：因病长期住院（上级党组织同意、支部党员大会通过，2026-03-10）"
    assert voting_right(sun, date(2026, 3, 9)).has_vote  # not yet approved on that day
    assert voting_right(sun, date(2026, 9, 1)).has_vote
    members = [full(f"党员{i}") for i in range(9)] + [sun]
    assert expected_voters(members, MEETING) == 9
    assert vote_outcome(expected_voters(members, MEETING), 5, 5).passed


@pytest.mark.parametrize(("reason", "approved_by", "message"), [
    ("  ", "支部党员大会通过", "须写明原因"),
    ("出国半年以上", "", "须经批准"),
])
def test_an_exclusion_needs_a_reason_and_an_approval(reason: str, approved_by: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ExpectedExclusion(reason, approved_by, date(2026, 1, 1), date(2026, 1, 1))


def test_relations_transferred_out_or_not_yet_in_do_not_count() -> None:
    moved = full("周杰", relations=(RelationChange(date(2020, 7, 1), True), RelationChange(date(2026, 2, 1), False)))
    assert voting_right(moved, date(2026, 1, 31)).has_vote
    assert voting_right(moved, MEETING).reason == "组织关系不在本支部，不计入应到"
    arriving = full("吴昊", relations=(RelationChange(date(2026, 4, 15), True),))
    assert not voting_right(arriving, MEETING).has_vote
    assert voting_right(arriving, date(2026, 4, 15)).has_vote


def test_before_joining_there_is_no_vote() -> None:
    assert voting_right(full("郑雪"), date(2019, 1, 1)).reason == "当时尚未入党，无表决权"


@pytest.mark.parametrize(("record", "message"), [
    (lambda: MemberRecord("冯立", ()), "缺少入党"),
    (lambda: MemberRecord("冯立", (KindChange(date(2026, 1, 1), MemberKind.PROBATIONARY),
                                  KindChange(date(2026, 1, 1), MemberKind.FULL))), "2026-01-01 有两条身份变化记录"),
    (lambda: Probation(date(2026, 3, 1), date(2026, 2, 1)), "留党察看的结束日期 2026-02-01 早于开始日期 2026-03-01"),
])
def test_impossible_histories_are_refused(record: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        record()
