"""Organization search: trigram for 3+ characters, unigram for 1-2, pinyin initials, codes, AND of terms."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import text

from app.domain.enums import OrgType
from app.domain.uscc import make_code
from app.services.core.database import Database
from app.services.orgs import search
from app.services.orgs.dto import LedgerFilter, LedgerSort, OrgInput
from app.services.orgs.ledger import ledger_sql, query_ledger, search_orgs
from app.services.orgs.organizations import archive_org, create_org, update_org

ZBDH_CODE = make_code("2", "350102", "MJ5566778")


@pytest.fixture
def orgs(db: Database) -> dict[str, str]:
    """name -> id of a small ledger."""
    specs = [
        OrgInput(name="中北大华社会工作服务中心", org_type=OrgType.SOCIAL_SERVICE, uscc=ZBDH_CODE,
                 address="鼓楼区五一北路8号", short_name="大华社工", registration_authority="鼓楼区民政局"),
        OrgInput(name="华林社区书画协会", org_type=OrgType.COMMUNITY_FILED, address="华林路12号"),
        OrgInput(name="阳光志愿者协会", org_type=OrgType.COMMUNITY_FILED, address="台江区江滨西路"),
        OrgInput(name="北峰山区慈善基金会", org_type=OrgType.FOUNDATION, uscc=make_code("3", "350100", "MJ0000001"),
                 address="晋安区北峰镇", registration_authority="福州市民政局"),
    ]
    return {spec.name: create_org(db.session_factory, spec, actor="t").id for spec in specs}


def _found(db: Database, query: str) -> set[str]:
    return {hit.id for hit in search_orgs(db.session_factory, query, limit=100)}


def _raw_match(db: Database, table: str, phrase: str) -> list[str]:
    with db.session_factory() as session:
        return list(session.execute(text(f"SELECT org_id FROM {table} WHERE {table} MATCH :q"),
                                    {"q": phrase}).scalars())


@pytest.mark.parametrize("query", ["华", "大华", "书画", "慈"])
def test_one_and_two_character_queries_use_the_unigram_index(
    db: Database, orgs: dict[str, str], query: str
) -> None:
    clauses, _ = search.match_clauses(query)
    assert len(clauses) == 1 and "org_search_uni" in clauses[0] and "org_search_tri" not in clauses[0]
    expected = {i for name, i in orgs.items() if query in name}
    assert expected
    assert _found(db, query) == expected
    assert _raw_match(db, "org_search_tri", f'"{query}"') == []  # why the unigram path exists


def test_one_character_query_matches_every_organization_containing_it(db: Database, orgs: dict[str, str]) -> None:
    assert _found(db, "华") == {orgs["中北大华社会工作服务中心"], orgs["华林社区书画协会"]}
    assert _found(db, "协") == {orgs["华林社区书画协会"], orgs["阳光志愿者协会"]}


def test_two_characters_must_be_adjacent(db: Database, orgs: dict[str, str]) -> None:
    assert _found(db, "中华") == set()  # 中 and 华 are both in 中北大华… but not next to each other
    assert _found(db, "北大") == {orgs["中北大华社会工作服务中心"]}


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("社会工作", "中北大华社会工作服务中心"),
        ("志愿者", "阳光志愿者协会"),
        ("北峰山区慈善", "北峰山区慈善基金会"),
        ("大华社工", "中北大华社会工作服务中心"),  # short name
        ("五一北路", "中北大华社会工作服务中心"),  # address
        ("江滨西", "阳光志愿者协会"),
    ],
)
def test_longer_queries_use_the_trigram_index(db: Database, orgs: dict[str, str], query: str, name: str) -> None:
    clauses, _ = search.match_clauses(query)
    assert "org_search_tri" in clauses[0]
    assert _found(db, query) == {orgs[name]}


def test_pinyin_initials_find_the_organization(db: Database, orgs: dict[str, str]) -> None:
    target = orgs["中北大华社会工作服务中心"]
    assert _found(db, "zbdh") == {target}
    assert _found(db, "ZBDH") == {target}
    assert _found(db, "zb") == {target}  # two letters: unigram path
    assert _found(db, "ygzyz") == {orgs["阳光志愿者协会"]}
    hit = search_orgs(db.session_factory, "zbdh")[0]
    assert (hit.name, hit.uscc, hit.address) == ("中北大华社会工作服务中心", ZBDH_CODE, "鼓楼区五一北路8号")


def test_pinyin_keys() -> None:
    assert search.pinyin_keys("中北大华") == ("zhongbeidahua", "zbdh")
    assert search.pinyin_keys("阳光2号ABC") == ("yangguang2haoabc", "yg2habc")
    assert search.pinyin_keys("ＡＢＣ社区（二）") == ("abcshequer", "abcsqe")


@pytest.mark.parametrize(
    ("name", "full"),
    [
        ("福州市长乐商会", "fuzhoushichangleshanghui"),  # not 市长 (mayor) + zhangle
        ("鼓楼区长乐商会", "gulouquchangleshanghui"),
        ("长乐区爱心协会", "changlequaixinxiehui"),
        ("斗池社区舞蹈队", "douchishequwudaodui"),
        ("塔巷社区书画社", "taxiangshequshuhuashe"),
        ("长者服务中心", "zhangzhefuwuzhongxin"),  # outside a place name 长 keeps its reading in context
    ],
)
def test_pinyin_keys_read_the_district_place_names(name: str, full: str) -> None:
    assert search.pinyin_keys(name)[0] == full


def test_full_pinyin_finds_the_organization(db: Database, orgs: dict[str, str]) -> None:
    aixin = create_org(db.session_factory, OrgInput(name="黄巷社区爱心帮扶队", org_type=OrgType.COMMUNITY_FILED),
                       actor="t").id
    assert _found(db, "aixin") == {aixin}
    assert _found(db, "AiXin") == {aixin}
    assert _found(db, "zhongbeidahua") == {orgs["中北大华社会工作服务中心"]}
    assert _found(db, "yangguang xiehui") == {orgs["阳光志愿者协会"]}


def test_full_width_queries_are_normalized(db: Database, orgs: dict[str, str]) -> None:
    target = orgs["中北大华社会工作服务中心"]
    assert _found(db, "ＭＪ５５６６") == {target}
    assert _found(db, "ｍｊ５") == {target}
    assert _found(db, "ＺＢＤＨ") == {target}
    wide = create_org(db.session_factory, OrgInput(name="ＡＢＣ书画社", org_type=OrgType.COMMUNITY_FILED), actor="t")
    assert _found(db, "abc书画") == {wide.id}
    assert _found(db, "ＡＢＣ书画社") == {wide.id}


def test_sub_district_and_community_are_searchable(db: Database, orgs: dict[str, str]) -> None:
    """Issue 5 item 7: "黄巷社区" found only the organizations naming the 社区 in their name or address."""
    inside = {
        create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED, sub_district="安泰街道",
                                                community="黄巷社区", address=address), actor="t").id
        for name, address in (("黄巷社区腰鼓队", ""), ("夕阳红合唱团", "黄巷社区活动中心"), ("银龄读书会", "黄巷5号"))
    }
    create_org(db.session_factory, OrgInput(name="乐群舞蹈队", org_type=OrgType.COMMUNITY_FILED,
                                            sub_district="水部街道", community="乐群社区"), actor="t")
    assert _found(db, "黄巷社区") == inside
    assert _found(db, "安泰街道") == inside
    assert _found(db, "黄巷") == inside
    assert _found(db, "安泰 读书") == {next(i for i in inside if _found(db, "银龄") == {i})}
    flt = LedgerFilter(text="黄巷社区")
    assert set(query_ledger(db.session_factory, flt, LedgerSort()).ids) == inside


def test_uscc_fragment_finds_the_organization(db: Database, orgs: dict[str, str]) -> None:
    target = orgs["中北大华社会工作服务中心"]
    assert _found(db, ZBDH_CODE) == {target}
    assert _found(db, ZBDH_CODE[8:14]) == {target}
    assert _found(db, ZBDH_CODE[8:14].lower()) == {target}
    assert _found(db, "MJ5") == {target}


def test_terms_are_anded(db: Database, orgs: dict[str, str]) -> None:
    assert _found(db, "协会") == {orgs["华林社区书画协会"], orgs["阳光志愿者协会"]}
    assert _found(db, "协会 华") == {orgs["华林社区书画协会"]}
    assert _found(db, "华 社会工作") == {orgs["中北大华社会工作服务中心"]}
    assert _found(db, "协会  江滨") == {orgs["阳光志愿者协会"]}
    assert _found(db, "协会 基金") == set()


def test_empty_query_finds_nothing(db: Database, orgs: dict[str, str]) -> None:
    assert search_orgs(db.session_factory, "") == []
    assert search_orgs(db.session_factory, "   ") == []


ODD_NAME = '"星火"-读书会*（测试）'


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"', {ODD_NAME}),  # the name starts with it
        ('""', set()), ("'", set()), ("(", set()), ('a"b', set()), ("NOT", set()),
        ("协会 OR", set()),  # as an FTS operator it would find every 协会
        ("协会 NOT 华", set()),  # as an operator: 阳光志愿者协会
        ('火"-读', {ODD_NAME}), ('"星火"', {ODD_NAME}), ("读书会*", {ODD_NAME}),  # 3+ characters: literal text
        ("华*", {"中北大华社会工作服务中心", "华林社区书画协会"}),  # 1-2: punctuation is not indexed, 华 is
        ("^华", {"中北大华社会工作服务中心", "华林社区书画协会"}),
    ],
)
def test_query_syntax_characters_are_taken_literally(
    db: Database, orgs: dict[str, str], query: str, expected: set[str]
) -> None:
    odd = create_org(db.session_factory, OrgInput(name=ODD_NAME, org_type=OrgType.COMMUNITY_FILED), actor="t").id
    ids = {**orgs, ODD_NAME: odd}
    assert _found(db, query) == {ids[name] for name in expected}  # never an FTS5 syntax error or operator


def test_results_are_ranked_before_they_are_cut(db: Database) -> None:
    """Exact name, then prefix, then name containing it, then another field, then pinyin — whatever the
    order the organizations were saved in."""
    specs = [  # saved worst rank first, so insertion order cannot pass the test
        ("画心合唱团", "", ""),  # pinyin initials hx only
        ("星光合唱团", "华星社区", ""),  # 社区 contains 华星
        ("鼓楼华星志愿队", "", ""),  # name contains
        ("华星舞蹈队", "", ""),  # name starts with
        ("华星", "", ""),  # the exact name
    ]
    ids = {name: create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED,
                                                         community=community, address=address), actor="t").id
           for name, community, address in specs}
    ranked = [h.name for h in search_orgs(db.session_factory, "华星")]
    assert ranked == ["华星", "华星舞蹈队", "鼓楼华星志愿队", "星光合唱团"]
    assert [h.name for h in search_orgs(db.session_factory, "华星", limit=2)] == ["华星", "华星舞蹈队"]
    assert [h.name for h in search_orgs(db.session_factory, "华星", limit=1)] == ["华星"]
    by_pinyin = ["鼓楼华星志愿队", "华星", "华星舞蹈队", "画心合唱团"]  # all rank pinyin: then pinyin order
    assert [h.id for h in search_orgs(db.session_factory, "hx")] == [ids[name] for name in by_pinyin]


def test_the_exact_name_is_found_among_many_similar_names(db: Database) -> None:
    """Issue 5 item 7: "阳光志愿者协会" among 25 similar names returned 20 hits without the exact match."""
    for n in range(25):
        create_org(db.session_factory, OrgInput(name=f"阳光志愿者协会{chinese_digits(n)}分会",
                                                org_type=OrgType.COMMUNITY_FILED), actor="t")
    exact = create_org(db.session_factory, OrgInput(name="阳光志愿者协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
    hits = search_orgs(db.session_factory, "阳光志愿者协会")
    assert len(hits) == 20
    assert hits[0].id == exact.id
    assert search_orgs(db.session_factory, "阳光志愿者协会", limit=1)[0].id == exact.id


def chinese_digits(n: int) -> str:
    return "".join("零一二三四五六七八九"[int(d)] for d in str(n))


def test_update_reindexes(db: Database, orgs: dict[str, str]) -> None:
    org_id = orgs["阳光志愿者协会"]
    detail = update_org(db.session_factory, org_id, OrgInput(name="阳光志愿者协会", org_type=OrgType.COMMUNITY_FILED,
                                                             address="仓山区南江滨大道"), actor="t")
    assert _found(db, "台江区") == set()
    assert _found(db, "台江") == set()
    assert _found(db, "南江滨大道") == {org_id}
    assert _found(db, "仓山") == {org_id}
    renamed = update_org(db.session_factory, org_id, dataclasses.replace(detail.data, name="月光合唱团"), actor="t")
    assert renamed.data.name == "月光合唱团"
    assert _found(db, "阳光") == set() and _found(db, "ygzyz") == set()
    assert _found(db, "月光") == {org_id} and _found(db, "ygh") == {org_id}
    for table in ("org_search_tri", "org_search_uni"):
        with db.session_factory() as session:
            count = session.execute(text(f"SELECT count(*) FROM {table} WHERE org_id = :i"), {"i": org_id}).scalar()
        assert count == 1


def test_quick_search_hides_archived(db: Database, orgs: dict[str, str]) -> None:
    org_id = orgs["阳光志愿者协会"]
    archive_org(db.session_factory, org_id, reason="已注销", actor="t")
    assert _found(db, "阳光") == set()


def test_rebuild_index_matches_incremental_index(db: Database, orgs: dict[str, str]) -> None:
    queries = ["华", "大华", "社会工作", "zbdh", "协会 华", ZBDH_CODE[8:14]]
    before = {q: _found(db, q) for q in queries}
    with db.session_factory.begin() as session:
        session.execute(text("DELETE FROM org_search_tri"))
        session.execute(text("DELETE FROM org_search_uni"))
    assert all(set(query_ledger(db.session_factory, LedgerFilter(text=q), LedgerSort()).ids) == set()
               for q in queries)
    with db.session_factory.begin() as session:
        search.rebuild_index(session)
    assert {q: _found(db, q) for q in queries} == before


def test_a_save_replaces_its_index_rows_by_document_id(db: Database) -> None:
    first = create_org(db.session_factory, OrgInput(name="南门兜老年协会", org_type=OrgType.COMMUNITY_FILED),
                       actor="t")
    create_org(db.session_factory, OrgInput(name="西湖书画社", org_type=OrgType.COMMUNITY_FILED), actor="t")

    def index_state() -> tuple[int, list[tuple[int, str]], list[tuple[int, str]]]:
        with db.session_factory() as s:
            doc = s.execute(text("SELECT doc FROM org_search_doc WHERE org_id = :i"), {"i": first.id}).scalar_one()
            tri = s.execute(text("SELECT rowid, org_id FROM org_search_tri ORDER BY rowid")).all()
            uni = s.execute(text("SELECT rowid, org_id FROM org_search_uni ORDER BY rowid")).all()
        return doc, [tuple(r) for r in tri], [tuple(r) for r in uni]

    doc_before, tri_before, uni_before = index_state()
    for n in range(3):
        update_org(db.session_factory, first.id,
                   dataclasses.replace(first.data, address=f"鼓楼区南门兜{n}号"), actor="t")
    doc_after, tri_after, uni_after = index_state()
    assert doc_after == doc_before
    assert tri_after == tri_before and uni_after == uni_before  # one row per organization, same rowid
    assert (doc_before, first.id) in tri_after
    assert _found(db, "南门兜2号") == {first.id}


def test_the_ledger_filter_gives_the_same_ids_whichever_way_it_runs(db: Database, orgs: dict[str, str]) -> None:
    """The text filter starts from the matches when few can match, else probes along the ledger index."""
    for n in range(8):
        create_org(db.session_factory, OrgInput(name=f"鼓楼区第{n}书画社", org_type=OrgType.COMMUNITY_FILED), actor="t")
    with db.session_factory() as session:
        assert search.is_selective(session, "中北大华")  # 1 of 12
        assert search.is_selective(session, "北峰 协会")  # one rare term is enough
        assert not search.is_selective(session, "鼓楼区")  # in 9 of 12 (8 names and one address)
        assert not search.is_selective(session, "社")
        assert search.matches_fewer_than(session, "zbdh", 2) and not search.matches_fewer_than(session, "书画", 9)
        assert search.matches_fewer_than(session, "书画", 10)
        for query in ("华", "书画", "协会 华", "鼓楼区", "社", "zbdh", "北峰山区慈善", "没有的"):
            results = []
            for selective in (True, False):
                sql, params = ledger_sql(LedgerFilter(text=query), LedgerSort(), date(2026, 12, 1), selective=selective)
                results.append(session.execute(text(sql), params).scalars().all())
            assert results[0] == results[1]
            assert tuple(results[0]) == query_ledger(db.session_factory, LedgerFilter(text=query), LedgerSort()).ids


def test_a_term_every_organization_matches_filters_nothing_and_others_still_filter(db: Database) -> None:
    """The ledger skips matching a term that every indexed organization matches (a speed-up for "社区"
    where every organization is in a 社区); the ids must be exactly what matching would give."""
    from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerSort
    from app.services.orgs.ledger import query_ledger

    def ids(query: str) -> set[str]:
        flt = LedgerFilter(text=query, archived=ArchivedFilter.ALL)
        return set(query_ledger(db.session_factory, flt, LedgerSort()).ids)

    every = {create_org(db.session_factory, OrgInput(name=f"黄巷社区第{n}志愿队", org_type=OrgType.COMMUNITY_FILED,
                                                     community="黄巷社区"), actor="t").id for n in range(4)}
    assert ids("社区") == every == ids("")
    other = create_org(db.session_factory, OrgInput(name="鼓楼区书法协会", org_type=OrgType.COMMUNITY_FILED),
                       actor="t").id
    assert ids("社区") == every and other in ids("")
    assert ids("社区 志愿") == every and ids("协会") == {other}
