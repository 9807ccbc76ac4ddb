"""我负责的组织: marking in bulk, history kept, the ledger's coverage and 我负责的 filter in step, and the
rule that assignments are read-only once signed in to a district server."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.domain.enums import OrgType
from app.models import Assignment, Instructor, OutboxEntry
from app.services.core.database import Database
from app.services.core.errors import NotFoundError
from app.services.orgs.assignments import (
    LOCAL_INSTRUCTOR_NAME,
    SERVER_KEY,
    AssignmentsReadOnly,
    can_edit_assignments,
    mark_mine,
    my_org_ids,
    org_is_mine,
)
from app.services.orgs.dto import Coverage, LedgerFilter, LedgerSort, OrgInput
from app.services.orgs.facts import refresh_derived_facts
from app.services.orgs.ledger import ledger_rows, place_choices, query_ledger
from app.services.orgs.organizations import create_org

TODAY = date(2026, 6, 15)


@pytest.fixture
def orgs(db: Database) -> list[str]:
    refresh_derived_facts(db.session_factory, today=TODAY)
    places = [("温泉街道", "温泉社区"), ("温泉街道", "五四社区"), ("东街街道", "东街社区")]
    return [create_org(db.session_factory, OrgInput(name=f"第{n}志愿服务队", org_type=OrgType.COMMUNITY_FILED,
                                                    sub_district=street, community=community), actor="t").id
            for n, (street, community) in enumerate(places)]


def _mark(db: Database, ids: list[str], mine: bool, day: date = TODAY) -> tuple[int, int]:
    result = mark_mine(db.session_factory, ids, mine, actor="local:t", user="local", today=day)
    return len(result.changed), result.unchanged


def _coverage(db: Database, org_id: str, day: date = TODAY) -> Coverage:
    return ledger_rows(db.session_factory, [org_id], today=day)[0].coverage


def _mine_in_ledger(db: Database, day: date = TODAY) -> set[str]:
    flt = LedgerFilter(mine=True)
    return set(query_ledger(db.session_factory, flt, LedgerSort(), today=day, user="local").ids)


def test_marking_in_bulk_creates_a_local_instructor_once(db: Database, orgs: list[str]) -> None:
    assert _mark(db, orgs[:2], True) == (2, 0)
    assert _mark(db, orgs, True) == (1, 2)  # the first two already were
    with db.session_factory() as session:
        instructors = session.execute(select(Instructor)).scalars().all()
        entries = session.execute(select(OutboxEntry.entity)).scalars().all()
    assert [(i.username, i.name) for i in instructors] == [("local", LOCAL_INSTRUCTOR_NAME)]
    assert entries.count("assignment") == 3  # the user's edits: pushed with the rest; instructor never
    assert my_org_ids(db.session_factory, user="local", today=TODAY) == frozenset(orgs)
    assert org_is_mine(db.session_factory, orgs[0], user="local", today=TODAY)
    assert not org_is_mine(db.session_factory, orgs[0], user="someone", today=TODAY)


def test_coverage_and_the_mine_filter_follow_at_once(db: Database, orgs: list[str]) -> None:
    assert _coverage(db, orgs[0]) is Coverage.NONE
    _mark(db, [orgs[0]], True)
    assert _coverage(db, orgs[0]) is Coverage.WORK
    assert _mine_in_ledger(db) == {orgs[0]}
    flt = LedgerFilter(coverage=Coverage.WORK)
    assert query_ledger(db.session_factory, flt, LedgerSort(), today=TODAY).ids == (orgs[0],)
    _mark(db, [orgs[0]], False)
    assert _coverage(db, orgs[0]) is Coverage.NONE
    assert _mine_in_ledger(db) == set()


def test_unmarking_keeps_the_history(db: Database, orgs: list[str]) -> None:
    earlier = TODAY - timedelta(days=30)
    _mark(db, [orgs[0]], True, earlier)
    assert _mark(db, [orgs[0], orgs[1]], False) == (1, 1)
    with db.session_factory() as session:
        rows = session.execute(select(Assignment)).scalars().all()
    assert [(r.since, r.until, r.deleted_at) for r in rows] == [(earlier, TODAY - timedelta(days=1), None)]
    assert _mine_in_ledger(db, TODAY - timedelta(days=1)) == {orgs[0]}  # it was mine yesterday
    _mark(db, [orgs[0]], True)  # mine again: a new period
    with db.session_factory() as session:
        periods = session.execute(select(Assignment.since, Assignment.until).order_by(Assignment.since)).all()
    assert [tuple(p) for p in periods] == [(earlier, TODAY - timedelta(days=1)), (TODAY, None)]


def test_a_mark_undone_the_same_day_is_withdrawn(db: Database, orgs: list[str]) -> None:
    _mark(db, [orgs[0]], True)
    _mark(db, [orgs[0]], False)
    with db.session_factory() as session:
        row = session.execute(select(Assignment)).scalar_one()
    assert row.deleted_at is not None  # a tombstone (the server learns of it), no since > until row


def test_assignments_are_read_only_once_signed_in(db: Database, orgs: list[str]) -> None:
    assert can_edit_assignments(db.session_factory)
    with db.session_factory.begin() as session:
        session.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, 'https://qu.example')"),
                        {"k": SERVER_KEY})
    assert not can_edit_assignments(db.session_factory)
    with pytest.raises(AssignmentsReadOnly, match="由区里分配"):
        _mark(db, orgs, True)
    assert my_org_ids(db.session_factory, user="local", today=TODAY) == frozenset()


def test_an_unknown_organization_changes_nothing(db: Database, orgs: list[str]) -> None:
    with pytest.raises(NotFoundError, match="1 个组织已不存在"):
        _mark(db, [orgs[0], "gone"], True)
    assert my_org_ids(db.session_factory, user="local", today=TODAY) == frozenset()


def test_street_and_community_filters_and_their_choices(db: Database, orgs: list[str]) -> None:
    def ids(**kw: str) -> set[str]:
        return set(query_ledger(db.session_factory, LedgerFilter(**kw), LedgerSort(), today=TODAY).ids)  # type: ignore[arg-type]

    assert ids(sub_district="温泉街道") == set(orgs[:2])
    assert ids(sub_district="温泉街道", community="五四社区") == {orgs[1]}
    assert ids(community="东街社区") == {orgs[2]}
    assert ids(sub_district="东街街道", community="五四社区") == set()
    choices = place_choices(db.session_factory)
    assert choices.sub_districts == ("东街街道", "温泉街道")  # pinyin order: dong before wen
    assert choices.communities == ("东街社区", "温泉社区", "五四社区")
    assert place_choices(db.session_factory, sub_district="温泉街道").communities == ("温泉社区", "五四社区")
