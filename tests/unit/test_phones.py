"""联系电话: mobile, landline with area code and extension, several numbers, full-width digits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.phones import PhoneKind, check_phones, parse_phone, split_numbers


@pytest.mark.parametrize(("text", "kind", "number"), [
    ("13800000000", PhoneKind.MOBILE, "13800000000"),
    ("138 0000 0000", PhoneKind.MOBILE, "13800000000"),
    ("138-0000-0000", PhoneKind.MOBILE, "13800000000"),
    ("+86 139 1234 5678", PhoneKind.MOBILE, "13912345678"),
    ("8613912345678", PhoneKind.MOBILE, "13912345678"),
    ("0591-87654321", PhoneKind.LANDLINE, "0591-87654321"),
    ("(0591)87654321", PhoneKind.LANDLINE, "0591-87654321"),
    ("（0591）8765432", PhoneKind.LANDLINE, "0591-8765432"),
    ("010 6666 8888", PhoneKind.LANDLINE, "010-66668888"),
    ("02187654321", PhoneKind.LANDLINE, "021-87654321"),  # Shanghai: a 3-digit area code, not 0218
    ("+86 591 8765 4321", PhoneKind.LANDLINE, "0591-87654321"),
    ("0591-87654321转123", PhoneKind.LANDLINE, "0591-87654321转123"),
    ("0591-87654321-123", PhoneKind.LANDLINE, "0591-87654321转123"),
    ("0591-87654321 ext. 9", PhoneKind.LANDLINE, "0591-87654321转9"),
    ("0591-87654321分机 66", PhoneKind.LANDLINE, "0591-87654321转66"),
    ("400-123-4567", PhoneKind.SERVICE, "400-1234567"),
    ("87654321", PhoneKind.LOCAL, "87654321"),
    ("8765432转5", PhoneKind.LOCAL, "8765432转5"),
])
def test_numbers_people_write_are_read(text: str, kind: PhoneKind, number: str) -> None:
    phone = parse_phone(text)
    assert phone is not None and (phone.kind, phone.number) == (kind, number)


@pytest.mark.parametrize("text", ["1234", "12345678", "1380000000", "138000000001", "0591-1234567", "电话",
                                  "12800000000", "0591-876543210"])
def test_what_is_not_a_phone_number(text: str) -> None:
    assert parse_phone(text) is None


def test_a_wrong_number_says_what_a_number_looks_like() -> None:
    check = check_phones("1234")
    assert check.problems == ("联系电话“1234”不是有效的手机号或带区号的固定电话（如 0591-87654321 或 13800000000）",)
    assert not check.ok


def test_several_numbers_and_full_width_digits() -> None:
    check = check_phones("０５９１－８７６５４３２１、13800000000；010-66668888，4001234567")
    assert check.ok and not check.warnings
    assert [p.number for p in check.phones] == ["0591-87654321", "13800000000", "010-66668888", "400-1234567"]


def test_each_bad_number_is_named_and_the_good_ones_kept() -> None:
    check = check_phones("13800000000、5555、0591-87654321")
    assert len(check.phones) == 2 and len(check.problems) == 1 and "“5555”" in check.problems[0]


def test_a_landline_without_area_code_is_only_a_warning() -> None:
    check = check_phones("87654321")
    assert check.ok and check.warnings == ("联系电话“87654321”没有区号，外地无法拨通，建议写成 0591-87654321 的形式",)


def test_blank_is_fine() -> None:
    assert check_phones("") == check_phones(" 、 ") and check_phones("").ok and not check_phones("").phones


# -- properties -------------------------------------------------------------------------------------
FILLER = st.sampled_from(["", " ", "-"])
FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


def _spread(digits: str, fillers: list[str]) -> str:
    return "".join(d + (fillers[i] if i < len(fillers) and i < len(digits) - 1 else "") for i, d in enumerate(digits))


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    number = "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    fillers = draw(st.lists(FILLER, max_size=10))
    prefix = draw(st.sampled_from(["", "+86 ", "86", "0086-"]))
    return prefix + _spread(number, fillers), number


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(["010", "021", "025", "0591", "0755", "0931"]))
    local = draw(st.sampled_from("23456789")) + draw(st.text("0123456789", min_size=6, max_size=7))
    extension = draw(st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=5)))
    written = area + draw(st.sampled_from(["-", " ", ""])) + local
    if extension:
        written += draw(st.sampled_from(["转", "-", " ext ", "分机"])) + extension
    return written, f"{area}-{local}" + (f"转{extension}" if extension else "")


@given(mobiles(), st.booleans())
def test_every_mobile_is_read_whatever_its_spacing(case: tuple[str, str], full_width: bool) -> None:
    written, number = case
    phone = parse_phone(split_numbers(written.translate(FULL_WIDTH) if full_width else written)[0])
    assert phone is not None and phone.kind is PhoneKind.MOBILE and phone.number == number


@given(landlines())
def test_every_landline_with_area_code_is_read(case: tuple[str, str]) -> None:
    written, number = case
    phone = parse_phone(written)
    assert phone is not None and phone.kind is PhoneKind.LANDLINE and phone.number == number


@given(st.lists(st.one_of(mobiles(), landlines()), min_size=1, max_size=4), st.sampled_from(["、", "，", ";", "；"]))
def test_lists_are_split_and_each_number_read(cases: list[tuple[str, str]], separator: str) -> None:
    check = check_phones(separator.join(written for written, _ in cases))
    assert check.ok and [p.number for p in check.phones] == [number for _, number in cases]


@given(st.text(max_size=40))
def test_any_text_gets_an_answer_never_an_exception(text: str) -> None:
    check = check_phones(text)
    assert len(check.phones) + len(check.problems) == len(split_numbers(text))
