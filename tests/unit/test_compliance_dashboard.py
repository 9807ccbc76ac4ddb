"""The 工作台's read: whose 党组织, this month's due and overdue findings counted by kind, the standing lists."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.compliance import CellState, Level, RuleId
from app.domain.enums import MeetingKind
from app.services.compliance.dashboard import grid_tips, load_dashboard
from app.services.core.database import Database
from app.services.orgs import assignments
from app.services.orgs.dto import OrgInput, OrgType
from app.services.orgs.organizations import create_org
from tests.compliance_data import add_finding, add_meeting, add_party

TODAY = date(2026, 8, 15)
USER = "local"


def _org(db: Database, name: str) -> str:
    data = OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED, founded_on=date(2015, 6, 1))
    return create_org(db.session_factory, data, actor="test").id


def test_without_assignments_every_party_org_is_shown(db: Database) -> None:
    a, b = add_party(db, "乙支部"), add_party(db, "甲支部")
    dashboard = load_dashboard(db.session_factory, user=USER, today=TODAY)
    assert not dashboard.mine and dashboard.party_org_count == 2
    assert sorted(row.party_org_id for row in dashboard.rows) == sorted([a, b])
    assert [cell.month.first for cell in dashboard.rows[0].cells][-1] == date(2026, 8, 1)


def test_with_assignments_only_the_party_orgs_covering_my_organizations(db: Database) -> None:
    mine, other = _org(db, "甲协会"), _org(db, "乙协会")
    my_party = add_party(db, "甲协会支部", covers=(mine,))
    add_party(db, "乙协会支部", covers=(other,))
    assignments.mark_mine(db.session_factory, [mine], True, actor="test", user=USER, today=date(2026, 8, 1))
    add_finding(db, RuleId.BRANCH_SHOULD_FORM, Level.WARNING, None, org=other, standing=True)
    add_finding(db, RuleId.BRANCH_SHOULD_FORM, Level.WARNING, None, org=mine, standing=True, message="甲协会应建未建")
    dashboard = load_dashboard(db.session_factory, user=USER, today=TODAY)
    assert dashboard.mine and dashboard.my_org_count == 1
    assert [row.party_org_id for row in dashboard.rows] == [my_party]
    assert [f.message for f in dashboard.should_form] == ["甲协会应建未建"]


def test_this_months_findings_and_every_standing_fact_counted_by_kind_worst_first(db: Database) -> None:
    a, b = add_party(db, "甲支部"), add_party(db, "乙支部")
    for party in (a, b):
        add_finding(db, RuleId.MEETING_COMMITTEE, Level.DUE, date(2026, 8, 31), party=party)
    add_finding(db, RuleId.MEETING_GROUP, Level.DUE, date(2026, 8, 31), party=a, subject="第一党小组")
    add_finding(db, RuleId.MEETING_GROUP, Level.DUE, date(2026, 8, 31), party=a, subject="第二党小组")
    add_finding(db, RuleId.TERM_OVERDUE, Level.VIOLATION, date(2025, 11, 30), party=b, standing=True)
    add_finding(db, RuleId.MEETING_THEME_DAY, Level.VIOLATION, date(2026, 7, 31), party=a)  # last month: the grid's
    add_finding(db, RuleId.MEETING_LECTURE, Level.DUE, date(2026, 8, 31), party=a, waived=True)
    dashboard = load_dashboard(db.session_factory, user=USER, today=TODAY)
    lines = [(line.level, line.rule_id, line.subjects, line.findings) for line in dashboard.due]
    assert lines == [(Level.VIOLATION, RuleId.TERM_OVERDUE, 1, 1), (Level.DUE, RuleId.MEETING_COMMITTEE, 2, 2),
                     (Level.DUE, RuleId.MEETING_GROUP, 1, 2)]
    assert dashboard.due[0].text == "违规　换届已逾期　1 个党组织"
    assert dashboard.due[2].text == "待办　党小组会　1 个党组织（2 项）"
    assert {f.subject for f in dashboard.findings_of(dashboard.due[2])} == {"第一党小组", "第二党小组"}
    assert [f.rule_id for f in dashboard.terms] == [RuleId.TERM_OVERDUE]
    by_month = {cell.month.first: cell for cell in next(r for r in dashboard.rows if r.party_org_id == a).cells}
    assert by_month[date(2026, 7, 1)].state is CellState.VIOLATION
    assert by_month[date(2026, 8, 1)].state is CellState.DUE and by_month[date(2026, 8, 1)].findings == 3


def test_incomplete_records_latest_first_and_whether_anything_was_evaluated(db: Database) -> None:
    party = add_party(db, "甲支部")
    assert not load_dashboard(db.session_factory, user=USER, today=TODAY).evaluated
    add_finding(db, RuleId.RECORD_INCOMPLETE, Level.WARNING, date(2026, 5, 3), party=party, message="五月会议缺签到")
    add_finding(db, RuleId.RECORD_INCOMPLETE, Level.WARNING, date(2026, 7, 9), party=party, message="七月会议是草稿")
    dashboard = load_dashboard(db.session_factory, user=USER, today=TODAY)
    assert dashboard.evaluated and dashboard.incomplete_total == 2
    assert [f.message for f in dashboard.incomplete] == ["七月会议是草稿", "五月会议缺签到"]


def test_the_grid_tips_name_the_findings_and_count_the_meetings(db: Database) -> None:
    party = add_party(db, "甲支部")
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.VIOLATION, date(2026, 6, 30), party=party, message="六月未开支委会")
    add_meeting(db, party, MeetingKind.THEME_DAY, datetime(2026, 6, 30, 20, 0))
    dashboard = load_dashboard(db.session_factory, user=USER, today=TODAY)
    assert all(cell.meetings == 0 for cell in dashboard.rows[0].cells)  # counted after the first paint
    tips = grid_tips(db.session_factory, party_org_ids=[party], today=TODAY)
    assert [f.message for f in tips.findings[(party, date(2026, 6, 1))]] == ["六月未开支委会"]
    assert tips.meetings == {(party, date(2026, 6, 1)): 1}


def test_rows_with_nothing_in_them_grey_the_months_before_the_branch_existed(db: Database) -> None:
    add_party(db, "甲支部", established=date(2026, 5, 20))
    add_party(db, "乙支部", established=date(2026, 5, 31))
    add_party(db, "丙支部", established=date(2026, 6, 1))
    add_party(db, "丁支部")
    dashboard = load_dashboard(db.session_factory, user=USER, today=TODAY)
    states = {row.name: {cell.month.first.month: cell.state for cell in row.cells} for row in dashboard.rows}
    assert states["甲支部"][4] is CellState.NOT_FORMED and states["甲支部"][5] is CellState.OK
    assert states["乙支部"][5] is CellState.OK  # set up on the month's last day
    assert states["丙支部"][5] is CellState.NOT_FORMED and states["丙支部"][6] is CellState.OK
    assert set(states["丁支部"].values()) == {CellState.OK}


def test_the_read_on_a_stdlib_connection_equals_the_read_in_a_session(db: Database) -> None:
    """The first paint reads on a plain read-only sqlite3 connection (no SQLAlchemy): the same SQL gives the
    same 工作台, tooltips and cell detail as in the app's sessions — with my organizations (dates bound),
    findings waived and not, standing facts, meetings."""
    from functools import partial

    from app.domain.periods import month_of
    from app.services.compliance.dashboard import load_cell_detail
    from app.services.core.raw_sql import read_only

    mine, other = _org(db, "甲协会"), _org(db, "乙协会")
    a = add_party(db, "甲协会支部", covers=(mine,), established=date(2026, 2, 10))
    add_party(db, "乙协会支部", covers=(other,))
    add_finding(db, RuleId.MEETING_COMMITTEE, Level.VIOLATION, date(2026, 6, 30), party=a, message="六月未开支委会")
    add_finding(db, RuleId.MEETING_LECTURE, Level.DUE, date(2026, 8, 31), party=a, waived=True)
    add_finding(db, RuleId.TERM_OVERDUE, Level.VIOLATION, date(2025, 11, 30), party=a, standing=True)
    add_finding(db, RuleId.RECORD_INCOMPLETE, Level.WARNING, date(2026, 7, 9), party=a, message="七月会议是草稿")
    add_meeting(db, a, MeetingKind.THEME_DAY, datetime(2026, 6, 30, 20, 0), topic="学习")
    assignments.mark_mine(db.session_factory, [mine], True, actor="test", user=USER, today=date(2026, 8, 1))
    raw = partial(read_only, db.path)
    for user in (USER, "nobody"):  # my organizations (the assignment's dates bound), then every 党组织
        on_raw = load_dashboard(raw, user=user, today=TODAY)
        assert on_raw == load_dashboard(db.session_factory, user=user, today=TODAY)
        assert on_raw.mine == (user == USER) and on_raw.rows and on_raw.due and on_raw.incomplete
    assert grid_tips(raw, party_org_ids=[a], today=TODAY) == grid_tips(db.session_factory, party_org_ids=[a],
                                                                      today=TODAY)
    june = month_of(date(2026, 6, 1))
    detail = load_cell_detail(raw, party_org_id=a, month=june)
    assert detail == load_cell_detail(db.session_factory, party_org_id=a, month=june)
    assert detail.meetings and detail.findings
