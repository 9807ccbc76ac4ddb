"""The content of a notice's document (``app.services.documents.content``) built from the database:
整改通知书 from its items (deadline as issued), 走访通知 from its visit, 提醒函 from its paragraphs.

Personal data (phones, ID numbers) is masked in every text when ``masked`` (``app.domain.masking``).  A
草稿 is set as a check copy: the 发文字号 line says （签发时编号） (no number is taken), the 成文日期 is today
and 草稿 is marked on every page; a 作废 notice keeps its number and date and is marked 作废.  Only an
issued notice that is not 作废 is the document itself (``printable_notice``: what a print is noted of).
Runs in the caller's session; Qt-free.
"""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import NoticeKind, NoticeStatus
from app.domain.masking import mask_personal
from app.models import Assignment, Instructor, Notice, Visit
from app.services.core import clock
from app.services.core.errors import ServiceError
from app.services.documents.content import (
    DRAFT_MARK,
    VOID_MARK,
    DocumentNumber,
    NoticeItemDoc,
    RectificationNoticeDoc,
    ReminderLetter,
    UnissuedNumber,
    VisitNoticeDoc,
)
from app.services.notices.numbering import number_of
from app.services.notices.settings import required_instructor
from app.services.notices.subjects import item_dtos, live_notice, notice_items, org_name
from app.services.notices.wording import paragraphs
from app.services.orgs.assignments import LOCAL_INSTRUCTOR_NAME

__all__ = ["NoticeDoc", "contact", "instructor_person", "masked_doc", "notice_doc", "printable_notice"]

NoticeDoc = RectificationNoticeDoc | VisitNoticeDoc | ReminderLetter
VISIT_TOPICS = ("党组织设置和党员教育管理情况", "“三会一课”等组织生活开展情况", "党建工作写入章程及落实情况",
                "以往发现问题的整改情况")
VISIT_PREPARATIONS = ("党组织书记（或党建工作联络员）届时在场", "党员名册、“三会一课”会议记录",
                      "章程（含党建工作内容）及有关整改材料")
T = TypeVar("T")


def printable_notice(session: Session, notice_id: str, kind: NoticeKind | None = None) -> tuple[Notice, DocumentNumber]:
    """The notice and its number; ServiceError for a 草稿 (no number yet), a 作废 notice, another kind."""
    notice = live_notice(session, notice_id)
    if kind is not None and notice.kind is not kind:
        raise ServiceError(f"该通知是{notice.kind.label}，不是{kind.label}。")
    number = number_of(notice)
    if notice.status is NoticeStatus.VOID:
        raise ServiceError(f"该{notice.kind.label}已作废（{notice.void_reason}），不能打印。")
    if number is None or notice.issued_on is None:
        raise ServiceError(f"该{notice.kind.label}还是草稿，没有文号：请先签发再打印。")
    return notice, number


def notice_doc(session: Session, notice_id: str, *, masked: bool = True, kind: NoticeKind | None = None) -> NoticeDoc:
    """The document of a notice, its kind's content dataclass: an issued one as it is; a 草稿 or a 作废 one
    as a check copy marked on every page (a 草稿 dated today with （签发时编号）, nothing allocated)."""
    notice = live_notice(session, notice_id)
    if kind is not None and notice.kind is not kind:
        raise ServiceError(f"该通知是{notice.kind.label}，不是{kind.label}。")
    number: DocumentNumber = number_of(notice) or UnissuedNumber()
    dated = notice.issued_on or clock.today()
    mark = {NoticeStatus.DRAFT: DRAFT_MARK, NoticeStatus.VOID: VOID_MARK}.get(notice.status, "")
    if notice.kind is NoticeKind.RECTIFICATION_NOTICE:
        doc: NoticeDoc = replace(_rectification(session, notice, number, dated), mark=mark)
    elif notice.kind is NoticeKind.VISIT_NOTICE:
        doc = replace(_visit(session, notice, number, dated), mark=mark)
    else:
        doc = ReminderLetter(title=notice.title, number=number, addressee=notice.addressee,
                             paragraphs=paragraphs(notice.body), issuer=notice.issuer, dated=dated, mark=mark)
    return masked_doc(doc) if masked else doc


