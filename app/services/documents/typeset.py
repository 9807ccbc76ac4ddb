"""Set grid lines on A4 pages with reportlab: pagination, per-character font fallback, page numbers, and
the PDF's bytes with their SHA-256.  No Qt.

A document is a list of bands (``bands.py``): :class:`GridLine` makes one per line of the 22-line grid,
``tables.py`` those of a table.  Pagination drops blank
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

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.services.core.errors import ServiceError
from app.services.documents import layout as L
from app.services.documents.bands import Band, Op, Page, RuleOp, TextOp, paginate_bands
from app.services.documents.fonts import DocumentFonts, document_fonts, font_for, heading_font_for, runs_for

RED = Color(0.85, 0.0, 0.0)  # 版头 and its rule (GB/T 9704 §7.2.1: red)


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
    heading: bool = False  # in the Hei face (一级标题 黑体)
    red: bool = False  # 版头


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
    """Lines into pages of ``per_page``, by the band rules (``bands.paginate_bands``): blank lines at a page
    top are dropped; a ``keep_with_previous`` line never opens a page."""
    source = {}
    bands = []
    for line in lines:
        band = Band(1.0, (RuleOp(0, 0, 0, 0),) if line.text else (), keep_with_previous=line.keep_with_previous)
        source[id(band)] = line
        bands.append(band)
    return [[source[id(placed.band)] for placed in page.bands] for page in paginate_bands(bands, float(per_page))]


def line_band(line: GridLine, pitch_mm: float = L.LINE_PITCH_MM) -> Band:
    """One grid line as a band of the body's line pitch (its text on the ideographic em box's centre)."""
    if not line.text:
        return Band(pitch_mm, keep_with_previous=line.keep_with_previous)
    scale = line.size_pt / L.BODY_PT  # a title character fills a wider cell
    width = L.CHARS_PER_LINE / scale
    steps = [step * L.CHAR_PITCH_MM * scale
             for step in L.advances(line.text, width=width, justify=line.align is Align.JUSTIFY)]
    total = sum(steps)
    if line.align is Align.CENTRE:
        x = L.LEFT_MARGIN_MM + (L.TYPE_WIDTH_MM - total) / 2
    elif line.align is Align.RIGHT:
        x = L.LEFT_MARGIN_MM + L.TYPE_WIDTH_MM - total - line.inset_cells * L.CHAR_PITCH_MM
    else:
        x = L.LEFT_MARGIN_MM + line.inset_cells * L.CHAR_PITCH_MM
    baseline = pitch_mm / 2 + (0.88 - 0.5) * line.size_pt * L.MM_PER_PT
    text = TextOp(x, baseline, line.text, line.size_pt, tuple(steps), heading=line.heading, red=line.red)
    return Band(pitch_mm, (text,), keep_with_previous=line.keep_with_previous)


def render(lines: Sequence[GridLine], *, title: str, fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The PDF of ``lines`` (A4, GB/T 9704 frame, page numbers), byte-identical for identical input."""
    return render_bands([line_band(line) for line in lines], title=title, fonts=fonts)


def render_bands(bands: Sequence[Band], *, title: str, fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The PDF of ``bands`` paginated on the type area, with page numbers; byte-identical for identical
    input.  Raises MissingGlyphsError, before drawing anything, for characters no face has."""
    fonts = fonts or document_fonts()
    pages = paginate_bands(bands)
    _check_glyphs(pages, fonts)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1,
                    initialFontName=fonts.body, initialFontSize=L.BODY_PT)  # no unembedded Helvetica
    canvas.setTitle(title)
    canvas.setCreator("党建指导员工作台")
    for page in pages:
        for placed in page.bands:
            for op in placed.band.ops:
                _draw(canvas, op, placed.top, fonts)
        if page.bands:
            for op in page.bands[0].band.open:
                _draw(canvas, op, page.bands[0].top, fonts)
            for op in page.bands[-1].band.close:
                _draw(canvas, op, page.bands[-1].top, fonts)
        _draw_page_number(canvas, page.number, fonts)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    return RenderedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages))


def _check_glyphs(pages: list[Page], fonts: DocumentFonts) -> None:
    missing: dict[str, None] = {}
    for page in pages:
        for placed in page.bands:
            for op in placed.band.ops:
                if isinstance(op, TextOp):
                    missing.update(dict.fromkeys(runs_for(op.text, fonts).missing))
    if missing:
        raise MissingGlyphsError(list(missing))


def _y(top: float, y: float) -> float:
    """A position in the band (mm below its top, the band ``top`` mm below the type area's) in points."""
    return float((L.PAGE_HEIGHT_MM - L.TOP_MARGIN_MM - top - y) * mm)


def _draw(canvas: Canvas, op: Op, top: float, fonts: DocumentFonts) -> None:
    if isinstance(op, RuleOp):
        canvas.setStrokeColor(RED if op.red else black)
        canvas.setLineWidth(op.width_pt)
        canvas.setDash(2, 2) if op.dashed else canvas.setDash()
        canvas.line(op.x1 * mm, _y(top, op.y1), op.x2 * mm, _y(top, op.y2))
        return
    canvas.setFillColor(RED if op.red else black)
    text = canvas.beginText(op.x * mm, _y(top, op.baseline))
    for font, space, chunk in _chunks(op, fonts):
        text.setFont(font, op.size_pt)
        text.setCharSpace(space)
        text.textOut(chunk)
    canvas.drawText(text)


def _chunks(op: TextOp, fonts: DocumentFonts) -> list[tuple[str, float, str]]:
    """Runs of characters with the same face and the same extra spacing (each character ends in its cell)."""
    chunks: list[tuple[str, float, str]] = []
    for char, step in zip(op.text, op.steps, strict=True):
        font = heading_font_for(char, fonts) if op.heading else font_for(char, fonts)
        space = round(step * mm - stringWidth(char, font, op.size_pt), 4)
        if chunks and chunks[-1][0] == font and chunks[-1][1] == space:
            chunks[-1] = (font, space, chunks[-1][2] + char)
        else:
            chunks.append((font, space, char))
    return chunks


def _draw_page_number(canvas: Canvas, page: int, fonts: DocumentFonts) -> None:
    label = L.page_number_text(page)
    width_mm = stringWidth(label, fonts.body, L.PAGE_NUMBER_PT) / mm
    x, y = L.page_number_position(page, width_mm)
    canvas.setFillColor(black)
    canvas.setFont(fonts.body, L.PAGE_NUMBER_PT)
    canvas.drawString(x * mm, y * mm, label)
