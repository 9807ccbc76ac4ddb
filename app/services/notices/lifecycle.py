"""签发, 送达, 签收 and 作废 of a notice (the flow: ``app.domain.notice_flow``).

签发 allocates the provisional number (``numbering``) in the year of the issue day and moves the items of a
整改通知书 to 已签发 through the rectification area (``issue_in_session``: their 签发 follow-ups are written in
this same transaction); 签收 likewise appends the items' 签收 (``acknowledge_in_session``).  作废 keeps the
notice, its number and its links (what it listed stays readable) and frees what it was about: an item on
a 作废 notice may go on another notice (which then takes the link), its visit may get another 走访通知.

Each call owns its write transaction and returns the notice's list row.  Bad input raises
ValidationFailed (a date, a reason, a signer) or NoticeStateError (a step the current status does not
allow); nothing is written then.  Any thread (the UI: the write lane).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from app.domain.date_text import chinese_date
from app.domain.enums import NoticeKind, NoticeStatus, RectificationStatus
from app.domain.notice_flow import Step, check_step_date, check_void_reason, next_status
from app.models import AuditLog, Notice, Visit
from app.services.core import clock
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.core.outbox import set_actor
from app.services.notices.create import NO_ITEMS
from app.services.notices.dto import NoticeRow
from app.services.notices.listing import notice_row
from app.services.notices.notice_docs import contact, instructor_person
from app.services.notices.numbering import allocate_provisional, number_text
from app.services.notices.settings import series_settings_in
from app.services.notices.subjects import ON_NOTICE_NOTE, deadlines_in_force, live_notice, notice_items

__all__ = ["NoticeStateError", "deliver_notice", "issue_notice", "sign_notice", "void_notice"]

ALLOCATION_ATTEMPTS = 3


class NoticeStateError(ServiceError):
    """The step is not allowed from the notice's current status (the message says what to do first)."""


def _step(notice: Notice, step: Step) -> NoticeStatus:
    try:
        return next_status(notice.status, step)
    except ValueError as exc:
        raise NoticeStateError(str(exc)) from None


def _check_date(step: Step, on: date, after: date | None) -> None:
    try:
        check_step_date(step, on, today=clock.today(), after=after)
    except ValueError as exc:
        raise ValidationFailed({"on_date": str(exc)}) from None


def _audit(session: Session, notice: Notice, step: Step, actor: str, detail: str = "") -> None:
    session.add(AuditLog(actor=actor, action=step.value.lower(), entity="notice", record_id=notice.id,
                         summary=f"{notice.kind.label} {number_text(notice)} {step.label}{detail}"))


def issue_notice(factory: sessionmaker[Session], notice_id: str, *, on_date: date | None = None,
                 actor: str) -> NoticeRow:
    """签发 a 草稿 on ``on_date`` (default today): its provisional number in the series of its kind and the
    civil year of that day, its 成文日期; a 整改通知书's items go to 已签发.  Refused: a notice that is not a
    草稿, a day after today, a 整改通知书 without items or with a deadline before the issue day, a 走访通知
    whose visit is planned before it."""
    on = on_date or clock.today()
    for attempt in range(ALLOCATION_ATTEMPTS):
        try:
            with factory.begin() as session:
                set_actor(session, actor)
                notice = live_notice(session, notice_id)
                status = _step(notice, Step.ISSUE)
                _check_date(Step.ISSUE, on, None)
                _check_subject(session, notice, on)
                number = allocate_provisional(session, series=series_settings_in(session).of(notice.kind),
                                              year=on.year)
                notice.series, notice.year = number.prefix, number.year
                notice.provisional_seq, notice.provisional_device = number.local_seq, number.device
                notice.issued_on, notice.status = on, status
                session.flush()
                if notice.kind is NoticeKind.RECTIFICATION_NOTICE:
                    _issue_items(session, notice, on, actor)
                _audit(session, notice, Step.ISSUE, actor)
                return notice_row(session, notice)
        except IntegrityError:
            # Another writer took the number between our read and write: only possible when the session
            # is not a BEGIN IMMEDIATE one; allocate again.
            if attempt == ALLOCATION_ATTEMPTS - 1:
                raise ServiceError("分配文号时与另一个窗口冲突，请再试一次。") from None
    raise AssertionError("unreachable")


