"""What the meeting form shows while the user types: the attendance line (应到 / 实到 and the quorum), each
vote's outcome in words, the absences still without a reason, and what the record still lacks.

Pure (no database): the form calls it on the UI thread with the roster it shows, at every change.  The
words come from the rules (``app.domain.votes`` through ``app.domain.meeting_record``), never re-worded.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import MeetingKind
from app.domain.meeting_record import absentees_without_reason, attendance_line, explain_vote
from app.domain.meeting_record import missing_items as record_missing_items
from app.services.core import clock
from app.services.meetings.dto import MeetingInput, Roster
from app.services.meetings.records import cleaned_input, record_facts, vote_facts

__all__ = ["LiveCheck", "live_check"]


@dataclass(frozen=True)
class LiveCheck:
    attendance: str  # e.g. "应到有表决权党员 9 人，实到 5 人，超过半数，可以表决"
    expected: int
    present: int
    votes: tuple[tuple[str, ...], ...]  # per agenda item, per vote: the outcome in words
    without_reason: tuple[str, ...]  # names of 请假 / 缺席 with no reason
    missing: tuple[str, ...]


def live_check(data: MeetingInput, roster: Roster) -> LiveCheck:
    """The live lines of the form for ``data`` against ``roster`` (see the module doc)."""
    cleaned = cleaned_input(data)
    facts = record_facts(cleaned, roster)
    votes: list[tuple[str, ...]] = []
    for item in data.agenda:  # as typed (not cleaned): one line per vote editor the form shows
        lines = []
        for vote in item.votes:
            if data.kind is MeetingKind.GENERAL_MEETING:
                lines.append(explain_vote(vote_facts(vote), facts.expected, facts.present))
            else:
                lines.append(f"赞成 {vote.yes} 票，反对 {vote.no} 票，弃权 {vote.abstain} 票")
        votes.append(tuple(lines))
    return LiveCheck(attendance_line(facts), facts.expected, facts.present, tuple(votes),
                     tuple(absentees_without_reason(facts.attendees)),
                     record_missing_items(facts, now=clock.civil_now()))
