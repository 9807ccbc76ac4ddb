"""Documents from records: the PDF of any record's document (``render_record``), the latest record of a
kind (``latest_record_id``), and the note of a printing with its SHA-256 (``record_print``).

The content is built from the database (``notice_docs``, ``record_docs``) and set by the documents area's
renderers; rendering is deterministic (reportlab ``invariant=1``), so a reprint of an unchanged record
has the same SHA-256.  Personal data is masked unless ``masked=False``.  Qt-free; any thread (the UI runs
it on the task runner's read lane, the note of a print on the write lane).
"""

from __future__ import annotations

from typing import Literal, get_args

from sqlalchemy import case, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.doc_numbers import ALL_BRACKETS
from app.domain.enums import MeetingStatus, NoticeKind, NoticeStatus, VisitStatus
from app.models import AuditLog, Meeting, Notice, NoticePrint, Visit
from app.services.core import clock
from app.services.core.errors import NotFoundError, ServiceError
from app.services.core.outbox import set_actor
from app.services.documents.content import (
    MeetingRecordDoc,
    RectificationNoticeDoc,
    ReminderLetter,
    VisitNoticeDoc,
    VisitRecordDoc,
)
from app.services.documents.typeset import RenderedPdf
from app.services.notices.dto import NoticePrintRow
from app.services.notices.notice_docs import notice_doc, printable_notice
from app.services.notices.numbering import find_by_number, number_text
from app.services.notices.record_docs import meeting_doc, visit_record_doc
from app.services.notices.subjects import live_notice

__all__ = ["KIND_LABELS", "NOTICE_KINDS", "RECORD_KINDS", "RecordKind", "latest_record_id", "record_print",
           "render_doc", "render_record", "resolve_record_id"]

RecordKind = Literal["rectification", "visit", "reminder", "meeting", "visit-record"]
RECORD_KINDS: tuple[str, ...] = get_args(RecordKind)
NOTICE_KINDS: dict[str, NoticeKind] = {"rectification": NoticeKind.RECTIFICATION_NOTICE,
                                       "visit": NoticeKind.VISIT_NOTICE, "reminder": NoticeKind.REMINDER_LETTER}
KIND_LABELS = {"rectification": "整改通知书", "visit": "走访通知", "reminder": "提醒函", "meeting": "三会一课会议记录",
               "visit-record": "走访记录表"}
Doc = RectificationNoticeDoc | VisitNoticeDoc | ReminderLetter | MeetingRecordDoc | VisitRecordDoc


def _check_kind(kind: str) -> None:
    if kind not in RECORD_KINDS:
        raise ServiceError(f"不认识的文书种类“{kind}”，可选：{'、'.join(RECORD_KINDS)}。")


def document_of(session: Session, *, kind: str, record_id: str, masked: bool = True) -> Doc:
    """The content dataclass of a record's document (in the caller's session)."""
    _check_kind(kind)
    if kind in NOTICE_KINDS:
        return notice_doc(session, _notice_id(session, record_id, kind), masked=masked, kind=NOTICE_KINDS[kind])
    if kind == "meeting":
        return meeting_doc(session, record_id, masked=masked)
    return visit_record_doc(session, record_id, masked=masked)


def _notice_id(session: Session, record_id: str, kind: str) -> str:
    """A notice's id, or the id of the notice whose 发文字号 ``record_id`` is (as a user types it)."""
    if not set(record_id) & ALL_BRACKETS:
        return record_id
    found = find_by_number(session, record_id, NOTICE_KINDS[kind])
    if found is None:
        raise NotFoundError(f"没有文号为“{record_id.strip()}”的{KIND_LABELS[kind]}。")
    return found


def resolve_record_id(factory: sessionmaker[Session], *, kind: str, record_id: str) -> str:
    """The id of the record ``record_id`` names: itself, or for a notice the id of the one whose 发文字号 it
    is (``社党整改〔2026〕7号`` as typed; NotFoundError when none has it).  Read-only; any thread."""
    _check_kind(kind)
    if kind not in NOTICE_KINDS:
        return record_id
    with factory() as session:
        return _notice_id(session, record_id, kind)


