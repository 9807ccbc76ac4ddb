"""A ``MeetingInput`` as JSON-able values for a draft on disk, and back (enums by value, times as ISO text).
A draft written by an older version that no longer reads is dropped, never half-restored."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from app.services.meetings.dto import (
    AgendaInput,
    AttachmentInput,
    AttendanceInput,
    AttendanceStatus,
    CandidateInput,
    GuestInput,
    GuestRole,
    MeetingInput,
    MeetingKind,
    ReviewGrade,
    VoteInput,
    VoteKind,
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def to_draft(data: MeetingInput) -> dict[str, Any]:
    return dict(_plain(data))


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _vote(v: dict[str, Any]) -> VoteInput:
    return VoteInput(VoteKind(v["kind"]), v["motion"], v["subject_member_id"], v["yes"], v["no"], v["abstain"],
                     v["written_yes"], tuple(CandidateInput(c["name"], c["yes_votes"], c["member_id"])
                                             for c in v["candidates"]))


def from_draft(values: dict[str, Any]) -> MeetingInput | None:
    """The input a draft holds; None when it cannot be read (written by another version)."""
    try:
        return MeetingInput(
            kind=MeetingKind(values["kind"]), party_org_id=values["party_org_id"],
            started_at=_time(values["started_at"]), ended_at=_time(values["ended_at"]),
            **{name: values[name] for name in ("location", "host_name", "recorder_name", "topic", "minutes",
                                               "decisions", "lecturer", "lecture_hours", "activity_form",
                                               "party_group_id")},
            agenda=tuple(AgendaInput(a["title"], tuple(_vote(v) for v in a["votes"])) for a in values["agenda"]),
            attendance=tuple(AttendanceInput(a["member_id"], AttendanceStatus(a["status"]), a["reason"],
                                             ReviewGrade(a["review_grade"]) if a["review_grade"] else None)
                             for a in values["attendance"]),
            guests=tuple(GuestInput(g["name"], GuestRole(g["role"]), g["unit"]) for g in values["guests"]),
            attachments=tuple(AttachmentInput(**a) for a in values["attachments"]))
    except (KeyError, TypeError, ValueError):
        return None
