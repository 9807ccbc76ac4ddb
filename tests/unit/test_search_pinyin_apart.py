"""The trigram table keeps pinyin apart from names, codes and places: an ASCII query ("fzsg") ranked by
name or by another field never walks the pinyin of every organization, and every search still finds
what it found before."""

from __future__ import annotations

import unicodedata

import pytest
from sqlalchemy import text

from app.domain.enums import OrgType
from app.domain.uscc import make_code
from app.services.core.database import Database
from app.services.orgs import quick_find, search
from app.services.orgs.dto import LedgerFilter, LedgerSort, OrgInput
from app.services.orgs.ledger import query_ledger
from app.services.orgs.organizations import create_org

PINYIN_NAME = "福州松岗老年协会"  # initials fzsglnxh
LATIN_NAME = "FZSG科技志愿服务队"  # its name contains fzsg


@pytest.fixture
def fzsg(db: Database) -> dict[str, str]:
    assert search.pinyin_keys(PINYIN_NAME)[1].startswith("fzsg")
    specs = [
        OrgInput(name=PINYIN_NAME, org_type=OrgType.COMMUNITY_FILED, address="鼓楼区五一北路8号"),
        OrgInput(name=LATIN_NAME, org_type=OrgType.COMMUNITY_FILED, uscc=make_code("2", "350102", "MJ5566778")),
        OrgInput(name="中北大华社会工作服务中心", org_type=OrgType.COMMUNITY_FILED, short_name="大华社工",
                 address="台江区fzs路12号", sub_district="五凤街道", community="华林社区"),
        OrgInput(name="阳光2号ABC书画社", org_type=OrgType.COMMUNITY_FILED, address="晋安区北峰镇"),
        OrgInput(name="爱心帮扶队", org_type=OrgType.COMMUNITY_FILED, community="黄巷社区"),
    ]
    return {spec.name: create_org(db.session_factory, spec, actor="t").id for spec in specs}


def _trigrams_by_group(db: Database) -> tuple[set[str], set[str]]:
    """The trigram table's tokens (fts5vocab): those of the pinyin columns, and those of the others."""
    with db.session_factory() as session:
        session.execute(text("CREATE VIRTUAL TABLE temp.tri_vocab USING fts5vocab(main, org_search_tri, col)"))
        rows = session.execute(text("SELECT term, col FROM temp.tri_vocab")).all()
        session.execute(text("DROP TABLE temp.tri_vocab"))
    pinyin = {str(r[0]) for r in rows if r[1] in search.PINYIN_COLUMNS}
    other = {str(r[0]) for r in rows if r[1] not in search.PINYIN_COLUMNS}
    return pinyin, other


def _assert_pinyin_apart(db: Database, org_id: str) -> None:
    pinyin, other = _trigrams_by_group(db)
    assert pinyin and other
    assert not pinyin & other  # no trigram's postings hold both pinyin and other text
    with db.session_factory() as session:
        stored = session.execute(text("SELECT initials, pinyin FROM org_search_tri WHERE org_id = :i"),
                                 {"i": org_id}).one()
    initials = search.pinyin_keys(PINYIN_NAME)[1]
    assert stored[0] == search.pinyin_form(initials) != initials
    assert unicodedata.normalize("NFKC", stored[0]) == initials


def test_pinyin_and_other_text_share_no_trigram(db: Database, fzsg: dict[str, str]) -> None:
    _assert_pinyin_apart(db, fzsg[PINYIN_NAME])
    with db.session_factory.begin() as session:
        search.rebuild_index(session)
    _assert_pinyin_apart(db, fzsg[PINYIN_NAME])


def test_an_ascii_query_ranks_by_name_without_the_pinyin(db: Database, fzsg: dict[str, str]) -> None:
    with db.session_factory() as session:
        # the text a name or place rank searches holds no pinyin: the plain phrase finds the name only
        found = session.execute(text("SELECT org_id FROM org_search_tri WHERE org_search_tri MATCH :q"),
                                {"q": '"fzsg"'}).scalars().all()
        assert found == [fzsg[LATIN_NAME]]
        ranked = quick_find._ranked_rows(session, ["fzsg"], 20)
    assert [(rank, row[0]) for rank, row in ranked] == [
        (quick_find.Rank.NAME, fzsg[LATIN_NAME]), (quick_find.Rank.PINYIN, fzsg[PINYIN_NAME])]
    with db.session_factory() as session:
        ranked = quick_find._ranked_rows(session, ["FZS"], 20)
    assert [(rank, row[0]) for rank, row in ranked] == [
        (quick_find.Rank.PREFIX, fzsg[LATIN_NAME]), (quick_find.Rank.OTHER_FIELD, fzsg["中北大华社会工作服务中心"]),
        (quick_find.Rank.PINYIN, fzsg[PINYIN_NAME])]


def _expected(db: Database, query: str) -> set[str]:
    """Every term a substring (NFKC, any case) of some indexed field or pinyin key: by brute force."""
    with db.session_factory() as session:
        rows = session.execute(text("SELECT id, name, short_name, uscc, address, sub_district, community,"
                                    " name_initials, name_pinyin FROM social_org WHERE deleted_at IS NULL")).all()
    terms = unicodedata.normalize("NFKC", query).lower().split()
    fields = {str(r[0]): [unicodedata.normalize("NFKC", v or "").lower() for v in r[1:]] for r in rows}
    return {org for org, values in fields.items() if all(any(t in v for v in values) for t in terms)}


QUERIES = ["华", "社", "大华", "书画", "社区", "协会", "鼓楼区", "大华社工", "五凤街道", "华林社区", "fzsg", "FZSG",
           "fzs", "fz", "f", "zbdh", "zb", "lnxh", "fuzhou", "aixin", "AiXin", "songgang", "yg2h", "2号", "abc",
           "ABC书画", "mj55", "MJ5566", "ｍｊ５５６６", "350102", "12", "协会 fzsg", "社区 华", "没有的", "fzsg 大华"]


@pytest.mark.parametrize("query", QUERIES)
def test_the_ledger_text_filter_finds_every_field_and_pinyin(db: Database, fzsg: dict[str, str], query: str) -> None:
    expected = _expected(db, query)
    assert set(query_ledger(db.session_factory, LedgerFilter(text=query), LedgerSort()).ids) == expected
    if query in ("fzsg", "FZSG", "fzs"):
        assert {fzsg[PINYIN_NAME], fzsg[LATIN_NAME]} <= expected  # the sample reaches both groups
