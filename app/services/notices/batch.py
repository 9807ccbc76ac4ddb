"""A month's notices in one PDF (批量打印): every notice issued in the month (not 作废), in the order
issued, set by the documents area's ``render_documents`` (each notice from a new page numbered from
— 1 —, the fonts embedded once: a batch of 100 costs about what bare reportlab would, DESIGN §8).

Progress (``progress(stage, done, total)``) goes through reading the records, then setting the pages;
``is_cancelled`` is checked before each record and each page, and a cancel stops the work and says what was
done (no PDF then: nothing half-made is handed out).  Qt-free; any thread (the UI: the read lane).
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
from app.services.notices.notice_docs import NoticeDoc, notice_doc

__all__ = ["BATCH_SCALE", "BatchResult", "batch_progress", "month_notice_ids", "render_month_batch"]

READING = "读取通知"
# The batch's stages on one scale (0 … BATCH_SCALE), so its progress never goes back: stage -> (start, share).
BATCH_SCALE = 1000
_STAGES = {READING: (0, 200), "排版": (200, 300), "生成 PDF": (500, 500), "完成": (1000, 0)}


def batch_progress(stage: str, done: int, total: int) -> tuple[int, str]:
    """Where ``done`` of ``total`` in ``stage`` is on the whole batch (0 … BATCH_SCALE), and the words for it
    (第 2 步，共 3 步：排版 3/10)."""
    start, share = _STAGES.get(stage, (0, 0))
    value = start + (share * min(done, total) // total if total > 0 else 0)
    if stage == "完成":
        return BATCH_SCALE, "已完成"
    step = list(_STAGES).index(stage) + 1 if stage in _STAGES else 0
    counted = f" {done}/{total}" if total > 1 else ""
    return value, f"第 {step} 步，共 3 步：{stage}{counted}…" if step else f"{stage}{counted}…"
_KIND_ORDER = {NoticeKind.RECTIFICATION_NOTICE: 0, NoticeKind.VISIT_NOTICE: 1, NoticeKind.REMINDER_LETTER: 2}


@dataclass(frozen=True)
class BatchResult:
    """What a batch made: the PDF (None when cancelled) and the notices in it, in order.  Each printing of
    the PDF is noted for every notice in it with the PDF's SHA-256 (``record_print``): printing the same
    month again gives the same file."""

    year: int
    month: int
    pdf: RenderedPdf | None
    notice_ids: tuple[str, ...]
    total: int
    cancelled: bool = False
    done: int = 0  # notices read before a cancel

    @property
    def message(self) -> str:
        month = f"{self.year}年{self.month}月"
        if self.cancelled:
            return (f"已取消：{month}共 {self.total} 份通知，取消前已读取 {self.done} 份，没有生成文件，"
                    "也没有记录打印。")
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
    has no notice issued; DocumentInputError naming the notice whose content cannot be set.  A cancel
    returns ``cancelled=True`` and no PDF."""
    from app.services.documents.batch import DocumentsCancelled, render_documents

    if not 1 <= month <= 12 or not 1900 <= year <= 9999:
        raise ServiceError(f"月份“{year}-{month}”无效，请写成如 2026-03。")
    with factory() as session:
        ids = month_notice_ids(session, year, month)
        if not ids:
            raise ServiceError(f"{year}年{month}月没有签发的通知（作废的不计），没有可合并打印的文书。")
        docs: list[NoticeDoc] = []
        for done, notice_id in enumerate(ids):
            if is_cancelled is not None and is_cancelled():
                return BatchResult(year, month, None, (), len(ids), cancelled=True, done=done)
            if progress is not None:
                progress(READING, done, len(ids))
            docs.append(notice_doc(session, notice_id, masked=masked))
    try:
        pdf = render_documents(docs, title=f"{year}年{month}月通知合集", progress=progress, cancelled=is_cancelled)
    except DocumentsCancelled:
        return BatchResult(year, month, None, (), len(ids), cancelled=True, done=len(ids))
    if progress is not None:
        progress("完成", 1, 1)
    return BatchResult(year, month, pdf, tuple(ids), len(ids), done=len(ids))
