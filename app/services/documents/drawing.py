"""Paginated bands drawn with reportlab: text per character cell in the face that has each glyph, rules,
page numbers, and the PDF's bytes with their SHA-256.  No Qt; any thread.

Every character ends in its cell: runs of characters in the same face with the same extra spacing are set
with one text operator, written by ``pdf_text.py`` (reportlab's own operators, without its per-call costs).
A table's walls come as one short rule per band; touching pieces of the same
rule are joined into one line before drawing (fewer operators: smaller, faster files that print the
same).  A character no face has stops the rendering, before anything is drawn, with
:class:`MissingGlyphsError`, which lists them — the PDF never shows boxes.

A ``mark`` (草稿, 作废) is set on every page of a copy that is not the document handed over: the word large,
light grey and slanted behind the text, and a grey line in the top margin saying what the copy is — outside
the type area, so the GB/T 9704 layout is unchanged.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from app.services.core.errors import ServiceError
from app.services.documents import layout as L
from app.services.documents.bands import Band, Page, RuleOp, TextOp, paginate_bands
from app.services.documents.fonts import DocumentFonts, document_fonts, face_table
from app.services.documents.pdf_text import RED, DocumentText, PageText, number

__all__ = ["MissingGlyphsError", "RenderedPdf", "render_bands"]

# Content streams compressed only (Flate), not also ASCII85-encoded: a quarter smaller, and the encoding was
# the largest single cost of a batch.  PDFs have carried binary streams since 1.2.
rl_config.useA85 = 0
MARK_GREY, MARK_NOTE_GREY = Color(0.86, 0.86, 0.86), Color(0.45, 0.45, 0.45)
MARK_PT, MARK_NOTE_PT = 110.0, 10.5
MARK_NOTE = "{mark}：此件仅供核对，不是正式文书，不得送达或使用"
_JOIN = 0.01  # mm: rule pieces this close are one rule


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


def render_bands(bands: Sequence[Band], *, title: str, fonts: DocumentFonts | None = None,
                 on_page: Callable[[int, int], None] | None = None, mark: str = "") -> RenderedPdf:
    """The PDF of ``bands`` paginated on the type area, with page numbers; byte-identical for identical
    input.  Raises MissingGlyphsError, before drawing anything, for characters no face has.
    ``on_page(done, total)`` is called before each page is drawn (it may raise to stop).  ``mark``
    (e.g. 草稿) is set on every page (see the module doc)."""
    fonts = fonts or document_fonts()
    pages = paginate_bands(bands)
    _check_glyphs(pages, fonts, mark)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1,
                    initialFontName=fonts.body, initialFontSize=L.BODY_PT)  # no unembedded Helvetica
    for setter in (canvas.setTitle, canvas.setSubject):
        setter(title)
    canvas.setCreator("党建指导员工作台")
    canvas.setAuthor("党建指导员工作台")
    document = DocumentText(canvas, fonts)
    for done, page in enumerate(pages):
        if on_page is not None:
            on_page(done, len(pages))
        if mark:
            _draw_mark(canvas, mark, fonts)
        _draw_page(canvas, page, document)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    return RenderedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages))


def _check_glyphs(pages: list[Page], fonts: DocumentFonts, mark: str = "") -> None:
    faces = face_table(fonts)
    texts = dict.fromkeys([*((MARK_NOTE.format(mark=mark),) if mark else ()),
                           *(op.text for page in pages for placed in page.bands for op in placed.band.ops
                             if isinstance(op, TextOp))])
    if all(faces[ch] is not None or ch in "\n\r\t" for ch in set().union(*texts)):  # each character once
        return
    missing: dict[str, None] = {}
    for text in texts:  # in order, for the message
        missing.update(dict.fromkeys(ch for ch in text if faces[ch] is None and ch not in "\n\r\t"))
    raise MissingGlyphsError(list(missing))


def _draw_mark(canvas: Canvas, mark: str, fonts: DocumentFonts) -> None:
    """The mark behind the page's text (drawn first): slanted across the middle of the page, and a note
    centred in the top margin.  The graphics state is left as it was (the page's text sets its own)."""
    faces = face_table(fonts)
    canvas.saveState()
    canvas.saveState()
    canvas.setFillColor(MARK_GREY)
    canvas.translate(L.PAGE_WIDTH_MM / 2 * mm, L.PAGE_HEIGHT_MM / 2 * mm)
    canvas.rotate(35)
    canvas.setFont(faces[mark[0]] or fonts.body, MARK_PT)
    canvas.drawCentredString(0, -MARK_PT * 0.35, mark)
    canvas.restoreState()
    canvas.setFillColor(MARK_NOTE_GREY)
    canvas.setFont(fonts.body, MARK_NOTE_PT)
    canvas.drawCentredString(L.PAGE_WIDTH_MM / 2 * mm, (L.PAGE_HEIGHT_MM - L.TOP_MARGIN_MM / 2) * mm,
                             MARK_NOTE.format(mark=mark))
    canvas.restoreState()


def _draw_page(canvas: Canvas, page: Page, document: DocumentText) -> None:
    pieces: list[_Piece] = []
    text = PageText(document)
    placed = page.bands
    drawn = [(band.top, band.band.ops) for band in placed]
    if placed:
        drawn += [(placed[0].top, placed[0].band.open), (placed[-1].top, placed[-1].band.close)]
    for top, ops in drawn:
        for op in ops:
            if isinstance(op, RuleOp):
                pieces.append(_piece(op, top, len(pieces)))
            else:
                text.draw(op, _y(top, op.baseline))
    canvas.drawText(text.text)
    _draw_rules(canvas, _joined(pieces))
    _draw_page_number(canvas, page.number, document.fonts)


_Rule = tuple[float, float, float, float, float, bool, bool]
"""A rule with y measured from the top of the type area: x1, y1, x2, y2, and its pen (width, dashed, red)."""
_Piece = tuple[int, float, float, bool, bool, float, int, float, float, float, float]
"""A rule piece, in the order pieces are joined: its direction, the line it lies on, its pen, where it
starts along the line, its place among the page's pieces, and x1, y1, x2, y2 (y from the type area's top)."""


def _piece(rule: RuleOp, top: float, index: int) -> _Piece:
    x1, y1, x2, y2 = rule.x1, top + rule.y1, rule.x2, top + rule.y2
    pen = rule.width_pt, rule.dashed, rule.red
    if x1 == x2:
        return 0, round(x1, 3), *pen, y1, index, x1, y1, x2, y2
    if y1 == y2:
        return 1, round(y1, 3), *pen, x1, index, x1, y1, x2, y2
    return 2, x1 + y1, *pen, x2, index, x1, y1, x2, y2  # oblique: never joined


def _joined(pieces: list[_Piece]) -> list[_Rule]:
    """Rules with touching pieces of the same vertical or horizontal line joined into one."""
    joined: list[_Rule] = []
    line: tuple[int, float, float, bool, bool] | None = None  # the line (and pen) of the last joined rule
    for piece in sorted(pieces):
        direction, _, width, dashed, red, _, _, x1, y1, x2, y2 = piece
        if line == piece[:5]:
            last_x1, last_y1, last_x2, last_y2, *_ = joined[-1]
            if x1 == x2 and y1 <= last_y2 + _JOIN:
                joined[-1] = (last_x1, last_y1, last_x2, max(last_y2, y2), width, dashed, red)
                continue
            if x1 != x2 and x1 <= last_x2 + _JOIN:
                joined[-1] = (last_x1, last_y1, max(last_x2, x2), last_y2, width, dashed, red)
                continue
        joined.append((x1, y1, x2, y2, width, dashed, red))
        line = direction, piece[1], width, dashed, red
    return joined


def _draw_rules(canvas: Canvas, rules: list[_Rule]) -> None:
    pen: tuple[float, bool, bool] | None = None
    code: list[str] = canvas._code
    for x1, y1, x2, y2, width, dashed, red in rules:
        if pen != (width, dashed, red):
            pen = (width, dashed, red)
            canvas.setStrokeColor(RED if red else black)
            canvas.setLineWidth(width)
            canvas.setDash(2, 2) if dashed else canvas.setDash()
        # canvas.line's operator, its numbers formatted once per value
        code.append(f"n {number(x1 * mm)} {number(_y(0.0, y1))} m {number(x2 * mm)} {number(_y(0.0, y2))} l S")


def _y(top: float, y: float) -> float:
    """A position in the band (mm below its top, the band ``top`` mm below the type area's) in points."""
    return float((L.PAGE_HEIGHT_MM - L.TOP_MARGIN_MM - top - y) * mm)


def _draw_page_number(canvas: Canvas, page: int, fonts: DocumentFonts) -> None:
    label = L.page_number_text(page)
    width_mm = stringWidth(label, fonts.body, L.PAGE_NUMBER_PT) / mm
    x, y = L.page_number_position(page, width_mm)
    canvas.setFillColor(black)
    canvas.setFont(fonts.body, L.PAGE_NUMBER_PT)
    canvas.drawString(x * mm, y * mm, label)
