"""Organization search: trigram for 3+ characters, unigram for 1-2, pinyin initials, codes, AND of terms."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import text

from app.domain.enums import OrgType
from app.domain.uscc import make_code
from app.services.core.database import Database
from app.services.orgs import search
from app.services.orgs.dto import OrgInput
from app.services.orgs.ledger import search_orgs
from app.services.orgs.organizations import archive_org, create_org, update_org

ZBDH_CODE = make_code("2", "350102", "MJ5566778")


@pytest.fixture
def orgs(db: Database) -> dict[str, str]:
    """name -> id of a small ledger."""
    specs = [
        OrgInput(name="中北大华社会工作服务中心", org_type=OrgType.SOCIAL_SERVICE, uscc=ZBDH_CODE,
                 address="鼓楼区五一北路8号", short_name="大华社工"),
        OrgInput(name="华林社区书画协会", org_type=OrgType.COMMUNITY_FILED, address="华林路12号"),
        OrgInput(name="阳光志愿者协会", org_type=OrgType.COMMUNITY_FILED, address="台江区江滨西路"),
        OrgInput(name="北峰山区慈善基金会", org_type=OrgType.FOUNDATION, uscc=make_code("3", "350100", "MJ0000001"),
                 address="晋安区北峰镇"),
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


def test_pinyin_keys() -> None:
    assert search.pinyin_keys("中北大华") == ("zhongbeidahua", "zbdh")
    assert search.pinyin_keys("阳光2号ABC")[1].startswith("yg2")


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


@pytest.mark.parametrize("query", ['"', '""', "'", "*", "-", "a\"b", "NOT", "协会 OR", "(", "华*", "^华"])
def test_query_syntax_characters_are_taken_literally(db: Database, orgs: dict[str, str], query: str) -> None:
    search_orgs(db.session_factory, query)  # never an FTS5 syntax error


def test_results_come_in_pinyin_order_and_the_limit_keeps_the_first(db: Database, orgs: dict[str, str]) -> None:
    hits = search_orgs(db.session_factory, "华")
    assert [h.name for h in hits] == ["华林社区书画协会", "中北大华社会工作服务中心"]  # hua… before zhong…
    assert hits[1].uscc == ZBDH_CODE and hits[1].address == "鼓楼区五一北路8号"
    assert [h.name for h in search_orgs(db.session_factory, "协会", limit=1)] == ["华林社区书画协会"]


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
    assert all(_found(db, q) == set() for q in queries)
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
