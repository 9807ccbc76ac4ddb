"""The GB/T 9704 grid (DESIGN §2.2) and CJK line breaking (避头尾)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.documents import layout as L
from app.services.documents.typeset import GridLine, paginate


def test_the_frame_is_the_standards() -> None:
    assert (L.RIGHT_MARGIN_MM, L.BOTTOM_MARGIN_MM) == (26.0, 35.0)
    assert round(L.LINE_PITCH_MM, 3) == 10.227
    assert round(L.CHAR_PITCH_MM, 3) == 5.571
    assert L.baseline_mm(0) > L.baseline_mm(21) > L.BOTTOM_MARGIN_MM
    assert L.baseline_mm(0) < L.PAGE_HEIGHT_MM - L.TOP_MARGIN_MM


def test_page_numbers_sit_seven_mm_below_the_type_area_at_the_outer_edge() -> None:
    assert L.page_number_text(1) == "— 1 —"
    odd_x, odd_y = L.page_number_position(1, 20.0)
    even_x, even_y = L.page_number_position(2, 20.0)
    one_char = L.PAGE_NUMBER_PT * L.MM_PER_PT
    assert odd_x + 20.0 == pytest.approx(L.LEFT_MARGIN_MM + L.TYPE_WIDTH_MM - one_char)
    assert even_x == pytest.approx(L.LEFT_MARGIN_MM + one_char)
    dash = odd_y + 0.3 * L.PAGE_NUMBER_PT * L.MM_PER_PT
    assert L.BOTTOM_MARGIN_MM - dash == pytest.approx(7.0)
    assert odd_y == even_y


def test_document_date_has_no_leading_zeros() -> None:
    assert L.document_date(date(2026, 12, 1)) == "2026年12月1日"
    assert L.document_date(date(2027, 3, 9)) == "2027年3月9日"


def test_cells_count_ideographs_as_one_and_half_width_as_half() -> None:
    assert L.text_cells("党建") == 2
    assert L.text_cells("2026年") == 3
    assert L.text_cells("，。“”") == 4


def test_a_paragraph_fills_28_cells_with_a_two_cell_indent() -> None:
    lines = L.break_lines("党" * 60)
    assert lines[0] == "\u3000\u3000" + "党" * 26
    assert [L.text_cells(line) for line in lines] == [28, 28, 6]


def test_no_line_starts_with_a_closing_mark() -> None:
    # 26 ideographs fill the first line after the indent; the comma would open the second.
    lines = L.break_lines("党" * 26 + "，好。")
    assert lines == ["\u3000\u3000" + "党" * 25, "党，好。"]


def test_a_run_of_closing_marks_moves_down_with_the_character_before_it() -> None:
    # The first line would end "建”" and the second open with "。": both marks go down, with "建".
    lines = L.break_lines("党" * 24 + "建”。结束", indent=2)
    assert lines[0] == "\u3000\u3000" + "党" * 24
    assert lines[1] == "建”。结束"


def test_no_line_ends_with_an_opening_mark() -> None:
    lines = L.break_lines("党" * 25 + "《条例》", indent=2)
    assert not lines[0].endswith("《")
    assert lines[1].startswith("《条例》")


def test_digits_stay_together() -> None:
    lines = L.break_lines("党" * 25 + "2026年", indent=2)
    assert lines[0] == "\u3000\u3000" + "党" * 25  # 25 + 2 = 27 cells; "2026" (2 cells) does not fit
    assert lines[1] == "2026年"


@pytest.mark.parametrize("text", [
    "根据《中国共产党支部工作条例（试行）》，请你支部于2026年12月31日前报送“换届请示”。" * 7,
    "，" * 40, "“" * 40, "党。" * 50,
])
def test_every_line_fits_and_none_starts_or_ends_badly_unless_unbreakable(text: str) -> None:
    lines = L.break_lines(text)
    assert "".join(lines) == "\u3000\u3000" + text
    for line in lines:
        assert L.text_cells(line) <= L.CHARS_PER_LINE
    if set(text) - L.NO_LINE_START - L.NO_LINE_END:
        assert all(line[0] not in L.NO_LINE_START for line in lines[1:])
        assert all(line[-1] not in L.NO_LINE_END for line in lines[:-1])


def test_a_shortened_line_is_spread_to_the_full_width() -> None:
    steps = L.advances("党" * 27, justify=True)
    assert sum(steps) == pytest.approx(28)
    assert L.advances("党" * 27) == [1.0] * 27


def _body(n: int) -> list[GridLine]:
    return [GridLine(f"正文{i}") for i in range(n)]


def test_the_signature_never_opens_a_page_alone() -> None:
    signature = [GridLine(keep_with_previous=True), GridLine(keep_with_previous=True),
                 GridLine("署名", keep_with_previous=True), GridLine("日期", keep_with_previous=True)]
    pages = paginate([*_body(20), *signature])
    assert [line.text for line in pages[1]] == ["正文19", "", "", "署名", "日期"]
    assert len(pages[0]) == 19
    fits = paginate([*_body(18), *signature])
    assert len(fits) == 1


def test_blank_lines_do_not_open_a_page() -> None:
    pages = paginate([*_body(22), GridLine(), GridLine("下一页")])
    assert [line.text for line in pages[1]] == ["下一页"]


_ALPHABET = st.sampled_from([*"党建工作，。、；：！？）」』”《（「“2026ab", "\u3000"])


@given(st.text(_ALPHABET, max_size=200), st.integers(0, 2))
def test_breaking_keeps_every_character_and_breaks_only_where_allowed(text: str, indent: int) -> None:
    lines = L.break_lines(text, indent=indent)
    assert "".join(lines) == "\u3000" * indent + text
    for before, after in itertools.pairwise(lines):
        assert L.text_cells(before) <= L.CHARS_PER_LINE
        # Where the break is not allowed, no earlier point in the line (leaving it 2+ characters) was.
        earlier = [L._may_break(a, b) for a, b in itertools.pairwise(before)][1:]
        assert L._may_break(before[-1], after[0]) or not any(earlier)
