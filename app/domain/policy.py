"""The policy pack (DESIGN §2, §2.1): every threshold the rules use, with the national defaults.

``Policy.national()`` holds the defaults of the national texts; ``parse_policy`` validates a mapping
loaded from a TOML pack (``resources/policy/national.toml``, or a district's own file).  A district pack
may override only some keys: a key it leaves out keeps the value of ``base`` (the national default).  An
unknown key is refused rather than ignored, so a misspelt threshold never silently keeps the default.
Fractions are written as strings ("1/2", "4/5") because TOML has no exact fractions.  Pure: reading the
file is the services' job (``app.services.meetings.policy.load_policy``).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from fractions import Fraction
from types import MappingProxyType
from typing import Any

from app.domain.enums import MeetingKind
from app.domain.periods import PeriodKind

__all__ = ["NATIONAL", "MeetingRule", "Policy", "PolicyError", "parse_policy"]


class PolicyError(ValueError):
    """A policy pack that cannot be used; ``problems`` are Chinese lines, each naming its key."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class MeetingRule:
    """How often a kind of meeting must be held: ``at_least`` per ``period`` (per 党小组 when ``per_group``).

    ``grace_months``: a period's meeting may still be held that many months after the period ends (the
    组织生活会 of a year until 31 March of the next year: 3)."""

    period: PeriodKind
    at_least: int = 1
    per_group: bool = False
    grace_months: int = 0


_NATIONAL_MEETINGS: dict[MeetingKind, MeetingRule] = {
    MeetingKind.GENERAL_MEETING: MeetingRule(PeriodKind.QUARTER),
    MeetingKind.COMMITTEE_MEETING: MeetingRule(PeriodKind.MONTH),
    MeetingKind.GROUP_MEETING: MeetingRule(PeriodKind.MONTH, per_group=True),
    MeetingKind.PARTY_LECTURE: MeetingRule(PeriodKind.QUARTER),
    MeetingKind.THEME_DAY: MeetingRule(PeriodKind.MONTH),
    MeetingKind.LIFE_MEETING: MeetingRule(PeriodKind.YEAR, grace_months=3),
    MeetingKind.DEMOCRATIC_REVIEW: MeetingRule(PeriodKind.YEAR),
    MeetingKind.HEART_TO_HEART: MeetingRule(PeriodKind.YEAR),
}


@dataclass(frozen=True)
class Policy:
    """Every threshold of DESIGN §2 and §2.1.  Quorum and pass shares are "more than": present must
    exceed ``quorum`` × 应到, yes-votes must exceed ``pass_share`` × 应到."""

    name: str = "全国默认"
    meetings: Mapping[MeetingKind, MeetingRule] = field(default_factory=lambda: _NATIONAL_MEETINGS)
    # 支部党员大会 (中国共产党支部工作条例（试行）, 发展党员工作细则)
    quorum: Fraction = Fraction(1, 2)
    pass_share: Fraction = Fraction(1, 2)
    # 选举 (中国共产党基层组织选举工作条例, 2020)
    election_quorum: Fraction = Fraction(4, 5)
    election_pass_share: Fraction = Fraction(1, 2)
    # 支委会
    committee_quorum: Fraction = Fraction(1, 2)
    # 民主评议党员: 优秀 at most this share of the 正式党员 graded
    excellent_share: Fraction = Fraction(1, 3)
    # 党组织设置 (中国共产党支部工作条例（试行）)
    own_branch_min_full_members: int = 3
    committee_min_full_members: int = 7
    committee_size_min: int = 3
    committee_size_max: int = 7
    warn_members_above: int = 50
    joint_max_orgs: int = 5
    # 换届
    term_years: int = 3
    community_term_years: int = 5
    term_remind_months: int = 6
    term_violation_months: int = 12
    # 党建指导员走访, 社会组织评估
    on_site_visits_per_org: int = 1
    visit_period: PeriodKind = PeriodKind.MONTH
    evaluation_valid_years: int = 5
    evaluation_warn_months: int = 6  # 评估等级到期前几个月提醒
    # 年检: the previous year's result is expected by the end of this month (after it, missing is a fault)
    inspection_due_month: int = 6
    # 合规检查: how many years back (the running one included) the meeting rules are evaluated
    compliance_years: int = 10

    def __post_init__(self) -> None:  # a read-only view, so a frozen policy cannot change under a caller
        object.__setattr__(self, "meetings", MappingProxyType(dict(self.meetings)))

    def __hash__(self) -> int:
        return hash((self.name, tuple(sorted(self.meetings.items())), self.quorum, self.election_quorum))

    def fingerprint(self) -> str:
        """A short digest of every threshold: results derived under one pack are stale under another."""
        fields = {key: getattr(self, key) for key in self.__dataclass_fields__ if key != "meetings"}
        text = repr((sorted(fields.items()), sorted((kind.value, rule) for kind, rule in self.meetings.items())))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    @classmethod
    def national(cls) -> Policy:
        return cls()

    def meeting_rule(self, kind: MeetingKind) -> MeetingRule:
        return self.meetings[kind]


