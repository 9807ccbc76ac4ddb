"""The compliance results kept in step on every write path — a save, a bulk load, a pull (``rows_changed``) —
re-evaluating only what was touched: the rows of other 党组织 and other periods stay exactly as they were."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from compliance_builders import ACTOR, Branch, add, branch, meeting, org, rows
from sqlalchemy import text, update

from app.domain.compliance import RuleId
from app.domain.enums import (
    AttendanceStatus,
    CommitteeRole,
    InspectionResult,
    MeetingKind,
    MeetingStatus,
    MemberKind,
    PartyOrgFormation,
)
from app.models import (
    AnnualInspection,
    CommitteeMember,
    Meeting,
    MeetingAttendance,
    Member,
    MemberKindChange,
    PartyOrgTerm,
    new_id,
)
from app.services.compliance.engine import refresh_all
from app.services.compliance.state import current_policy
from app.services.core import clock, derived
from app.services.core.database import Database
from app.services.core.outbox import bulk_load, record_upsert
from app.services.core.outbox_guard import bulk_writes

TODAY = date(2026, 8, 15)
K = MeetingKind


@pytest.fixture
def world(db: Database) -> tuple[Branch, Branch]:
    mine, other = branch(db, "甲支部", org_ids=[org(db, "甲协会")]), branch(db, "乙支部", org_ids=[org(db, "乙协会")])
    with db.session_factory.begin() as session:
        refresh_all(session, today=TODAY, policy=current_policy())
    return mine, other


def general(db: Database, party: Branch) -> list[str]:
    return [str(r[3]) for r in rows(db, party_org_id=party.id, rule=RuleId.MEETING_GENERAL)]


def untouched_except(before: list[tuple], after: list[tuple], rule: RuleId, periods: set[str]) -> None:
    """Every row of ``before`` not of ``rule`` in ``periods`` is in ``after`` unchanged (same id too)."""
    kept = [r for r in before if not (r[1] == rule.value and str(r[3]) in periods)]
    assert [r for r in after if r in kept] == kept


def test_a_saved_meeting_re_evaluates_only_its_party_org_and_period(db: Database, world: tuple[Branch, Branch]) -> None:
    mine, other = world
    before, others_before = rows(db, party_org_id=mine.id), rows(db, party_org_id=other.id)
    assert "2026-04-01" in general(db, mine)
    meeting(db, mine, K.GENERAL_MEETING, datetime(2026, 6, 30, 20, 0))  # the quarter's last evening
    assert "2026-04-01" not in general(db, mine)
    untouched_except(before, rows(db, party_org_id=mine.id), RuleId.MEETING_GENERAL, {"2026-04-01"})
    assert rows(db, party_org_id=other.id) == others_before


def test_a_meeting_moved_to_another_quarter_gives_the_old_one_back(db: Database, world: tuple[Branch, Branch]) -> None:
    mine, _ = world
    meeting_id = meeting(db, mine, K.GENERAL_MEETING, datetime(2026, 5, 6, 9, 0))
    assert "2026-04-01" not in general(db, mine) and "2026-07-01" in general(db, mine)
    with db.session_factory.begin() as session:
        row = session.get(Meeting, meeting_id)
        assert row is not None
        row.started_at = datetime(2026, 7, 6, 9, 0)
        record_upsert(session, row, actor=ACTOR)
    assert "2026-04-01" in general(db, mine) and "2026-07-01" not in general(db, mine)


def test_a_bulk_load_is_kept_in_step(db: Database, world: tuple[Branch, Branch]) -> None:
    mine, other = world
    others_before = rows(db, party_org_id=other.id)
    loaded = [{"id": new_id(), "party_org_id": mine.id, "kind": K.GENERAL_MEETING, "status": "DONE",
               "started_at": datetime(2026, month, 3, 9, 0), "location": "会议室", "host_name": "甲",
               "recorder_name": "乙", "topic": "学习", "decisions": "同意"} for month in (2, 5)]
    with db.session_factory.begin() as session:
        bulk_load(session, Meeting, loaded, actor=ACTOR)
        bulk_load(session, MeetingAttendance, [
            {"party_org_id": mine.id, "meeting_id": m["id"], "member_id": mine.members[0],
             "status": AttendanceStatus.PRESENT, "had_vote": True} for m in loaded], actor=ACTOR)
    assert {"2026-01-01", "2026-04-01"}.isdisjoint(general(db, mine))
    assert rows(db, party_org_id=mine.id, rule=RuleId.RECORD_INCOMPLETE) == []
    assert rows(db, party_org_id=other.id) == others_before


def test_a_pull_that_moves_a_meeting_is_kept_in_step(db: Database, world: tuple[Branch, Branch]) -> None:
    """A pull writes the rows and calls rows_changed: the engine's note of where the meeting was counted
    tells which period it left."""
    mine, _ = world
    meeting_id = meeting(db, mine, K.GENERAL_MEETING, datetime(2026, 5, 6, 9, 0))
    with db.session_factory.begin() as session:
        with bulk_writes(session):
            session.execute(update(Meeting).where(Meeting.id == meeting_id)
                            .values(started_at=datetime(2026, 8, 1, 9, 0), server_version=7))
        derived.rows_changed(session, {"meeting": [meeting_id]})
    assert "2026-04-01" in general(db, mine) and "2026-07-01" not in general(db, mine)


def test_attendance_changes_re_check_only_that_record(db: Database, world: tuple[Branch, Branch]) -> None:
    mine, _ = world
    meeting_id = meeting(db, mine, K.THEME_DAY, datetime(2026, 8, 3, 9, 0))
    assert rows(db, party_org_id=mine.id, rule=RuleId.RECORD_INCOMPLETE) == []
    before = rows(db, party_org_id=mine.id)
    add(db, MeetingAttendance(party_org_id=mine.id, meeting_id=meeting_id, member_id=mine.members[1],
                              status=AttendanceStatus.LEAVE))
    [found] = rows(db, party_org_id=mine.id, rule=RuleId.RECORD_INCOMPLETE)
    assert found[4] == meeting_id and "请假或缺席原因（1 人未填）" in found[7]
    assert [r for r in rows(db, party_org_id=mine.id) if r[1] != RuleId.RECORD_INCOMPLETE.value] == before


def test_organization_records_re_evaluate_that_organization(db: Database, world: tuple[Branch, Branch]) -> None:
    mine, other = world
    [inspection] = rows(db, org_id=mine.org_ids[0], rule=RuleId.INSPECTION)
    assert "2025年度" in inspection[7]
    add(db, AnnualInspection(org_id=mine.org_ids[0], year=2025, result=InspectionResult.PASSED),
        AnnualInspection(org_id=mine.org_ids[0], year=2024, result=InspectionResult.PASSED))
    assert rows(db, org_id=mine.org_ids[0], rule=RuleId.INSPECTION) == []
    assert len(rows(db, org_id=other.org_ids[0], rule=RuleId.INSPECTION)) == 1


def test_a_member_added_re_evaluates_should_form(db: Database) -> None:
    workplace = org(db, "丙协会")
    joint = branch(db, "联合支部", org_ids=[workplace, org(db, "丁协会")], formation=PartyOrgFormation.JOINT, full=2)
    with db.session_factory.begin() as session:
        refresh_all(session, today=TODAY, policy=current_policy())
    assert rows(db, rule=RuleId.BRANCH_SHOULD_FORM) == []
    member_id = new_id()
    add(db, Member(id=member_id, party_org_id=joint.id, org_id=workplace, name="新党员"),
        MemberKindChange(party_org_id=joint.id, member_id=member_id, kind=MemberKind.FULL, changed_on=date(2026, 1, 1)))
    assert [r[1] for r in rows(db, org_id=workplace)].count(RuleId.BRANCH_SHOULD_FORM.value) == 1


def test_nothing_is_kept_before_the_first_evaluation(db: Database) -> None:
    party = branch(db, "甲支部")
    meeting(db, party, K.THEME_DAY, datetime(2026, 8, 3, 9, 0))
    with db.session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM compliance_finding")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM compliance_meeting")).scalar() == 0


def test_keepers_refresh_as_of_the_day_the_results_hold(db: Database, world: tuple[Branch, Branch],
                                                        frozen_clock: clock.FrozenClock) -> None:
    """The clock says 31 March; the results hold for 15 August: a save keeps them as of 15 August."""
    mine, _ = world
    meeting(db, mine, K.THEME_DAY, datetime(2026, 8, 3, 9, 0))
    theme = [r for r in rows(db, party_org_id=mine.id, rule=RuleId.MEETING_THEME_DAY)]
    assert "2026-08-01" not in [str(r[3]) for r in theme] and "2026-07-01" in [str(r[3]) for r in theme]


def test_every_table_the_rules_read_has_a_keeper() -> None:
    import app.services.compliance.keepers as keepers

    for table in ("meeting", *keepers.MEETING_PARTS, *keepers.PARTY_TABLES, *keepers.MEMBER_TABLES,
                  *keepers.ORG_TABLES, "compliance_waiver"):
        assert any(k.__module__ == keepers.__name__ for k in derived.keepers_for(table)), table


def test_a_committee_elected_and_a_term_renewed_re_evaluate_that_party_org(db: Database) -> None:
    party = branch(db, "甲支部", full=8, committee=0, term_started=date(2022, 1, 10))  # due 2025-01-10: > 1 year late
    other = branch(db, "乙支部")
    with db.session_factory.begin() as session:
        refresh_all(session, today=TODAY, policy=current_policy())
    others_before = rows(db, party_org_id=other.id)
    assert rows(db, party_org_id=party.id, rule=RuleId.MEETING_COMMITTEE) == []
    assert len(rows(db, party_org_id=party.id, rule=RuleId.TERM_VIOLATION)) == 1
    term_id = new_id()
    add(db, PartyOrgTerm(id=term_id, party_org_id=party.id, term_no=2, started_on=date(2026, 6, 1),
                         due_on=date(2029, 6, 1)),
        *[CommitteeMember(party_org_id=party.id, term_id=term_id, member_id=member_id, role=CommitteeRole.MEMBER,
                          first_day=date(2026, 6, 1)) for member_id in party.members[:3]])
    with db.session_factory.begin() as session:
        old = session.get(PartyOrgTerm, party.term_id)
        assert old is not None
        old.renewed_on = date(2026, 6, 1)
        record_upsert(session, old, actor=ACTOR)
    assert [r[1] for r in rows(db, party_org_id=party.id) if r[1].startswith("term.")] == []
    owed = [str(r[3]) for r in rows(db, party_org_id=party.id, rule=RuleId.MEETING_COMMITTEE)]
    assert owed == ["2026-06-01", "2026-07-01", "2026-08-01"]  # from the month the committee was elected
    assert rows(db, party_org_id=other.id) == others_before


def test_one_save_of_many_rows_is_one_refresh_at_commit(db: Database, world: tuple[Branch, Branch],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from app.services.compliance import engine

    calls: list[str] = []
    for name in ("refresh_meetings", "refresh_records"):
        original = getattr(engine, name)
        monkeypatch.setattr(engine, name, lambda *a, _n=name, _f=original, **k: (calls.append(_n), _f(*a, **k))[1])
    mine, _ = world
    meeting_id = new_id()
    with db.session_factory.begin() as session:
        record_upsert(session, Meeting(id=meeting_id, party_org_id=mine.id, kind=K.GENERAL_MEETING,
                                       status=MeetingStatus.DONE, started_at=datetime(2026, 5, 6, 9, 0)), actor=ACTOR)
        for member_id in mine.members:  # one flush per row
            record_upsert(session, MeetingAttendance(party_org_id=mine.id, meeting_id=meeting_id, member_id=member_id,
                                                     status=AttendanceStatus.PRESENT), actor=ACTOR)
        assert calls == []  # nothing yet: the refresh waits for the commit
    assert calls == ["refresh_meetings"]
    assert "2026-04-01" not in general(db, mine)


def test_a_rolled_back_save_refreshes_nothing(db: Database, world: tuple[Branch, Branch]) -> None:
    mine, _ = world
    before = rows(db)
    with pytest.raises(RuntimeError), db.session_factory.begin() as session:
        record_upsert(session, Meeting(party_org_id=mine.id, kind=K.GENERAL_MEETING, status=MeetingStatus.DONE,
                                       started_at=datetime(2026, 5, 6, 9, 0)), actor=ACTOR)
        raise RuntimeError("用户取消")
    assert rows(db) == before


def test_a_fresh_process_writing_a_meeting_without_the_compliance_area_still_refreshes_findings(
        db: Database, world: tuple[Branch, Branch]) -> None:
    """Keepers register lazily (``app.services``'s keeper loader, run by ``rows_changed``): a process that
    imports only the models and the outbox — not the compliance area — and writes a meeting still has the
    findings of its 党组织 refreshed in the same transaction."""
    import os
    import subprocess
    import sys

    mine, _ = world
    assert "2026-04-01" in general(db, mine)
    db.close()
    script = "\n".join((
        "import sys",
        "from datetime import datetime",
        "from pathlib import Path",
        "from sqlalchemy.orm import sessionmaker",
        "from app.domain.enums import MeetingKind, MeetingStatus",
        "from app.models import Meeting, new_id",
        "from app.services.core.database import make_engine",
        "from app.services.core.outbox import install_outbox_guard, record_upsert",
        "before = sorted(m for m in sys.modules if m.startswith('app.services.compliance'))",
        f"factory = sessionmaker(make_engine(Path({str(db.path)!r})), expire_on_commit=False)",
        "install_outbox_guard(factory, outbox=True)",
        "with factory.begin() as session:",
        f"    record_upsert(session, Meeting(id=new_id(), party_org_id={mine.id!r}, status=MeetingStatus.DONE,",
        "        kind=MeetingKind.GENERAL_MEETING, started_at=datetime(2026, 6, 30, 20, 0), location='会议室',",
        "        host_name='书记', recorder_name='委员', topic='学习', decisions='同意'), actor='t')",
        "print(before, 'app.services.compliance.keepers' in sys.modules)",
    ))
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ),
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["[]", "True"]  # nothing of the area before the write; its keepers after
    assert "2026-04-01" not in general(db, mine)  # the quarter's 党员大会 is held: its finding is gone