def _check_subject(session: Session, notice: Notice, on: date) -> None:
    if notice.kind is NoticeKind.RECTIFICATION_NOTICE:
        items = notice_items(session, notice.id)
        if not items:
            raise ValidationFailed({"items": f"{NO_ITEMS}：这份通知书的事项都已移除，请作废它或重新选择事项。"})
        deadlines = deadlines_in_force(session, items)
        late = {item.id: f"整改事项“{item.title}”的期限 {chinese_date(deadlines[item.id])} 早于签发日期 "
                         f"{chinese_date(on)}：请到「整改」中打开该事项，点「修改草稿…」把期限改到签发日期之后"
                         "（已签发过的事项可「延期」），再签发；或作废这份通知书，另开一份不含该事项的"
                for item in items if deadlines[item.id] < on}
        if late:
            raise ValidationFailed(late)
        contact(session, notice.org_id, None, on)  # InstructorNotSet: the 联系人 would be the placeholder
    elif notice.kind is NoticeKind.VISIT_NOTICE:
        visit = session.execute(select(Visit).where(Visit.notice_id == notice.id, Visit.deleted_at.is_(None))).scalar()
        if visit is None:
            raise ValidationFailed({"visit": "这份走访通知对应的走访已被删除，请作废它。"})
        instructor_person(session, visit.instructor_id)  # InstructorNotSet likewise
        if visit.visited_on < on:
            raise ValidationFailed({"on_date": f"走访日期 {chinese_date(visit.visited_on)} 早于签发日期 "
                                               f"{chinese_date(on)}：走访通知应在走访之前发出。"})


def _issue_items(session: Session, notice: Notice, on: date, actor: str) -> None:
    """The notice's 草稿 items get their 签发; items already past it (their notice was 作废, they are on
    this one now) a 备注 naming the new 文号, so their history says which notice they are on."""
    from app.services.rectification import issue_in_session, note_in_session

    items = notice_items(session, notice.id)
    drafts = [item.id for item in items if item.status is RectificationStatus.DRAFT]
    moved = [item.id for item in items if item.status is not RectificationStatus.DRAFT]
    if drafts:
        issue_in_session(session, drafts, on_date=on, actor=actor, note=f"整改通知书 {number_text(notice)} 签发")
    if moved:
        note_in_session(session, moved, on_date=on, note=f"{ON_NOTICE_NOTE} {number_text(notice)}（原通知书已作废）",
                        actor=actor)


def deliver_notice(factory: sessionmaker[Session], notice_id: str, *, on_date: date, actor: str) -> NoticeRow:
    """送达: the day the signed notice was handed over (not before its 签发, not after today)."""
    with factory.begin() as session:
        set_actor(session, actor)
        notice = live_notice(session, notice_id)
        status = _step(notice, Step.DELIVER)
        _check_date(Step.DELIVER, on_date, notice.issued_on)
        notice.delivered_on, notice.status = on_date, status
        _audit(session, notice, Step.DELIVER, actor, f" {chinese_date(on_date)}")
        session.flush()
        return notice_row(session, notice)


def sign_notice(factory: sessionmaker[Session], notice_id: str, *, on_date: date, signed_by: str,
                actor: str) -> NoticeRow:
    """签收: the day and the person that signed for a delivered notice; a 整改通知书's items go to 已签收."""
    signer = " ".join(signed_by.split())
    with factory.begin() as session:
        set_actor(session, actor)
        notice = live_notice(session, notice_id)
        status = _step(notice, Step.SIGN)
        _check_date(Step.SIGN, on_date, notice.delivered_on)
        if not signer:
            raise ValidationFailed({"signed_by": "请填写签收人。"})
        if len(signer) > 100:
            raise ValidationFailed({"signed_by": "签收人最多 100 个字。"})
        notice.signed_on, notice.signed_by, notice.status = on_date, signer, status
        session.flush()
        if notice.kind is NoticeKind.RECTIFICATION_NOTICE:
            from app.services.rectification import acknowledge_in_session

            issued = [item.id for item in notice_items(session, notice.id)
                      if item.status is RectificationStatus.ISSUED]
            if issued:
                acknowledge_in_session(session, issued, on_date=on_date, actor=actor,
                                       note=f"整改通知书 {number_text(notice)} 由 {signer} 签收")
        _audit(session, notice, Step.SIGN, actor, f" {signer}")
        return notice_row(session, notice)


def void_notice(factory: sessionmaker[Session], notice_id: str, *, reason: str, actor: str) -> NoticeRow:
    """作废 with a reason: the notice, its number (never reused) and its links are kept; its items are free
    for another notice, its visit for another 走访通知."""
    try:
        cleaned = check_void_reason(reason)
    except ValueError as exc:
        raise ValidationFailed({"reason": str(exc)}) from None
    with factory.begin() as session:
        set_actor(session, actor)
        notice = live_notice(session, notice_id)
        notice.status = _step(notice, Step.VOID)
        notice.void_reason = cleaned
        _audit(session, notice, Step.VOID, actor, f"：{cleaned}")
        session.flush()
        return notice_row(session, notice)
