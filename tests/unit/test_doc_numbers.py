"""发文字号 (GB/T 9704-2012 §7.2.3, DESIGN §2.1): format, parse, provisional numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.doc_numbers import (
    ALL_BRACKETS,
    DocNumber,
    format_doc_number,
    is_provisional,
    parse_doc_number,
    provisional_label,
)


def test_the_standard_form() -> None:
    assert format_doc_number("鼓民社党", 2026, 7) == "鼓民社党〔2026〕7号"
    assert format_doc_number("鼓民社党", 2026, 120) == "鼓民社党〔2026〕120号"
    assert parse_doc_number("鼓民社党〔2026〕7号") == DocNumber("鼓民社党", 2026, 7)
    assert DocNumber("鼓民社党", 2026, 7).text == "鼓民社党〔2026〕7号"


@pytest.mark.parametrize(("prefix", "year", "seq", "message"), [
    ("", 2026, 1, "机关代字不能为空"),
    ("  ", 2026, 1, "机关代字不能为空"),
    ("鼓民〔社党", 2026, 1, "不能有括号"),
    ("鼓民[社]党", 2026, 1, "不能有括号"),
    ("鼓民 社党", 2026, 1, "不能有空格"),
    ("鼓民社党", 26, 1, "四位数字"),
    ("鼓民社党", 20260, 1, "四位数字"),
    ("鼓民社党", 2026, 0, "从 1 开始"),
    ("鼓民社党", 2026, -3, "从 1 开始"),
    ("鼓民社党", 2026, True, "从 1 开始"),
])
def test_format_refuses_what_the_standard_forbids(prefix: str, year: int, seq: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        format_doc_number(prefix, year, seq)


@pytest.mark.parametrize("typed", [
    "鼓民社党[2026]7号", "鼓民社党［2026］7号", "鼓民社党(2026)7号", "鼓民社党（2026）7号",
    "鼓民社党【2026】7号", "鼓民社党﹝2026﹞7号", "鼓民社党〔２０２６〕７号", "鼓民社党〔2026〕7",
    " 鼓民社党 〔2026〕 7 号 ",
])
def test_common_slips_are_accepted_and_normalized(typed: str) -> None:
    assert parse_doc_number(typed).text == "鼓民社党〔2026〕7号"


@pytest.mark.parametrize(("typed", "message"), [
    ("鼓民社党〔2026〕第7号", "序号前不加“第”，应写作 鼓民社党〔2026〕7号"),
    ("鼓民社党〔2026〕007号", "不加前导零），应写作 鼓民社党〔2026〕7号"),
    ("鼓民社党〔26〕7号", "年份应写全四位，如〔2026〕"),
    ("鼓民社党〔二〇二六〕7号", "四位阿拉伯数字"),
    ("鼓民社党〔2026〕七号", "阿拉伯数字"),
    ("鼓民社党〔2026〕0号", "不能为 0"),
    ("鼓民社党〔2026〕号", "缺少序号"),
    ("〔2026〕7号", "缺少机关代字"),
    ("鼓民社党2026年7号", "六角括号"),
    ("", "为空"),
    ("鼓民社党〔2026〕临7号（临时编号）", "临时编号"),
    ("鼓民社党〔2026〕7a号", "只含阿拉伯数字"),
])
def test_mistakes_that_change_the_number_are_refused_with_the_fix(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_doc_number(typed)


def test_a_place_name_with_lin_in_the_prefix_is_not_provisional() -> None:
    assert parse_doc_number("临民社党〔2026〕3号") == DocNumber("临民社党", 2026, 3)
    assert not is_provisional("临民社党〔2026〕3号")


def test_provisional_label_is_marked_and_never_parses_as_confirmed() -> None:
    label = provisional_label("鼓民社党", 2026, 7)
    assert label == "鼓民社党〔2026〕临7号（临时编号）"
    assert is_provisional(label)
    assert provisional_label("鼓民社党", 2026, 7, device="B2") == "鼓民社党〔2026〕临B2-7号（临时编号）"
    with pytest.raises(ValueError, match="设备代码"):
        provisional_label("鼓民社党", 2026, 7, device="b 2")
    with pytest.raises(ValueError, match="从 1 开始"):
        provisional_label("鼓民社党", 2026, 0)


_PREFIX_CHARS = st.characters(categories=("Lo", "Lu", "Ll", "Nd"), exclude_characters="".join(ALL_BRACKETS))
prefixes = st.text(_PREFIX_CHARS, min_size=1, max_size=12)
years = st.integers(1000, 9999)
seqs = st.integers(1, 10**6)


@given(prefixes, years, seqs)
def test_format_then_parse_round_trips(prefix: str, year: int, seq: int) -> None:
    assert parse_doc_number(format_doc_number(prefix, year, seq)) == (prefix, year, seq)


@given(prefixes, years, seqs, seqs)
def test_a_provisional_label_never_equals_or_parses_as_a_confirmed_number(
        prefix: str, year: int, local: int, seq: int) -> None:
    label = provisional_label(prefix, year, local)
    assert label != format_doc_number(prefix, year, seq)
    assert is_provisional(label)
    assert not is_provisional(format_doc_number(prefix, year, seq))
    with pytest.raises(ValueError, match="临时编号"):
        parse_doc_number(label)
