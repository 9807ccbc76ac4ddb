"""联系电话: which Chinese phone numbers a form accepts, and what to say about the others.

A field may hold several numbers separated by 、，,；; or ／ (old sheets write "0591-87654321、13800000000").
Each number is read after NFKC (full-width digits and punctuation become ASCII) and is one of:

- a mobile number: 11 digits starting 1[3-9], spaces or hyphens anywhere, optionally after +86 / 86 / 0086;
- a landline with its area code: 0 + 2–3 digits, then a 7–8 digit local number not starting with 0 or 1
  ("0591-87654321", "(0591)87654321", "+86 591 8765 4321"), optionally followed by an extension
  (转123, 分机123, ext 123, -123, #123);
- a 400/800 service number (10 digits);
- a landline *without* its area code (7–8 digits): dialable only within the area; accepted with a warning,
  because old sheets are full of them and the instructor usually knows the area.

Anything else is a problem with a message saying what a number should look like.  Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

SEPARATORS = re.compile(r"[、,;/，；／]+")
EXAMPLE = "如 0591-87654321 或 13800000000"
_EXTENSION = re.compile(r"^(?P<main>.*?)(?:\s*(?:转|分机|ext\.?|x|#)\s*|-)(?P<ext>\d{1,6})$", re.IGNORECASE)
_MOBILE = re.compile(r"(?:\+?86|0086)?(1[3-9]\d{9})")
# 3-digit area codes are 010 and 02x; every other area code has four digits (0 + three)
_AREA_LOCAL = re.compile(r"(?:\+86|0086|86)?(0?(?:10|2\d|[3-9]\d\d))([2-9]\d{6,7})")
_LOCAL = re.compile(r"[2-9]\d{6,7}")
_SERVICE = re.compile(r"([48]00)(\d{7})")
_FILLER = re.compile(r"[\s\-()（）]+")


class PhoneKind(StrEnum):
    MOBILE = "手机"
    LANDLINE = "固定电话"
    SERVICE = "服务热线"
    LOCAL = "未带区号的固定电话"


@dataclass(frozen=True)
class Phone:
    """One number as written (``text``) and in a canonical form (``number``, e.g. 0591-87654321转12)."""

    text: str
    kind: PhoneKind
    number: str


@dataclass(frozen=True)
class PhoneCheck:
    phones: tuple[Phone, ...] = ()
    problems: tuple[str, ...] = ()  # one message per number that is not a phone number
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def split_numbers(text: str) -> list[str]:
    """The numbers a field holds, NFKC-normalized and stripped; empty pieces are dropped."""
    normalized = unicodedata.normalize("NFKC", text)
    return [piece.strip() for piece in SEPARATORS.split(normalized) if piece.strip()]


def _landline(area: str, local: str, extension: str) -> str:
    area = area if area.startswith("0") else "0" + area
    return f"{area}-{local}" + (f"转{extension}" if extension else "")


def parse_phone(piece: str) -> Phone | None:
    """One number (already split off and normalized), or None if it is not a phone number."""
    main, extension = piece, ""
    digits = _FILLER.sub("", piece)
    if mobile := _MOBILE.fullmatch(digits):
        return Phone(piece, PhoneKind.MOBILE, mobile.group(1))
    if service := _SERVICE.fullmatch(digits):
        return Phone(piece, PhoneKind.SERVICE, f"{service.group(1)}-{service.group(2)}")
    for candidate in _candidates(piece):
        main, extension = candidate
        digits = _FILLER.sub("", main)
        if not digits.isascii() or not digits.lstrip("+").isdigit():
            continue
        if (landline := _AREA_LOCAL.fullmatch(digits)) and _has_area(main, digits):
            return Phone(piece, PhoneKind.LANDLINE, _landline(landline.group(1), landline.group(2), extension))
        if _LOCAL.fullmatch(digits):
            return Phone(piece, PhoneKind.LOCAL, digits + (f"转{extension}" if extension else ""))
    return None


def _candidates(piece: str) -> list[tuple[str, str]]:
    """(number, extension) readings of ``piece``: with an extension first ("010-2000000-1" is extension 1
    of 010-2000000, not 010-20000001), then as one number ("0591-8765-4321")."""
    readings = [(piece, "")]
    found = _EXTENSION.match(piece)
    if found and found.group("main").strip():
        readings.insert(0, (found.group("main").strip(), found.group("ext")))
    return readings


def _has_area(main: str, digits: str) -> bool:
    """A number written with a leading 0 or a country code carries its area code; a bare 8-digit number
    like 87654321 must not be read as area 087 + local 654321."""
    if digits.startswith(("0", "+86")) or re.match(r"\s*[(（]\s*0", main):
        return True
    return digits.startswith("86") and len(digits) >= 11


def check_phones(text: str, label: str = "联系电话") -> PhoneCheck:
    """Every number in ``text``: problems for what is not a number, warnings for numbers lacking an area code."""
    phones: list[Phone] = []
    problems: list[str] = []
    warnings: list[str] = []
    for piece in split_numbers(text):
        phone = parse_phone(piece)
        if phone is None:
            problems.append(f"{label}“{piece}”不是有效的手机号或带区号的固定电话（{EXAMPLE}）")
        else:
            phones.append(phone)
            if phone.kind is PhoneKind.LOCAL:
                warnings.append(f"{label}“{piece}”没有区号，外地无法拨通，建议写成 0591-87654321 的形式")
    return PhoneCheck(tuple(phones), tuple(problems), tuple(warnings))
