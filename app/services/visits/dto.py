"""Frozen DTOs of the 走访 area: what the visit form fills (``VisitInput``) and what the services return.

The UI never sees ORM objects; the enums it needs are re-exported here so ``app.ui`` need not import
``app.domain`` or ``app.models``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from app.domain.checklists import Checklist, ChecklistItem
from app.domain.enums import ChecklistAnswerValue, VisitMode, VisitStatus
from app.domain.periods import Period, PeriodKind, month_of

__all__ = [
    "PLAN_STATE_LABELS", "AnswerInput", "Checklist", "ChecklistAnswerValue", "ChecklistItem", "FindingInput",
    "MonthPlan", "OrgChoice", "Period", "PeriodKind", "PhotoInput", "PlanRow", "PlanState", "SavedFinding",
    "VisitDetail", "VisitInput", "VisitList", "VisitMode", "VisitRow", "VisitStatus", "month_of",
]


@dataclass(frozen=True)
class AnswerInput:
    """One checklist item answered 是 / 否 / 不适用, with a note.  The item's text comes from the visit's
    checklist version (``item_text`` is what the form showed; the service keeps the stored one)."""

    item_code: str
    answer: ChecklistAnswerValue
    note: str = ""
    item_text: str = ""


@dataclass(frozen=True)
class FindingInput:
    """A problem seen on the visit.  ``id`` of a saved finding (None: a new one); ``item_code`` the
    checklist item it came from, if any."""

    description: str
    item_code: str = ""
    id: str | None = None


@dataclass(frozen=True)
class PhotoInput:
    """A photo (or any file) whose bytes are already stored (``app.services.core.attachments.store_file``)."""

    sha256: str
    filename: str
    size: int
    mime_type: str = "application/octet-stream"
    caption: str = ""


@dataclass(frozen=True)
class VisitInput:
    """Everything the visit form holds.  A 计划 (``PLANNED``) keeps only its day, mode, time, surprise flag
    and ``summary`` (what the visit is for); what was seen belongs to a 已走访 (``DONE``) visit.
    ``plan_next``: also create a PLANNED visit on ``next_visit_on`` (unless one is already planned that day)."""

    org_id: str
    status: VisitStatus
    mode: VisitMode
    visited_on: date | None
    start_time: time | None = None
    end_time: time | None = None
    surprise: bool = False
    met_with: str = ""
    summary: str = ""
    answers: tuple[AnswerInput, ...] = ()
    findings: tuple[FindingInput, ...] = ()
    suggestions: str = ""
    coordination: str = ""
    photos: tuple[PhotoInput, ...] = ()
    next_visit_on: date | None = None
    plan_next: bool = False
    checklist_version: str = ""  # the version the answers are of ("" on a new visit: the newest)


@dataclass(frozen=True)
class SavedFinding:
    id: str
    description: str
    item_code: str
    rectification_id: str | None = None  # the 整改事项 raised from it, if any
    rectification_title: str = ""


@dataclass(frozen=True)
class VisitDetail:
    """A saved visit: what the form shows, with the items of its own checklist version (their texts as
    stored with the answers, never today's), its findings (with the 整改事项 raised from each) and what the
    form should point out (``suggestions_to_user``)."""

    id: str
    org_id: str
    org_name: str
    data: VisitInput
    checklist: tuple[ChecklistItem, ...]
    findings: tuple[SavedFinding, ...]
    updated_at: datetime
    planned_next_id: str | None = None  # the PLANNED visit created for ``next_visit_on`` by this save
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class VisitRow:
    """One line of the 走访 list."""

    id: str
    org_id: str
    org_name: str
    status: VisitStatus
    mode: VisitMode
    surprise: bool
    visited_on: date
    started_at: datetime | None
    met_with: str
    checklist_version: str
    findings: int
    open_findings: int  # findings not yet turned into a 整改事项


@dataclass(frozen=True)
class VisitList:
    rows: tuple[VisitRow, ...]
    total: int  # matching visits; ``rows`` holds at most the limit asked, newest first
    limit: int = field(default=0)


class PlanState:
    """How an organization stands against the visit rule in a period (labels in ``PLAN_STATE_LABELS``)."""

    VISITED = "VISITED"  # 已达标
    DUE = "DUE"  # 待走访 (the period is running)
    OVERDUE = "OVERDUE"  # 逾期未走访 (the period has ended short)
    UPCOMING = "UPCOMING"  # 未开始 (a future period)


PLAN_STATE_LABELS = {PlanState.VISITED: "已走访", PlanState.DUE: "待走访", PlanState.OVERDUE: "逾期未走访",
                     PlanState.UPCOMING: "未开始"}


@dataclass(frozen=True)
class PlanRow:
    """One of my organizations in the month's plan."""

    org_id: str
    org_name: str
    state: str  # a PlanState value
    required: int  # on-site visits the rule asks in the period
    on_site: int  # on-site visits done in the period (they count)
    other_modes: int  # phone / online visits done in the period (logged, not counted)
    planned: tuple[date, ...]  # PLANNED visits in the month shown
    last_visit: date | None  # the latest on-site visit done up to the period's end
    planned_ids: tuple[str, ...] = ()  # the ids of those PLANNED visits, in the same order

    @property
    def state_label(self) -> str:
        return PLAN_STATE_LABELS[self.state]


@dataclass(frozen=True)
class MonthPlan:
    month: Period
    period: Period  # the rule's period holding the month (a month, quarter or year)
    required: int
    rows: tuple[PlanRow, ...]

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)


@dataclass(frozen=True)
class OrgChoice:
    id: str
    name: str
    has_party_org: bool = False

