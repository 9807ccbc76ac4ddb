"""The policy pack (DESIGN §2.1): national defaults in code and in resources/policy agree; a district pack
overrides only the keys it names; every bad key is named in Chinese."""

from __future__ import annotations

import dataclasses
import tomllib
from fractions import Fraction
from pathlib import Path

import pytest

from app import paths
from app.domain import policy as policy_module
from app.domain.enums import MeetingKind
from app.domain.periods import PeriodKind
from app.domain.policy import MeetingRule, Policy, PolicyError, parse_policy
from app.services.meetings.policy import PolicyFileError, load_policy


def test_the_shipped_pack_holds_the_national_defaults() -> None:
    assert paths.national_policy_path().is_file()
    assert load_policy() == Policy.national()


def test_the_shipped_pack_writes_out_every_key() -> None:
    """Every threshold appears in national.toml (with its comment), so a district sees what it may change."""
    loaded = tomllib.loads(paths.national_policy_path().read_text(encoding="utf-8"))
    for section, keys in policy_module._LAYOUT.items():
        assert set(loaded[section]) == set(keys), section
    assert set(loaded["meetings"]) == {kind.value for kind in MeetingKind}


def test_every_policy_field_has_a_key() -> None:
    reachable = {attribute for keys in policy_module._LAYOUT.values() for attribute, _ in keys.values()}
    assert reachable | {"meetings"} == {field.name for field in dataclasses.fields(Policy)}


def test_national_defaults() -> None:
    national = Policy.national()
    assert (national.quorum, national.pass_share, national.election_quorum, national.committee_quorum,
            national.excellent_share) == (Fraction(1, 2), Fraction(1, 2), Fraction(4, 5), Fraction(1, 2),
                                          Fraction(1, 3))
    assert national.meeting_rule(MeetingKind.GENERAL_MEETING) == MeetingRule(PeriodKind.QUARTER)
    assert national.meeting_rule(MeetingKind.GROUP_MEETING).per_group
    assert national.meeting_rule(MeetingKind.LIFE_MEETING) == MeetingRule(PeriodKind.YEAR, grace_months=3)
    assert (national.own_branch_min_full_members, national.committee_min_full_members,
            national.committee_size_min, national.committee_size_max, national.warn_members_above,
            national.joint_max_orgs) == (3, 7, 3, 7, 50, 5)
    assert (national.term_years, national.community_term_years, national.term_remind_months,
            national.term_violation_months) == (3, 5, 6, 12)
    assert (national.on_site_visits_per_org, national.visit_period, national.evaluation_valid_years) == (
        1, PeriodKind.MONTH, 5)


def test_a_district_overrides_only_what_it_names() -> None:
    district = parse_policy({"pack": {"name": "某区"}, "votes": {"quorum": "2/3"},
                             "meetings": {"PARTY_LECTURE": {"period": "MONTH"}}})
    assert district.name == "某区" and district.quorum == Fraction(2, 3)
    assert district.pass_share == Fraction(1, 2)
    assert district.meeting_rule(MeetingKind.PARTY_LECTURE) == MeetingRule(PeriodKind.MONTH, at_least=1)
    assert district.meeting_rule(MeetingKind.THEME_DAY) == Policy.national().meeting_rule(MeetingKind.THEME_DAY)
    assert parse_policy({}) == Policy.national()


