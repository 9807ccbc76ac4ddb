"""A vote's count problems are said once each (a walkthrough saw 赞成 12 of 6 present listed twice: as the yes-votes
and again as the total)."""

from __future__ import annotations

from datetime import datetime

from app.domain.enums import AttendanceStatus, MeetingKind, VoteKind
from app.domain.meeting_record import AttendeeFacts, RecordFacts, VoteFacts, missing_items


def _record(vote: VoteFacts) -> RecordFacts:
    attendees = tuple(AttendeeFacts(f"党员{i}", AttendanceStatus.PRESENT if i < 6 else AttendanceStatus.LEAVE,
                                    "" if i < 6 else "出差", has_vote=True) for i in range(9))
    return RecordFacts(MeetingKind.GENERAL_MEETING, datetime(2026, 3, 31, 20, 0), location="会议室", host_name="甲",
                       recorder_name="乙", topic="议题", decisions="决议", attendees=attendees, votes=(vote,))


def test_too_many_yes_votes_are_said_once() -> None:
    items = missing_items(_record(VoteFacts(VoteKind.RESOLUTION, "动议", yes=12, no=1)))
    assert len([i for i in items if "多于实到" in i]) == 1
    assert any("赞成 12 票" in i for i in items)


def test_a_total_above_those_present_is_said_when_the_yes_votes_alone_are_not() -> None:
    items = missing_items(_record(VoteFacts(VoteKind.RESOLUTION, "动议", yes=5, no=2)))
    assert [i for i in items if "多于实到" in i] == [
        "第 1 项表决（决议：动议）：赞成、反对、弃权合计 7 票，多于实到有表决权党员 6 人，请核对计票"]
