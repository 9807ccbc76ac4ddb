"""Paginated bands drawn with reportlab: text per character cell in the face that has each glyph, rules,
page numbers, and the PDF's bytes with their SHA-256.  No Qt; any thread.

Every character ends in its cell: runs of characters in the same face with the same extra spacing are set
with one text operator.  A table's walls come as one short rule per band; touching pieces of the same
rule are joined into one line before drawing (fewer operators: smaller, faster files that print the
same).  A character no face has stops the rendering, before anything is drawn, with
:class:`MissingGlyphsError`, which lists them — the PDF never shows boxes.

A ``mark`` (草稿, 作废) is set on every page of a copy that is not the document handed over: the word large,
light grey and slanted behind the text, and a grey line in the top margin saying what the copy is — outside
the type area, so the GB/T 9704 layout is unchanged.
"""

from __future__ import annotations

import functools
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
from app.services.documents.bands import Band, Page, PlacedBand, RuleOp, TextOp, paginate_bands
from app.services.documents.fonts import DocumentFonts, document_fonts, face_table, heading_font_for

__all__ = ["MissingGlyphsError", "RenderedPdf", "render_bands"]

# Content streams compressed only (Flate), not also ASCII85-encoded: a quarter smaller, and the encoding was
# the largest single cost of a batch.  PDFs have carried binary streams since 1.2.
rl_config.useA85 = 0
RED = Color(0.85, 0.0, 0.0)  # 版头 and its rule (GB/T 9704 §7.2.1: red)
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
    for done, page in enumerate(pages):
        if on_page is not None:
            on_page(done, len(pages))
        if mark:
            _draw_mark(canvas, mark, fonts)
        _draw_page(canvas, page, fonts)
        canvas.showPage()
    canvas.save()
    data = buffer.getvalue()
    return RenderedPdf(data=data, sha256=hashlib.sha256(data).hexdigest(), pages=len(pages))


def _check_glyphs(pages: list[Page], fonts: DocumentFonts, mark: str = "") -> None:
    faces = face_table(fonts)
    missing: dict[str, None] = dict.fromkeys(ch for ch in MARK_NOTE.format(mark=mark) if mark and faces[ch] is None)
    for page in pages:
        for placed in page.bands:
            for op in placed.band.ops:
                if isinstance(op, TextOp):
                    missing.update(dict.fromkeys(ch for ch in op.text if faces[ch] is None and ch not in "\n\r\t"))
    if missing:
        raise MissingGlyphsError(list(missing))


def _draw_page(canvas: Canvas, page: Page, fonts: DocumentFonts) -> None:
    rules: list[RuleOp] = []
    text = _PageText(canvas, fonts)
    shut = [(page.bands[0], page.bands[0].band.open), (page.bands[-1], page.bands[-1].band.close)] if page.bands else []
    for placed, ops in [*((placed, placed.band.ops) for placed in page.bands), *shut]:
        for op in ops:
            if isinstance(op, RuleOp):
                rules.append(_absolute(op, placed))
            else:
                text.draw(op, placed.top)
    canvas.drawText(text.text)
    _draw_rules(canvas, _joined(rules))
    _draw_page_number(canvas, page.number, fonts)


class _PageText:
    """All the text of a page in one text object, setting the face, size, spacing and colour only where
    they change (fewer operators than a text object per line)."""

    def __init__(self, canvas: Canvas, fonts: DocumentFonts) -> None:
        self.text, self.fonts = canvas.beginText(), fonts
        self.state: tuple[str, float, float] | None = None
        self.red = False

    def draw(self, op: TextOp, top: float) -> None:
        if op.red != self.red:
            self.red = op.red
            self.text.setFillColor(RED if op.red else black)
        self.text.setTextOrigin(op.x * mm, _y(top, op.baseline))
        for font, space, chunk in _chunks(op, self.fonts):
            if self.state is None or self.state[:2] != (font, op.size_pt):
                self.text.setFont(font, op.size_pt)
            if self.state is None or self.state[2] != space:
                self.text.setCharSpace(space)
            self.state = (font, op.size_pt, space)
            self.text.textOut(chunk)


