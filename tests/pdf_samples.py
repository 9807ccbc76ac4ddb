"""PDFs for the preview and print tests and the preview benchmark: real documents from the real renderer."""

from __future__ import annotations

from datetime import date

from app.domain.doc_numbers import ProvisionalNumber
from app.services.documents import ReminderLetter, RenderedPdf, render_reminder_letter

# one body paragraph fills about a quarter of a page of the 22 × 28 grid
_PARAGRAPH = ("根据《中国共产党支部工作条例（试行）》和区委组织部关于加强社会组织党建工作的要求，"
              "请你支部按期召开支部党员大会、支部委员会和党小组会，按时上好党课，认真开展主题党日活动，"
              "如实记录会议时间、地点、主持人、记录人、应到实到人数和缺席原因，会后及时整理会议记录并归档。")


def sample_pdf(pages: int = 10) -> RenderedPdf:
    """A 提醒函 of exactly ``pages`` pages (paragraphs are added until it has them)."""
    count = max(1, pages * 4 - 4)  # about four paragraphs a page: start just below, add until it is there
    while True:
        rendered = render_reminder_letter(_letter(count))
        if rendered.pages >= pages:
            assert rendered.pages == pages, f"no letter of exactly {pages} pages"
            return rendered
        count += 1


def _letter(paragraphs: int) -> ReminderLetter:
    return ReminderLetter(title="关于按期开展三会一课的提醒函", number=ProvisionalNumber("鼓民社党", 2026, 7),
                          addressee="某某行业协会党支部",
                          paragraphs=tuple(f"{i + 1}. {_PARAGRAPH}" for i in range(paragraphs)),
                          issuer="某某街道社会组织综合党委", dated=date(2026, 3, 31))
