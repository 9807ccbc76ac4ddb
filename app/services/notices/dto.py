"""Frozen results of the notices area (the 文书 view, the preview, the CLI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app.domain.enums import NoticeKind, NoticeStatus, RectificationStatus

__all__ = ["NoticeDetail", "NoticeItem", "NoticePrintRow", "NoticeRow"]


@dataclass(frozen=True)
class NoticeRow:
    """One notice as the list shows it.  ``number`` is the printed form (临时编号 marked, or 未签发)."""

    id: str
    kind: NoticeKind
    status: NoticeStatus
    number: str
    provisional: bool  # numbered, not yet confirmed by the server
    org_id: str
    org_name: str
    title: str
    issued_on: date | None
    delivered_on: date | None
    signed_on: date | None
    item_count: int


@dataclass(frozen=True)
class NoticeItem:
    """A rectification item listed on a 整改通知书; ``deadline`` is the one in force (the latest 延期)."""

    id: str
    title: str
    description: str
    basis: str
    requirement: str
    responsible_person: str
    deadline: date
    status: RectificationStatus


@dataclass(frozen=True)
class NoticePrintRow:
    sha256: str
    printed_at: datetime
    pages: int
    masked: bool
    by: str


@dataclass(frozen=True)
class NoticeDetail:
    """A notice with what it is about: its items (整改通知书), its visit (走访通知), its finding (提醒函)."""

    row: NoticeRow
    series: str
    year: int
    confirmed_seq: int | None
    provisional_seq: int | None
    provisional_device: str
    addressee: str  # 主送
    issuer: str  # 落款
    body: str
    signed_by: str
    void_reason: str
    with_receipt: bool
    visit_id: str | None
    rule_id: str
    period: str
    items: tuple[NoticeItem, ...]
    prints: tuple[NoticePrintRow, ...]
    updated_at: datetime

    @property
    def id(self) -> str:
        return self.row.id
