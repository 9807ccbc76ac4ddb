"""Dates as typed: 2021-03-05, 2021.3.5, 2021/3/5, 2021年3月5日, 20210305; blank is unknown."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.date_text import DateTextError, format_date, parse_date_text


@pytest.mark.parametrize("text", ["2021-03-05", "2021.3.5", "2021/3/5", "2021年3月5日", "2021年03月05", "20210305",
                                  " ２０２１－０３－０５ "])
def test_the_ways_people_write_a_date(text: str) -> None:
    assert parse_date_text(text) == date(2021, 3, 5)


def test_blank_is_unknown() -> None:
    assert parse_date_text("  ") is None


@pytest.mark.parametrize(("text", "message"), [
    ("2021-3", "“2021-3”不是日期（如 2021-03-05、2021.3.5 或 2021年3月5日）"),
    ("2021-02-30", "“2021-02-30”不是有效日期（2021年没有2月30日）"),
    ("明年", "“明年”不是日期（如 2021-03-05、2021.3.5 或 2021年3月5日）"),
    ("1800-01-01", "“1800-01-01”的年份 1800 太早，请核对"),
])
def test_what_is_not_a_date_says_why(text: str, message: str) -> None:
    with pytest.raises(DateTextError) as caught:
        parse_date_text(text)
    assert str(caught.value) == message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_formatting_reads_back(value: date) -> None:
    assert parse_date_text(format_date(value)) == value
