"""文书 area: PDF documents — 走访通知, 整改通知书, 走访记录表, 三会一课会议记录 + 签到表, 提醒函 — on the
GB/T 9704-2012 grid, with embedded TrueType fonts (DESIGN §2.2).  Other areas use it only through the
public names below: they describe a document with the frozen dataclasses of ``content`` and call its
renderer, which returns a :class:`RenderedPdf` (bytes, SHA-256, page count).

The names load on first use (PEP 562): importing the area (its package) costs nothing, and reportlab
has no place in painting the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.services.documents.batch import AnyDocument as AnyDocument
    from app.services.documents.batch import DocumentsCancelled as DocumentsCancelled
    from app.services.documents.batch import render_documents as render_documents
    from app.services.documents.content import AttendanceRowDoc as AttendanceRowDoc
    from app.services.documents.content import CandidateDoc as CandidateDoc
    from app.services.documents.content import ChecklistRowDoc as ChecklistRowDoc
    from app.services.documents.content import DocumentInputError as DocumentInputError
    from app.services.documents.content import DocumentNumber as DocumentNumber
    from app.services.documents.content import GuestDoc as GuestDoc
    from app.services.documents.content import MeetingRecordDoc as MeetingRecordDoc
    from app.services.documents.content import NoticeItemDoc as NoticeItemDoc
    from app.services.documents.content import RectificationNoticeDoc as RectificationNoticeDoc
    from app.services.documents.content import ReminderLetter as ReminderLetter
    from app.services.documents.content import SignInRowDoc as SignInRowDoc
    from app.services.documents.content import VisitNoticeDoc as VisitNoticeDoc
    from app.services.documents.content import VisitRecordDoc as VisitRecordDoc
    from app.services.documents.content import VoteDoc as VoteDoc
    from app.services.documents.fonts import FontFileError as FontFileError
    from app.services.documents.fonts import document_fonts as document_fonts
    from app.services.documents.fonts import missing_glyphs as missing_glyphs
    from app.services.documents.fonts import runs_for as runs_for
    from app.services.documents.meeting_record import render_meeting_record as render_meeting_record
    from app.services.documents.output import combine_pdfs as combine_pdfs
    from app.services.documents.output import write_pdf as write_pdf
    from app.services.documents.rectification_notice import (
        render_rectification_notice as render_rectification_notice,
    )
    from app.services.documents.reminder_letter import render_reminder_letter as render_reminder_letter
    from app.services.documents.typeset import MissingGlyphsError as MissingGlyphsError
    from app.services.documents.typeset import RenderedPdf as RenderedPdf
    from app.services.documents.visit_notice import render_visit_notice as render_visit_notice
    from app.services.documents.visit_record import render_visit_record as render_visit_record

_AREA = "app.services.documents"
_CONTENT, _FONTS, _LETTER, _TYPESET = ("app.services.documents.content", "app.services.documents.fonts",
                                       "app.services.documents.reminder_letter", "app.services.documents.typeset")
_PUBLIC = {
    **dict.fromkeys(("AttendanceRowDoc", "CandidateDoc", "ChecklistRowDoc", "DocumentInputError", "DocumentNumber",
                     "GuestDoc", "MeetingRecordDoc", "NoticeItemDoc", "RectificationNoticeDoc", "ReminderLetter",
                     "SignInRowDoc", "VisitNoticeDoc", "VisitRecordDoc", "VoteDoc"), _CONTENT),
    "FontFileError": _FONTS, "document_fonts": _FONTS, "missing_glyphs": _FONTS, "runs_for": _FONTS,
    "render_reminder_letter": _LETTER, "MissingGlyphsError": _TYPESET, "RenderedPdf": _TYPESET,
    "AnyDocument": f"{_AREA}.batch", "DocumentsCancelled": f"{_AREA}.batch", "render_documents": f"{_AREA}.batch",
    "combine_pdfs": f"{_AREA}.output", "write_pdf": f"{_AREA}.output",
    "render_meeting_record": f"{_AREA}.meeting_record", "render_rectification_notice": f"{_AREA}.rectification_notice",
    "render_visit_notice": f"{_AREA}.visit_notice", "render_visit_record": f"{_AREA}.visit_record",
}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
