"""Cell values as the import reads them: a raw value from a sheet (text, number, date, bool or None) ->
the value of its column's kind, or ValueError with a Chinese reason.

Blank cells read as None (the import then keeps what is saved).  Text is trimmed (full-width spaces
too) but otherwise kept as typed: names keep their full-width brackets.  Phones are NFKC-normalized
("１３８…" -> "138…"), as codes and dates are.  Numbers Excel stored as floats
read back whole (a phone 13800000000.0 is "13800000000").
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from app.domain import cell_text
from app.domain.enums import ORG_TYPE_LABELS, EvaluationGrade, OrgType
from app.services.ledger_io.columns import Kind, LedgerColumn

Raw = str | int | float | date | bool | None

# The type labels the UI shows, and what offices write for them.
_TYPE_WORDS: dict[str, OrgType] = {cell_text.plain(label): org_type for org_type, label in ORG_TYPE_LABELS.items()}
_TYPE_WORDS.update({
    "社团": OrgType.SOCIAL_GROUP, "社会团体法人": OrgType.SOCIAL_GROUP,
    "民非": OrgType.SOCIAL_SERVICE, "民办非企业": OrgType.SOCIAL_SERVICE, "社会服务机构": OrgType.SOCIAL_SERVICE,
    "民办非企业单位(法人)": OrgType.SOCIAL_SERVICE, "民办非企业单位法人": OrgType.SOCIAL_SERVICE,
    "基金会法人": OrgType.FOUNDATION,
    "社区社会组织": OrgType.COMMUNITY_FILED, "社区社会组织(备案)": OrgType.COMMUNITY_FILED,
    "备案": OrgType.COMMUNITY_FILED, "备案社区社会组织": OrgType.COMMUNITY_FILED,
})
_GRADE_WORDS = {grade.value: grade for grade in EvaluationGrade}
_GRADE_WORDS.update({"A" * int(grade.value[0]): grade for grade in EvaluationGrade})
TYPE_CHOICES = "、".join(ORG_TYPE_LABELS.values())


def is_blank(raw: Raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip(" \t\r\n\u3000\xa0"))


def text_of(raw: Raw) -> str:
    """A cell as text: whole floats without ".0", dates as YYYY-MM-DD, spaces of any width trimmed."""
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip(" \t\r\n\u3000\xa0")


def _date(raw: Raw) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return cell_text.date_of_number(float(raw))
    return cell_text.parse_date_text(text_of(raw))


NEGATIVE_COUNT = "人数不能为负数，请填写 0 或更大的整数，或留空"
_NEGATIVE = re.compile(r"-\s*\d")


def _count(raw: Raw) -> int:
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        if raw < 0:
            raise ValueError(NEGATIVE_COUNT)
        if float(raw).is_integer():
            return int(raw)
        raise ValueError(f"“{raw:g}”不是整数，请填写人数")
    text = text_of(raw)
    if _NEGATIVE.match(cell_text.plain(text)):  # "-3", "－３"
        raise ValueError(NEGATIVE_COUNT)
    return cell_text.parse_count(text)


def _phone(raw: Raw) -> str:
    """A phone as digits a user can dial: full-width digits and dashes plain (NFKC), spaces trimmed."""
    return unicodedata.normalize("NFKC", text_of(raw)).strip()


def _yes_no(raw: Raw) -> bool:
    if isinstance(raw, bool):
        return raw
    return cell_text.parse_yes_no(text_of(raw))


def _org_type(raw: Raw) -> OrgType:
    text = text_of(raw)
    found = _TYPE_WORDS.get(cell_text.plain(text).replace(" ", ""))
    if found is None:
        raise ValueError(f"“{text}”不是组织类型，应为：{TYPE_CHOICES}")
    return found


def _grade(raw: Raw) -> EvaluationGrade:
    text = text_of(raw)
    key = cell_text.plain(text).upper().replace(" ", "").removesuffix("级")
    found = _GRADE_WORDS.get(key)
    if found is None:
        raise ValueError(f"“{text}”不是评估等级，应为 1A、2A、3A、4A 或 5A")
    return found


NFKC_KEYS = frozenset({"contact_phone"})  # read as typed, but plain (codes and dates are normalized elsewhere)
_READERS = {Kind.DATE: _date, Kind.COUNT: _count, Kind.YES_NO: _yes_no, Kind.ORG_TYPE: _org_type,
            Kind.GRADE: _grade, Kind.TEXT: text_of}


def read_cell(column: LedgerColumn, raw: Raw) -> object:
    """The value of ``raw`` for ``column`` (None when blank); ValueError with a Chinese reason."""
    if is_blank(raw):
        return None
    if column.key in NFKC_KEYS:
        return _phone(raw)
    return _READERS[column.kind](raw)
