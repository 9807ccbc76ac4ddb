"""Derived organization facts (migration 0004): triggers, daily refresh, and the ledger's fast path.

Coverage and credit listing are materialized on social_org so the 100,000-row ledger can sort and
filter by them.  These tests hold the materialized path to the same answers as the per-row rules.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select, text

from app.domain.enums import CreditListKind, OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import Assignment, CreditListing, OutboxEntry, PartyOrg, PartyOrgCoverage, SocialOrg, new_id
from app.services.core.database import Database
from app.services.core.outbox import record_delete, record_upsert
from app.services.orgs.dto import Coverage, LedgerFilter, LedgerSort, OrgInput, SortKey
from app.services.orgs.facts import FACTS_DAY_KEY, facts_fresh, refresh_derived_facts
from app.services.orgs.ledger import ledger_rows, query_ledger
from app.services.orgs.organizations import create_org

TODAY = date.today()  # the triggers derive facts as of the local date


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


def _set_facts_day(db: Database, day: date) -> None:
    with db.session_factory.begin() as session:
        session.execute(text("UPDATE sync_state SET value = :v WHERE key = :k"),
                        {"v": day.isoformat(), "k": FACTS_DAY_KEY})


def _party_org(db: Database, org_id: str) -> PartyOrgCoverage:
    party = PartyOrg(id=new_id(), org_id=org_id, name="联合党支部", level=PartyOrgLevel.BRANCH,
                     formation=PartyOrgFormation.JOINT)
    _add(db, party)
    coverage = PartyOrgCoverage(id=new_id(), org_id=org_id, party_org_id=party.id)
    _add(db, coverage)
    return coverage


def test_every_fact_table_has_its_triggers(db: Database) -> None:
    with db.session_factory() as session:
        names = set(session.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'")).scalars())
    assert names == {f"trg_{t}_facts_{e}" for t in ("party_org_coverage", "assignment", "credit_listing")
                     for e in ("insert", "update", "delete")} | {"trg_social_org_facts_insert"}
    with db.session_factory() as session:
        assert facts_fresh(session, TODAY)  # a fresh database derives them at migration time


def test_triggers_keep_the_derived_columns_current(db: Database) -> None:
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
        return ([query_ledger(db.session_factory, f, LedgerSort()).ids for f in filters]
                + [query_ledger(db.session_factory, LedgerFilter(), s).ids for s in sorts])

    fast, fast_rows = answers(), ledger_rows(db.session_factory, orgs)
    _set_facts_day(db, TODAY - timedelta(days=1))  # stale: the ledger must not trust the columns
    with db.session_factory() as session:
        assert not facts_fresh(session, TODAY)
    assert answers() == fast
    assert ledger_rows(db.session_factory, orgs) == fast_rows  # rows from the rules = rows from the columns
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
    assert query_ledger(db.session_factory, LedgerFilter(coverage=Coverage.NONE), LedgerSort()).ids == (org,)

    assert refresh_derived_facts(db.session_factory) == 1
    assert _derived(db, org) == ("NONE", False)
    with db.session_factory() as session:
        assert facts_fresh(session, TODAY)
    assert refresh_derived_facts(db.session_factory) == 0  # nothing left to change
    assert query_ledger(db.session_factory, LedgerFilter(coverage=Coverage.NONE), LedgerSort()).ids == (org,)


def test_both_row_paths_carry_every_column(db: Database) -> None:
    from app.domain.enums import EvaluationGrade
    from app.domain.uscc import make_code
    from app.services.orgs.organizations import archive_org

    full = create_org(db.session_factory, OrgInput(
        name="鼓楼区软件行业协会", org_type=OrgType.SOCIAL_GROUP, short_name="软件协会",
        uscc=make_code("1", "350102", "MJ0000099"), sub_district="鼓东街道", community="观风亭社区",
        address="鼓楼区五四路100号", founded_on=date(2012, 3, 4), party_member_count=9,
        evaluation_grade=EvaluationGrade.A4, evaluation_date=date(2023, 5, 6)), actor="t").id
    bare = _org(db, "温泉社区舞蹈队")
    archive_org(db.session_factory, bare, reason="已注销", actor="t")
    _add(db, CreditListing(id=new_id(), org_id=full, kind=CreditListKind.ABNORMAL, listed_on=TODAY))
    fast = ledger_rows(db.session_factory, [full, bare])
    _set_facts_day(db, TODAY - timedelta(days=1))
    assert ledger_rows(db.session_factory, [full, bare]) == fast
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
        bulk_load(session, CreditListing, [{"id": new_id(), "org_id": org_id, "kind": "ABNORMAL",
                                              "listed_on": TODAY, "reason": "", "removed_on": None,
                                              "server_version": 8, "deleted_at": None}], actor="sync", outbox=False)
        bulk_load(session, SocialOrg, [{"id": org_id, "org_id": org_id, "name": "后到的组织",
                                          "org_type": "COMMUNITY_FILED", "server_version": 9,
                                          "deleted_at": None}], actor="sync", outbox=False)
    assert _derived(db, org_id) == ("ORGANIZATION", True)
    rows = ledger_rows(db.session_factory, [org_id])
    assert rows[0].coverage is Coverage.ORGANIZATION and rows[0].credit_listed


def test_the_refresh_costs_nothing_when_today_is_already_derived(db: Database) -> None:
    """Start-up asks for the daily refresh every time; once the day is derived, the triggers keep the
    columns current and the refresh must not rescan every organization."""
    org = _org(db, "华大社区腰鼓队")
    with db.session_factory.begin() as session:  # a value no rule would give, to see whether it is rescanned
        session.execute(text("UPDATE social_org SET derived_coverage = 'WORK' WHERE id = :i"), {"i": org})
    assert refresh_derived_facts(db.session_factory) == 0
    assert _derived(db, org) == ("WORK", False)
    _set_facts_day(db, TODAY - timedelta(days=1))
    assert refresh_derived_facts(db.session_factory) == 1
    assert _derived(db, org) == ("NONE", False)
