"""Grid lines of the GB/T 9704 frame: one :class:`GridLine` per line of the 22-line grid, made into a band
(``bands.py``) with each character in its cell, and rendered (``drawing.py``).  No Qt.

Pagination drops blank lines at the top of a page and never separates a line marked
``keep_with_previous`` from the one before it (the 署名 and 成文日期 never stand on a page without body
text).  Tables make their own bands (``tables.py``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.services.documents import layout as L
from app.services.documents.bands import Band, RuleOp, TextOp, paginate_bands
from app.services.documents.drawing import MissingGlyphsError, RenderedPdf, render_bands
from app.services.documents.fonts import DocumentFonts

__all__ = ["Align", "GridLine", "MissingGlyphsError", "RenderedPdf", "line_band", "paginate", "render",
           "render_bands"]


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


@functools.lru_cache(maxsize=4096)
def line_band(line: GridLine, pitch_mm: float = L.LINE_PITCH_MM) -> Band:
    """One grid line as a band of the body's line pitch (its text on the ideographic em box's centre).
    Bands are immutable: the same line (a title, a boilerplate paragraph's line, a blank) is laid out once
    and its band shared, in a batch of a month's notices above all."""
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


def render(lines: Sequence[GridLine], *, title: str, fonts: DocumentFonts | None = None,
           mark: str = "") -> RenderedPdf:
    """The PDF of ``lines`` (A4, GB/T 9704 frame, page numbers), byte-identical for identical input;
    ``mark`` (草稿, 作废) on every page."""
    return render_bands([line_band(line) for line in lines], title=title, fonts=fonts, mark=mark)
