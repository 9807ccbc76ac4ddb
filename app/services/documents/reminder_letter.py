"""提醒函 (DESIGN §2.2): a letter reminding an organization of something due (换届, 三会一课 …), set on the
GB/T 9704-2012 grid.  Qt-free; returns the PDF's bytes and SHA-256, and writes the file when asked.

Layout (a 函 without 版头): 发文字号 flush right on the first line (as in the 信函格式, §10.2) — a
provisional number prints with its 临 and （临时编号）; one line down, the title in 2号, centred; one line
down, 主送 flush left with a full-width colon; the body paragraphs, 段首空二字, on the 28-character grid
with 避头尾; two lines down, 署名 centred over the 成文日期, which stands 右空四字 (the layout for a
sealed document, §7.3.5.1: the seal is pressed on both by hand).  署名 and 成文日期 never go to a page
without body text.
"""

from __future__ import annotations

from pathlib import Path

from app.services.documents.content import DocumentInputError, ReminderLetter
from app.services.documents.fonts import DocumentFonts
from app.services.documents.official import (
    addressee_lines,
    issuer_problems,
    paragraphs_lines,
    signature_lines,
    title_lines,
)
from app.services.documents.output import write_pdf
from app.services.documents.typeset import Align, GridLine, RenderedPdf, render

__all__ = ["DocumentInputError", "ReminderLetter", "check_letter", "reminder_letter_lines", "render_reminder_letter",
           "write_pdf"]

def check_letter(letter: ReminderLetter) -> list[str]:
    """What is missing or will not fit, in Chinese; empty when the letter can be set."""
    problems = []
    if not letter.title.strip():
        problems.append("请填写标题")
    if not letter.addressee.strip():
        problems.append("请填写主送单位")
    if not any(p.strip() for p in letter.paragraphs):
        problems.append("请填写正文")
    return problems + issuer_problems(letter.issuer)


def reminder_letter_lines(letter: ReminderLetter) -> list[GridLine]:
    """The letter as grid lines (see the module doc for the layout)."""
    problems = check_letter(letter)
    if problems:
        raise DocumentInputError(problems)
    return [GridLine(letter.number.text, Align.RIGHT), GridLine(), *title_lines(letter.title),
            *addressee_lines(letter.addressee), *paragraphs_lines(letter.paragraphs),
            *signature_lines(letter.issuer, letter.dated)]


def render_reminder_letter(letter: ReminderLetter, *, out: Path | None = None,
                           fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The letter's PDF (bytes, SHA-256, page count); with ``out``, also written there (atomically).
    Raises DocumentInputError for missing parts and MissingGlyphsError for characters no face has."""
    rendered = render(reminder_letter_lines(letter), title=letter.title.strip(), fonts=fonts, mark=letter.mark)
    if out is not None:
        write_pdf(rendered, out)
    return rendered
