"""Set grid lines on A4 pages with reportlab: pagination, per-character font fallback, page numbers, and
the PDF's bytes with their SHA-256.  No Qt.

A document is a list of :class:`GridLine` (one per line of the 22-line grid).  Pagination drops blank
lines at the top of a page and never separates a line marked ``keep_with_previous`` from the one before
it (the 署名 and 成文日期 never stand on a page without body text).  Every character is drawn in its cell,
in the body face or, where that lacks the glyph, in the fallback face; a character neither face has stops
the rendering with :class:`MissingGlyphsError`, which lists them — the PDF never shows boxes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.services.core.errors import ServiceError
from app.services.documents import layout as L
from app.services.documents.fonts import DocumentFonts, document_fonts, font_for, runs_for


class Align(StrEnum):
    LEFT = "left"
    CENTRE = "centre"
    RIGHT = "right"
    JUSTIFY = "justify"  # a paragraph line that is not its last: spread to the full width


@dataclass(frozen=True)
class GridLine:
    text: str = ""
    align: Align = Align.LEFT
    size_pt: float = L.BODY_PT
    inset_cells: float = 0.0  # from the left (LEFT, JUSTIFY) or the right (RIGHT) edge of the type area
    keep_with_previous: bool = False


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    sha256: str
    pages: int


class MissingGlyphsError(ServiceError):
    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = tuple(missing)
        listed = "、".join(f"“{ch}”（U+{ord(ch):04X}）" for ch in self.missing)
        super().__init__(f"以下字符在文书字体中没有字形，打印出来会是方框：{listed}。请改用通行字形，"
                         "或在设置中指定包含这些字的 TrueType 字体后再生成。")


def paginate(lines: Sequence[GridLine], per_page: int = L.LINES_PER_PAGE) -> list[list[GridLine]]:
    """Lines into pages of ``per_page``; blank lines at a page top are dropped; a ``keep_with_previous``
    line never opens a page: the run of such lines before it and the line they keep with move along."""
    pages: list[list[GridLine]] = [[]]
    for line in lines:
        page = pages[-1]
        if len(page) < per_page:
            if page or line.text:
                page.append(line)
            continue
        carried: list[GridLine] = []
        if line.keep_with_previous:
            while page and page[-1].keep_with_previous and len(carried) < per_page - 2:
                carried.insert(0, page.pop())
            if len(page) > 1:
                carried.insert(0, page.pop())
        opening = [*carried, line]
        while opening and not opening[0].text:
            opening.pop(0)
        pages.append(opening)
    return [page for page in pages if page] or [[]]


def render(lines: Sequence[GridLine], *, title: str, fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The PDF of ``lines`` (A4, GB/T 9704 frame, page numbers), byte-identical for identical input."""
    fonts = fonts or document_fonts()
    missing: dict[str, None] = {}
    for line in lines:
        missing.update(dict.fromkeys(runs_for(line.text, fonts).missing))
    if missing:
        raise MissingGlyphsError(list(missing))
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1,
                    initialFontName=fonts.body, initialFontSize=L.BODY_PT)  # no unembedded Helvetica
    canvas.setTitle(title)
    canvas.setCreator("党建指导员工作台")
    pages = paginate(lines)
    for number, page in enumerate(pages, start=1):
        for row, line in enumerate(page):
            _draw_line(canvas, line, row, fonts)
        _draw_page_number(canvas, number, fonts)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    return RenderedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages))


def _draw_line(canvas: Canvas, line: GridLine, row: int, fonts: DocumentFonts) -> None:
    if not line.text:
        return
    scale = line.size_pt / L.BODY_PT  # a title character fills a wider cell
    width = L.CHARS_PER_LINE / scale
    steps = L.advances(line.text, width=width, justify=line.align is Align.JUSTIFY)
    total = sum(steps) * L.CHAR_PITCH_MM * scale
    if line.align is Align.CENTRE:
        x = L.LEFT_MARGIN_MM + (L.TYPE_WIDTH_MM - total) / 2
    elif line.align is Align.RIGHT:
        x = L.LEFT_MARGIN_MM + L.TYPE_WIDTH_MM - total - line.inset_cells * L.CHAR_PITCH_MM
    else:
        x = L.LEFT_MARGIN_MM + line.inset_cells * L.CHAR_PITCH_MM
    text = canvas.beginText(x * mm, L.baseline_mm(row, line.size_pt) * mm)
    for char, step in zip(line.text, steps, strict=True):
        font = font_for(char, fonts)
        text.setFont(font, line.size_pt)
        text.setCharSpace(step * L.CHAR_PITCH_MM * scale * mm - stringWidth(char, font, line.size_pt))
        text.textOut(char)
    canvas.drawText(text)


def _draw_page_number(canvas: Canvas, page: int, fonts: DocumentFonts) -> None:
    label = L.page_number_text(page)
    width_mm = stringWidth(label, fonts.body, L.PAGE_NUMBER_PT) / mm
    x, y = L.page_number_position(page, width_mm)
    canvas.setFont(fonts.body, L.PAGE_NUMBER_PT)
    canvas.drawString(x * mm, y * mm, label)
