"""Bad content for a document is refused with Chinese lines saying what to fix; masking of personal data; the
band and table rules behind every form (a long row splits, a short one and a 签收栏 never do)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.domain.masking import mask_id_number, mask_personal, mask_phone
from app.services.documents import (
    DocumentInputError,
    MissingGlyphsError,
    render_meeting_record,
    render_rectification_notice,
    render_visit_notice,
)
from app.services.documents import layout as L
from app.services.documents.bands import PART_BREAK, Band, RuleOp, paginate_bands
from app.services.documents.tables import Cell, Table, answer_cell, table_bands
from tests import document_samples as S

RULE = RuleOp(L.LEFT_MARGIN_MM, 0.0, L.LEFT_MARGIN_MM + 10.0, 0.0)


def test_a_notice_with_no_items_is_refused() -> None:
    with pytest.raises(DocumentInputError, match="整改通知书至少要列出一项整改事项"):
        render_rectification_notice(replace(S.NOTICE, items=()))


def test_a_deadline_before_the_issue_date_is_refused_naming_both_days() -> None:
    late = replace(S.ITEMS[0], deadline=date(2026, 11, 30))
    with pytest.raises(DocumentInputError) as refused:
        render_rectification_notice(replace(S.NOTICE, items=(S.ITEMS[1], late)))
    assert refused.value.problems == (
        "第2项“党支部未按期换届”的整改期限 2026年11月30日 早于成文日期 2026年12月1日，请改为成文日期当天或之后",)
    render_rectification_notice(replace(S.NOTICE, items=(replace(late, deadline=date(2026, 12, 1)),)))  # same day


def test_missing_parts_of_a_notice_are_each_named() -> None:
    empty = replace(S.ITEMS[0], title=" ", requirement="")
    with pytest.raises(DocumentInputError) as refused:
        render_rectification_notice(replace(S.NOTICE, org_name="", addressee="", issuer="", items=(empty,)))
    assert refused.value.problems == ("请填写被通知的社会组织名称", "请填写主送单位", "第1项：请填写存在的问题",
                                      "第1项：请填写整改要求", "请填写署名（发文机关）")
    assert str(refused.value).startswith("文书无法生成：请填写被通知的社会组织名称；")


def test_a_visit_before_its_notice_and_more_present_than_expected_are_refused() -> None:
    with pytest.raises(DocumentInputError, match="走访日期 2026年11月30日 早于成文日期 2026年12月1日"):
        render_visit_notice(replace(S.VISIT_NOTICE, visit_on=date(2026, 11, 30)))
    with pytest.raises(DocumentInputError, match="实到人数（9）多于应到人数（8）"):
        render_meeting_record(replace(S.MEETING, present=9))


def test_a_character_no_face_has_is_named_not_boxed() -> None:
    with pytest.raises(MissingGlyphsError, match="U\\+30000"):
        render_visit_notice(replace(S.VISIT_NOTICE, addressee="\U00030000祥养老服务中心党支部"))


@pytest.mark.parametrize(("text", "masked"), [
    ("13800001234", "138****1234"),
    ("王明 13800001234、0591-87654321转123", "王明 138****1234、0591-87****21转123"),
    ("+86 13912345678", "+86 139****5678"),
    ("87654321", "87****21"),
    ("2026年12月1日 9:30", "2026年12月1日 9:30"),
    ("邮编350001", "邮编350001"),
])
def test_phone_numbers_are_masked_where_they_stand(text: str, masked: str) -> None:
    assert mask_phone(text) == masked


@pytest.mark.parametrize(("text", "masked"), [
    ("350102199001011234", "350102********1234"),
    ("身份证 35010219900101123X。", "身份证 350102********123X。"),
    ("350102900101123", "350102*****1123"),
    ("3501021990010112345", "3501021990010112345"),  # 19 digits: not an ID number
])
def test_id_numbers_keep_the_region_and_the_last_four(text: str, masked: str) -> None:
    assert mask_id_number(text) == masked


def test_masking_both_leaves_no_digit_run_of_an_id_or_phone() -> None:
    assert mask_personal("张三 350102199001011234 13800001234") == "张三 350102********1234 138****1234"


def test_a_row_taller_than_a_page_splits_and_the_header_opens_the_next_page() -> None:
    long = Table((5.0, 23.0), ((Cell("项目"), Cell("内容")), (Cell("记录"), Cell("党" * 3000))), header_rows=1)
    pages = paginate_bands(table_bands(long))
    assert len(pages) >= 2
    header = table_bands(long)[:3]
    for page in pages[1:]:
        assert [placed.band.ops for placed in page.bands[:3]] == [band.ops for band in header]
    for page in pages:
        assert page.bands[-1].top + page.bands[-1].band.height <= L.TYPE_HEIGHT_MM + 1e-6


def test_a_short_row_and_a_kept_table_move_whole_to_the_next_page() -> None:
    body = [Band(L.LINE_PITCH_MM, (RULE,)) for _ in range(20)]
    receipt = Table((1.0, 1.0), tuple((Cell("签收人"), Cell(min_lines=2)) for _ in range(3)), keep_together=True)
    pages = paginate_bands([*body, *table_bands(receipt)])
    assert len(pages) == 2
    assert len(pages[0].bands) == 20  # the form did not fit below the 20 lines: all of it moved
    assert pages[1].number == 2


def test_a_part_break_numbers_pages_from_one_again() -> None:
    line = Band(L.LINE_PITCH_MM, (RULE,))
    pages = paginate_bands([line] * 30 + [PART_BREAK, line])
    assert [page.number for page in pages] == [1, 2, 1]


def test_an_empty_answer_leaves_room_for_the_pen_and_a_written_one_none() -> None:
    def lines(cell: Cell) -> int:
        return len(table_bands(Table((1.0, 3.0), ((Cell("会议记录"), cell),)))) - 2  # less the two paddings

    assert lines(answer_cell("", 6)) == 6
    assert lines(answer_cell("会议由张堃主持。", 6)) == 1
