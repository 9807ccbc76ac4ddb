"""组织台账 queries: filters, coverage and credit listing derived in SQL, pinyin sort, paged rows."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from sqlalchemy import select, text

from app.domain.enums import CreditListKind, EvaluationGrade, OrgType, PartyOrgFormation, PartyOrgLevel
from app.domain.uscc import make_code
from app.models import Assignment, CreditListing, PartyOrg, PartyOrgCoverage, new_id
from app.services.core.database import Database
from app.services.core.outbox import record_delete, record_upsert
from app.services.orgs.dto import ArchivedFilter, Coverage, LedgerFilter, LedgerSort, OrgInput, SortKey
from app.services.orgs.ledger import ledger_rows, query_ledger
from app.services.orgs.organizations import archive_org, create_org, get_org

TODAY = date(2026, 6, 15)


_serial = itertools.count(1)


def _org(db: Database, name: str, org_type: OrgType = OrgType.COMMUNITY_FILED, **extra: object) -> str:
    if org_type is not OrgType.COMMUNITY_FILED and "uscc" not in extra:
        digit = {OrgType.SOCIAL_GROUP: "1", OrgType.SOCIAL_SERVICE: "2", OrgType.FOUNDATION: "3"}[org_type]
        extra["uscc"] = make_code(digit, "350102", f"MJ{next(_serial):07d}")
    if org_type is not OrgType.COMMUNITY_FILED:
        extra.setdefault("registration_authority", "鼓楼区民政局")
    data = OrgInput(name=name, org_type=org_type, **extra)  # type: ignore[arg-type]
    return create_org(db.session_factory, data, actor="t", today=TODAY).id


def _ids(db: Database, flt: LedgerFilter | None = None, sort: LedgerSort | None = None) -> list[str]:
    return list(query_ledger(db.session_factory, flt or LedgerFilter(), sort or LedgerSort(), today=TODAY).ids)


def _cover_by_party_org(db: Database, *org_ids: str) -> str:
    with db.session_factory.begin() as session:
        party_id = new_id()
        party = PartyOrg(id=party_id, party_org_id=party_id, name="联合党支部", level=PartyOrgLevel.BRANCH,
                         formation=PartyOrgFormation.JOINT)
        record_upsert(session, party, actor="t")
        for org_id in org_ids:
            record_upsert(session, PartyOrgCoverage(id=new_id(), org_id=org_id, party_org_id=party.id), actor="t")
    return party.id


def _assign(db: Database, org_id: str, since: date, until: date | None = None) -> None:
    with db.session_factory.begin() as session:
        record_upsert(session, Assignment(id=new_id(), org_id=org_id, instructor_id=new_id(), since=since,
                                          until=until), actor="t")


def _list(db: Database, org_id: str, listed_on: date, removed_on: date | None = None) -> None:
    with db.session_factory.begin() as session:
        record_upsert(session, CreditListing(id=new_id(), org_id=org_id, kind=CreditListKind.ABNORMAL,
                                             listed_on=listed_on, removed_on=removed_on, reason="未按时年报"),
                      actor="t")


def test_sort_by_name_follows_pinyin(db: Database) -> None:
    zhong = _org(db, "中华书画协会")
    a = _org(db, "阿拉善公益会")
    bei = _org(db, "北岭老年协会")
    latin = _org(db, "ABC读书会")
    ma = _org(db, "马尾船政文化社")
    # code-point order would put 中 (U+4E2D) before 北 (U+5317) and 阿 (U+963F) last
    assert _ids(db) == [latin, a, bei, ma, zhong]
    assert _ids(db, sort=LedgerSort(SortKey.NAME, descending=True)) == [zhong, ma, bei, a, latin]


def test_other_sort_keys(db: Database) -> None:
    few = _org(db, "甲协会", party_member_count=3, founded_on=date(2010, 1, 1))
    many = _org(db, "乙协会", party_member_count=30, founded_on=date(2001, 1, 1))
    none = _org(db, "丙协会")
    # blanks stay last in both directions
    assert _ids(db, sort=LedgerSort(SortKey.PARTY_MEMBERS)) == [few, many, none]
    assert _ids(db, sort=LedgerSort(SortKey.PARTY_MEMBERS, descending=True)) == [many, few, none]
    assert _ids(db, sort=LedgerSort(SortKey.FOUNDED)) == [many, few, none]
    assert _ids(db, sort=LedgerSort(SortKey.FOUNDED, descending=True)) == [few, many, none]
    assert set(_ids(db, sort=LedgerSort(SortKey.UPDATED))) == {few, many, none}


def test_ledger_rows_come_back_in_the_requested_order(db: Database) -> None:
    ids = [_org(db, name) for name in ("甲协会", "乙协会", "丙协会", "丁协会")]
    wanted = [ids[2], ids[0], ids[3], ids[1]]
    rows = ledger_rows(db.session_factory, wanted, today=TODAY)
    assert [r.id for r in rows] == wanted
    assert [r.name for r in rows] == ["丙协会", "甲协会", "丁协会", "乙协会"]
    assert [r.id for r in ledger_rows(db.session_factory, [ids[1], "gone", ids[0]], today=TODAY)] == [ids[1], ids[0]]
    assert ledger_rows(db.session_factory, [], today=TODAY) == []


def test_ledger_rows_fetch_more_than_one_chunk_in_order(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.services.orgs.ledger as ledger

    monkeypatch.setattr(ledger, "PAGE_CHUNK", 2)
    ids = [_org(db, f"协会{n}") for n in range(5)]
    wanted = list(reversed(ids))
    assert [r.id for r in ledger_rows(db.session_factory, wanted, today=TODAY)] == wanted


def test_ledger_row_carries_the_columns(db: Database) -> None:
    org_id = _org(db, "华林社区书画协会", short_name="书画会", community_category="文体活动类", sub_district="东街街道",
                  community="华林社区", address="华林路12号", evaluation_grade=EvaluationGrade.A3,
                  evaluation_date=date(2025, 1, 1), party_member_count=4, founded_on=date(2019, 9, 9))
    [row] = ledger_rows(db.session_factory, [org_id], today=TODAY)
    assert (row.name, row.short_name, row.org_type, row.community_category) == (
        "华林社区书画协会", "书画会", OrgType.COMMUNITY_FILED, "文体活动类")
    assert (row.sub_district, row.community, row.address) == ("东街街道", "华林社区", "华林路12号")
    assert row.evaluation_grade is EvaluationGrade.A3 and row.party_member_count == 4
    assert row.founded_on == date(2019, 9, 9)
    assert row.coverage is Coverage.NONE and not row.credit_listed and not row.archived


def test_archived_are_hidden_by_default(db: Database) -> None:
    active = _org(db, "甲协会")
    gone = _org(db, "乙协会")
    archive_org(db.session_factory, gone, reason="已注销", actor="t")
    assert _ids(db) == [active]
    assert set(_ids(db, LedgerFilter(archived=ArchivedFilter.ALL))) == {active, gone}
    assert _ids(db, LedgerFilter(archived=ArchivedFilter.ARCHIVED)) == [gone]
    [row] = ledger_rows(db.session_factory, [gone], today=TODAY)
    assert row.archived


def test_filter_by_type_and_category(db: Database) -> None:
    group = _org(db, "甲协会", OrgType.SOCIAL_GROUP)
    service = _org(db, "乙服务中心", OrgType.SOCIAL_SERVICE)
    fund = _org(db, "丙基金会", OrgType.FOUNDATION)
    sports = _org(db, "丁健身队", community_category="文体活动类")
    mediation = _org(db, "戊调解会", community_category="社区事务类")
    assert _ids(db, LedgerFilter(org_types=frozenset({OrgType.SOCIAL_GROUP}))) == [group]
    assert set(_ids(db, LedgerFilter(org_types=frozenset({OrgType.SOCIAL_SERVICE, OrgType.FOUNDATION})))) == {
        service, fund}
    assert set(_ids(db, LedgerFilter(org_types=frozenset({OrgType.COMMUNITY_FILED})))) == {sports, mediation}
    assert _ids(db, LedgerFilter(community_category="文体活动类")) == [sports]
    assert _ids(db, LedgerFilter(community_category="专业调处类")) == [mediation]
    assert _ids(db, LedgerFilter(community_category="社区事务类")) == [mediation]  # the alias too


def test_filter_by_coverage(db: Database) -> None:
    party_a = _org(db, "甲协会")
    party_b = _org(db, "乙协会")
    both = _org(db, "丙协会")  # a party org AND an instructor: 组织覆盖 wins
    worked = _org(db, "丁协会")
    expired = _org(db, "戊协会")  # assignment ended before today
    future = _org(db, "己协会")  # assignment not yet started
    bare = _org(db, "庚协会")
    _cover_by_party_org(db, party_a, party_b)
    _cover_by_party_org(db, both)
    _assign(db, both, TODAY - timedelta(days=30))
    _assign(db, worked, TODAY - timedelta(days=30), until=TODAY)
    _assign(db, expired, date(2020, 1, 1), until=TODAY - timedelta(days=1))
    _assign(db, future, TODAY + timedelta(days=1))
    assert set(_ids(db, LedgerFilter(coverage=Coverage.ORGANIZATION))) == {party_a, party_b, both}
    assert _ids(db, LedgerFilter(coverage=Coverage.WORK)) == [worked]
    assert set(_ids(db, LedgerFilter(coverage=Coverage.NONE))) == {expired, future, bare}
    rows = {r.id: r.coverage for r in ledger_rows(db.session_factory, _ids(db), today=TODAY)}
    assert rows == {party_a: Coverage.ORGANIZATION, party_b: Coverage.ORGANIZATION, both: Coverage.ORGANIZATION,
                    worked: Coverage.WORK, expired: Coverage.NONE, future: Coverage.NONE, bare: Coverage.NONE}
    assert get_org(db.session_factory, worked, today=TODAY).coverage is Coverage.WORK


def test_deleted_coverage_no_longer_counts(db: Database) -> None:
    org_id = _org(db, "甲协会")
    party_id = _cover_by_party_org(db, org_id)
    assert _ids(db, LedgerFilter(coverage=Coverage.ORGANIZATION)) == [org_id]
    with db.session_factory.begin() as session:
        loaded = session.execute(select(PartyOrgCoverage).where(PartyOrgCoverage.party_org_id == party_id)).scalar_one()
        record_delete(session, loaded, actor="t")
    assert _ids(db, LedgerFilter(coverage=Coverage.ORGANIZATION)) == []
    assert _ids(db, LedgerFilter(coverage=Coverage.NONE)) == [org_id]


def test_filter_by_credit_listing(db: Database) -> None:
    listed = _org(db, "甲协会")
    removed = _org(db, "乙协会")
    removed_later = _org(db, "丙协会")  # removal date still ahead: listed today
    clean = _org(db, "丁协会")
    _list(db, listed, date(2025, 3, 1))
    _list(db, removed, date(2024, 3, 1), removed_on=date(2025, 3, 1))
    _list(db, removed_later, date(2025, 3, 1), removed_on=TODAY + timedelta(days=10))
    assert set(_ids(db, LedgerFilter(credit_listed=True))) == {listed, removed_later}
    assert set(_ids(db, LedgerFilter(credit_listed=False))) == {removed, clean}
    rows = {r.id: r.credit_listed for r in ledger_rows(db.session_factory, _ids(db), today=TODAY)}
    assert rows == {listed: True, removed: False, removed_later: True, clean: False}


def test_text_filter_combines_with_other_filters(db: Database) -> None:
    a = _org(db, "华林社区书画协会", address="华林路")
    b = _org(db, "华林老年协会", address="华林路")
    _cover_by_party_org(db, b)
    assert set(_ids(db, LedgerFilter(text="华林"))) == {a, b}
    assert _ids(db, LedgerFilter(text="华林", coverage=Coverage.ORGANIZATION)) == [b]
    assert _ids(db, LedgerFilter(text="华林 书画")) == [a]
    assert _ids(db, LedgerFilter(text="hlsqsh")) == [a]


def test_coverage_sorts_in_domain_order_not_by_code(db: Database) -> None:
    nothing = _org(db, "甲协会")
    work = _org(db, "乙协会")
    party = _org(db, "丙协会")
    _assign(db, work, date(2020, 1, 1))
    _cover_by_party_org(db, party)
    # codes would sort NONE < ORGANIZATION < WORK; the UI lists 组织覆盖, 工作覆盖, 未覆盖
    assert _ids(db, sort=LedgerSort(SortKey.COVERAGE)) == [party, work, nothing]
    assert _ids(db, sort=LedgerSort(SortKey.COVERAGE, descending=True)) == [nothing, work, party]


def test_type_sorts_in_domain_order_not_by_code(db: Database) -> None:
    filed = _org(db, "甲协会")  # COMMUNITY_FILED
    foundation = _org(db, "乙基金会", OrgType.FOUNDATION, uscc=make_code("3", "350102", "MJ0000011"))
    group = _org(db, "丙协会", OrgType.SOCIAL_GROUP, uscc=make_code("1", "350102", "MJ0000012"))
    assert _ids(db, sort=LedgerSort(SortKey.ORG_TYPE)) == [group, foundation, filed]


def test_row_facts_and_ledger_filters_agree(db: Database) -> None:
    """Coverage and credit listing exist in two forms (per-row EXISTS for pages, set-based IN for the
    whole ledger); for every combination of states they must give the same answer."""
    today = date(2026, 6, 1)
    orgs = {name: _org(db, name) for name in ("甲", "乙", "丙", "丁", "戊", "己", "庚")}
    _cover_by_party_org(db, orgs["甲"])
    _assign(db, orgs["甲"], date(2020, 1, 1))  # covered by a party org beats an assignment
    _assign(db, orgs["乙"], date(2020, 1, 1))  # active
    _assign(db, orgs["丙"], date(2020, 1, 1), until=date(2026, 5, 31))  # ended yesterday
    _assign(db, orgs["丁"], date(2026, 6, 2))  # starts tomorrow
    _list(db, orgs["戊"], date(2026, 1, 1))  # listed
    _list(db, orgs["己"], date(2026, 1, 1), removed_on=date(2026, 6, 1))  # removed today
    _list(db, orgs["庚"], date(2026, 1, 1), removed_on=date(2026, 7, 1))  # removal still ahead
    rows = {r.id: r for r in ledger_rows(db.session_factory, list(orgs.values()), today=today)}
    for coverage in Coverage:
        in_filter = set(query_ledger(db.session_factory, LedgerFilter(coverage=coverage), LedgerSort(),
                                     today=today).ids)
        assert in_filter == {i for i, r in rows.items() if r.coverage is coverage}, coverage
    for listed in (True, False):
        in_filter = set(query_ledger(db.session_factory, LedgerFilter(credit_listed=listed), LedgerSort(),
                                     today=today).ids)
        assert in_filter == {i for i, r in rows.items() if r.credit_listed is listed}, listed
    assert rows[orgs["甲"]].coverage is Coverage.ORGANIZATION and rows[orgs["乙"]].coverage is Coverage.WORK
    assert rows[orgs["丙"]].coverage is Coverage.NONE and rows[orgs["丁"]].coverage is Coverage.NONE
    assert [rows[orgs[n]].credit_listed for n in ("戊", "己", "庚")] == [True, False, True]


def test_the_default_ledger_order_is_an_index_scan(db: Database) -> None:
    from app.services.orgs.ledger import ledger_sql

    sql, params = ledger_sql(LedgerFilter(), LedgerSort(), date(2026, 6, 1))
    with db.session_factory() as session:
        plan = " ".join(str(r[-1]) for r in session.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params))
    assert "ix_social_org_ledger" in plan and "TEMP B-TREE" not in plan, plan


def test_an_evaluation_grade_is_valid_for_five_years(db: Database) -> None:
    from app.services.orgs.facts import FACTS_DAY_KEY
    from app.services.orgs.ledger import evaluation_expired

    today = date(2026, 6, 1)
    assert not evaluation_expired(date(2021, 6, 2), today)
    assert evaluation_expired(date(2021, 6, 1), today)  # five years to the day
    assert not evaluation_expired(date(2024, 2, 29), date(2029, 2, 27))
    assert evaluation_expired(date(2024, 2, 29), date(2029, 2, 28))
    old = _org(db, "甲协会", evaluation_grade=EvaluationGrade.A3, evaluation_date=date(2020, 1, 1))
    recent = _org(db, "乙协会", evaluation_grade=EvaluationGrade.A4, evaluation_date=date(2024, 1, 1))
    ungraded = _org(db, "丙协会")
    with db.session_factory.begin() as session:  # the derived-columns path reads rows for "today"
        session.execute(text("UPDATE sync_state SET value = :d WHERE key = :k"),
                        {"d": today.isoformat(), "k": FACTS_DAY_KEY})
    fast = ledger_rows(db.session_factory, [old, recent, ungraded], today=today)
    with db.session_factory.begin() as session:
        session.execute(text("UPDATE sync_state SET value = '2000-01-01' WHERE key = :k"), {"k": FACTS_DAY_KEY})
    by_rules = ledger_rows(db.session_factory, [old, recent, ungraded], today=today)
    assert [r.evaluation_expired for r in fast] == [True, False, False] == [r.evaluation_expired for r in by_rules]
