"""Reading compliance results: the month × 党组织 grid, a cell's detail and the findings list."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.compliance import CellState, Level, RuleId
from app.domain.enums import MeetingKind, MeetingStatus, PartyOrgFormation, PartyOrgLevel
from app.domain.periods import PeriodKind, month_of
from app.models import ComplianceFinding, Meeting, PartyOrg, new_id
from app.services.compliance.read import cell_detail, findings, grid_months, month_grid
from app.services.core.database import Database
from app.services.core.outbox import record_upsert

ACTOR = "u:test"
TODAY = date(2026, 8, 15)


def _party(db: Database, name: str, established: date | None = None) -> str:
    party_id = new_id()
    with db.session_factory.begin() as session:
        record_upsert(session, PartyOrg(id=party_id, party_org_id=party_id, name=name, level=PartyOrgLevel.BRANCH,
                                        formation=PartyOrgFormation.SINGLE, established_on=established), actor=ACTOR)
    return party_id


def _finding(db: Database, party_id: str, rule: RuleId, level: Level, due: date, *, waived: bool = False) -> None:
    with db.session_factory.begin() as session:
        session.add(ComplianceFinding(rule_id=rule.value, party_org_id=party_id, subject="", level=level,
                                      message=f"{rule.label} {due}", period_kind=PeriodKind.MONTH,
                                      period_first=due.replace(day=1), due_on=due,
                                      waiver_id="w" if waived else None))


def test_grid_months_end_with_the_current_month() -> None:
    months = grid_months(TODAY)
    assert len(months) == 12
    assert months[-1] == month_of(TODAY)
    assert months[0].first == date(2025, 9, 1)


def test_a_cell_takes_the_worst_finding_not_waived_and_greys_months_before_the_branch(db: Database) -> None:
    party = _party(db, "甲支部", established=date(2026, 3, 10))
    _finding(db, party, RuleId.MEETING_THEME_DAY, Level.WARNING, date(2026, 5, 31))
    _finding(db, party, RuleId.MEETING_COMMITTEE, Level.VIOLATION, date(2026, 5, 31))
    _finding(db, party, RuleId.MEETING_THEME_DAY, Level.VIOLATION, date(2026, 6, 30), waived=True)
    _finding(db, party, RuleId.MEETING_THEME_DAY, Level.DUE, date(2026, 8, 31))
    with db.session_factory.begin() as session:
        record_upsert(session, Meeting(party_org_id=party, kind=MeetingKind.THEME_DAY, status=MeetingStatus.DONE,
                                       started_at=datetime(2026, 6, 30, 20, 0)), actor=ACTOR)
    with db.session_factory() as session:
        [row] = month_grid(session, party_org_ids=[party], today=TODAY)
    by_month = {cell.month.first: cell for cell in row.cells}
    assert by_month[date(2026, 2, 1)].state is CellState.NOT_FORMED
    assert by_month[date(2026, 3, 1)].state is CellState.OK
    assert by_month[date(2026, 5, 1)].state is CellState.VIOLATION
    assert by_month[date(2026, 5, 1)].findings == 2
    assert by_month[date(2026, 6, 1)].state is CellState.OK  # waived
    assert by_month[date(2026, 6, 1)].meetings == 1  # held at 20:00 on the month's last day
    assert by_month[date(2026, 8, 1)].state is CellState.DUE


def test_cell_detail_lists_the_meetings_and_the_findings_behind_it(db: Database) -> None:
    party = _party(db, "乙支部")
    _finding(db, party, RuleId.MEETING_COMMITTEE, Level.VIOLATION, date(2026, 6, 30))
    _finding(db, party, RuleId.MEETING_THEME_DAY, Level.VIOLATION, date(2026, 6, 30), waived=True)
    with db.session_factory.begin() as session:
        record_upsert(session, Meeting(party_org_id=party, kind=MeetingKind.THEME_DAY, status=MeetingStatus.DRAFT,
                                       started_at=datetime(2026, 6, 3, 9, 0)), actor=ACTOR)
    with db.session_factory() as session:
        detail = cell_detail(session, party_org_id=party, month=month_of(date(2026, 6, 1)))
        listed = findings(session, party_org_ids=[party])
    assert detail.party_org_name == "乙支部"
    assert detail.state is CellState.VIOLATION
    assert [(m.status, m.started_at) for m in detail.meetings] == [(MeetingStatus.DRAFT, datetime(2026, 6, 3, 9, 0))]
    assert sorted((f.rule_id, f.waived) for f in detail.findings) == [
        (RuleId.MEETING_COMMITTEE, False), (RuleId.MEETING_THEME_DAY, True)]
    assert [f.rule_id for f in listed] == [RuleId.MEETING_COMMITTEE]  # waived ones only when asked


def test_the_latest_findings_cut_in_sql_are_the_first_of_the_whole_list_latest_first(db: Database) -> None:
    """``latest`` (the 工作台's 记录不完整 list: thousands on a big database, 200 shown) orders and cuts in SQL
    exactly as sorting the whole list by due day, latest first, would — ties broken worst first, then by
    党组织, organization, subject; findings without a day last; the count counts them all."""
    from app.services.compliance.read import count_findings
    from tests.compliance_data import add_finding

    a, b = _party(db, "乙支部"), _party(db, "甲支部")
    due = [date(2026, 7, 9), date(2026, 5, 3), date(2026, 7, 9), None, date(2026, 6, 1), date(2026, 7, 9)]
    levels = [Level.WARNING, Level.DUE, Level.VIOLATION, Level.WARNING, Level.WARNING, Level.WARNING]
    for n, (day, level) in enumerate(zip(due, levels, strict=True)):
        add_finding(db, RuleId.RECORD_INCOMPLETE, level, day, party=(a, b)[n % 2], subject=f"会议{n % 3}")
    add_finding(db, RuleId.RECORD_INCOMPLETE, Level.VIOLATION, date(2026, 8, 1), party=a, waived=True)
    add_finding(db, RuleId.MEETING_GENERAL, Level.VIOLATION, date(2026, 8, 1), party=a)
    with db.session_factory() as session:
        everything = findings(session, rules=[RuleId.RECORD_INCOMPLETE])
        everything.sort(key=lambda f: f.due_on or date.min, reverse=True)
        for n in range(len(everything) + 2):
            assert findings(session, rules=[RuleId.RECORD_INCOMPLETE], latest=n) == everything[:n], n
        assert count_findings(session, rules=[RuleId.RECORD_INCOMPLETE]) == len(everything) == 6
        assert [f.due_on for f in everything][:3] == [date(2026, 7, 9)] * 3
        assert [f.level for f in everything][:3] == [Level.VIOLATION, Level.WARNING, Level.WARNING]
        assert everything[-1].due_on is None
