"""Frozen results of the compliance area for the 工作台, the CLI and the other areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.compliance import CellState, Level, RuleId
from app.domain.enums import MeetingKind, MeetingStatus
from app.domain.periods import Period, PeriodKind

__all__ = ["CellDetail", "CellState", "FindingRow", "GridCell", "GridRow", "Level", "MeetingBrief", "Period",
           "PeriodKind", "RuleId"]


@dataclass(frozen=True)
class FindingRow:
    """One finding as the user reads it.  ``period`` None: a standing fact (a term, a missing 年检)."""

    rule_id: RuleId
    level: Level
    message: str
    party_org_id: str | None
    party_org_name: str
    org_id: str | None
    org_name: str
    subject_id: str | None
    subject: str
    period: Period | None
    due_on: date | None
    waived: bool = False


@dataclass(frozen=True)
class GridCell:
    month: Period
    state: CellState
    findings: int = 0  # findings not waived, due in the month
    meetings: int = 0  # completed meetings held in the month


@dataclass(frozen=True)
class GridRow:
    party_org_id: str
    name: str
    cells: tuple[GridCell, ...]


@dataclass(frozen=True)
class MeetingBrief:
    id: str
    kind: MeetingKind
    status: MeetingStatus
    started_at: datetime
    topic: str


@dataclass(frozen=True)
class CellDetail:
    """What is behind one cell of the grid: the month's meetings and the findings due in it."""

    party_org_id: str
    party_org_name: str
    month: Period
    state: CellState
    meetings: tuple[MeetingBrief, ...]
    findings: tuple[FindingRow, ...]