NATIONAL = Policy.national()

# The TOML layout: section → key → (Policy attribute, kind of value).
_FRACTION, _COUNT, _PERIOD, _TEXT, _BOOL = "fraction", "count", "period", "text", "bool"
_LAYOUT: dict[str, dict[str, tuple[str, str]]] = {
    "pack": {"name": ("name", _TEXT)},
    "votes": {"quorum": ("quorum", _FRACTION), "pass_share": ("pass_share", _FRACTION),
              "election_quorum": ("election_quorum", _FRACTION),
              "election_pass_share": ("election_pass_share", _FRACTION),
              "committee_quorum": ("committee_quorum", _FRACTION)},
    "reviews": {"excellent_share": ("excellent_share", _FRACTION)},
    "branch": {"own_branch_min_full_members": ("own_branch_min_full_members", _COUNT),
               "committee_min_full_members": ("committee_min_full_members", _COUNT),
               "committee_size_min": ("committee_size_min", _COUNT),
               "committee_size_max": ("committee_size_max", _COUNT),
               "warn_members_above": ("warn_members_above", _COUNT),
               "joint_max_orgs": ("joint_max_orgs", _COUNT)},
    "terms": {"years": ("term_years", _COUNT), "community_years": ("community_term_years", _COUNT),
              "remind_months": ("term_remind_months", _COUNT),
              "violation_months": ("term_violation_months", _COUNT)},
    "visits": {"on_site_per_org": ("on_site_visits_per_org", _COUNT), "period": ("visit_period", _PERIOD)},
    "evaluation": {"valid_years": ("evaluation_valid_years", _COUNT),
                   "warn_months": ("evaluation_warn_months", _COUNT)},
    "inspection": {"due_month": ("inspection_due_month", _COUNT)},
    "compliance": {"years": ("compliance_years", _COUNT)},
}
_MEETING_KEYS = {"period": _PERIOD, "at_least": _COUNT, "per_group": _BOOL, "grace_months": _COUNT}
_FRACTION_TEXT = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
_PERIOD_NAMES = ", ".join(kind.value for kind in PeriodKind)


def parse_policy(mapping: Mapping[str, Any], *, base: Policy | None = None) -> Policy:
    """The policy ``mapping`` (a loaded TOML pack) describes, keys it leaves out taken from ``base``
    (default: the national defaults).  Raises :class:`PolicyError` listing every bad key."""
    policy = base if base is not None else Policy.national()
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for section, table in mapping.items():
        if section == "meetings":
            meetings = _meetings(table, policy.meetings, problems)
            changes["meetings"] = meetings
            continue
        if section not in _LAYOUT:
            problems.append(f"未知的分节 [{section}]（可用：{', '.join([*_LAYOUT, 'meetings'])}）")
            continue
        if not isinstance(table, Mapping):
            problems.append(f"[{section}] 应为一个分节（表），不是单个值")
            continue
        for key, raw in table.items():
            if key not in _LAYOUT[section]:
                problems.append(f"未知的设置 {section}.{key}（可用：{', '.join(_LAYOUT[section])}）")
                continue
            attribute, kind = _LAYOUT[section][key]
            value = _value(f"{section}.{key}", raw, kind, problems)
            if value is not None:
                changes[attribute] = value
    if problems:
        raise PolicyError(problems)
    result = replace(policy, **changes)
    _check_consistency(result, problems)
    if problems:
        raise PolicyError(problems)
    return result


