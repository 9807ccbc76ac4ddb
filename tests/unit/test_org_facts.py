"""Derived organization facts: the one rule, its keeper on every write path, daily refresh, the ledger's fast path.

Coverage and credit listing are materialized on social_org so the 100,000-row ledger can sort and
filter by them.  These tests hold the materialized path to the same answers as the per-row rules.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text

from app.domain.enums import CreditListKind, OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import Assignment, CreditListing, OutboxEntry, PartyOrg, PartyOrgCoverage, SocialOrg, new_id
from app.services.core import derived
from app.services.core.database import Database
from app.services.core.outbox import record_delete, record_upsert
from app.services.core.outbox_guard import bulk_writes
from app.services.orgs.dto import Coverage, LedgerFilter, LedgerSort, OrgInput, SortKey
from app.services.orgs.facts import FACTS_DAY_KEY, facts_fresh, keep_facts_in_step, refresh_derived_facts
from app.services.orgs.ledger import ledger_rows, query_ledger
from app.services.orgs.organizations import create_org, get_org

TODAY = date(2026, 6, 15)  # explicit: the facts are derived for the day refresh_derived_facts records


@pytest.fixture(autouse=True)
def _facts_derived_for_today(db: Database) -> None:
    assert refresh_derived_facts(db.session_factory, today=TODAY) == 0  # an empty ledger: nothing to change


def _org(db: Database, name: str) -> str:
    return create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED), actor="t").id


def _add(db: Database, row: object) -> None:
    with db.session_factory.begin() as session:
        record_upsert(session, row, actor="t")  # type: ignore[arg-type]


def _derived(db: Database, org_id: str) -> tuple[str, bool]:
    with db.session_factory() as session:
        row = session.execute(select(SocialOrg.derived_coverage, SocialOrg.derived_credit_listed)
                              .where(SocialOrg.id == org_id)).one()
    return row[0], bool(row[1])


def _ids(db: Database, flt: LedgerFilter) -> tuple[str, ...]:
    return query_ledger(db.session_factory, flt, LedgerSort(), today=TODAY).ids


def _set_facts_day(db: Database, day: date) -> None:
    with db.session_factory.begin() as session:
        session.execute(text("UPDATE sync_state SET value = :v WHERE key = :k"),
                        {"v": day.isoformat(), "k": FACTS_DAY_KEY})


def _party_org(db: Database, org_id: str) -> PartyOrgCoverage:
    party_id = new_id()
    party = PartyOrg(id=party_id, party_org_id=party_id, name="联合党支部", level=PartyOrgLevel.BRANCH,
                     formation=PartyOrgFormation.JOINT)
    _add(db, party)
    coverage = PartyOrgCoverage(id=new_id(), org_id=org_id, party_org_id=party.id)
    _add(db, coverage)
    return coverage


def test_no_triggers_and_one_keeper_for_every_fact_table(db: Database) -> None:
    """The rule lives in facts.py only: migration 0006 dropped the triggers of 0004/0005 (their copy of
    the rule ignored whether the covering 党组织 exists, and read the clock in SQL)."""
    with db.session_factory() as session:
        names = set(session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    # the only triggers are 0014's, which keep rectification follow-ups append-only
    assert names == {"rectification_follow_up_no_update", "rectification_follow_up_no_delete"}
    for table in ("social_org", "party_org", "party_org_coverage", "assignment", "credit_listing"):
        assert keep_facts_in_step in derived.keepers_for(table), table


def test_the_save_path_keeps_the_derived_columns_current(db: Database) -> None:
    org = _org(db, "东街口社区老年协会")
    assert _derived(db, org) == ("NONE", False)
    _add(db, Assignment(id=new_id(), org_id=org, instructor_id=new_id(), since=TODAY - timedelta(days=30)))
    assert _derived(db, org) == ("WORK", False)
    coverage = _party_org(db, org)
    assert _derived(db, org) == ("ORGANIZATION", False)
    listing = CreditListing(id=new_id(), org_id=org, kind=CreditListKind.ABNORMAL, listed_on=TODAY)
    _add(db, listing)
    assert _derived(db, org) == ("ORGANIZATION", True)
    with db.session_factory.begin() as session:  # the tombstone of the coverage row: back to 工作覆盖
        record_delete(session, session.get(PartyOrgCoverage, coverage.id), actor="t")  # type: ignore[arg-type]
    assert _derived(db, org) == ("WORK", True)  # the listing is still active
    with db.session_factory.begin() as session:
        row = session.get(CreditListing, listing.id)
        assert row is not None
        row.removed_on = TODAY
        record_upsert(session, row, actor="t")
    assert _derived(db, org) == ("WORK", False)


def test_derived_values_never_reach_the_outbox(db: Database) -> None:
    org = _org(db, "南街社区书画社")
    _add(db, Assignment(id=new_id(), org_id=org, instructor_id=new_id(), since=TODAY))
    with db.session_factory() as session:
        entries = session.execute(select(OutboxEntry.fields).where(OutboxEntry.entity == "social_org")).scalars()
        assert all("derived_coverage" not in f and "derived_credit_listed" not in f for f in entries)
        assert session.execute(select(func.count()).select_from(OutboxEntry)
                               .where(OutboxEntry.record_id == org)).scalar_one() == 1  # the create only


def test_fast_path_and_fallback_give_the_same_ledger(db: Database) -> None:
    orgs = [_org(db, name) for name in ("甲会", "乙会", "丙会", "丁会", "戊会")]
    _party_org(db, orgs[0])
    _add(db, Assignment(id=new_id(), org_id=orgs[1], instructor_id=new_id(), since=TODAY - timedelta(days=9)))
    _add(db, Assignment(id=new_id(), org_id=orgs[2], instructor_id=new_id(), since=TODAY + timedelta(days=9)))
    _add(db, CreditListing(id=new_id(), org_id=orgs[3], kind=CreditListKind.SERIOUS, listed_on=TODAY))
    filters = [LedgerFilter(coverage=c) for c in Coverage] + [LedgerFilter(credit_listed=b) for b in (True, False)]
    sorts = [LedgerSort(SortKey.COVERAGE), LedgerSort(SortKey.COVERAGE, descending=True)]

    def answers() -> list[tuple[str, ...]]:
        return ([query_ledger(db.session_factory, f, LedgerSort(), today=TODAY).ids for f in filters]
                + [query_ledger(db.session_factory, LedgerFilter(), s, today=TODAY).ids for s in sorts])

    fast, fast_rows = answers(), ledger_rows(db.session_factory, orgs, today=TODAY)
    _set_facts_day(db, TODAY - timedelta(days=1))  # stale: the ledger must not trust the columns
    with db.session_factory() as session:
        assert not facts_fresh(session, TODAY)
    assert answers() == fast
    assert ledger_rows(db.session_factory, orgs, today=TODAY) == fast_rows  # rules = columns
    rows = {r.id: r for r in fast_rows}
    assert [rows[o].coverage for o in orgs] == [Coverage.ORGANIZATION, Coverage.WORK, Coverage.NONE,
                                                Coverage.NONE, Coverage.NONE]
    assert set(fast[0]) == {orgs[0]} and set(fast[1]) == {orgs[1]} and set(fast[3]) == {orgs[3]}


def test_the_daily_refresh_catches_what_the_date_alone_changed(db: Database) -> None:
    org = _org(db, "西湖社区合唱团")
    _add(db, Assignment(id=new_id(), org_id=org, instructor_id=new_id(), since=TODAY - timedelta(days=400),
                        until=TODAY - timedelta(days=1)))
    assert _derived(db, org) == ("NONE", False)
    # as if derived yesterday, when the assignment was still running
    with db.session_factory.begin() as session:
        session.execute(text("UPDATE social_org SET derived_coverage = 'WORK' WHERE id = :i"), {"i": org})
    _set_facts_day(db, TODAY - timedelta(days=1))
    assert _ids(db, LedgerFilter(coverage=Coverage.NONE)) == (org,)

    assert refresh_derived_facts(db.session_factory, today=TODAY) == 1
    assert _derived(db, org) == ("NONE", False)
    with db.session_factory() as session:
        assert facts_fresh(session, TODAY)
    assert refresh_derived_facts(db.session_factory, today=TODAY) == 0  # nothing left to change
    assert _ids(db, LedgerFilter(coverage=Coverage.NONE)) == (org,)


def test_both_row_paths_carry_every_column(db: Database) -> None:
    from app.domain.enums import EvaluationGrade
    from app.domain.uscc import make_code
    from app.services.orgs.organizations import archive_org

    full = create_org(db.session_factory, OrgInput(
        name="鼓楼区软件行业协会", org_type=OrgType.SOCIAL_GROUP, short_name="软件协会",
        uscc=make_code("1", "350102", "MJ0000099"), sub_district="鼓东街道", community="观风亭社区",
        address="鼓楼区五四路100号", registration_authority="鼓楼区民政局",
        founded_on=date(2012, 3, 4), party_member_count=9,
        evaluation_grade=EvaluationGrade.A4, evaluation_date=date(2023, 5, 6)), actor="t").id
    bare = _org(db, "温泉社区舞蹈队")
    archive_org(db.session_factory, bare, reason="已注销", actor="t")
    _add(db, CreditListing(id=new_id(), org_id=full, kind=CreditListKind.ABNORMAL, listed_on=TODAY))
    fast = ledger_rows(db.session_factory, [full, bare], today=TODAY)
    _set_facts_day(db, TODAY - timedelta(days=1))
    assert ledger_rows(db.session_factory, [full, bare], today=TODAY) == fast
    row = fast[0]
    assert (row.short_name, row.sub_district, row.community, row.party_member_count) == ("软件协会", "鼓东街道",
                                                                                       "观风亭社区", 9)
    assert row.evaluation_grade is EvaluationGrade.A4 and row.founded_on == date(2012, 3, 4)
    assert row.credit_listed and not row.archived and row.org_type is OrgType.SOCIAL_GROUP
    assert fast[1].archived and fast[1].evaluation_grade is None and fast[1].founded_on is None


def test_an_organization_arriving_after_its_fact_rows_gets_its_facts(db: Database) -> None:
    """A sync pull may deliver a coverage or listing row before its organization (version order)."""
    from app.services.core.outbox import bulk_load

    org_id, party_id = new_id(), new_id()
    with db.session_factory.begin() as session:
        bulk_load(session, PartyOrgCoverage, [{"id": new_id(), "org_id": org_id, "party_org_id": party_id,
                                               "server_version": 7, "deleted_at": None}], actor="sync", outbox=False)
        bulk_load(session, PartyOrg, [{"id": party_id, "party_org_id": party_id, "name": "联合党支部",
                                       "level": "BRANCH", "formation": "JOINT", "superior_org": "",
                                       "server_version": 6, "deleted_at": None}], actor="sync", outbox=False)
        bulk_load(session, CreditListing, [{"id": new_id(), "org_id": org_id, "kind": "ABNORMAL",
                                              "listed_on": TODAY, "reason": "", "removed_on": None,
                                              "server_version": 8, "deleted_at": None}], actor="sync", outbox=False)
        bulk_load(session, SocialOrg, [{"id": org_id, "org_id": org_id, "name": "后到的组织",
                                          "org_type": "COMMUNITY_FILED", "server_version": 9,
                                          "deleted_at": None}], actor="sync", outbox=False)
    assert _derived(db, org_id) == ("ORGANIZATION", True)
    rows = ledger_rows(db.session_factory, [org_id], today=TODAY)
    assert rows[0].coverage is Coverage.ORGANIZATION and rows[0].credit_listed


def test_the_refresh_costs_nothing_when_today_is_already_derived(db: Database) -> None:
    """Start-up asks for the daily refresh every time; once the day is derived, the keeper keeps the
    columns current and the refresh must not rescan every organization."""
    org = _org(db, "华大社区腰鼓队")
    with db.session_factory.begin() as session:  # a value no rule would give, to see whether it is rescanned
        session.execute(text("UPDATE social_org SET derived_coverage = 'WORK' WHERE id = :i"), {"i": org})
    assert refresh_derived_facts(db.session_factory, today=TODAY) == 0
    assert _derived(db, org) == ("WORK", False)
    _set_facts_day(db, TODAY - timedelta(days=1))
    assert refresh_derived_facts(db.session_factory, today=TODAY) == 1
    assert _derived(db, org) == ("NONE", False)


def _tombstone(db: Database, model: type[PartyOrg] | type[SocialOrg], row_id: str) -> None:
    with db.session_factory.begin() as session:
        row = session.get(model, row_id)
        assert row is not None
        record_delete(session, row, actor="t")


def test_a_tombstoned_party_org_covers_nothing(db: Database) -> None:
    """Regression (issue item 6): tombstone the branch and the organization stayed 组织覆盖, even after a
    full refresh — the old rule looked at coverage rows only, not at the 党组织 they point to."""
    org, other = _org(db, "仓山区义工联合会"), _org(db, "仓山区书法协会")
    _add(db, Assignment(id=new_id(), org_id=org, instructor_id=new_id(), since=TODAY - timedelta(days=30)))
    coverage = _party_org(db, org)
    assert _derived(db, org) == ("ORGANIZATION", False)
    _tombstone(db, PartyOrg, coverage.party_org_id)
    assert _derived(db, org) == ("WORK", False)  # the save path: the keeper re-derived it
    assert get_org(db.session_factory, org, today=TODAY).coverage is Coverage.WORK  # one organization's detail
    assert _ids(db, LedgerFilter(coverage=Coverage.ORGANIZATION)) == ()
    _set_facts_day(db, TODAY - timedelta(days=1))  # the set forms of the rule (no derived columns)
    assert _ids(db, LedgerFilter(coverage=Coverage.ORGANIZATION)) == ()
    assert _ids(db, LedgerFilter(coverage=Coverage.WORK)) == (org,)
    assert [r.coverage for r in ledger_rows(db.session_factory, [org], today=TODAY)] == [Coverage.WORK]
    with db.session_factory.begin() as session:  # as the old triggers left it
        session.execute(text("UPDATE social_org SET derived_coverage = 'ORGANIZATION' WHERE id = :i"), {"i": org})
    assert refresh_derived_facts(db.session_factory, today=TODAY) == 1  # the full refresh: the same rule
    assert _derived(db, org) == ("WORK", False) and _derived(db, other) == ("NONE", False)


def test_a_branch_arriving_after_its_coverage_covers_then(db: Database) -> None:
    """Sync order: the coverage row first (nothing covers yet), then its 党组织 (now it does)."""
    from app.services.core.outbox import bulk_load

    org, party_id = _org(db, "晋安区青年创业协会"), new_id()
    with db.session_factory.begin() as session:
        bulk_load(session, PartyOrgCoverage, [{"id": new_id(), "org_id": org, "party_org_id": party_id,
                                               "server_version": 3, "deleted_at": None}], actor="sync", outbox=False)
    assert _derived(db, org) == ("NONE", False)
    with db.session_factory.begin() as session:
        bulk_load(session, PartyOrg, [{"id": party_id, "party_org_id": party_id, "name": "青创联合支部",
                                       "level": "BRANCH", "formation": "JOINT", "superior_org": "",
                                       "server_version": 4, "deleted_at": None}], actor="sync", outbox=False)
    assert _derived(db, org) == ("ORGANIZATION", False)


def test_a_restored_organization_gets_todays_facts(db: Database) -> None:
    """Regression (issue item 6): an organization restored after deletion kept the coverage derived before
    it was deleted — the daily refresh skipped tombstoned rows and nothing re-derived it on restore."""
    org = _org(db, "鼓楼区温泉社区舞蹈队")
    _add(db, Assignment(id=new_id(), org_id=org, instructor_id=new_id(), since=TODAY - timedelta(days=60),
                        until=TODAY))
    assert _derived(db, org) == ("WORK", False)
    _tombstone(db, SocialOrg, org)
    tomorrow = TODAY + timedelta(days=1)  # the assignment has ended
    refresh_derived_facts(db.session_factory, today=tomorrow)
    # restored as a sync pull writes it (Core, on the sanctioned bulk path), then the keepers
    with db.session_factory.begin() as session, bulk_writes(session):
        session.execute(text("UPDATE social_org SET deleted_at = NULL, server_version = 9 WHERE id = :i"),
                        {"i": org})
        derived.rows_changed(session, {"social_org": [org]})
    assert _derived(db, org) == ("NONE", False)
    [row] = ledger_rows(db.session_factory, [org], today=tomorrow)
    assert row.coverage is Coverage.NONE


def test_the_refresh_re_derives_tombstoned_organizations(db: Database) -> None:
    org = _org(db, "台江区瀛洲社区志愿队")
    _add(db, Assignment(id=new_id(), org_id=org, instructor_id=new_id(), since=TODAY - timedelta(days=9),
                        until=TODAY))
    _tombstone(db, SocialOrg, org)
    assert refresh_derived_facts(db.session_factory, today=TODAY + timedelta(days=1)) == 1
    assert _derived(db, org) == ("NONE", False)


def test_the_keeper_derives_for_the_recorded_day_not_the_system_clock(db: Database) -> None:
    """The columns hold one day's facts: a save re-derives for that day (tests inject it; no SQL clock)."""
    org = _org(db, "马尾区船政文化研究会")
    _add(db, Assignment(id=new_id(), org_id=org, instructor_id=new_id(), since=TODAY, until=TODAY))
    assert _derived(db, org) == ("WORK", False)  # on TODAY; the system clock says another day


def test_the_refresh_catches_a_listing_that_ended_with_the_date(db: Database) -> None:
    """Regression: the refresh compared ``derived_credit_listed IS NOT social_org.id IN (…)``, which SQLite
    reads as ``(… IS NOT social_org.id) IN (…)``, so a listing ending with the date alone stayed listed."""
    org = _org(db, "闽侯县上街镇老年协会")
    _add(db, CreditListing(id=new_id(), org_id=org, kind=CreditListKind.ABNORMAL, listed_on=TODAY - timedelta(days=90),
                           removed_on=TODAY + timedelta(days=1)))
    assert _derived(db, org) == ("NONE", True)
    assert refresh_derived_facts(db.session_factory, today=TODAY + timedelta(days=1)) == 1
    assert _derived(db, org) == ("NONE", False)
