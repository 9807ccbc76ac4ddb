"""Quick find: the first few organizations for a query, ranked before they are cut (DESIGN §3).

Ranks, best first: the exact name, a name starting with the query, a name (or short name) containing
it, another field containing it (统一社会信用代码, address, 街道, 社区), then pinyin (initials or full
pinyin).  Each rank is its own small query that stops at ``limit`` rows, taken in rank order until the
limit is reached, so a one-character query matching half the district costs as little as a rare one,
and the exact match is never cut off by twenty near-misses.  With several terms the first one ranks and
every term must match.  Read-only; any thread.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.services.orgs import search
from app.services.orgs.dto import OrgHit

_COLUMNS = "social_org.id, social_org.name, social_org.uscc, social_org.address, social_org.name_pinyin"
_LIVE = "social_org.deleted_at IS NULL AND social_org.archived_at IS NULL"
_LAST_CHAR = "\U0010ffff"


class Rank(IntEnum):
    """How well a hit matches, best first."""

    EXACT = 0
    PREFIX = 1
    NAME = 2
    OTHER_FIELD = 3
    PINYIN = 4


_FIELDS_OF_RANK = {Rank.NAME: search.NAME_COLUMNS, Rank.OTHER_FIELD: search.PLACE_COLUMNS,
                   Rank.PINYIN: search.PINYIN_COLUMNS}


def _name_range_sql(filters: str) -> str:
    """Names from ``:first`` up to (not including) ``:after``, in the name index's order: the exact
    name, if any, comes first."""
    return (f"SELECT {_COLUMNS} FROM social_org WHERE social_org.name >= :first AND social_org.name < :after"
            f" AND {_LIVE}{filters} ORDER BY social_org.name LIMIT :limit")


def _fts_sql(table: str, filters: str) -> str:
    return (f"SELECT {_COLUMNS} FROM {table} CROSS JOIN org_search_doc ON org_search_doc.doc = {table}.rowid"
            " CROSS JOIN social_org ON social_org.id = org_search_doc.org_id"
            f" WHERE {table} MATCH :ranked AND {_LIVE}{filters} LIMIT :limit")


def _ranked_rows(session: Session, terms: list[str], limit: int) -> list[tuple[Rank, tuple[str, ...]]]:
    first, rest = terms[0], terms[1:]
    params: dict[str, object] = {"limit": limit}
    filters = ""
    for n, term in enumerate(rest, 1):
        table, params[f"q{n}"] = search.term_match(term)
        filters += f" AND {search.matching_docs_sql(table, f'q{n}')}"
    hits: dict[str, tuple[Rank, tuple[str, ...]]] = {}
    # Up to four small queries a keystroke: on the DB-API cursor, as SQLAlchemy's statement and result
    # layers would cost more than SQLite itself does here (named parameters are the same :name style).
    cursor: Any = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    name_rows = cursor.execute(_name_range_sql(filters),
                               {**params, "first": first, "after": first + _LAST_CHAR}).fetchall()
    for row in name_rows:
        hits.setdefault(row[0], (Rank.EXACT if row[1] == first else Rank.PREFIX, tuple(row)))
    for rank, columns in _FIELDS_OF_RANK.items():
        if len(hits) >= limit:
            break
        table, params["ranked"] = search.term_match(first, columns)
        for row in cursor.execute(_fts_sql(table, filters), params).fetchall():
            hits.setdefault(row[0], (rank, tuple(row)))
    cursor.close()
    ordered = sorted(hits.values(), key=lambda hit: (hit[0], hit[1][4], hit[1][0]))
    return ordered[:limit]


def search_orgs(factory: sessionmaker[Session], query: str, *, limit: int = 20) -> list[OrgHit]:
    """Quick find: up to ``limit`` active organizations matching ``query`` (name, short name, code,
    address, 街道, 社区, pinyin initials or full pinyin), best rank first, then in name (pinyin) order.
    Empty query → empty list.  Read-only; any thread."""
    terms = search.query_terms(query)
    if not terms or limit <= 0:
        return []
    with factory() as session:
        ranked = _ranked_rows(session, terms, limit)
    return [OrgHit(row[0], row[1], row[2], row[3]) for _rank, row in ranked]
