"""Frozen DTOs of 整改 items: what the form fills (``RectificationInput``) and what the services return.

The UI never sees ORM objects; the enums it needs are re-exported here so ``app.ui`` need not import
``app.domain`` or ``app.models``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.enums import RectificationFollowUpKind, RectificationSource, RectificationStatus
from app.services.core.attachments import StoredFile

__all__ = [
    "EvidenceFile", "FollowUpView", "OrgChoice", "RectificationDetail", "RectificationFollowUpKind",
    "RectificationInput", "RectificationList", "RectificationRow", "RectificationSource", "RectificationStatus",
    "StoredFile",
]

# The sources a user enters directly; 走访 items are raised from a visit's finding (the visits area).
DIRECT_SOURCES = (RectificationSource.INSPECTION, RectificationSource.ANNUAL_CHECK, RectificationSource.OTHER)


@dataclass(frozen=True)
class RectificationInput:
    """A 整改 item as the form fills it (or the visits area from a finding).  ``source_detail`` says in
    words what raised it (e.g. 哪次督查); ``visit_id`` / ``finding_id`` link an item raised on a visit."""

    org_id: str
    source: RectificationSource
    source_detail: str
    title: str  # 存在问题, in one line
    description: str  # 存在问题, in full
    basis: str  # 依据
    requirement: str  # 整改要求
    deadline: date
    responsible_person: str  # 整改责任人
    raised_on: date
    visit_id: str | None = None
    finding_id: str | None = None


@dataclass(frozen=True)
class EvidenceFile:
    """An evidence attachment of a follow-up, as stored (its bytes under ``sha256`` in the attachments
    folder)."""

    id: str
    sha256: str
    filename: str
    size: int
    mime_type: str


@dataclass(frozen=True)
class FollowUpView:
    """One follow-up in the history, in the order that counts.  ``counted`` is False for a step that a
    concurrent step on another device overtook (kept, shown, but it moved nothing)."""

    id: str
    kind: RectificationFollowUpKind
    on_date: date | None
    at: datetime
    actor: str
    note: str
    from_status: RectificationStatus | None
    to_status: RectificationStatus | None
    new_deadline: date | None
    evidence: tuple[EvidenceFile, ...]
    counted: bool = True


@dataclass(frozen=True)
class RectificationDetail:
    """An item with everything the detail view shows: its fields as issued (or as drafted), the deadline in
    force with the 延期 that moved it, its whole history and the follow-ups allowed now."""

    id: str
    data: RectificationInput
    org_name: str
    status: RectificationStatus
    deadline_in_force: date
    extensions: tuple[FollowUpView, ...]
    follow_ups: tuple[FollowUpView, ...]
    allowed_kinds: tuple[RectificationFollowUpKind, ...]
    overdue_days: int  # 0 when not overdue (as of the ``today`` it was loaded with)
    notice_id: str | None
    updated_at: datetime

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def editable(self) -> bool:
        """Only a 草稿 may be edited: after 签发 the text is the issued text."""
        return self.status is RectificationStatus.DRAFT


@dataclass(frozen=True)
class RectificationRow:
    """One item in the list."""

    id: str
    org_id: str
    org_name: str
    source: RectificationSource
    title: str
    status: RectificationStatus
    raised_on: date
    deadline_in_force: date
    extended: bool
    overdue_days: int
    responsible_person: str

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class RectificationList:
    rows: tuple[RectificationRow, ...]
    total: int  # matching items, before ``limit``
    overdue: int  # how many of the matching items are overdue


@dataclass(frozen=True)
class OrgChoice:
    """An organization a new item may be raised for."""

    id: str
    name: str
