"""A month's notices in one PDF (批量打印): every notice issued in the month (not 作废), in the order
issued, each rendered as ``render_record`` renders it, joined by the documents area's ``combine_pdfs``.

Progress is reported per notice (``progress(stage, done, total)``); ``is_cancelled`` is checked before each
one, and a cancel stops the work and says what was done (no PDF then: nothing half-made is handed out).
Qt-free; any thread (the UI: the task runner's read lane).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import NoticeKind, NoticeStatus
from app.models import Notice
from app.services.core.errors import ServiceError
from app.services.documents.typeset import RenderedPdf
from app.services.notices.listing import month_span
from app.services.notices.notice_docs import notice_doc
from app.services.notices.render import render_doc

__all__ = ["BatchResult", "month_notice_ids", "render_month_batch"]

STAGE = "生成文书"
_KIND_ORDER = {NoticeKind.RECTIFICATION_NOTICE: 0, NoticeKind.VISIT_NOTICE: 1, NoticeKind.REMINDER_LETTER: 2}


@dataclass(frozen=True)
class BatchResult:
    """What a batch made: the combined PDF (None when cancelled), each notice's own PDF in order (so each
    printing can be noted with its SHA-256), and how many the month had."""

    year: int
    month: int
    pdf: RenderedPdf | None
    parts: tuple[tuple[str, RenderedPdf], ...]  # (notice id, its PDF)
    total: int
    cancelled: bool = False

    @property
    def message(self) -> str:
        month = f"{self.year}年{self.month}月"
        if self.cancelled:
            return f"已取消：{month}共 {self.total} 份通知，取消前已生成 {len(self.parts)} 份，没有保存合并的文件。"
        pages = self.pdf.pages if self.pdf else 0
        return f"{month}签发的 {self.total} 份通知已合并为一个 PDF（共 {pages} 页）。"


def month_notice_ids(session: Session, year: int, month: int) -> list[str]:
    """The notices issued in the month (not 作废, not deleted): by issue day, kind, number."""
    first, last = month_span(year, month)
    found = session.execute(select(Notice.id, Notice.issued_on, Notice.kind, Notice.series, Notice.confirmed_seq,
                                  Notice.provisional_seq).where(
        Notice.deleted_at.is_(None), Notice.status != NoticeStatus.VOID, Notice.issued_on >= first,
        Notice.issued_on <= last)).all()
    rows = sorted(found, key=lambda r: (r[1], _KIND_ORDER.get(r[2], 9), r[3], r[4] is None, r[4] or r[5] or 0, r[0]))
    return [row[0] for row in rows]


def render_month_batch(factory: sessionmaker[Session], *, year: int, month: int, masked: bool = True,
                       progress: Callable[[str, int, int], None] | None = None,
                       is_cancelled: Callable[[], bool] | None = None) -> BatchResult:
    """All notices issued in ``year`` / ``month`` in one PDF.  ServiceError for a month that is not one or
    has no notice issued.  A cancel returns ``cancelled=True`` with the parts made so far and no PDF."""
    if not 1 <= month <= 12 or not 1900 <= year <= 9999:
        raise ServiceError(f"月份“{year}-{month}”无效，请写成如 2026-03。")
    with factory() as session:
        ids = month_notice_ids(session, year, month)
    if not ids:
        raise ServiceError(f"{year}年{month}月没有签发的通知（作废的不计），没有可合并打印的文书。")
    parts: list[tuple[str, RenderedPdf]] = []
    for done, notice_id in enumerate(ids):
        if is_cancelled is not None and is_cancelled():
            return BatchResult(year, month, None, tuple(parts), len(ids), cancelled=True)
        if progress is not None:
            progress(STAGE, done, len(ids))
        with factory() as session:
            doc = notice_doc(session, notice_id, masked=masked)
        parts.append((notice_id, render_doc(doc)))
    if progress is not None:
        progress(STAGE, len(ids), len(ids))
    from app.services.documents.output import combine_pdfs

    combined = combine_pdfs([pdf for _id, pdf in parts], title=f"{year}年{month}月通知合集")
    if progress is not None:
        progress("完成", 1, 1)
    return BatchResult(year, month, combined, tuple(parts), len(ids))
