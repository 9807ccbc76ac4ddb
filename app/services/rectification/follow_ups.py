"""Follow-ups of a 整改 item: appended, never changed (DESIGN §2.0, §2.1).

Each follow-up is a new ``rectification_follow_up`` row through the outbox (the triggers of migration 0014
refuse UPDATE and DELETE of one); the step must be allowed from the item's current status
(``app.domain.rectification_flow``), and the item's ``status`` becomes where its follow-ups, replayed in
order, lead (``history``), so the two always agree — also after a sync merge, when the next write sets
the status the merged history gives.  Evidence files are org-scoped ``attachment`` rows owned by the
follow-up, written after their bytes are in the attachments folder.

``issue_in_session`` / ``acknowledge_in_session`` append 签发 / 签收 to several items inside the caller's
transaction: the notices area calls them when a 整改通知书 is 签发 / 签收, so the notice and its items
move together or not at all.  Any thread (the UI: the write lane).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.domain import rectification_flow as flow
from app.domain.enums import RectificationFollowUpKind as Kind
from app.models import Attachment, AuditLog, Rectification, RectificationFollowUp, new_id
from app.services.core import clock
from app.services.core.attachments import StoredFile, require_stored
from app.services.core.errors import NotFoundError, ValidationFailed
from app.services.core.outbox import record_upsert, set_actor
from app.services.rectification.history import FOLLOW_UP_ENTITY, History, history

__all__ = ["acknowledge_in_session", "append_follow_up", "issue_in_session", "load_item_row"]

# What a follow-up of each kind must say, and the message when it does not.
NOTE_NEEDED = {
    Kind.REPORT: "请填写整改情况（组织反馈了什么、做了哪些整改）",
    Kind.REVIEW_FAIL: "请写明复查未通过的原因和还需整改的内容",
    Kind.EXTEND: "请填写延期理由",
    Kind.NOTE: "请填写备注内容",
}


def load_item_row(session: Session, rectification_id: str) -> Rectification:
    item = session.get(Rectification, rectification_id)
    if item is None or item.deleted_at is not None:
        raise NotFoundError("找不到这条整改事项（可能已被删除）")
    return item


def _date_problems(item: Rectification, item_history: History, kind: Kind, on_date: date,
                   new_deadline: date | None, today: date) -> dict[str, str]:
    problems: dict[str, str] = {}
    what = f"{kind.label}日期"
    last = item_history.last_day()
    if on_date > today:
        problems["on_date"] = f"{what} {flow.civil_day(on_date)} 晚于今天（{flow.civil_day(today)}），请核对"
    elif on_date < item.raised_on:
        problems["on_date"] = (f"{what} {flow.civil_day(on_date)} 早于整改事项的提出日期 "
                               f"{flow.civil_day(item.raised_on)}，请核对")
    elif kind is not Kind.NOTE and last is not None and on_date < last:
        problems["on_date"] = f"{what} {flow.civil_day(on_date)} 早于上一步的日期 {flow.civil_day(last)}，请核对"
    in_force = item_history.deadline_in_force(item.deadline)
    if kind is Kind.ISSUE and in_force < on_date:
        problems["deadline"] = (f"整改期限 {flow.civil_day(in_force)} 早于签发日期 {flow.civil_day(on_date)}："
                                "请先把草稿的整改期限改到签发日期当天或以后")
    if kind is Kind.EXTEND:
        if new_deadline is None:
            problems["new_deadline"] = "请填写延期后的整改期限"
        elif new_deadline <= in_force:
            problems["new_deadline"] = (f"延期后的期限应晚于现在的整改期限 {flow.civil_day(in_force)}，"
                                        f"不能是 {flow.civil_day(new_deadline)}")
        elif new_deadline < on_date:
            problems["new_deadline"] = (f"延期后的期限 {flow.civil_day(new_deadline)} 早于延期日期 "
                                        f"{flow.civil_day(on_date)}，请核对")
    return problems


def _append(session: Session, item: Rectification, *, kind: Kind, on_date: date, note: str,
            new_deadline: date | None, evidence: Sequence[StoredFile], actor: str,
            attachments_folder: Path | None, today: date, label: str = "") -> str:
    """Append one follow-up to ``item`` in ``session`` (see the module doc); ValidationFailed, nothing
    written, when it is not allowed or its input is wrong.  ``label`` prefixes messages (several items)."""
    if new_deadline is not None and kind is not Kind.EXTEND:
        raise ValueError(f"only a 延期 carries a new deadline, not {kind.label}")
    item_history = history(session, item)
    status = item_history.status
    try:
        after = flow.apply_follow_up(status, kind)
    except ValueError as refused:
        raise ValidationFailed({"kind": f"{label}{refused}"}) from None
    note = note.strip()
    problems = _date_problems(item, item_history, kind, on_date, new_deadline, today)
    if kind in NOTE_NEEDED and not note:
        problems["note"] = NOTE_NEEDED[kind]
    if problems:
        raise ValidationFailed({key: f"{label}{message}" for key, message in problems.items()})
    if evidence and attachments_folder is None:
        raise ValueError("append_follow_up: attachments_folder is needed to keep evidence")
    for file in evidence:
        require_stored(attachments_folder, file.sha256, file.filename)  # type: ignore[arg-type]
    set_actor(session, actor)
    row = RectificationFollowUp(
        id=new_id(), org_id=item.org_id, rectification_id=item.id, kind=kind, at=clock.now(), on_date=on_date,
        from_status=status, to_status=after, new_deadline=new_deadline, actor=actor, note=note)
    record_upsert(session, row, actor=actor)
    for file in evidence:
        record_upsert(session, Attachment(
            id=new_id(), org_id=item.org_id, owner_entity=FOLLOW_UP_ENTITY, owner_id=row.id, sha256=file.sha256,
            filename=file.filename, size=file.size, mime_type=file.mime_type, caption=""), actor=actor)
    if item.status is not after:  # also mends a status a sync merge left behind its history
        item.status = after
        record_upsert(session, item, actor=actor)
    session.add(AuditLog(actor=actor, action=kind.value.lower(), entity="rectification", record_id=item.id,
                         summary=f"{kind.label}：{item.title}"[:500]))
    session.flush()
    return row.id


def append_follow_up(factory: sessionmaker[Session], rectification_id: str, *, kind: Kind, on_date: date,
                     note: str = "", new_deadline: date | None = None, evidence: Sequence[StoredFile] = (),
                     actor: str, attachments_folder: Path | None = None) -> str:
    """Append a follow-up of ``kind`` (签发 … 销号, 延期, 备注) on the civil day ``on_date``; returns its id.

    Refused with ``ValidationFailed`` (field -> Chinese message; nothing written) when the flow does not
    allow ``kind`` from the item's status (``kind``: names the status and what is allowed), the day is
    after today, before the item was raised or before the previous step (``on_date``), a 签发 would leave
    the deadline before the issue day (``deadline``), a 延期 does not move the deadline in force later
    (``new_deadline``), or a text it needs is empty (``note``: 反馈, 复查未通过, 延期 reason, 备注).
    ``evidence``: files already stored in ``attachments_folder`` (``core.attachments.store_file``)."""
    with factory.begin() as session:
        item = load_item_row(session, rectification_id)
        return _append(session, item, kind=kind, on_date=on_date, note=note, new_deadline=new_deadline,
                       evidence=evidence, actor=actor, attachments_folder=attachments_folder, today=clock.today())


def _append_to_each(session: Session, item_ids: Sequence[str], kind: Kind, on_date: date, actor: str,
                    note: str = "") -> list[str]:
    items = [load_item_row(session, item_id) for item_id in item_ids]
    today = clock.today()
    return [_append(session, item, kind=kind, on_date=on_date, note=note, new_deadline=None, evidence=(),
                    actor=actor, attachments_folder=None, today=today,
                    label=f"整改事项「{item.title}」：" if len(items) > 1 else "") for item in items]


def issue_in_session(session: Session, item_ids: Sequence[str], *, on_date: date, actor: str,
                     note: str = "") -> list[str]:
    """Append 签发 on ``on_date`` to each of ``item_ids`` inside the caller's transaction (a 整改通知书 being
    签发; ``note``: its 说明, e.g. the notice's 文号).  ValidationFailed naming the item when one may not be
    issued (not a 草稿, or its deadline before ``on_date``): the caller's transaction must then roll back.
    Returns the follow-up ids."""
    return _append_to_each(session, item_ids, Kind.ISSUE, on_date, actor, note)


def acknowledge_in_session(session: Session, item_ids: Sequence[str], *, on_date: date, actor: str,
                           note: str = "") -> list[str]:
    """Append 签收 on ``on_date`` to each of ``item_ids`` inside the caller's transaction (a 整改通知书 being
    签收); same contract as :func:`issue_in_session`."""
    return _append_to_each(session, item_ids, Kind.ACKNOWLEDGE, on_date, actor, note)


def note_in_session(session: Session, item_ids: Sequence[str], *, on_date: date, note: str, actor: str) -> list[str]:
    """Append a 备注 ``note`` on ``on_date`` to each of ``item_ids`` inside the caller's transaction (an item
    already past 签发 put on a new 整改通知书 after its notice was 作废); same contract as above."""
    return _append_to_each(session, item_ids, Kind.NOTE, on_date, actor, note)
