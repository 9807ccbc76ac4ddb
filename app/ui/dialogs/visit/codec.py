"""A ``VisitInput`` as JSON-able values for a draft on disk, and back (enums by value, dates and times as ISO
text).  A draft written by another version that no longer reads is dropped, never half-restored."""

from __future__ import annotations

import dataclasses
from datetime import date, time
from typing import Any

from app.services.visits.dto import (
    AnswerInput,
    ChecklistAnswerValue,
    FindingInput,
    PhotoInput,
    VisitInput,
    VisitMode,
    VisitStatus,
)


def _plain(value: Any) -> Any:
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if hasattr(value, "value") and isinstance(value.value, str):
        return value.value
    return value


def to_draft(data: VisitInput) -> dict[str, Any]:
    return dict(_plain(data))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _time(text: str | None) -> time | None:
    return time.fromisoformat(text) if text else None


def from_draft(values: dict[str, Any]) -> VisitInput | None:
    """The input a draft holds; None when it cannot be read (written by another version)."""
    try:
        return VisitInput(
            org_id=values["org_id"], status=VisitStatus(values["status"]), mode=VisitMode(values["mode"]),
            visited_on=_day(values["visited_on"]), start_time=_time(values["start_time"]),
            end_time=_time(values["end_time"]), surprise=bool(values["surprise"]),
            **{name: str(values[name]) for name in ("met_with", "summary", "suggestions", "coordination",
                                                    "checklist_version")},
            answers=tuple(AnswerInput(a["item_code"], ChecklistAnswerValue(a["answer"]), a["note"], a["item_text"])
                          for a in values["answers"]),
            findings=tuple(FindingInput(f["description"], f["item_code"], f["id"]) for f in values["findings"]),
            photos=tuple(PhotoInput(**p) for p in values["photos"]),
            next_visit_on=_day(values["next_visit_on"]), plan_next=bool(values["plan_next"]))
    except (KeyError, TypeError, ValueError):
        return None
