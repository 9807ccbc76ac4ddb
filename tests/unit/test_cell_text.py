"""How 台账 cells read as dates, counts and yes/no (app.domain.cell_text)."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.cell_text import date_of_number, excel_serial_date, parse_count, parse_date_text, parse_yes_no


@pytest.mark.parametrize("text", ["2021.3.5", "2021/3/5", "2021-03-05", "2021年3月5日", "20210305", "２０２１．３．５",
                                  "２０２１年３月５日", " 2021 年 3 月 5 日 ", "2021-03-05 00:00:00", "2021/03/05"])
def test_dates_as_offices_type_them(text: str) -> None:
    assert parse_date_text(text) == date(2021, 3, 5)


@pytest.mark.parametrize(("text", "reason"), [
    ("2021年13月1日", "没有这一天"), ("2021.2.30", "没有这一天"), ("三月五日", "不是日期"), ("2021.3", "不是日期"),
    ("1850-01-01", "早于1900年"), ("abc", "2021年3月5日"),
])
def test_a_bad_date_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date_text(text)


def test_excel_serial_days() -> None:
    assert excel_serial_date(44260) == date(2021, 3, 5)
    assert excel_serial_date(1) == date(1900, 1, 1)
    assert excel_serial_date(61) == date(1900, 3, 1)  # after Excel's phantom 29 February 1900
    assert date_of_number(20210305) == date(2021, 3, 5)  # typed as a number
    assert date_of_number(44260.0) == date(2021, 3, 5)
    with pytest.raises(ValueError):
        excel_serial_date(-3)


@pytest.mark.parametrize(("text", "value"), [("12", 12), ("１２", 12), ("12人", 12), ("1,200", 1200), ("3.0", 3)])
def test_counts(text: str, value: int) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["约30", "3.5", "-2", "十二"])
def test_bad_counts(text: str) -> None:
    with pytest.raises(ValueError, match="不是整数"):
        parse_count(text)


def test_yes_no() -> None:
    assert all(parse_yes_no(t) for t in ("是", "有", "√", "Y", "已入章", "TRUE", "１"))
    assert not any(parse_yes_no(t) for t in ("否", "无", "×", "n", "未入章", "0"))
    with pytest.raises(ValueError, match="“是”或“否”"):
        parse_yes_no("不清楚")
