"""The parts of a GB/T 9704-2012 document (DESIGN §2.2) as grid lines and bands, shared by 提醒函, 走访通知
and 整改通知书.  Pure.

- 版头 (optional): the issuing organ's name in red, centred, in a larger size; the 发文字号 centred one line
  under it; a red rule the width of the type area under the number (§7.2).  Without a 版头 the number
  stands flush right on the first line (as in the 信函格式, §10.2).
- 标题 in 2号, centred, broken to fit (a long organization's name wraps); 主送 flush left with a
  full-width colon; 正文 paragraphs 段首空二字 on the 28-character grid with 避头尾, full lines spread to
  the width; 一级标题 (一、…) in the Hei face.
- 署名 centred over the 成文日期, which stands 右空四字 (§7.3.5.1), two lines under the body and never on a
  page without body text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from app.services.documents import layout as L
from app.services.documents.bands import Band, RuleOp
from app.services.documents.content import DocumentNumber
from app.services.documents.typeset import Align, GridLine, line_band

DATE_INSET = 4  # 成文日期右空四字
MASTHEAD_PT = 26.0
CHINESE_ORDINALS = "一二三四五六七八九十"


def header_bands(number: DocumentNumber, masthead: str) -> list[Band]:
    """The 版头 (when given) and the 发文字号, then one blank line."""
    if not masthead.strip():
        return [line_band(GridLine(number.text, Align.RIGHT)), line_band(GridLine())]
    width = int(L.CHARS_PER_LINE * L.BODY_PT / MASTHEAD_PT)
    bands = [line_band(GridLine(part, Align.CENTRE, MASTHEAD_PT, red=True), pitch_mm=MASTHEAD_PT * 0.6)
             for part in L.break_lines(masthead.strip(), width=width, indent=0)]
    bands += [line_band(GridLine()), line_band(GridLine(number.text, Align.CENTRE))]
    rule = RuleOp(L.LEFT_MARGIN_MM, 2.0, L.LEFT_MARGIN_MM + L.TYPE_WIDTH_MM, 2.0, width_pt=1.5, red=True)
    return [*bands, Band(L.LINE_PITCH_MM, (rule,))]


def title_lines(title: str) -> list[GridLine]:
    """The 标题 in 2号, centred, broken to the width, then one blank line."""
    width = int(L.CHARS_PER_LINE * L.BODY_PT / L.TITLE_PT)
    parts = L.break_lines(title.strip(), width=width, indent=0)
    return [*(GridLine(part, Align.CENTRE, L.TITLE_PT) for part in parts), GridLine()]


def addressee_lines(addressee: str) -> list[GridLine]:
    return [GridLine(part) for part in L.break_lines(addressee.strip() + "：", indent=0)]


def paragraph_lines(text: str, *, heading: bool = False, indent: int = L.PARAGRAPH_INDENT) -> list[GridLine]:
    """One paragraph per line of ``text``: 段首空二字, full lines spread to the width."""
    lines: list[GridLine] = []
    for paragraph in (p.strip() for p in text.split("\n")):
        if paragraph:
            parts = L.break_lines(paragraph, indent=indent)
            lines += [GridLine(part, Align.JUSTIFY, heading=heading) for part in parts[:-1]]
            lines.append(GridLine(parts[-1], heading=heading))
    return lines


def section_lines(heading: str, body: list[GridLine]) -> list[GridLine]:
    """A heading (一、… in the Hei face) and its body; the heading never ends a page: the body's first
    line keeps with it."""
    if body:
        body = [replace(body[0], keep_with_previous=True), *body[1:]]
    return [*paragraph_lines(heading, heading=True), *body]


def paragraphs_lines(paragraphs: Iterable[str]) -> list[GridLine]:
    return [line for paragraph in paragraphs for line in paragraph_lines(paragraph)]


def signature_lines(issuer: str, dated: date) -> list[GridLine]:
    """Two blank lines, the 署名 centred over the 成文日期, the date 右空四字; all kept with the body."""
    day = L.document_date(dated)
    issuer = issuer.strip()
    issuer_inset = max(0.0, DATE_INSET + (L.text_cells(day) - L.text_cells(issuer)) / 2)
    return [GridLine(keep_with_previous=True), GridLine(keep_with_previous=True),
            GridLine(issuer, Align.RIGHT, inset_cells=issuer_inset, keep_with_previous=True),
            GridLine(day, Align.RIGHT, inset_cells=DATE_INSET, keep_with_previous=True)]


def issuer_problems(issuer: str) -> list[str]:
    if not issuer.strip():
        return ["请填写署名（发文机关）"]
    if L.text_cells(issuer.strip()) > L.CHARS_PER_LINE - DATE_INSET:
        return [f"署名过长（最多 {L.CHARS_PER_LINE - DATE_INSET} 个字），请用规范简称"]
    return []


def ordinal(index: int) -> str:
    """一 … 十, 十一 … 九十九 (then Arabic numerals) for the 一级标题 of item ``index`` (1-based)."""
    if index > 99:
        return str(index)
    if index <= 10:
        return CHINESE_ORDINALS[index - 1]
    tens, units = divmod(index, 10)
    head = "十" if tens == 1 else CHINESE_ORDINALS[tens - 1] + "十"
    return head + (CHINESE_ORDINALS[units - 1] if units else "")


def weekday(day: date) -> str:
    return "星期" + "一二三四五六日"[day.weekday()]
