"""One cell of the 组织台账 -> its wire value (what the client's outbox would send for that column).

Text is trimmed and blank text is "" (the client's text columns are never null); blank dates, counts and
grades are None; 是/否 are booleans; dates are ISO strings.  A value that cannot be read raises ValueError
with a Chinese reason.
"""

from __future__ import annotations

from datetime import date, datetime

from server.ledger.columns import COUNT, DATE, GRADE, GRADES, NO, ORG_TYPE, ORG_TYPES, TEXT, YES, YES_NO

Raw = str | int | float | date | bool | None
_SPACES = " \t\r\n\u3000\xa0"


def _text(raw: Raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip(_SPACES)


def _date(raw: Raw) -> str | None:
    if isinstance(raw, datetime):
        return raw.date().isoformat()
    if isinstance(raw, date):
        return raw.isoformat()
    text = _text(raw)
    if not text:
        return None
    try:
        return date.fromisoformat(text.replace("/", "-")).isoformat()
    except ValueError:
        raise ValueError(f"“{text}”不是日期，应写成 2024-05-01") from None


def _count(raw: Raw) -> int | None:
    if isinstance(raw, bool):
        raise ValueError(f"“{raw}”不是人数")
    if isinstance(raw, int | float):
        if raw < 0 or not float(raw).is_integer():
            raise ValueError(f"“{raw:g}”不是人数，应为 0 或更大的整数")
        return int(raw)
    text = _text(raw)
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"“{text}”不是人数，应为 0 或更大的整数")
    return int(text)


def _yes_no(raw: Raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _text(raw)
    if text in ("", NO):
        return False
    if text == YES:
        return True
    raise ValueError(f"“{text}”应为“{YES}”或“{NO}”")


def _org_type(raw: Raw) -> str:
    text = _text(raw).replace("（", "(").replace("）", ")")
    if text in ORG_TYPES:
        return ORG_TYPES[text]
    if text in ORG_TYPES.values():
        return text
    raise ValueError(f"“{text}”不是组织类型，应为：{'、'.join(ORG_TYPES)}")


def _grade(raw: Raw) -> str | None:
    text = _text(raw).upper()
    if not text:
        return None
    if text in GRADES:
        return text
    raise ValueError(f"“{text}”不是评估等级，应为 {'、'.join(GRADES)}")


_READERS = {TEXT: _text, DATE: _date, COUNT: _count, YES_NO: _yes_no, ORG_TYPE: _org_type, GRADE: _grade}


def read_cell(kind: str, raw: Raw) -> object:
    return _READERS[kind](raw)
