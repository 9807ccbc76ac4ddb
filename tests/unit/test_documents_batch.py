"""A month's documents in one PDF (render_documents): each from a new page numbered from 1, fonts embedded
once, progress as it goes, a cancel that stops it, bad content named by its document."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from app.domain.doc_numbers import DocNumber
from app.services.documents import DocumentInputError, render_rectification_notice
from app.services.documents.batch import DocumentsCancelled, render_documents
from tests import document_samples as S

DOCS = (S.NOTICE, S.VISIT_NOTICE, S.VISIT_RECORD, S.MEETING, S.LETTER)


def _page_texts(data: bytes) -> list[str]:
    return [re.sub(r"\s+", "", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def test_every_kind_of_document_in_one_pdf_each_numbered_from_one() -> None:
    batch = render_documents(DOCS)
    pages = _page_texts(batch.data)
    assert len(pages) == batch.pages
    firsts = [i for i, text in enumerate(pages) if text.endswith("—1—")]
    # 整改通知书: 存根, 送达联, 反馈表; 走访通知; 走访记录表; 会议记录, 签到表; 提醒函
    assert len(firsts) == 8
    assert "整改通知书（存根）" in pages[firsts[0]] and "走访通知" in pages[firsts[3]]
    assert "提醒函" in pages[firsts[-1]]
    assert render_documents(DOCS).sha256 == batch.sha256


def test_the_fonts_are_embedded_once_for_the_whole_batch() -> None:
    notices = [replace(S.NOTICE, number=DocNumber("鼓民社党", 2026, seq)) for seq in range(1, 11)]
    batch = render_documents(notices)
    alone = render_rectification_notice(S.NOTICE)
    assert batch.pages == 10 * alone.pages
    assert len(batch.data) < 3 * len(alone.data)  # ten notices, not ten copies of the font subsets


def test_progress_moves_and_a_cancel_stops_the_batch() -> None:
    seen: list[tuple[str, int, int]] = []
    render_documents(DOCS, progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert [s for s in seen if s[0] == "排版"] == [("排版", i, 5) for i in range(5)]
    assert seen[-1][0] == "生成 PDF" and seen[-1][1] == seen[-1][2] - 1
    calls = iter(range(100))
    with pytest.raises(DocumentsCancelled, match="已取消生成文书"):
        render_documents(DOCS, cancelled=lambda: next(calls) >= 7)  # during the drawing of the pages


def test_bad_content_names_its_document() -> None:
    bad = replace(S.NOTICE, number=DocNumber("鼓民社党", 2026, 12), items=())
    with pytest.raises(DocumentInputError, match="第2份（鼓民社党〔2026〕12号）整改通知书至少要列出一项整改事项"):
        render_documents([S.NOTICE, bad])
    with pytest.raises(ValueError, match="没有可生成的文书"):
        render_documents([])
