"""Every document (issue 8, Must show): the text on the page says what the content says (organization, number,
items, deadline), every font is embedded, ``qpdf --check`` passes, nothing is set outside the type area
(also for a 100-character name and a 5,000-character item), personal data stays masked, identical
content gives identical bytes.  The PDF tools run with an empty font configuration, as on a machine
with no CJK fonts."""

from __future__ import annotations

import io
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.services.documents import (
    combine_pdfs,
    render_meeting_record,
    render_rectification_notice,
    render_reminder_letter,
    render_visit_notice,
    render_visit_record,
)
from app.services.documents import layout as L
from app.services.documents.typeset import GridLine, RenderedPdf, render
from tests import document_samples as S

PT_PER_MM = 72 / 25.4
Renderer = Callable[[Any], RenderedPdf]

CASES: dict[str, tuple[Renderer, Any, tuple[str, ...]]] = {
    "整改通知书": (render_rectification_notice, S.NOTICE_MASTHEAD,
              (S.ORG, S.PARTY_ORG + "：", "鼓民社党〔2026〕7号", "党支部未按期换届", "三会一课记录不全",
               "整改期限：2026年12月31日前", "整改期限：2027年1月15日前", "整改责任人：张堃", "签收栏", "签收人",
               "签收日期", "整改通知书（存根）", "（送达联）", "整改反馈表", "2026年12月1日", S.ISSUER)),
    "走访通知": (render_visit_notice, S.VISIT_NOTICE,
             (S.ORG, S.PARTY_ORG + "：", "鼓民社党〔2026〕8号", "2026年12月8日（星期二）上午9:30", "实地走访",
              "查阅三会一课记录、党员名册和党费收缴台账", "回执", "沿此线剪开", S.ISSUER)),
    "走访记录表": (render_visit_record, S.VISIT_RECORD,
              (S.ORG, "2026年12月8日", "9:30—11:10", "陈喆", "党组织是否按期换届", "2026年6月届满，未换届",
               "党支部已届满未换届。", "检查清单（版本2026.1）", "2027年1月12日", "鼓民社党〔2026〕8号")),
    "会议记录": (render_meeting_record, S.MEETING,
             (S.PARTY_ORG, S.ORG, "支部党员大会", "2026年11月20日14:30—16:00", "协会三楼会议室", "8人", "7人",
              "出差", "预备党员，无表决权", "接收林晓峰同志为中共预备党员", "书面意见赞成1票",
              "候选人王明：得票3票，未当选", "签到表", "上级党组织代表")),
    "提醒函": (render_reminder_letter, S.LETTER,
            (S.PARTY_ORG + "：", "鼓民社党〔2026〕9号", "关于做好党支部换届选举工作的提醒函", "特此函告。", S.ISSUER)),
}
LONG_CASES: dict[str, tuple[Renderer, Any]] = {
    "整改通知书": (render_rectification_notice, S.NOTICE_LONG),
    "走访通知": (render_visit_notice, S.VISIT_NOTICE_LONG),
    "走访记录表": (render_visit_record, S.VISIT_RECORD_LONG),
    "会议记录": (render_meeting_record, S.MEETING_LONG),
    "提醒函": (render_reminder_letter, S.LETTER_LONG),
}
NO_FONTS = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{empty}</dir><cachedir>{cache}</cachedir></fontconfig>"""


@pytest.fixture(scope="module")
def no_system_fonts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An environment in which poppler finds no font at all: only what the PDF embeds can show."""
    root = tmp_path_factory.mktemp("fontconfig")
    (root / "empty").mkdir()
    conf = root / "fonts.conf"
    conf.write_text(NO_FONTS.format(empty=root / "empty", cache=root / "cache"), encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def _text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def _pdf(tmp_path: Path, rendered: RenderedPdf) -> Path:
    path = tmp_path / "doc.pdf"
    path.write_bytes(rendered.data)
    return path


@pytest.mark.parametrize("name", CASES)
def test_the_text_on_the_page_says_what_the_document_says(name: str) -> None:
    render, doc, expected = CASES[name]
    text = _text(render(doc).data)
    missing = [part for part in expected if re.sub(r"\s+", "", part) not in text]
    assert not missing


@pytest.mark.parametrize("name", CASES)
def test_pdffonts_shows_every_font_embedded(name: str, tmp_path: Path, no_system_fonts: dict[str, str]) -> None:
    render, doc, _ = CASES[name]
    listing = subprocess.run(["pdffonts", _pdf(tmp_path, render(doc))], env=no_system_fonts, check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    assert listing, "no fonts listed"
    for row in listing:
        kind = row.split()[1]
        emb, sub = row.split()[-5:-3]
        assert kind == "TrueType" and (emb, sub) == ("yes", "yes"), row


@pytest.mark.parametrize("name", CASES)
def test_qpdf_check_passes(name: str, tmp_path: Path) -> None:
    render, doc, _ = CASES[name]
    run = subprocess.run(["qpdf", "--check", _pdf(tmp_path, render(doc))], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


@pytest.mark.parametrize("name", LONG_CASES)
def test_long_content_flows_over_pages_and_never_leaves_the_type_area(
        name: str, tmp_path: Path, no_system_fonts: dict[str, str]) -> None:
    render, doc = LONG_CASES[name]
    rendered = render(doc)
    assert rendered.pages >= 3
    body, outside, below = _outside_type_area(_pdf(tmp_path, rendered), no_system_fonts)
    assert len(body) > 50
    assert not outside
    assert {w[5] for w in below} <= {"—", *map(str, range(1, rendered.pages + 1))}  # only the page numbers
    assert _in_order(S.LONG_NAME, _text(rendered.data))  # in a table, a cell's lines interleave with a label


def _in_order(wanted: str, text: str) -> bool:
    rest = iter(text)
    return all(char in rest for char in wanted)


def test_the_type_area_check_finds_a_line_set_too_wide(tmp_path: Path, no_system_fonts: dict[str, str]) -> None:
    too_wide = render([GridLine("党" * 27), GridLine("党" * 31, inset_cells=0.0)], title="过宽")
    _, outside, _ = _outside_type_area(_pdf(tmp_path, too_wide), no_system_fonts)
    assert [w[5] for w in outside] == ["党" * 31]


Word = tuple[float, float, float, float, float, str]


def _outside_type_area(path: Path, env: dict[str, str]) -> tuple[list[Word], list[Word], list[Word]]:
    """(words in the type area's rows, those of them reaching outside it, words below it)."""
    words = _words(path, env)
    left, right = L.LEFT_MARGIN_MM * PT_PER_MM, (L.LEFT_MARGIN_MM + L.TYPE_WIDTH_MM) * PT_PER_MM
    top, bottom = L.TOP_MARGIN_MM * PT_PER_MM, (L.TOP_MARGIN_MM + L.TYPE_HEIGHT_MM) * PT_PER_MM
    body = [w for w in words if w[4] <= bottom]
    outside = [w for w in body if w[0] < left - 0.5 or w[2] > right + 0.5 or w[1] < top - 0.5 or w[3] > bottom + 0.5]
    return body, outside, [w for w in words if w[4] > bottom]


def _words(path: Path, env: dict[str, str]) -> list[Word]:
    """(xMin, yMin, xMax, yMax, yMax, text) of every word poppler finds, y from the top of the page."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], env=env, check=True, capture_output=True,
                          text=True).stdout
    found = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', html)
    return [(float(a), float(b), float(c), float(d), float(d), text) for a, b, c, d, text in found]


def test_a_5000_character_item_is_printed_whole_in_the_notice() -> None:
    text = _text(render_rectification_notice(S.NOTICE_LONG).data)
    assert S.LONG_TEXT in re.sub(r"—\d+—", "", text)  # the page numbers stand between the pages' text
    assert "鼓民社党〔2026〕临3号（临时编号）" in text
    assert S.LONG_NAME + "党支部：" in text


def test_table_headers_repeat_on_every_page_a_table_runs_onto() -> None:
    reader = PdfReader(io.BytesIO(render_meeting_record(S.MEETING_LONG).data))
    pages = [re.sub(r"\s+", "", page.extract_text()) for page in reader.pages]
    attendance = [i for i, page in enumerate(pages) if "预备党员，无表决权" in page]
    assert len(attendance) >= 3
    assert all("序号姓名出席情况表决权原因/说明" in pages[i] for i in attendance)
    sign_in = [i for i, page in enumerate(pages) if "正式党员" in page and "签名" in page]
    assert len(sign_in) >= 2
    record = render_visit_record(S.VISIT_RECORD_LONG)
    checklist = [re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(record.data)).pages]
    with_items = [page for page in checklist if "党费是否按月足额收缴" in page]
    assert len(with_items) >= 2 and all("序号检查事项结果说明" in page for page in with_items)


def test_page_numbers_restart_for_each_part() -> None:
    pages = PdfReader(io.BytesIO(render_rectification_notice(S.NOTICE).data)).pages
    texts = [re.sub(r"\s+", "", page.extract_text()) for page in pages]
    assert "整改通知书（存根）" in texts[0] and texts[0].endswith("—1—")
    assert "（送达联）" in texts[1] and texts[1].endswith("—1—")
    form = next(i for i, text in enumerate(texts) if text.startswith("整改反馈表"))
    assert form > 1 and texts[form].endswith("—1—")


def test_personal_data_is_printed_masked() -> None:
    for rendered in (render_rectification_notice(S.NOTICE), render_visit_notice(S.VISIT_NOTICE)):
        text = _text(rendered.data)
        assert "138****1234" in text and "0591-87****21" in text
        assert "13800001234" not in text and "87654321" not in text


def test_rare_characters_come_from_the_fallback_and_extension_faces() -> None:
    data = render_visit_record(S.VISIT_RECORD).data
    assert "张堃" in _text(data) and "陈喆" in _text(data) and "𠮷丽" in _text(data)
    fonts = {str(font.get_object()["/BaseFont"]) for page in PdfReader(io.BytesIO(data)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert {"UMing", "WenQuanYi", "HanaMinB"} <= {face for face in ("UMing", "WenQuanYi", "HanaMinB")
                                                  if any(face in font for font in fonts)}


@pytest.mark.parametrize("name", CASES)
def test_identical_content_gives_identical_bytes(name: str) -> None:
    render, doc, _ = CASES[name]
    assert render(doc).sha256 == render(doc).sha256


def test_a_month_batch_is_one_pdf_with_every_font_embedded(tmp_path: Path, no_system_fonts: dict[str, str]) -> None:
    parts = [render_rectification_notice(S.NOTICE), render_visit_notice(S.VISIT_NOTICE),
             render_reminder_letter(S.LETTER)]
    batch = combine_pdfs(parts)
    assert batch.pages == sum(part.pages for part in parts)
    assert combine_pdfs(parts).sha256 == batch.sha256
    assert combine_pdfs(parts[:2]).sha256 != batch.sha256
    path = _pdf(tmp_path, batch)
    assert subprocess.run(["qpdf", "--check", path], capture_output=True).returncode == 0
    listing = subprocess.run(["pdffonts", path], env=no_system_fonts, check=True, capture_output=True,
                             text=True).stdout.splitlines()[2:]
    assert listing and all(row.split()[-5:-3] == ["yes", "yes"] for row in listing)
    text = _text(batch.data)
    assert text.index("鼓民社党〔2026〕7号") < text.index("鼓民社党〔2026〕8号") < text.index("鼓民社党〔2026〕9号")
    with pytest.raises(ValueError, match="没有可合并的文书"):
        combine_pdfs([])


@pytest.mark.parametrize("name", ["整改通知书", "走访通知"])
def test_a_heading_never_ends_a_page(name: str) -> None:
    render, doc = LONG_CASES[name]
    for page in PdfReader(io.BytesIO(render(doc).data)).pages:
        lines = [re.sub(r"\s+", "", line) for line in page.extract_text().splitlines() if line.strip()]
        body = [line for line in lines if not re.fullmatch(r"—\d+—", line)]
        assert not re.match(r"[一二三四五六七八九十]+、", body[-1]), body[-1]
