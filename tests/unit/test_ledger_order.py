"""The ledger's ids arrive as one ``group_concat`` string (ledger.query_ledger): SQLite must concatenate
them in the order of the ORDER BY beneath it, for every sort key, direction and kind of filter.

Every ledger order is total (ties are broken by pinyin, then id), so the plain statement's rows are the
one right answer.  This is what would catch a SQLite that began to flatten the ordered subquery."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from app import paths
from app.demo.data import seed_demo
from app.demo.names import STREET_NAMES
from app.domain.enums import OrgType
from app.services.core.database import Database, open_database
from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerSort, SortKey
from app.services.orgs.ledger import ledger_sql, query_ledger

TODAY = date(2026, 11, 21)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home: Path = tmp_path_factory.mktemp("order-home")
    with paths.temporary_home(home):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        seed_demo(database.session_factory, orgs=90, years=0, seed=3, today=TODAY, me="local")
    yield database
    database.close()


FILTERS = [
    LedgerFilter(),
    LedgerFilter(archived=ArchivedFilter.ALL),
    LedgerFilter(org_types=frozenset({OrgType.SOCIAL_GROUP, OrgType.COMMUNITY_FILED})),
    LedgerFilter(text="协会"),  # a term some organizations match
    LedgerFilter(text="会"),
    LedgerFilter(mine=True),  # the organizations of the demo's first instructor, "local"
    LedgerFilter(sub_district=STREET_NAMES[0]),
]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("key", list(SortKey))
def test_ids_come_in_the_order_by_order(demo: Database, key: SortKey, descending: bool) -> None:
    sort = LedgerSort(key, descending)
    for flt in FILTERS:
        sql, params = ledger_sql(flt, sort, TODAY, selective=True, user="local")
        with demo.session_factory() as session:
            expected = tuple(str(r[0]) for r in session.execute(text(sql), params))
        got = query_ledger(demo.session_factory, flt, sort, today=TODAY, user="local").ids
        assert len(expected) > 1, flt  # an order of one proves nothing
        assert got == expected, (key, descending, flt)


def test_no_match_is_an_empty_ledger(demo: Database) -> None:
    assert query_ledger(demo.session_factory, LedgerFilter(text="没有这个组织名"), LedgerSort(), today=TODAY).ids == ()