def _rectification(session: Session, notice: Notice, number: DocumentNumber, dated: date) -> RectificationNoticeDoc:
    listed = notice_items(session, notice.id)
    if not listed and notice.status is NoticeStatus.VOID:
        raise ServiceError("该整改通知书已作废，所列整改事项已列入其他通知书，原文无法再生成；"
                           "原文号和作废原因仍保留在记录中。")
    items = tuple(NoticeItemDoc(title=i.title, description=i.description, basis=i.basis, requirement=i.requirement,
                                deadline=i.deadline, responsible_person=i.responsible_person)
                  for i in item_dtos(session, listed, as_issued=True))
    opening = " ".join(paragraphs(notice.body)[:1])
    return RectificationNoticeDoc(number=number, org_name=org_name(session, notice.org_id), addressee=notice.addressee,
                                  items=items, issuer=notice.issuer, dated=dated, title=notice.title or "整改通知书",
                                  opening=opening, contact=contact(session, notice.org_id, None, dated),
                                  with_feedback_form=notice.with_receipt)


def _visit(session: Session, notice: Notice, number: DocumentNumber, dated: date) -> VisitNoticeDoc:
    visit = session.execute(select(Visit).where(Visit.notice_id == notice.id, Visit.deleted_at.is_(None))).scalar()
    if visit is None:
        raise ServiceError("这份走访通知对应的走访已被删除，不能打印。")
    instructor = instructor_person(session, visit.instructor_id)
    return VisitNoticeDoc(number=number, org_name=org_name(session, notice.org_id), addressee=notice.addressee,
                          visit_on=visit.visited_on, mode=visit.mode.label, issuer=notice.issuer, dated=dated,
                          start_time=clock_text(visit.started_at),
                          visitors=f"社会组织党建指导员 {instructor[0]}",
                          topics=VISIT_TOPICS, preparations=VISIT_PREPARATIONS,
                          contact=contact(session, notice.org_id, visit.instructor_id, dated),
                          title=notice.title or "走访通知", with_receipt=notice.with_receipt)


def clock_text(at: datetime | None) -> str:
    """9:30 (a civil time as documents print it), or empty."""
    return "" if at is None else f"{at.hour}:{at.minute:02d}"


def instructor_person(session: Session, instructor_id: str | None) -> tuple[str, str]:
    """The name and phone printed for an instructor: those of the instructor's record when it names a real
    person, else (none, or the local placeholder 本机用户) the instructor's own from the settings;
    InstructorNotSet when that name is not filled in (the placeholder is never printed)."""
    row = None if not instructor_id else session.execute(
        select(Instructor.name, Instructor.phone).where(Instructor.id == instructor_id)).first()
    if row is not None and row[0].strip() and row[0].strip() != LOCAL_INSTRUCTOR_NAME:
        return row[0].strip(), (row[1] or "").strip()
    return required_instructor(session)


def contact(session: Session, org_id: str, instructor_id: str | None, on: date) -> str:
    """联系人及电话: the given instructor, else the one assigned to the organization on ``on``."""
    if instructor_id is None:
        instructor_id = session.execute(select(Assignment.instructor_id).where(
            Assignment.org_id == org_id, Assignment.deleted_at.is_(None), Assignment.since <= on,
            (Assignment.until.is_(None)) | (Assignment.until >= on)).order_by(Assignment.since.desc())).scalar()
    name, phone = instructor_person(session, instructor_id)
    return f"{name} {phone}".strip()


def masked_doc(doc: T) -> T:
    """``doc`` with phones and ID numbers masked in every text (nested items, rows and tuples too)."""
    changes = {}
    for field in fields(doc):  # type: ignore[arg-type]
        value = getattr(doc, field.name)
        masked = _mask_value(value)
        if masked is not value:
            changes[field.name] = masked
    return replace(doc, **changes) if changes else doc  # type: ignore[type-var]


def _mask_value(value: object) -> object:
    if isinstance(value, str):
        masked = mask_personal(value)
        return value if masked == value else masked
    if isinstance(value, tuple) and not hasattr(value, "_fields"):  # not a DocNumber / ProvisionalNumber
        items = tuple(_mask_value(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if hasattr(value, "__dataclass_fields__"):
        return masked_doc(value)
    return value
