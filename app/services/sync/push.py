"""Sending the outbox (SYNC.md §8.4 push, §8.8 step 3).

Ops go in ``seq`` order, at most one per record per batch (a record's next op is sent once the server's
answer to the previous one is recorded, so it never conflicts with its own predecessor).  A batch is
marked ``in_flight`` and committed before it is sent (a crash then leaves it in flight; the next run puts it
back to pending: the server's processed-ops table answers a resend with ``duplicate``).  The answer is
recorded in ONE transaction: acked / conflict states, the returned record written to the local row unless a
newer unsent op exists for it ("changed during upload"), a confirmed notice number, and rejected ops kept
with their reason (``blob_missing`` waits for the next run: its bytes are uploaded first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import wire
from app.domain.doc_numbers import DocNumber, ProvisionalNumber
from app.domain.enums import OutboxState
from app.models import Notice, OutboxEntry, SyncConflict
from app.services.core import clock
from app.services.core.outbox_guard import sync_writes
from app.services.sync.apply import local_versions, store_conflicts, write_rows
from app.services.sync.codec import decode
from app.services.sync.labels import record_label

__all__ = ["PushTally", "Sent", "record_results", "recover_in_flight", "take_batch", "to_op"]


@dataclass(frozen=True)
class Sent:
    """An op as sent: what recording its answer needs."""

    seq: int
    op_id: str
    entity: str
    record_id: str
    scope: str
    fields: Mapping[str, Any]
    wire_op: dict[str, Any]


@dataclass
class PushTally:
    pushed: int = 0
    applied: int = 0
    merged: int = 0
    duplicates: int = 0
    rejected: int = 0
    conflicts: int = 0
    confirmed_numbers: list[tuple[str, str]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)


def recover_in_flight(session: Session) -> int:
    """Ops a crashed or failed run left in flight go back to pending (resent; the server dedups)."""
    result = session.execute(update(OutboxEntry).where(OutboxEntry.state == OutboxState.IN_FLIGHT)
                             .values(state=OutboxState.PENDING))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def to_op(entry: OutboxEntry) -> dict[str, Any]:
    """The wire op (wire.Op) of an outbox entry."""
    return {"op_id": entry.op_id, "entity": entry.entity, "id": entry.record_id, "op": str(entry.op),
            "scope": wire.scope_for(entry.scope_key, entry.scope_id), "base_version": entry.base_version,
            "fields": dict(entry.fields)}


def _ready(started_at: datetime) -> ColumnElement[bool]:
    return (OutboxEntry.state == OutboxState.PENDING) & (
        OutboxEntry.next_attempt_at.is_(None) | (OutboxEntry.next_attempt_at < started_at))


def ready_count(session: Session, started_at: datetime) -> int:
    """How many pending ops are ready to go (what a push of this run sends, at most)."""
    return int(session.execute(select(func.count()).select_from(OutboxEntry).where(_ready(started_at)))
               .scalar_one())


def take_batch(session: Session, limit: int, started_at: datetime) -> list[Sent]:
    """Up to ``limit`` pending ops (seq order, one per record) ready to go, marked in flight."""
    query = select(OutboxEntry).where(_ready(started_at)).order_by(OutboxEntry.seq).limit(limit * 4)
    batch: list[Sent] = []
    records: set[tuple[str, str]] = set()
    for entry in session.execute(query).scalars():
        key = (entry.entity, entry.record_id)
        if key in records or (entry.entity == wire.CONFLICT_ENTITY and _choice_unanswered(session, entry)):
            continue
        records.add(key)
        entry.state = OutboxState.IN_FLIGHT
        entry.attempts += 1
        op = to_op(entry)
        batch.append(Sent(entry.seq, entry.op_id, entry.entity, entry.record_id, op["scope"], op["fields"], op))
        if len(batch) >= limit:
            break
    return batch


def _choice_unanswered(session: Session, settle: OutboxEntry) -> bool:
    """A conflict's settle op waits while the edit that carried the choice (an earlier op of the conflict's
    record) is still unanswered: the other laptops must not mark it settled before the value is there."""
    conflict = session.get(SyncConflict, settle.record_id)
    if conflict is None:
        return False
    return bool(session.execute(select(exists().where(
        OutboxEntry.entity == conflict.entity, OutboxEntry.record_id == conflict.record_id,
        OutboxEntry.seq < settle.seq, OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT))))).scalar())


def back_to_pending(session: Session, batch: Sequence[Sent]) -> None:
    """A batch that was never answered (413, a failure): pending again, its attempt not counted."""
    session.execute(update(OutboxEntry).where(OutboxEntry.seq.in_([s.seq for s in batch]))
                    .values(state=OutboxState.PENDING, attempts=OutboxEntry.attempts - 1))


def _newer_unsent(session: Session, sent: Sent) -> bool:
    return bool(session.execute(select(exists().where(
        OutboxEntry.entity == sent.entity, OutboxEntry.record_id == sent.record_id, OutboxEntry.seq > sent.seq,
        OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT))))).scalar())


def _write_record(session: Session, record: Mapping[str, Any], tally: PushTally) -> None:
    entity, record_id, version = str(record["entity"]), str(record["id"]), int(record["version"])
    if local_versions(session, entity, [record_id]).get(record_id, -1) >= version:
        return
    decoded = decode(entity, {**(record.get("data") or {}), "id": record_id})
    tally.messages.extend(decoded.problems)
    values = decoded.values
    values["server_version"] = version
    if record.get("deleted") and values.get("deleted_at") is None:
        values["deleted_at"] = clock.now()
    write_rows(session, entity, [values], {record_id})
    tally.changed.setdefault(entity, []).append(record_id)


def _confirm_number(session: Session, record_id: str, number: Mapping[str, Any], tally: PushTally) -> None:
    notice = session.execute(select(Notice.series, Notice.year, Notice.provisional_seq, Notice.provisional_device,
                                    Notice.confirmed_seq).where(Notice.id == record_id)).first()
    if notice is None:
        return
    seq = int(number["confirmed_seq"])
    confirmed = DocNumber(str(number.get("series") or notice.series), int(number.get("year") or notice.year), seq)
    if notice.provisional_seq is not None and notice.confirmed_seq != seq:
        provisional = ProvisionalNumber(notice.series, notice.year, notice.provisional_seq,
                                        notice.provisional_device or "")
        tally.confirmed_numbers.append((provisional.text, confirmed.text))
    try:
        with session.begin_nested(), sync_writes(session):
            table = cast(Table, Notice.__table__)
            session.execute(update(table).where(table.c.id == record_id)
                            .values(confirmed_seq=seq))
    except IntegrityError:
        tally.messages.append(f"文号 {confirmed.text} 已被本机另一份有效通知使用，请核对后处理。")
    tally.changed.setdefault("notice", []).append(record_id)


def _rebase_newer(session: Session, sent: Sent, version: int) -> None:
    """Later ops of the record were made on top of this one: their base is now the version it produced."""
    session.execute(update(OutboxEntry).where(
        OutboxEntry.entity == sent.entity, OutboxEntry.record_id == sent.record_id, OutboxEntry.seq > sent.seq,
        OutboxEntry.state == OutboxState.PENDING).values(base_version=version))


def record_results(session: Session, batch: Sequence[Sent], results: Sequence[Mapping[str, Any]],
                   tally: PushTally) -> None:
    """Record the server's answer to ``batch`` (results in op order) in the caller's transaction."""
    by_op = {str(r.get("op_id")): r for r in results}
    now = clock.now()
    for sent in batch:
        result = by_op.get(sent.op_id)
        entry = session.get(OutboxEntry, sent.seq)
        if entry is None:
            continue
        if result is None:  # not answered (should not happen): sent again next time
            entry.state, entry.attempts = OutboxState.PENDING, max(entry.attempts - 1, 0)
            continue
        tally.pushed += 1
        status = str(result.get("status"))
        effective = str(result.get("original") or status) if status == wire.DUPLICATE else status
        if status == wire.DUPLICATE:
            tally.duplicates += 1
        if effective == wire.REJECTED and sent.entity == wire.CONFLICT_ENTITY:
            entry.state = OutboxState.ACKED  # settled here all the same; it carried no data to keep
            entry.last_error = str((result.get("error") or {}).get("message", ""))
            continue
        if effective == wire.REJECTED:
            _rejected(session, entry, sent, result, now, tally)
            continue
        if status != wire.DUPLICATE:
            tally.applied += effective == wire.APPLIED
            tally.merged += effective == wire.MERGED
        tally.conflicts += effective == wire.CONFLICT
        entry.state = OutboxState.CONFLICT if effective == wire.CONFLICT else OutboxState.ACKED
        entry.last_error, entry.next_attempt_at = "", None
        session.flush()
        if result.get("notice_number") and sent.entity == "notice":  # before the record brings the number
            _confirm_number(session, sent.record_id, result["notice_number"], tally)
        record = result.get("record")
        version = int(result.get("version") or (record or {}).get("version") or 0)
        if sent.entity == wire.CONFLICT_ENTITY:  # a settled conflict: its tombstone, kept as a pull would
            if record:
                store_conflicts(session, [record], now)
        elif _newer_unsent(session, sent):
            if version:
                _rebase_newer(session, sent, version)
        elif record:
            _write_record(session, record, tally)


def _rejected(session: Session, entry: OutboxEntry, sent: Sent, result: Mapping[str, Any], now: datetime,
              tally: PushTally) -> None:
    error = result.get("error") or {}
    code, message = str(error.get("code", "")), str(error.get("message", "")) or "服务器拒绝了这项修改"
    entry.last_error = message
    label = record_label(session, sent.entity, sent.record_id, dict(sent.fields))
    if code == wire.BLOB_MISSING:  # its bytes go up first next run; then it is sent again
        entry.state, entry.next_attempt_at = OutboxState.PENDING, now
        tally.messages.append(f"{label}：附件文件还没有上传到服务器，下次同步时会先上传再发送。")
        return
    entry.state = OutboxState.REJECTED
    tally.rejected += 1
    tally.messages.append(f"{label}没有被服务器接受：{message}")