@pytest.mark.parametrize(("mapping", "problem"), [
    ({"vote": {}}, "未知的分节 [vote]"),
    ({"votes": {"quorom": "1/2"}}, "未知的设置 votes.quorom（可用：quorum, pass_share"),
    ({"votes": {"quorum": 0.5}}, "votes.quorum 应为写成字符串的分数，如 \"1/2\"，实际为 0.5"),
    ({"votes": {"quorum": "3/2"}}, "votes.quorum 应为大于 0、小于 1 的分数，实际为 '3/2'"),
    ({"votes": {"quorum": "1/0"}}, "votes.quorum 应为大于 0、小于 1 的分数"),
    ({"votes": {"quorum": "0/5"}}, "votes.quorum 应为大于 0、小于 1 的分数"),
    ({"votes": "1/2"}, "[votes] 应为一个分节"),
    ({"branch": {"warn_members_above": "50"}}, "branch.warn_members_above 应为不小于 0 的整数，实际为 '50'"),
    ({"branch": {"joint_max_orgs": True}}, "branch.joint_max_orgs 应为不小于 0 的整数"),
    ({"terms": {"years": -3}}, "terms.years 应为不小于 0 的整数，实际为 -3"),
    ({"terms": {"years": 0}}, "terms.years 应至少为 1，实际为 0"),
    ({"visits": {"period": "WEEK"}}, "visits.period 应为周期 MONTH, QUARTER, YEAR 之一，实际为 'WEEK'"),
    ({"meetings": {"PARTY_CLASS": {}}}, "未知的会议类型 meetings.PARTY_CLASS"),
    ({"meetings": {"GROUP_MEETING": {"per_group": "yes"}}}, "meetings.GROUP_MEETING.per_group 应为 true 或 false"),
    ({"meetings": {"THEME_DAY": {"at_least": 0}}}, "meetings.THEME_DAY.at_least 应至少为 1，实际为 0"),
    ({"meetings": {"THEME_DAY": {"times": 2}}}, "未知的设置 meetings.THEME_DAY.times"),
    ({"branch": {"committee_size_min": 8}},
     "branch.committee_size_min（8）应至少为 1，且不大于 branch.committee_size_max（7）"),
    ({"pack": {"name": ""}}, "pack.name 应为非空文字"),
])
def test_bad_keys_are_named(mapping: dict[str, object], problem: str) -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy(mapping)
    assert any(line.startswith(problem) for line in raised.value.problems), raised.value.problems


def test_every_bad_key_is_listed_at_once() -> None:
    with pytest.raises(PolicyError) as raised:
        parse_policy({"votes": {"quorum": "2", "pass_share": "9/8"}, "terms": {"years": "3"}})
    assert len(raised.value.problems) == 3


def test_a_policy_cannot_change_under_its_users() -> None:
    national = Policy.national()
    with pytest.raises(dataclasses.FrozenInstanceError):
        national.quorum = Fraction(2, 3)  # type: ignore[misc]
    with pytest.raises(TypeError):
        national.meetings[MeetingKind.THEME_DAY] = MeetingRule(PeriodKind.YEAR)  # type: ignore[index]
    assert hash(national) == hash(Policy.national())


def test_a_district_file_is_laid_over_the_national_pack(tmp_path: Path) -> None:
    district = tmp_path / "某区.toml"
    district.write_text('[pack]\nname = "某区规则"\n\n[visits]\non_site_per_org = 2\n', encoding="utf-8")
    loaded = load_policy(district)
    assert (loaded.name, loaded.on_site_visits_per_org, loaded.quorum) == ("某区规则", 2, Fraction(1, 2))


@pytest.mark.parametrize(("text", "detail"), [
    ('[votes]\nquorum = "5/4"\n', "votes.quorum 应为大于 0、小于 1 的分数，实际为 '5/4'"),
    ("[votes\nquorum = 1\n", "不是有效的 TOML 格式"),
])
def test_a_bad_district_file_names_the_file_and_the_key(tmp_path: Path, text: str, detail: str) -> None:
    district = tmp_path / "district.toml"
    district.write_text(text, encoding="utf-8")
    with pytest.raises(PolicyFileError) as raised:
        load_policy(district)
    assert str(district) in str(raised.value) and detail in str(raised.value)


def test_a_missing_or_non_utf8_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PolicyFileError, match="找不到该文件"):
        load_policy(tmp_path / "missing.toml")
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('[pack]\nname = "某区"\n'.encode("gbk"))
    with pytest.raises(PolicyFileError, match="UTF-8"):
        load_policy(gbk)
