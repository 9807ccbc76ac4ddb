"""What a meeting record still lacks (DESIGN §2.1): the items a complete 三会一课 record must show.

A record lacking 时间, 地点, 主持人, 记录人, 应到/实到 (the attendance rows they are counted from),
absentees with reasons, 议题, or (for 党员大会 / 支委会) 决议 is incomplete; so is a 党课 without its
讲课人 and a 党小组会 without its 党小组 (the fields the form asks for by kind).  A 草稿 never counts toward
compliance whatever it holds.  Pure: the services gather the facts of a record (``RecordFacts``).

The form's check before 完成 is :func:`app.domain.meeting_record.missing_items` (quorum, votes, grades
too); this one is the part the engine can read by set queries over ten years of records, and never
flags a record the form let through (tests/unit/compliance/test_record_checks_agree.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.enums import MeetingKind

__all__ = ["DECISION_KINDS", "RecordFacts", "missing_items"]

DECISION_KINDS = frozenset({MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING})


@dataclass(frozen=True)
class RecordFacts:
    """What a record holds, as far as completeness goes.  Texts are as stored (blank when missing);
    ``attendance_rows`` counts the live attendance rows, ``reasons_missing`` those 请假 / 缺席 rows
    without a reason; ``agenda_items`` the live 议题 rows."""

    kind: MeetingKind
    has_time: bool = True
    location: str = ""
    host: str = ""
    recorder: str = ""
    topic: str = ""
    agenda_items: int = 0
    attendance_rows: int = 0
    reasons_missing: int = 0
    decisions: str = ""
    lecturer: str = ""
    has_group: bool = False


def missing_items(facts: RecordFacts) -> tuple[str, ...]:
    """The items the record lacks, in the order of the form, each a short Chinese phrase."""
    missing: list[str] = []
    if not facts.has_time:
        missing.append("会议时间")
    for label, value in (("地点", facts.location), ("主持人", facts.host), ("记录人", facts.recorder)):
        if not value.strip():
            missing.append(label)
    if facts.attendance_rows == 0:
        missing.append("出席情况（应到/实到）")
    if facts.reasons_missing:
        missing.append(f"请假或缺席原因（{facts.reasons_missing} 人未填）")
    if not facts.topic.strip() and facts.agenda_items == 0:
        missing.append("议题")
    if facts.kind in DECISION_KINDS and not facts.decisions.strip():
        missing.append("决议")
    if facts.kind is MeetingKind.PARTY_LECTURE and not facts.lecturer.strip():
        missing.append("讲课人")
    if facts.kind is MeetingKind.GROUP_MEETING and not facts.has_group:
        missing.append("党小组")
    return tuple(missing)
