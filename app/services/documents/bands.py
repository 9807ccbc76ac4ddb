"""Pages made of bands: horizontal strips of the type area, each with what is drawn in it.  Pure; no canvas.

Every document is a sequence of bands — one per grid line of body text, one per text line of a table row
(plus its padding) — and pagination only stacks them: a band that does not fit opens the next page.
Three rules keep pages readable:

- a blank band never opens a page (nor one marked ``only_between``, such as a cutting line);
- a band marked ``keep_with_previous`` never opens one: the run of such bands before it and the band they
  keep with move along (a 署名 with its 成文日期, a short table row, a header with its first row) — as
  long as that run is not more than half a page, so a long row still splits;
- a band of a table that opens a page is preceded by the table's header bands (``repeat``); the band
  that ends a page inside a table draws its ``close``, the one that opens a page its ``open`` (the rules
  that shut the table's box).

Positions are in mm: ``x`` from the left edge of the paper, ``y`` downward from the top of the band.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.services.documents import layout as L

_EPSILON = 1e-6
MAX_CARRIED = 0.5  # of the page height


@dataclass(frozen=True)
class TextOp:
    """A line of text: its left end ``x``, its ``baseline`` (from the band top), the advance of each
    character in mm; ``heading`` sets it in the Hei face (黑体-style headings) where that has the glyph."""

    x: float
    baseline: float
    text: str
    size_pt: float
    steps: tuple[float, ...]
    heading: bool = False
    red: bool = False


@dataclass(frozen=True)
class RuleOp:
    x1: float
    y1: float
    x2: float
    y2: float
    width_pt: float = 0.5
    dashed: bool = False
    red: bool = False


Op = TextOp | RuleOp


@dataclass(frozen=True)
class Band:
    height: float
    ops: tuple[Op, ...] = ()
    keep_with_previous: bool = False
    repeat: tuple[Band, ...] = ()  # the table header to set above this band when it opens a page
    close: tuple[Op, ...] = ()  # drawn at this band when it ends a page (inside a table)
    open: tuple[Op, ...] = ()  # drawn at this band when it opens a page (inside a table)
    page_break: bool = False  # a zero-height band that ends the page
    new_part: bool = False  # … and starts a part numbered from 1 again (存根, 送达联, 反馈表 …)
    only_between: bool = False  # dropped where it would open a page, like a blank line (a cutting line)

    @property
    def blank(self) -> bool:
        return (not self.ops or self.only_between) and not self.page_break


@dataclass(frozen=True)
class PlacedBand:
    top: float  # from the top of the type area, mm
    band: Band


@dataclass(frozen=True)
class Page:
    number: int  # within its part
    bands: list[PlacedBand]


PAGE_BREAK = Band(0.0, page_break=True)
PART_BREAK = Band(0.0, page_break=True, new_part=True)


def paginate_bands(bands: Sequence[Band], height: float = L.TYPE_HEIGHT_MM) -> list[Page]:
    """Bands stacked into pages of ``height`` mm (see the module doc for the rules)."""
    pages: list[list[Band]] = [[]]
    numbers = [1]
    used = 0.0
    for band in bands:
        page = pages[-1]
        if band.page_break:
            if page:
                pages.append([])
                numbers.append(1 if band.new_part else numbers[-1] + 1)
                used = 0.0
            continue
        if used + band.height <= height + _EPSILON:
            if page or not band.blank:
                page.append(band)
                used += band.height
            continue
        opening = [*_carried(page, band, height), band]
        while opening and opening[0].blank:
            opening.pop(0)
        if opening and opening[0].repeat:
            opening = [*opening[0].repeat, *opening]
        pages.append(opening)
        numbers.append(numbers[-1] + 1)
        used = sum(b.height for b in opening)
    return [Page(number, _placed(page)) for number, page in zip(numbers, pages, strict=True) if page] or [Page(1, [])]


def _carried(page: list[Band], band: Band, height: float) -> list[Band]:
    """The bands that must leave ``page`` with ``band`` (popped from it), in order."""
    if not band.keep_with_previous:
        return []
    carried: list[Band] = []
    limit = height * MAX_CARRIED - band.height
    while len(page) > 1 and sum(b.height for b in carried) + page[-1].height <= limit:
        moving = page.pop()
        carried.insert(0, moving)
        if not moving.keep_with_previous:
            return carried
    # too long a run to move whole: leave the page as it was, the band opens the next one alone
    page.extend(carried)
    return []


def _placed(page: list[Band]) -> list[PlacedBand]:
    placed, top = [], 0.0
    for band in page:
        placed.append(PlacedBand(top, band))
        top += band.height
    return placed