def _draw_mark(canvas: Canvas, mark: str, fonts: DocumentFonts) -> None:
    """The mark behind the page's text (drawn first): slanted across the middle of the page, and a note
    centred in the top margin."""
    faces = face_table(fonts)
    canvas.saveState()
    canvas.setFillColor(MARK_GREY)
    canvas.translate(L.PAGE_WIDTH_MM / 2 * mm, L.PAGE_HEIGHT_MM / 2 * mm)
    canvas.rotate(35)
    font = faces[mark[0]] or fonts.body
    canvas.setFont(font, MARK_PT)
    canvas.drawCentredString(0, -MARK_PT * 0.35, mark)
    canvas.restoreState()
    note = MARK_NOTE.format(mark=mark)
    canvas.setFillColor(MARK_NOTE_GREY)
    canvas.setFont(fonts.body, MARK_NOTE_PT)
    canvas.drawCentredString(L.PAGE_WIDTH_MM / 2 * mm, (L.PAGE_HEIGHT_MM - L.TOP_MARGIN_MM / 2) * mm, note)
    canvas.setFillColor(black)


def _absolute(rule: RuleOp, placed: PlacedBand) -> RuleOp:
    """The rule with y measured from the top of the type area."""
    return RuleOp(rule.x1, placed.top + rule.y1, rule.x2, placed.top + rule.y2, rule.width_pt, rule.dashed, rule.red)


def _joined(rules: list[RuleOp]) -> list[RuleOp]:
    """Rules with touching pieces of the same vertical or horizontal line joined into one."""
    joined: list[RuleOp] = []
    for rule in sorted(rules, key=_line_key):
        last = joined[-1] if joined else None
        if last is not None and _line_key(last)[:-1] == _line_key(rule)[:-1]:
            if rule.x1 == rule.x2 and rule.y1 <= last.y2 + _JOIN:
                joined[-1] = RuleOp(last.x1, last.y1, last.x2, max(last.y2, rule.y2), *_pen(last))
                continue
            if rule.x1 != rule.x2 and rule.x1 <= last.x2 + _JOIN:
                joined[-1] = RuleOp(last.x1, last.y1, max(last.x2, rule.x2), last.y2, *_pen(last))
                continue
        joined.append(rule)
    return joined


def _line_key(rule: RuleOp) -> tuple[int, float, float, bool, bool, float]:
    """(direction, the line it lies on, its pen, where it starts along the line)."""
    if rule.x1 == rule.x2:
        return 0, round(rule.x1, 3), rule.width_pt, rule.dashed, rule.red, rule.y1
    if rule.y1 == rule.y2:
        return 1, round(rule.y1, 3), rule.width_pt, rule.dashed, rule.red, rule.x1
    return 2, rule.x1 + rule.y1, rule.width_pt, rule.dashed, rule.red, rule.x2  # oblique: never joined


def _pen(rule: RuleOp) -> tuple[float, bool, bool]:
    return rule.width_pt, rule.dashed, rule.red


def _draw_rules(canvas: Canvas, rules: list[RuleOp]) -> None:
    pen: tuple[float, bool, bool] | None = None
    for rule in rules:
        if pen != _pen(rule):
            pen = _pen(rule)
            canvas.setStrokeColor(RED if rule.red else black)
            canvas.setLineWidth(rule.width_pt)
            canvas.setDash(2, 2) if rule.dashed else canvas.setDash()
        canvas.line(rule.x1 * mm, _y(0.0, rule.y1), rule.x2 * mm, _y(0.0, rule.y2))


def _y(top: float, y: float) -> float:
    """A position in the band (mm below its top, the band ``top`` mm below the type area's) in points."""
    return float((L.PAGE_HEIGHT_MM - L.TOP_MARGIN_MM - top - y) * mm)


def _chunks(op: TextOp, fonts: DocumentFonts) -> list[tuple[str, float, str]]:
    """Runs of characters with the same face and the same extra spacing (each character ends in its cell)."""
    chunks: list[tuple[str, float, str]] = []
    faces = face_table(fonts)
    for char, step in zip(op.text, op.steps, strict=True):
        font = heading_font_for(char, fonts) if op.heading else (faces[char] or fonts.body)
        space = round(step * mm - _width(char, font, op.size_pt), 3)
        if chunks and chunks[-1][0] == font and chunks[-1][1] == space:
            chunks[-1] = (font, space, chunks[-1][2] + char)
        else:
            chunks.append((font, space, char))
    return chunks


@functools.lru_cache(maxsize=1 << 16)
def _width(char: str, font: str, size: float) -> float:
    return float(stringWidth(char, font, size))


def _draw_page_number(canvas: Canvas, page: int, fonts: DocumentFonts) -> None:
    label = L.page_number_text(page)
    width_mm = stringWidth(label, fonts.body, L.PAGE_NUMBER_PT) / mm
    x, y = L.page_number_position(page, width_mm)
    canvas.setFillColor(black)
    canvas.setFont(fonts.body, L.PAGE_NUMBER_PT)
    canvas.drawString(x * mm, y * mm, label)
