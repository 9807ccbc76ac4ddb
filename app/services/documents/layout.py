"""The GB/T 9704-2012 page frame (DESIGN §2.2) and CJK line breaking on its character grid.  Pure; no canvas.

A4, type area 156 × 225 mm, 37 mm from the top edge and 28 mm from the left; body 3号 (16 pt), 22 lines
of 28 characters, so the line pitch is 225/22 mm and the character pitch 156/28 mm (a 16 pt ideograph is a
hair wider than its cell; its side bearings absorb it, as in Word's 文档网格).  Title 2号 (22 pt).  Page
number "— 1 —" in 4号 (14 pt) half-width digits, its 一字线 7 mm below the type area, one character in from
the outer edge (odd pages right, even pages left).

Widths are counted in cells: an ideograph or full-width mark fills one, a half-width letter, digit or mark
half of one.  ``break_lines`` fills each line and never starts one with a closing mark (，。、；：！？）」』 …)
nor ends one with an opening mark (（「『“《 …) — 避头尾 — nor splits a run of digits or letters; it moves
characters down to the next line instead, and the renderer spreads the shortened line to the full width.
"""

from __future__ import annotations

import functools
import unicodedata
from bisect import bisect_right
from datetime import date
from itertools import accumulate

MM_PER_PT = 25.4 / 72

PAGE_WIDTH_MM = 210.0
PAGE_HEIGHT_MM = 297.0
TYPE_WIDTH_MM = 156.0
TYPE_HEIGHT_MM = 225.0
TOP_MARGIN_MM = 37.0
LEFT_MARGIN_MM = 28.0
RIGHT_MARGIN_MM = PAGE_WIDTH_MM - LEFT_MARGIN_MM - TYPE_WIDTH_MM  # 26
BOTTOM_MARGIN_MM = PAGE_HEIGHT_MM - TOP_MARGIN_MM - TYPE_HEIGHT_MM  # 35

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NUMBER_PT = 14.0  # 4号
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28
LINE_PITCH_MM = TYPE_HEIGHT_MM / LINES_PER_PAGE  # ≈ 10.23
CHAR_PITCH_MM = TYPE_WIDTH_MM / CHARS_PER_LINE  # ≈ 5.57
PAGE_NUMBER_GAP_MM = 7.0  # 一字线 below the type area
PARAGRAPH_INDENT = 2  # 段首空二字

# 避头: never at the start of a line.  避尾: never at the end of one.
NO_LINE_START = frozenset("，。、；：！？）」』”’》〉】〕〗…—·%‰,.;:!?)]}")
NO_LINE_END = frozenset("（「『“‘《〈【〔〖([{")
IDEOGRAPHIC_SPACE = "\u3000"


@functools.lru_cache(maxsize=1 << 16)
def cells(char: str) -> float:
    """The width of one character on the grid: 1 for wide (ideographs, full-width marks), else 0.5."""
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 0.5


def text_cells(text: str) -> float:
    return sum(cells(char) for char in text)


def break_lines(text: str, width: float = CHARS_PER_LINE, indent: int = PARAGRAPH_INDENT) -> list[str]:
    """One paragraph as grid lines of at most ``width`` cells, the first indented by ``indent`` cells
    (as ideographic spaces), observing 避头尾 and keeping runs of digits and letters whole."""
    chars = IDEOGRAPHIC_SPACE * indent + text
    ends = list(accumulate(map(cells, chars), initial=0.0))  # ends[i]: cells up to character i (exact: halves)
    lines: list[str] = []
    start = 0
    while start < len(chars):
        # the most characters that fit: ends[end] - ends[start] <= width, found by bisection then made exact
        end = min(max(bisect_right(ends, ends[start] + width, lo=start) - 1, start), len(chars))
        while end > start and ends[end] - ends[start] > width:
            end -= 1
        while end < len(chars) and ends[end + 1] - ends[start] <= width:
            end += 1
        if end == start:  # a character wider than the line: set it alone rather than loop
            end = start + 1
        if end < len(chars):
            cut = end
            while cut > start + 1 and not _may_break(chars[cut - 1], chars[cut]):
                cut -= 1
            if cut > start + 1:  # a line that cannot be broken anywhere is broken where it is full
                end = cut
        lines.append(chars[start:end])
        start = end
    return lines


def _may_break(before: str, after: str) -> bool:
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return not (_word_char(before) and _word_char(after))


def _word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


def advances(line: str, *, width: float = CHARS_PER_LINE, justify: bool = False) -> list[float]:
    """Each character's advance in cells; with ``justify`` the line's slack is spread over its gaps so it
    ends at the right edge of the type area (a line shortened by 避头尾)."""
    steps = [cells(char) for char in line]
    slack = width - sum(steps)
    if justify and len(steps) > 1 and slack > 0:
        extra = slack / (len(steps) - 1)
        steps = [step + extra for step in steps[:-1]] + [steps[-1]]
    return steps


def baseline_mm(line: int, size_pt: float = BODY_PT) -> float:
    """The baseline of grid line ``line`` (0 = first), in mm from the bottom edge: the ideographic em box
    (0.88 em above the baseline, 0.12 em below) centred in the line."""
    top = PAGE_HEIGHT_MM - TOP_MARGIN_MM - line * LINE_PITCH_MM
    centre = top - LINE_PITCH_MM / 2
    return centre - (0.88 - 0.5) * size_pt * MM_PER_PT


def page_number_text(page: int) -> str:
    return f"— {page} —"


def page_number_position(page: int, text_width_mm: float) -> tuple[float, float]:
    """(x of the text's left end, baseline) in mm: odd pages one character in from the right edge of the
    type area, even pages one in from the left; the 一字线 (0.3 em above the baseline) 7 mm below it."""
    one_char = PAGE_NUMBER_PT * MM_PER_PT
    outer_right = LEFT_MARGIN_MM + TYPE_WIDTH_MM - one_char - text_width_mm
    x = outer_right if page % 2 else LEFT_MARGIN_MM + one_char
    dash = BOTTOM_MARGIN_MM - PAGE_NUMBER_GAP_MM
    return x, dash - 0.3 * PAGE_NUMBER_PT * MM_PER_PT


def document_date(day: date) -> str:
    """成文日期: Arabic numerals, no leading zeros — 2026年12月1日."""
    return f"{day.year}年{day.month}月{day.day}日"
