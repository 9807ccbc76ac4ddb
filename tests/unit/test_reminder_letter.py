"""提醒函 PDF (DESIGN §2.2): embedded fonts, the text on the page, identical bytes for identical input."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.domain.doc_numbers import DocNumber, ProvisionalNumber
from app.services.documents import (
    DocumentInputError,
    MissingGlyphsError,
    ReminderLetter,
    render_reminder_letter,
)
from app.services.documents.layout import text_cells
from app.services.documents.reminder_letter import reminder_letter_lines

LETTER = ReminderLetter(
    title="关于做好党支部换届选举工作的提醒函",
    number=DocNumber("鼓民社党", 2026, 7),
    addressee="温泉街道文化创意产业协会党支部",
    paragraphs=("你支部上一届支部委员会于2023年6月18日选举产生，任期三年，将于2026年6月届满。请于届满前做好"
                "换届选举各项准备工作，按程序向上级党组织报送换届请示。" * 4,
                "你支部党员王叕、张堃、李喆同志的组织关系转接情况，请一并核实。", "特此函告。"),
    issuer="温泉街道社会组织综合党委",
    dated=date(2026, 12, 1),
)


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).replace(" ", "")


def test_every_font_is_an_embedded_truetype_subset() -> None:
    data = render_reminder_letter(LETTER).data
    assert b"/FontFile2" in data
    fonts = {}
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[font["/BaseFont"]] = font
    assert fonts, "no fonts in the PDF"
    for name, font in fonts.items():
        assert font["/Subtype"] == "/TrueType", name
        assert "/FontFile2" in font["/FontDescriptor"].get_object(), f"{name} is not embedded"
    assert any("WenQuanYi" in name for name in fonts)  # 叕 comes from the fallback face


def test_the_page_says_what_the_letter_says() -> None:
    text = _text(render_reminder_letter(LETTER).data)
    for expected in ("鼓民社党〔2026〕7号", "关于做好党支部换届选举工作的提醒函", "温泉街道文化创意产业协会党支部：",
                     "王叕、张堃、李喆", "特此函告。", "温泉街道社会组织综合党委", "2026年12月1日", "—1—"):
        assert expected in text
    assert "临时编号" not in text


def test_a_provisional_number_is_printed_marked() -> None:
    rendered = render_reminder_letter(replace(LETTER, number=ProvisionalNumber("鼓民社党", 2026, 7)))
    assert "鼓民社党〔2026〕临7号（临时编号）" in _text(rendered.data)


def test_identical_input_gives_identical_bytes_and_hash(tmp_path: Path) -> None:
    first = render_reminder_letter(LETTER)
    second = render_reminder_letter(LETTER, out=tmp_path / "提醒函.pdf")
    assert first.data == second.data and first.sha256 == second.sha256
    assert (tmp_path / "提醒函.pdf").read_bytes() == first.data
    assert not list(tmp_path.glob("*.partial"))
    other = render_reminder_letter(replace(LETTER, dated=date(2026, 12, 2)))
    assert other.sha256 != first.sha256


def test_a_long_letter_runs_over_pages_with_the_signature_kept_with_the_body() -> None:
    long = replace(LETTER, paragraphs=LETTER.paragraphs * 3)
    rendered = render_reminder_letter(long)
    assert rendered.pages >= 2
    reader = PdfReader(io.BytesIO(rendered.data))
    assert len(reader.pages) == rendered.pages
    last = reader.pages[-1].extract_text().replace(" ", "")
    assert "2026年12月1日" in last
    assert f"—{rendered.pages}—" in last


def test_a_character_no_face_has_stops_the_rendering_and_is_named() -> None:
    with pytest.raises(MissingGlyphsError, match="U\\+30000") as refused:
        render_reminder_letter(replace(LETTER, addressee="\U00030000祥养老服务中心党支部"))
    assert refused.value.missing == ("\U00030000",)


def test_a_name_with_an_extension_b_character_prints_in_the_extension_face() -> None:
    data = render_reminder_letter(replace(LETTER, addressee="𠮷祥养老服务中心党支部")).data
    assert "𠮷祥养老服务中心党支部：" in _text(data)
    fonts = {str(ref.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(data)).pages
             for ref in page["/Resources"]["/Font"].values()}
    assert any("HanaMinB" in name for name in fonts)


def test_missing_parts_are_named() -> None:
    with pytest.raises(DocumentInputError, match="请填写标题；请填写正文"):
        render_reminder_letter(replace(LETTER, title=" ", paragraphs=("",)))
    with pytest.raises(DocumentInputError, match="署名过长"):
        render_reminder_letter(replace(LETTER, issuer="党" * 25))


def test_the_signature_centres_over_the_date_and_the_date_stands_four_cells_in() -> None:
    lines = reminder_letter_lines(LETTER)
    issuer, dated = lines[-2], lines[-1]
    assert (dated.text, dated.inset_cells) == ("2026年12月1日", 4)
    centre = {line.text: 28 - line.inset_cells - text_cells(line.text) / 2 for line in (issuer, dated)}
    assert centre[issuer.text] == centre[dated.text] == 28 - 4 - 6.5 / 2
    assert lines[0].text == "鼓民社党〔2026〕7号"


def test_renders_on_worker_threads_at_once_give_the_same_bytes() -> None:
    expected = render_reminder_letter(LETTER).sha256
    with ThreadPoolExecutor(max_workers=4) as pool:
        hashes = list(pool.map(lambda _: render_reminder_letter(LETTER).sha256, range(8)))
    assert hashes == [expected] * 8
