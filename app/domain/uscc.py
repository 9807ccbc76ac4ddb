"""统一社会信用代码 (GB 32100-2015) validation, as DESIGN §2.1 states it.

Pure functions; no database.  A wrong length or character is an error; a failed check character is a
warning the user may override with a reason; a registration-authority or type digit that disagrees with
the organization type is a warning.  Positions 9-17 (the old organization code) are not hard-checked.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from app.domain.enums import OrgType

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(CHARSET)}
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
CIVIL_AFFAIRS = "5"  # 登记管理部门代码: 民政
TYPE_DIGITS = {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"}
EXPECTED_TYPE_DIGIT = {
    OrgType.SOCIAL_GROUP: "1",
    OrgType.SOCIAL_SERVICE: "2",
    OrgType.FOUNDATION: "3",
    OrgType.COMMUNITY_FILED: "9",
}


class Severity(StrEnum):
    OK = "ok"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class UsccCheck:
    code: str  # normalized (stripped, upper-case)
    severity: Severity
    reasons: tuple[str, ...] = ()
    checksum_failed: bool = False

    @property
    def reason(self) -> str:
        return "；".join(self.reasons)


def normalize(code: str) -> str:
    """Trimmed and upper-case; full-width characters (typed with a Chinese IME, or pasted from documents)
    become their ASCII forms."""
    return unicodedata.normalize("NFKC", code).strip().upper()


def check_character(first17: str) -> str:
    """The 18th character for the given first 17 (all from CHARSET)."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def validate(code: str, org_type: OrgType | None = None) -> UsccCheck:
    """Check one code.  With ``org_type`` (a 社会组织's code), positions 1 and 2 are checked against it;
    without it (e.g. ``validate-uscc``) any registration authority is accepted."""
    norm = normalize(code)
    if len(norm) != 18:
        return UsccCheck(norm, Severity.ERROR, (f"应为18位，实际为{len(norm)}位",))
    bad = sorted({ch for ch in norm if ch not in VALUES})
    if bad:
        shown = "、".join(bad)
        return UsccCheck(norm, Severity.ERROR, (f"含有不允许的字符：{shown}（不使用 I、O、S、V、Z）",))
    reasons: list[str] = []
    expected = check_character(norm[:17])
    checksum_failed = norm[17] != expected
    if checksum_failed:
        # Not "change the last character to X": a typo anywhere in the first 17 also fails the check.
        reasons.append(f"校验位不符：请对照登记证书逐位核对（按前17位计算第18位应为 {expected}，实际为 {norm[17]}）")
    if org_type is not None:
        reasons.extend(_type_mismatch(norm, org_type))
    severity = Severity.WARNING if reasons else Severity.OK
    return UsccCheck(norm, severity, tuple(reasons), checksum_failed)


def _type_mismatch(norm: str, org_type: OrgType) -> list[str]:
    """Positions 1-2 against the organization type (only meaningful for a 社会组织)."""
    if norm[0] != CIVIL_AFFAIRS:
        return [f"第1位登记管理部门代码为 {norm[0]}，社会组织应为 5（民政）"]
    if norm[1] not in TYPE_DIGITS:
        return [f"第2位机构类别代码 {norm[1]} 不是民政部门的类别（1、2、3、9）"]
    if norm[1] != EXPECTED_TYPE_DIGIT[org_type]:
        return [f"第2位为 {norm[1]}（{TYPE_DIGITS[norm[1]]}），与组织类型“{org_type.label}”不一致"]
    return []


def make_code(type_digit: str, region: str, body: str) -> str:
    """Build a valid code from 类别 digit, a 6-digit region and a 9-character body (demo data, tests)."""
    first17 = CIVIL_AFFAIRS + type_digit + region + body
    return first17 + check_character(first17)
