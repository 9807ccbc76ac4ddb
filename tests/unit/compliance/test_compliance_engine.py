"""The compliance engine on a database: every rule id, DUE vs VIOLATION, 支委会 only where a committee is in
office, 党小组会 per group, drafts never count, the 20:00 meeting on a quarter's last day, 应建未建 per
organization, freshness of the stored results."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from compliance_builders import add, branch, meeting, org, periods_of, rows
from sqlalchemy import text

from app.domain.compliance import Level, RuleId
from app.domain.enums import CreditListKind, EvaluationGrade, MeetingKind, MeetingStatus, MemberKind, PartyOrgFormation
from app.models import (
    Assignment,
    CreditListing,
    Member,
    MemberKindChange,
    MemberRelationChange,
    OrgEvaluation,
    new_id,
)
from app.services.compliance import engine, state
from app.services.compliance.engine import ensure_fresh, refresh_all
from app.services.compliance.state import STATE_KEY, current_policy
from app.services.core.database import Database

TODAY = date(2026, 8, 15)
K = MeetingKind


def refresh(db: Database, today: date = TODAY) -> int:
    with db.session_factory.begin() as session:
        return refresh_all(session, today=today, policy=current_policy())


def test_every_rule_is_evaluated(db: Database) -> None:
    covered = org(db, "甲协会", charter=False)
    big = branch(db, "甲支部", org_ids=[covered], full=8, committee=1, groups=1, term_started=date(2024, 1, 10))
    meeting(db, big, K.THEME_DAY, datetime(2026, 8, 1, 9, 0), status=MeetingStatus.DRAFT)
    branch(db, "乙支部", org_ids=[org(db, "乙协会")], term_started=date(2023, 3, 1))  # expired, < 1 year late
    branch(db, "丙支部", org_ids=[org(db, "丙协会")], term_started=date(2022, 1, 1))  # > 1 year late
    joined = org(db, "丁协会")
    branch(db, "联合支部", org_ids=[joined, org(db, "戊协会")], formation=PartyOrgFormation.JOINT, full=3)
    listed = org(db, "己协会")
    add(db, CreditListing(org_id=listed, kind=CreditListKind.ABNORMAL, listed_on=date(2026, 5, 1)),
        OrgEvaluation(org_id=listed, grade=EvaluationGrade.A3, evaluated_on=date(2021, 10, 1)))
    refresh(db)
    assert {RuleId(r[1]) for r in rows(db)} == set(RuleId)


def test_the_running_period_is_due_a_past_one_a_violation(db: Database) -> None:
    party = branch(db, "甲支部", org_ids=[org(db, "甲协会")])
    meeting(db, party, K.GENERAL_MEETING, datetime(2026, 2, 3, 9, 0))
    refresh(db)
    general = rows(db, party_org_id=party.id, rule=RuleId.MEETING_GENERAL)
    assert periods_of(general, Level.VIOLATION)[-1:] == ["2026-04-01"]
    assert periods_of(general, Level.DUE) == ["2026-07-01"]
    assert "2026-01-01" not in periods_of(general)
    due = next(r for r in general if r[2] == "DUE")
    assert due[7] == "2026年第3季度未召开支部党员大会（应至少1次），请在2026年9月30日前召开并录入记录"


def test_evaluated_years_and_periods_before_the_branch(db: Database) -> None:
    old = branch(db, "老支部", established=date(2001, 1, 1))
    new = branch(db, "新支部", established=date(2026, 5, 20))
    refresh(db)
    years = periods_of(rows(db, party_org_id=old.id, rule=RuleId.MEETING_LIFE))
    assert years[0] == "2017-01-01" and len(years) == 10  # the last ten years, the running one included
    assert periods_of(rows(db, party_org_id=new.id, rule=RuleId.MEETING_GENERAL)) == ["2026-04-01", "2026-07-01"]
    assert periods_of(rows(db, party_org_id=new.id, rule=RuleId.MEETING_THEME_DAY))[0] == "2026-05-01"


def test_a_meeting_at_8pm_on_the_last_day_of_a_quarter_counts_for_that_quarter_a_draft_never(db: Database) -> None:
    party = branch(db, "甲支部")
    meeting(db, party, K.GENERAL_MEETING, datetime(2026, 6, 30, 20, 0))
    meeting(db, party, K.GENERAL_MEETING, datetime(2026, 3, 10, 9, 0), status=MeetingStatus.DRAFT)
    refresh(db)
    general = periods_of(rows(db, party_org_id=party.id, rule=RuleId.MEETING_GENERAL))
    assert "2026-04-01" not in general and "2026-01-01" in general
    [draft] = rows(db, party_org_id=party.id, rule=RuleId.RECORD_INCOMPLETE)
    assert draft[2] == "WARNING" and "仍是草稿，不计入三会一课" in draft[7]


def test_committee_meetings_are_owed_only_where_a_committee_is_in_office(db: Database) -> None:
    with_committee = branch(db, "有支委会", full=7, committee=3)
    without = branch(db, "未选支委会", full=8, committee=0)
    too_small = branch(db, "不足七人", full=6, committee=3)
    refresh(db)
    owed = periods_of(rows(db, party_org_id=with_committee.id, rule=RuleId.MEETING_COMMITTEE))
    assert owed[0] == "2025-01-01" and owed[-1] == "2026-08-01"  # from the term the committee was elected in
    assert rows(db, party_org_id=without.id, rule=RuleId.MEETING_COMMITTEE) == []
    assert rows(db, party_org_id=too_small.id, rule=RuleId.MEETING_COMMITTEE) == []
    [setup] = rows(db, party_org_id=without.id, rule=RuleId.BRANCH_SETUP)
    assert setup[2] == "VIOLATION" and "应设立支部委员会" in setup[7]


def test_group_meetings_are_owed_per_group(db: Database) -> None:
    party = branch(db, "甲支部", groups=2)
    meeting(db, party, K.GROUP_MEETING, datetime(2026, 7, 8, 19, 0), group=party.groups[0])
    refresh(db)
    july = [r for r in rows(db, party_org_id=party.id, rule=RuleId.MEETING_GROUP) if r[3] == "2026-07-01"]
    assert [r[4] for r in july] == [party.groups[1]]
    assert july[0][7].startswith("第2党小组：2026年7月未召开党小组会")


def test_should_form_counts_full_members_transferred_in_where_they_work(db: Database) -> None:
    """“Of its own”: a 党组织 covering the organization and no other.  A 联合支部 covering it with others is
    not its own."""
    workplace, other = org(db, "甲协会"), org(db, "乙协会")
    joint = branch(db, "联合支部", org_ids=[workplace, other], formation=PartyOrgFormation.JOINT, full=3)
    not_in = Member(id=new_id(), party_org_id=joint.id, org_id=workplace, name="未转入")
    add(db, not_in, MemberKindChange(party_org_id=joint.id, member_id=not_in.id, kind=MemberKind.FULL,
                                     changed_on=date(2020, 1, 1)),
        MemberRelationChange(party_org_id=joint.id, member_id=not_in.id, changed_on=date(2020, 1, 1),
                             transferred_in=False))
    refresh(db)
    [found] = rows(db, org_id=workplace, rule=RuleId.BRANCH_SHOULD_FORM)
    assert found[2] == "VIOLATION" and "正式党员 3 人（组织关系已转入）" in found[7]
    with db.session_factory() as session:  # shown with the 联合支部 its members belong to
        assert session.execute(text("SELECT party_org_id FROM compliance_finding WHERE rule_id = :r"),
                               {"r": RuleId.BRANCH_SHOULD_FORM.value}).scalar() == joint.id
    assert rows(db, org_id=other, rule=RuleId.BRANCH_SHOULD_FORM) == []
    own = org(db, "丙协会")
    branch(db, "丙支部", org_ids=[own], full=5)
    refresh(db)
    assert rows(db, org_id=own, rule=RuleId.BRANCH_SHOULD_FORM) == []


def test_no_instructor_only_without_party_org_and_assignment(db: Database) -> None:
    bare, assigned = org(db, "甲协会"), org(db, "乙协会")
    add(db, Assignment(org_id=assigned, instructor_id="i1", since=date(2026, 1, 1)))
    refresh(db)
    assert len(rows(db, org_id=bare, rule=RuleId.COVERAGE_NO_INSTRUCTOR)) == 1
    assert rows(db, org_id=assigned, rule=RuleId.COVERAGE_NO_INSTRUCTOR) == []


@pytest.mark.parametrize(("started", "rule", "level"), [
    (date(2023, 9, 1), RuleId.TERM_DUE_SOON, Level.WARNING),  # due 2026-09-01: within six months
    (date(2023, 8, 15), RuleId.TERM_OVERDUE, Level.WARNING),  # due today
    (date(2022, 8, 15), RuleId.TERM_OVERDUE, Level.WARNING),  # exactly a year late: still the allowed delay
    (date(2022, 8, 14), RuleId.TERM_VIOLATION, Level.VIOLATION),  # more than a year late
])
def test_term_findings(db: Database, started: date, rule: RuleId, level: Level) -> None:
    party = branch(db, "甲支部", term_started=started)
    refresh(db)
    found = [r for r in rows(db, party_org_id=party.id) if r[1].startswith("term.")]
    assert [(r[1], r[2]) for r in found] == [(rule.value, level.value)]


def test_ensure_fresh_rebuilds_on_a_new_day_or_another_pack(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    branch(db, "甲支部")
    assert ensure_fresh(db.session_factory, today=TODAY) is True
    assert ensure_fresh(db.session_factory, today=TODAY) is False
    with db.session_factory() as session:
        assert '"day": "2026-08-15"' in session.execute(text("SELECT value FROM sync_state WHERE key = :k"),
                                                         {"k": STATE_KEY}).scalar()
    assert ensure_fresh(db.session_factory, today=date(2026, 8, 16)) is True
    stricter = current_policy().__class__(name="某区规则包", compliance_years=2)
    monkeypatch.setattr(engine, "current_policy", lambda: stricter)
    monkeypatch.setattr(state, "current_policy", lambda: stricter)
    assert ensure_fresh(db.session_factory, today=date(2026, 8, 16)) is True
    assert periods_of(rows(db, rule=RuleId.MEETING_LIFE)) == ["2025-01-01", "2026-01-01"]
