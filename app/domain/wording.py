"""Numbers as the rules say them in Chinese: 半数, 五分之四, 三分之一."""

from __future__ import annotations

from fractions import Fraction

_DIGITS = "零一二三四五六七八九"


def chinese_number(value: int) -> str:
    """0–99 in Chinese numerals (十, 十二, 二十); larger numbers in digits."""
    if not 0 <= value < 100:
        return str(value)
    tens, ones = divmod(value, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def share_words(share: Fraction) -> str:
    """1/2 → 半数, 4/5 → 五分之四, 2/3 → 三分之二."""
    if share == Fraction(1, 2):
        return "半数"
    return f"{chinese_number(share.denominator)}分之{chinese_number(share.numerator)}"