def render_doc(doc: Doc) -> RenderedPdf:
    """The PDF of a document's content, by its type (the documents area's renderers; reportlab is loaded
    only here)."""
    if isinstance(doc, RectificationNoticeDoc):
        from app.services.documents.rectification_notice import render_rectification_notice

        return render_rectification_notice(doc)
    if isinstance(doc, VisitNoticeDoc):
        from app.services.documents.visit_notice import render_visit_notice

        return render_visit_notice(doc)
    if isinstance(doc, ReminderLetter):
        from app.services.documents.reminder_letter import render_reminder_letter

        return render_reminder_letter(doc)
    if isinstance(doc, MeetingRecordDoc):
        from app.services.documents.meeting_record import render_meeting_record

        return render_meeting_record(doc)
    from app.services.documents.visit_record import render_visit_record

    return render_visit_record(doc)


def render_record(factory: sessionmaker[Session], *, kind: str, record_id: str, masked: bool = True) -> RenderedPdf:
    """The PDF of a record's document: ``kind`` "rectification" / "visit" / "reminder" (a notice's id or
    its 发文字号 as typed),
    "meeting" (a meeting's id) or "visit-record" (a visit's id).  A 草稿 or 作废 notice renders as a check
    copy marked so on every page (a 草稿 with no number: none is allocated).  NotFoundError for an unknown id;
    ServiceError for a visit only planned, a kind that does not match;
    DocumentInputError / MissingGlyphsError from the renderer.  Read-only; any thread."""
    with factory() as session:
        doc = document_of(session, kind=kind, record_id=record_id, masked=masked)
    return render_doc(doc)


def latest_record_id(factory: sessionmaker[Session], kind: str) -> str | None:
    """The record ``--latest`` prints: the notice of that kind issued last (not 作废), the meeting held last
    (completed ones first), the visit done last; None when there is none.  Read-only; any thread."""
    _check_kind(kind)
    with factory() as session:
        if kind in NOTICE_KINDS:
            query = (select(Notice.id).where(Notice.kind == NOTICE_KINDS[kind], Notice.deleted_at.is_(None),
                                             Notice.status.not_in([NoticeStatus.DRAFT, NoticeStatus.VOID]))
                     .order_by(Notice.issued_on.desc(), Notice.updated_at.desc()))
        elif kind == "meeting":
            query = (select(Meeting.id).where(Meeting.deleted_at.is_(None))
                     .order_by(case((Meeting.status == MeetingStatus.DONE, 0), else_=1), Meeting.started_at.desc()))
        else:
            query = (select(Visit.id).where(Visit.deleted_at.is_(None), Visit.status == VisitStatus.DONE)
                     .order_by(Visit.visited_on.desc(), Visit.started_at.desc(), Visit.id.desc()))
        found = session.execute(query.limit(1)).scalar()
    return None if found is None else str(found)


def record_print(factory: sessionmaker[Session], notice_id: str, pdf: RenderedPdf, *, masked: bool = True,
                 actor: str) -> NoticePrintRow | None:
    """Note that a notice's PDF was printed or saved: its SHA-256, page count, masked or not (a reprint of
    an unchanged notice has the same hash).  Write lane.

    The print of a 草稿 or a 作废 notice is a check copy (marked 草稿 / 作废 on every page, no number) and is
    not noted: ``NoticePrint`` holds the prints of the document that is handed over, so a paper can be
    proved to be the issued one by its hash; a draft's hash changes with every edit and proves nothing.
    None then."""
    with factory.begin() as session:
        set_actor(session, actor)
        if live_notice(session, notice_id).status in (NoticeStatus.DRAFT, NoticeStatus.VOID):
            return None
        notice, _number = printable_notice(session, notice_id)
        printed = NoticePrint(org_id=notice.org_id, notice_id=notice.id, sha256=pdf.sha256, printed_at=clock.now(),
                              pages=pdf.pages, masked=masked)
        session.add(printed)
        session.add(AuditLog(actor=actor, action="print", entity="notice", record_id=notice.id,
                             summary=f"{notice.kind.label} {number_text(notice)} {pdf.pages} 页 {pdf.sha256[:12]}"))
        session.flush()
        return NoticePrintRow(printed.sha256, printed.printed_at, printed.pages, printed.masked, printed.updated_by)
