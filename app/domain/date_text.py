"""Dates as people type them in forms and old sheets: 2021-03-05, 2021.3.5, 2021/3/5, 2021年3月5日, 20210305.

Pure: no clock (whether a date is in the future is the caller's rule).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

DATE_EXAMPLE = "如 2021-03-05、2021.3.5 或 2021年3月5日"
_SEPARATED = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


class DateTextError(ValueError):
    """``str()`` is the Chinese message (without the field's label)."""


def date_parts(cleaned: str) -> tuple[int, int, int] | None:
    """(year, month, day) of text written in one of the forms people type (NFKC-normalized and stripped
    already), not yet checked as a calendar date; None when it is none of them.  The one statement of which
    forms are dates: the form's date fields and the 台账 import (``cell_text``) both read through it."""
    found = _SEPARATED.fullmatch(cleaned) or _COMPACT.fullmatch(cleaned)
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    return year, month, day


def parse_date_text(text: str) -> date | None:
    """The date ``text`` names, None for blank text; DateTextError for anything else."""
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned:
        return None
    parts = date_parts(cleaned)
    if parts is None:
        raise DateTextError(f"“{text.strip()}”不是日期（{DATE_EXAMPLE}）")
    year, month, day = parts
    try:
        value = date(year, month, day)
    except ValueError:
        raise DateTextError(f"“{text.strip()}”不是有效日期（{year}年没有{month}月{day}日）") from None
    if year < 1900:
        raise DateTextError(f"“{text.strip()}”的年份 {year} 太早，请核对")
    return value


def format_date(value: date | None) -> str:
    return "" if value is None else f"{value:%Y-%m-%d}"


def chinese_date(value: date) -> str:
    """2026年3月5日: the civil day as a sentence writes it (Arabic numerals, no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日"