def _meetings(table: Any, current: Mapping[MeetingKind, MeetingRule],
              problems: list[str]) -> dict[MeetingKind, MeetingRule]:
    meetings = dict(current)
    if not isinstance(table, Mapping):
        problems.append("[meetings] 应为一个分节（表），不是单个值")
        return meetings
    for name, rule_table in table.items():
        try:
            kind = MeetingKind(name)
        except ValueError:
            known = ", ".join(kind.value for kind in MeetingKind)
            problems.append(f"未知的会议类型 meetings.{name}（可用：{known}）")
            continue
        if not isinstance(rule_table, Mapping):
            problems.append(f"meetings.{name} 应为一个分节（表），不是单个值")
            continue
        values: dict[str, Any] = {}
        for key, raw in rule_table.items():
            if key not in _MEETING_KEYS:
                problems.append(f"未知的设置 meetings.{name}.{key}（可用：{', '.join(_MEETING_KEYS)}）")
                continue
            value = _value(f"meetings.{name}.{key}", raw, _MEETING_KEYS[key], problems)
            if value is not None:
                values[key] = value
        meetings[kind] = replace(meetings[kind], **values)
        if meetings[kind].at_least < 1:
            problems.append(f"meetings.{name}.at_least 应至少为 1，实际为 {meetings[kind].at_least}")
    return meetings


def _value(key: str, raw: Any, kind: str, problems: list[str]) -> Any:
    if kind == _FRACTION:
        return _fraction(key, raw, problems)
    if kind == _COUNT:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            problems.append(f"{key} 应为不小于 0 的整数，实际为 {raw!r}")
            return None
        return raw
    if kind == _PERIOD:
        try:
            return PeriodKind(raw)
        except ValueError:
            problems.append(f"{key} 应为周期 {_PERIOD_NAMES} 之一，实际为 {raw!r}")
            return None
    if kind == _BOOL:
        if not isinstance(raw, bool):
            problems.append(f"{key} 应为 true 或 false，实际为 {raw!r}")
            return None
        return raw
    if not isinstance(raw, str) or not raw.strip():
        problems.append(f"{key} 应为非空文字，实际为 {raw!r}")
        return None
    return raw.strip()


def _fraction(key: str, raw: Any, problems: list[str]) -> Fraction | None:
    found = _FRACTION_TEXT.fullmatch(raw) if isinstance(raw, str) else None
    if found is None:
        problems.append(f"{key} 应为写成字符串的分数，如 \"1/2\"，实际为 {raw!r}")
        return None
    numerator, denominator = int(found[1]), int(found[2])
    if denominator == 0 or not 0 < numerator < denominator:
        problems.append(f"{key} 应为大于 0、小于 1 的分数，实际为 {raw!r}")
        return None
    return Fraction(numerator, denominator)


def _check_consistency(policy: Policy, problems: list[str]) -> None:
    if not 1 <= policy.committee_size_min <= policy.committee_size_max:
        problems.append(f"branch.committee_size_min（{policy.committee_size_min}）应至少为 1，且不大于 "
                        f"branch.committee_size_max（{policy.committee_size_max}）")
    for attribute, key in (("term_years", "terms.years"), ("community_term_years", "terms.community_years"),
                           ("evaluation_valid_years", "evaluation.valid_years"),
                           ("own_branch_min_full_members", "branch.own_branch_min_full_members"),
                           ("compliance_years", "compliance.years")):
        if getattr(policy, attribute) < 1:
            problems.append(f"{key} 应至少为 1，实际为 {getattr(policy, attribute)}")
    if not 1 <= policy.inspection_due_month <= 12:
        problems.append(f"inspection.due_month 应为 1 至 12 的月份，实际为 {policy.inspection_due_month}")

