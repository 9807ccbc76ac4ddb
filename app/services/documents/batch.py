"""Several documents in one PDF (a month's notices): each document starts on a new page with its own page
numbers from — 1 —, and the fonts are embedded once for all of them, so a batch of 100 整改通知书 takes
about as long as bare reportlab would and is a fraction of the size of 100 PDFs joined (``combine_pdfs``).
No Qt; any thread; progress and cancel between documents.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.services.core.errors import ServiceError
from app.services.documents.bands import PART_BREAK, Band
from app.services.documents.content import (
    DocumentInputError,
    MeetingRecordDoc,
    RectificationNoticeDoc,
    ReminderLetter,
    VisitNoticeDoc,
    VisitRecordDoc,
)
from app.services.documents.drawing import RenderedPdf, render_bands
from app.services.documents.fonts import DocumentFonts
from app.services.documents.meeting_record import meeting_record_bands
from app.services.documents.rectification_notice import rectification_notice_bands
from app.services.documents.reminder_letter import reminder_letter_lines
from app.services.documents.typeset import line_band
from app.services.documents.visit_notice import visit_notice_bands
from app.services.documents.visit_record import visit_record_bands

__all__ = ["AnyDocument", "DocumentsCancelled", "document_bands", "render_documents"]

AnyDocument = RectificationNoticeDoc | VisitNoticeDoc | VisitRecordDoc | MeetingRecordDoc | ReminderLetter
Progress = Callable[[str, int, int], None]
"""``progress(stage, done, total)``, as in the other areas' long work."""
Cancelled = Callable[[], bool]


class DocumentsCancelled(ServiceError):
    """The user stopped a batch: no PDF was made."""

    def __init__(self) -> None:
        super().__init__("已取消生成文书：没有生成文件。")


def document_bands(doc: AnyDocument) -> list[Band]:
    """The bands of any document (DocumentInputError for bad content)."""
    if isinstance(doc, RectificationNoticeDoc):
        return rectification_notice_bands(doc)
    if isinstance(doc, VisitNoticeDoc):
        return visit_notice_bands(doc)
    if isinstance(doc, VisitRecordDoc):
        return visit_record_bands(doc)
    if isinstance(doc, MeetingRecordDoc):
        return meeting_record_bands(doc)
    return [line_band(line) for line in reminder_letter_lines(doc)]


def render_documents(docs: Sequence[AnyDocument], *, title: str = "文书合集", fonts: DocumentFonts | None = None,
                     progress: Progress | None = None, cancelled: Cancelled | None = None) -> RenderedPdf:
    """All ``docs`` in one PDF, each from a new page numbered from 1; byte-identical for identical input.
    Raises DocumentInputError (naming the document), MissingGlyphsError, DocumentsCancelled, and a
    ValueError for an empty sequence."""
    if not docs:
        raise ValueError("没有可生成的文书。")
    bands: list[Band] = []
    for done, doc in enumerate(docs):
        if cancelled is not None and cancelled():
            raise DocumentsCancelled
        if progress is not None:
            progress("排版", done, len(docs))
        try:
            parts = document_bands(doc)
        except DocumentInputError as bad:
            raise DocumentInputError([f"第{done + 1}份（{_name(doc)}）{problem}" for problem in bad.problems]) from bad
        bands += [PART_BREAK, *parts] if bands else parts

    def on_page(page: int, pages: int) -> None:
        if cancelled is not None and cancelled():
            raise DocumentsCancelled
        if progress is not None:
            progress("生成 PDF", page, pages)

    return render_bands(bands, title=title, fonts=fonts, on_page=on_page)


def _name(doc: AnyDocument) -> str:
    number = getattr(doc, "number", None)
    return number.text if number is not None else getattr(doc, "org_name", "") or getattr(doc, "party_org_name", "")
