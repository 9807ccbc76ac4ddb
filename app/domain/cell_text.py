"""How the text of a spreadsheet cell reads as a date, a count or a yes/no (组织台账 import).

Pure rules, no I/O: offices type dates as 2021.3.5, 2021/3/5, 2021-03-05, 2021年3月5日 or 20210305, often
with full-width digits from a Chinese IME; Excel stores dates as serial day numbers.  Every function raises
ValueError with a Chinese reason the import shows next to the cell.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from app.domain.date_text import date_parts

EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 (Excel's phantom 29 Feb 1900 lies before 61)
EXCEL_SERIAL_MAX = 2_958_465  # 9999-12-31
EARLIEST_YEAR = 1900
DATE_EXAMPLES = "2021-03-05、2021/3/5、2021.3.5、2021年3月5日 或 20210305"

_TIME_PART = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
_COUNT = re.compile(r"(\d+)(\.0+)?\s*(人|名|个)?")
YES_WORDS = frozenset({"是", "有", "已入章", "已", "y", "yes", "true", "1", "√", "✓", "✔"})
NO_WORDS = frozenset({"否", "无", "未入章", "未", "没有", "n", "no", "false", "0", "×", "✗", "-", "—"})


def plain(text: str) -> str:
    """NFKC (full-width digits, letters and spaces become plain ones), trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}”不是有效的日期（没有这一天）") from None
    if year < EARLIEST_YEAR:
        raise ValueError(f"“{text}”的年份早于{EARLIEST_YEAR}年，请核对")
    return value


def parse_date_text(text: str) -> date:
    """A date typed as text.  Raises ValueError naming the formats it reads."""
    original = text.strip()
    value = _TIME_PART.sub("", plain(text))
    parts = date_parts(value)
    if parts is None:
        raise ValueError(f"“{original}”不是日期，请写成 {DATE_EXAMPLES}")
    year, month, day = parts
    return _checked_date(year, month, day, original)


def excel_serial_date(serial: float) -> date:
    """The date of an Excel serial day number (the 1900 date system)."""
    if not 1 <= serial <= EXCEL_SERIAL_MAX:
        raise ValueError(f"“{serial:g}”不是日期，请写成 {DATE_EXAMPLES}")
    if serial < 61:  # before Excel's nonexistent 1900-02-29
        return EXCEL_EPOCH + timedelta(days=int(serial) + 1)
    return EXCEL_EPOCH + timedelta(days=int(serial))


def date_of_number(number: float) -> date:
    """A number in a date column: 20210305 typed as a number, else an Excel serial day."""
    if number == int(number) and 19000101 <= number <= 99991231:
        return parse_date_text(str(int(number)))
    return excel_serial_date(number)


def parse_count(text: str) -> int:
    """A head count typed as text ("12", "１２", "12人"); blank is handled by the caller."""
    value = plain(text).replace(",", "")
    found = _COUNT.fullmatch(value)
    if found is None:
        raise ValueError(f"“{text.strip()}”不是整数，请填写人数（如 12）或留空")
    return int(found.group(1))


def parse_yes_no(text: str) -> bool:
    """是/否 and the ways offices write it (有/无, √/×, Y/N, 1/0, 已入章/未入章)."""
    value = plain(text).lower()
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    raise ValueError(f"“{text.strip()}”应为“是”或“否”")
