"""A generated PDF's pages as QImages, rasterized by pypdfium2 (for the preview and for printing).

Why pypdfium2 and not QtPdf: see ``docs/decisions.md`` (measured: the QtPdf route needs PySide6-Addons,
a 175 MB wheel of 438 MB next to the 80 MB Essentials the app uses; pypdfium2 is a 4 MB wheel).

PDFium is not thread-safe: every call into it, from any thread, holds ``PDFIUM_LOCK``, so two previews
(or a preview and a print) on the task runner's parallel lane never enter it at once.  A ``PdfPages`` is
opened, used and closed on worker threads; the QImages it returns are plain copies that any thread may
hand to the UI.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PySide6.QtGui import QImage

PDFIUM_LOCK = threading.RLock()
POINTS_PER_INCH = 72.0
MAX_PAGE_PIXELS = 6000  # longest side of one rasterized page (A4 at 508 dpi): bounds the memory of one page


class PdfReadError(Exception):
    """The bytes are not a PDF PDFium can read."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"无法读取该 PDF 文件（{detail}），请重新生成后再试。")


@dataclass(frozen=True)
class PageSize:
    """A page's size in PDF points (1/72 inch)."""

    width: float
    height: float

    def pixels_for_width(self, width_px: int) -> tuple[int, int]:
        scale = width_px / self.width
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))


class PdfPages:
    """One open PDF: page count, page sizes, and pages rendered to ``QImage`` at a width or a resolution."""

    def __init__(self, data: bytes) -> None:
        with PDFIUM_LOCK:
            try:
                self._pdf = pdfium.PdfDocument(data)
            except pdfium.PdfiumError as exc:
                raise PdfReadError(str(exc)) from exc
            self.sizes = tuple(PageSize(*self._pdf[i].get_size()) for i in range(len(self._pdf)))
            self._closed = False

    def __len__(self) -> int:
        return len(self.sizes)

    def __enter__(self) -> PdfPages:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Idempotent; a render asked for afterwards raises PdfReadError instead of touching freed memory."""
        with PDFIUM_LOCK:
            if not self._closed:
                self._closed = True
                self._pdf.close()

    def render_width(self, index: int, width_px: int) -> QImage:
        """Page ``index`` (0-based) rasterized to ``width_px`` pixels wide (height in proportion)."""
        return self._render(index, width_px / self.sizes[index].width)

    def render_dpi(self, index: int, dpi: float) -> QImage:
        """Page ``index`` at ``dpi`` (capped so its longest side stays within ``MAX_PAGE_PIXELS``)."""
        return self._render(index, dpi / POINTS_PER_INCH)

    def _render(self, index: int, scale: float) -> QImage:
        size = self.sizes[index]
        scale = min(scale, MAX_PAGE_PIXELS / max(size.width, size.height))
        with PDFIUM_LOCK:
            if self._closed:
                raise PdfReadError("预览已关闭")
            page = self._pdf[index]
            try:
                bitmap = page.render(scale=scale, force_bitmap_format=pdfium_c.FPDFBitmap_BGRx,
                                     may_draw_forms=False, optimize_mode="print" if scale > 3 else None)
                try:
                    # BGRx in memory is QImage's Format_RGB32 on little-endian machines; copy() owns the pixels
                    image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                                   QImage.Format.Format_RGB32).copy()
                finally:
                    bitmap.close()
            finally:
                page.close()
        return image


def page_count(data: bytes) -> int:
    with PdfPages(data) as pages:
        return len(pages)
