"""Party organization setup and terms (DESIGN §2.1), at the boundaries of every threshold."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.branch_rules import (
    FindingLevel,
    TermState,
    branch_setup_findings,
    needs_committee,
    should_form_branch,
    term_due,
    term_status,
    term_years,
)
from app.domain.policy import Policy


def texts(**setup: object) -> list[str]:
    return [finding.text for finding in branch_setup_findings(**setup)]  # type: ignore[arg-type]


def test_three_full_members_should_form_their_own_branch() -> None:
    assert not should_form_branch(2) and should_form_branch(3)
    (finding,) = branch_setup_findings(full_members=3, members=4, has_party_org=False)
    assert finding.level is FindingLevel.VIOLATION
    assert finding.text == "正式党员 3 人（组织关系已转入），达到 3 人，应单独建立党支部（应建未建）"
    assert texts(full_members=2, members=6, has_party_org=False) == []  # 预备党员 do not count
    assert texts(full_members=3, members=3, has_party_org=True) == []


def test_seven_full_members_need_a_committee_of_three_to_seven() -> None:
    assert not needs_committee(6) and needs_committee(7)
    assert texts(full_members=6, members=6, has_party_org=True) == []
    assert texts(full_members=7, members=7, has_party_org=True) == [
        "正式党员 7 人，达到 7 人，应设立支部委员会（3 至 7 人）"]
    assert texts(full_members=7, members=7, has_party_org=True, committee_size=2) == ["支部委员会 2 人，应为 3 至 7 人"]
    assert texts(full_members=9, members=9, has_party_org=True, committee_size=8) == ["支部委员会 8 人，应为 3 至 7 人"]
    assert texts(full_members=9, members=9, has_party_org=True, committee_size=3) == []
    assert texts(full_members=9, members=9, has_party_org=True, committee_size=7) == []


def test_more_than_fifty_members_and_more_than_five_organizations_warn() -> None:
    assert texts(full_members=40, members=50, has_party_org=True, committee_size=5) == []
    (large,) = branch_setup_findings(full_members=40, members=51, has_party_org=True, committee_size=5)
    assert large.level is FindingLevel.WARNING and large.text.startswith("党员 51 人，超过 50 人")
    assert texts(full_members=3, members=3, has_party_org=True, joint=True, covered_orgs=5) == []
    assert texts(full_members=3, members=3, has_party_org=True, joint=True, covered_orgs=6) == [
        "联合党支部覆盖 6 个社会组织，超过 5 个，宜调整覆盖范围"]


def test_impossible_setups_are_refused() -> None:
    with pytest.raises(ValueError, match="正式党员 5 人多于党员总数 4 人"):
        branch_setup_findings(full_members=5, members=4, has_party_org=True)
    with pytest.raises(ValueError, match="党员人数不能为负数"):
        branch_setup_findings(full_members=0, members=-1, has_party_org=True)


def test_terms_are_three_years_five_for_villages_and_communities() -> None:
    assert (term_years(), term_years(community=True)) == (3, 5)
    assert term_due(date(2023, 3, 1)) == date(2026, 3, 1)
    assert term_due(date(2023, 3, 1), community=True) == date(2028, 3, 1)
    assert term_due(date(2024, 2, 29)) == date(2027, 2, 28)


@pytest.mark.parametrize(("today", "state", "text"), [
    (date(2026, 3, 29), TermState.NORMAL, "正常：2026年9月30日届满"),
    (date(2026, 3, 30), TermState.DUE_SOON, "即将到期：2026年9月30日届满，还有 184 天，请提前准备换届"),
    (date(2026, 9, 29), TermState.DUE_SOON, "即将到期：2026年9月30日届满，还有 1 天，请提前准备换届"),
    (date(2026, 9, 30), TermState.EXPIRED, "已到期：2026年9月30日届满，今日届满，应尽快换届"),
    (date(2027, 9, 30), TermState.EXPIRED, "已到期：2026年9月30日届满，已超期 365 天，应尽快换届"),
    (date(2027, 10, 1), TermState.OVERDUE, "超期一年以上：2026年9月30日届满，已超期 366 天，属违规，应立即换届"),
])
def test_term_status_at_its_boundaries(today: date, state: TermState, text: str) -> None:
    status = term_status(date(2026, 9, 30), today)
    assert (status.state, status.text) == (state, text)
    assert status.is_violation == (state is TermState.OVERDUE)


def test_term_thresholds_come_from_the_policy() -> None:
    policy = Policy(term_years=4, term_remind_months=3, term_violation_months=6)
    assert term_due(date(2022, 9, 30), policy=policy) == date(2026, 9, 30)
    assert term_status(date(2026, 9, 30), date(2026, 6, 29), policy=policy).state is TermState.NORMAL
    assert term_status(date(2026, 9, 30), date(2026, 6, 30), policy=policy).state is TermState.DUE_SOON
    late = term_status(date(2026, 9, 30), date(2027, 3, 31), policy=policy)
    assert late.state is TermState.OVERDUE and late.text.startswith("超期6个月以上")
