"""An item's follow-ups in the order that counts, replayed: the status and the deadline in force.

Order: rows the server has accepted by its version (``server_version`` > 0), then the rows not yet synced
by the instant they were entered and their id (UUIDv7, time-ordered).  Client clocks only order what
no server has ordered yet (DESIGN §2.0).  The replay is ``app.domain.rectification_flow.replay``.

Read helpers for the other modules of the area; they run inside the caller's session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import rectification_flow as flow
from app.domain.enums import RectificationFollowUpKind, RectificationStatus
from app.models import Attachment, Rectification, RectificationFollowUp
from app.services.rectification.dto import EvidenceFile, FollowUpView

FOLLOW_UP_ENTITY = "rectification_follow_up"  # owner_entity of evidence attachments, the wire entity


@dataclass(frozen=True)
class History:
    """An item's follow-ups in order with the replay's verdict on each."""

    rows: tuple[RectificationFollowUp, ...]
    replay: flow.Replay

    @property
    def status(self) -> RectificationStatus:
        return self.replay.status

    def deadline_in_force(self, original: date) -> date:
        return flow.latest_deadline(original, self.replay.extensions)

    def last_day(self) -> date | None:
        """The civil day of the latest step that counted (a new step may not predate it)."""
        days = [row.on_date for row, ok in zip(self.rows, self.replay.counted, strict=True)
                if ok and row.on_date is not None
                and flow.effective_kind(step_of(row)) is not RectificationFollowUpKind.NOTE]
        return max(days, default=None)


def order_key(row: RectificationFollowUp) -> tuple[bool, int, object, str]:
    return (row.server_version == 0, row.server_version, row.at, row.id)


def step_of(row: RectificationFollowUp) -> flow.Step:
    return flow.Step(row.kind, row.from_status, row.to_status, row.new_deadline)


def histories(session: Session, item_ids: Sequence[str]) -> dict[str, History]:
    """The history of each of ``item_ids`` (an item without follow-ups: empty, 草稿)."""
    rows: dict[str, list[RectificationFollowUp]] = {item_id: [] for item_id in item_ids}
    for start in range(0, len(item_ids), 500):
        chunk = item_ids[start:start + 500]
        found = session.execute(select(RectificationFollowUp).where(
            RectificationFollowUp.rectification_id.in_(chunk), RectificationFollowUp.deleted_at.is_(None))).scalars()
        for row in found:
            rows[row.rectification_id].append(row)
    out = {}
    for item_id, item_rows in rows.items():
        ordered = tuple(sorted(item_rows, key=order_key))
        out[item_id] = History(ordered, flow.replay(step_of(row) for row in ordered))
    return out


def history(session: Session, item: Rectification) -> History:
    return histories(session, [item.id])[item.id]


def evidence_of(session: Session, follow_up_ids: Iterable[str]) -> dict[str, tuple[EvidenceFile, ...]]:
    ids = list(follow_up_ids)
    found: dict[str, list[EvidenceFile]] = {}
    if ids:
        rows = session.execute(select(Attachment).where(
            Attachment.owner_entity == FOLLOW_UP_ENTITY, Attachment.owner_id.in_(ids),
            Attachment.deleted_at.is_(None)).order_by(Attachment.filename, Attachment.id)).scalars()
        for a in rows:
            found.setdefault(a.owner_id, []).append(EvidenceFile(a.id, a.sha256, a.filename, a.size, a.mime_type))
    return {key: tuple(value) for key, value in found.items()}


def follow_up_views(session: Session, item_history: History) -> tuple[FollowUpView, ...]:
    evidence = evidence_of(session, [row.id for row in item_history.rows])
    return tuple(
        FollowUpView(row.id, flow.effective_kind(step_of(row)), row.on_date, row.at, row.actor, row.note,
                     row.from_status, row.to_status, row.new_deadline, evidence.get(row.id, ()), counted)
        for row, counted in zip(item_history.rows, item_history.replay.counted, strict=True))
