"""统一社会信用代码 rules (DESIGN §2.1, GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import uscc
from app.domain.enums import OrgType
from app.domain.uscc import CHARSET, Severity, check_character, make_code, validate

WORKED_EXAMPLE = "91350100M000100Y43"  # the standard's own example (an enterprise, not a 社会组织)
TYPE_DIGIT = {
    OrgType.SOCIAL_GROUP: "1",
    OrgType.SOCIAL_SERVICE: "2",
    OrgType.FOUNDATION: "3",
    OrgType.COMMUNITY_FILED: "9",
}


def _with_char(code: str, position: int, char: str) -> str:
    return code[:position] + char + code[position + 1 :]


def test_weights_are_powers_of_three_mod_31() -> None:
    assert uscc.WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(CHARSET) == 31
    assert not set("IOSVZ") & set(CHARSET)


def test_worked_example_is_ok_without_org_type() -> None:
    result = validate(WORKED_EXAMPLE)
    assert result.severity is Severity.OK
    assert result.reasons == ()
    assert not result.checksum_failed
    assert check_character(WORKED_EXAMPLE[:17]) == "3"


def test_changed_check_character_is_a_warning_with_checksum_failed() -> None:
    result = validate(WORKED_EXAMPLE[:17] + "4")
    assert result.severity is Severity.WARNING
    assert result.checksum_failed
    assert "校验位不符：请对照登记证书逐位核对" in result.reason and "第18位应为 3" in result.reason


@pytest.mark.parametrize("code", [WORKED_EXAMPLE[:16], WORKED_EXAMPLE + "0", "", "5"])
def test_wrong_length_is_an_error(code: str) -> None:
    result = validate(code)
    assert result.severity is Severity.ERROR
    assert f"实际为{len(code)}位" in result.reason
    assert not result.checksum_failed


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "i", "o", "s", "v", "z", "-", "中"])
def test_characters_outside_the_charset_are_an_error(bad: str) -> None:
    result = validate(_with_char(WORKED_EXAMPLE, 8, bad))
    assert result.severity is Severity.ERROR
    assert bad.upper() in result.reason


def test_lower_case_input_is_normalized() -> None:
    code = make_code("1", "350100", "M00010AB0")
    lower = "  " + code.lower() + "\t"
    result = validate(lower, OrgType.SOCIAL_GROUP)
    assert result.code == code
    assert result.severity is Severity.OK
    assert uscc.normalize(lower) == code


def test_full_width_input_is_normalized() -> None:
    # what a Chinese input method in full-width mode, or a pasted Word table, produces
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in WORKED_EXAMPLE) + "\u3000"
    result = validate(full_width)
    assert result.code == WORKED_EXAMPLE
    assert result.severity is Severity.OK


def test_registration_authority_other_than_civil_affairs_is_a_type_warning() -> None:
    first17 = "9" + make_code("1", "350100", "MJ0000010")[1:17]
    code = first17 + check_character(first17)
    result = validate(code, OrgType.SOCIAL_GROUP)
    assert result.severity is Severity.WARNING
    assert not result.checksum_failed
    assert "第1位" in result.reason and "民政" in result.reason
    assert validate(code).severity is Severity.OK  # without a type any authority is accepted


@pytest.mark.parametrize(
    ("org_type", "wrong_digit"),
    [
        (OrgType.SOCIAL_GROUP, "2"),
        (OrgType.SOCIAL_SERVICE, "3"),
        (OrgType.FOUNDATION, "1"),
        (OrgType.COMMUNITY_FILED, "1"),
    ],
)
def test_type_digit_disagreeing_with_org_type_is_a_warning(org_type: OrgType, wrong_digit: str) -> None:
    code = make_code(wrong_digit, "350100", "MJ0000010")
    result = validate(code, org_type)
    assert result.severity is Severity.WARNING
    assert not result.checksum_failed
    assert "第2位" in result.reason and org_type.label in result.reason


def test_type_digit_outside_civil_affairs_categories_is_a_warning() -> None:
    code = make_code("7", "350100", "MJ0000010")
    result = validate(code, OrgType.SOCIAL_GROUP)
    assert result.severity is Severity.WARNING
    assert "1、2、3、9" in result.reason


@pytest.mark.parametrize("org_type", list(OrgType))
def test_matching_type_digit_is_ok(org_type: OrgType) -> None:
    assert validate(make_code(TYPE_DIGIT[org_type], "110105", "MJ0000010"), org_type).severity is Severity.OK


def test_old_organization_code_check_is_not_enforced() -> None:
    # positions 9-17 carry the GB 11714 code with its own check character; a code whose embedded
    # organization code is "wrong" by that rule must still pass when its own check character is right.
    code = make_code("2", "440300", "000000001")
    assert validate(code, OrgType.SOCIAL_SERVICE).severity is Severity.OK


def test_every_single_character_change_of_the_worked_example_is_reported() -> None:
    for position in range(18):
        for char in CHARSET:
            if char == WORKED_EXAMPLE[position]:
                continue
            result = validate(_with_char(WORKED_EXAMPLE, position, char))
            assert result.checksum_failed, (position, char)


org_types = st.sampled_from(list(OrgType))
regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
bodies = st.text(alphabet=CHARSET, min_size=9, max_size=9)


@given(org_type=org_types, region=regions, body=bodies)
def test_make_code_always_validates_ok_for_its_type(org_type: OrgType, region: str, body: str) -> None:
    code = make_code(TYPE_DIGIT[org_type], region, body)
    assert len(code) == 18
    result = validate(code, org_type)
    assert result.severity is Severity.OK, result.reason


@given(
    org_type=org_types,
    region=regions,
    body=bodies,
    position=st.integers(min_value=0, max_value=17),
    shift=st.integers(min_value=1, max_value=30),
)
def test_any_single_substitution_is_reported(
    org_type: OrgType, region: str, body: str, position: int, shift: int
) -> None:
    # Holds because every weight 3^k mod 31 is non-zero and 31 is prime: changing one value by
    # d (0 < |d| < 31) changes the weighted sum by d·w ≢ 0 (mod 31), so the check character moves.
    assert all(w % 31 for w in uscc.WEIGHTS)
    code = make_code(TYPE_DIGIT[org_type], region, body)
    replacement = CHARSET[(uscc.VALUES[code[position]] + shift) % 31]
    changed = _with_char(code, position, replacement)
    assert changed != code
    result = validate(changed, org_type)
    assert result.severity is Severity.WARNING
    assert result.checksum_failed
    assert validate(changed).checksum_failed
