"""组织台账 queries: filtering and sorting run in SQL; rows are fetched a page at a time.

A 100,000-row ledger never becomes a Python list of row objects: ``query_ledger`` returns the ordered
ids (one indexed query), and ``ledger_rows`` fetches the rows the view is about to show.  Read-only;
any thread.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Collection, Sequence
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import Coverage, EvaluationGrade, OrgType
from app.domain.unknown_values import UnknownValue, parse_enum
from app.services.core import clock, identity
from app.services.orgs import assignments, search
from app.services.orgs import facts as org_facts
from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerIds, LedgerRow, LedgerSort, SortKey
from app.services.orgs.quick_find import search_orgs
from app.services.orgs.record_dto import PlaceChoices
from app.services.orgs.validation import normalize_category

__all__ = ["evaluation_expired", "ledger_rows", "ledger_sql", "place_choices", "query_ledger", "search_orgs"]

PAGE_CHUNK = 500
_log = logging.getLogger(__name__)

# ORDER BY expressions per sort key.  Blanks become NULL so that NULLS LAST keeps them at the end in
# both directions; enumerations sort in the domain's order (as the filters list them), not by code.
def _rank(expression: str, members: type[StrEnum]) -> str:
    """Sort key of an enumerated SQL value: its position in the enum."""
    return f"CASE {expression} " + " ".join(f"WHEN '{m.value}' THEN {n}" for n, m in enumerate(members)) + " END"


_SORT_SQL: dict[SortKey, tuple[str, ...]] = {
    SortKey.ORG_TYPE: (_rank("social_org.org_type", OrgType),),
    SortKey.USCC: ("NULLIF(social_org.uscc, '')",),
    SortKey.LOCATION: ("NULLIF(social_org.sub_district, '')", "NULLIF(social_org.community, '')"),
    SortKey.COVERAGE: (_rank(org_facts.COVERAGE_SQL, Coverage),),
    SortKey.EVALUATION: ("social_org.evaluation_grade",),
    SortKey.PARTY_MEMBERS: ("social_org.party_member_count",),
    SortKey.FOUNDED: ("social_org.founded_on",),
    SortKey.UPDATED: ("social_org.updated_at",),
}


def _where_sql(flt: LedgerFilter, derived: bool, selective: bool, user: str) -> tuple[list[str], dict[str, object]]:
    conditions = ["social_org.deleted_at IS NULL"]  # literally so: it selects the partial ledger index
    params: dict[str, object] = {}
    if flt.archived is ArchivedFilter.ACTIVE:
        conditions.append("social_org.archived_at IS NULL")
    elif flt.archived is ArchivedFilter.ARCHIVED:
        conditions.append("social_org.archived_at IS NOT NULL")
    if flt.org_types:
        marks = ", ".join(f":type{n}" for n in range(len(flt.org_types)))
        conditions.append(f"social_org.org_type IN ({marks})")
        params.update({f"type{n}": t.value for n, t in enumerate(sorted(flt.org_types))})
    if flt.community_category:
        conditions.append("social_org.community_category = :category")
        params["category"] = normalize_category(flt.community_category)
    if flt.coverage is not None and derived:
        conditions.append("social_org.derived_coverage = :coverage")
        params["coverage"] = flt.coverage.value
    elif flt.coverage is not None:
        conditions.append(org_facts.coverage_condition_sql(flt.coverage))
    if flt.credit_listed is not None and derived:
        conditions.append("social_org.derived_credit_listed = :listed")
        params["listed"] = int(flt.credit_listed)
    elif flt.credit_listed is not None:
        conditions.append(org_facts.LISTED_SQL if flt.credit_listed else f"NOT {org_facts.LISTED_SQL}")
    if flt.sub_district:
        conditions.append("social_org.sub_district = :sub_district")
        params["sub_district"] = flt.sub_district
    if flt.community:
        conditions.append("social_org.community = :community")
        params["community"] = flt.community
    if flt.mine:
        conditions.append(assignments.MINE_SQL)
        params["me"] = user
    clauses, match_params = search.match_clauses(flt.text, selective=selective)
    conditions.extend(clauses)
    params.update(match_params)
    return conditions, params


def ledger_sql(flt: LedgerFilter, sort: LedgerSort, today: date, *, derived: bool = False,
               selective: bool = False, user: str = "") -> tuple[str, dict[str, object]]:
    """The SQL (and parameters) of every matching id in ledger order.  With ``derived`` (the
    materialized facts are fresh for ``today``) coverage and credit listing read the derived columns;
    with ``selective`` (few organizations can match the text) the query starts from the text's matches;
    ``user`` is whose organizations 我负责的 (``flt.mine``) keeps."""
    conditions, params = _where_sql(flt, derived, selective, user)
    direction = "DESC" if sort.descending else "ASC"
    if sort.key is SortKey.NAME:
        order = [f"social_org.name_pinyin {direction}", f"social_org.id {direction}"]  # the index order
    else:
        exprs = _SORT_SQL[sort.key]
        if derived and sort.key is SortKey.COVERAGE:
            exprs = (_rank("social_org.derived_coverage", Coverage),)
        order = [f"{expr} {direction} NULLS LAST" for expr in exprs]
        order += ["social_org.name_pinyin ASC", "social_org.id ASC"]  # total order: no row shown twice
    sql = f"SELECT social_org.id FROM social_org WHERE {' AND '.join(conditions)} ORDER BY {', '.join(order)}"
    if ":today" in sql:
        params["today"] = today.isoformat()
    return sql, params


def query_ledger(factory: sessionmaker[Session], flt: LedgerFilter, sort: LedgerSort,
                 *, today: date | None = None, user: str | None = None) -> LedgerIds:
    """The ordered ids of every organization matching ``flt``.  Read-only; any thread.

    The ids come back as one ``group_concat`` string split in Python.  Fetched a row at a time, 100,000
    ids took SQLite's driver 100,000 releases and re-takes of the GIL: on the worker lane each re-take
    waited on the UI thread, and the query ran 2-3 times slower in the app than alone (~250 against
    ~100 ms).  One row is one hand-over, and the split creates no tuples for the garbage collector.
    SQLite concatenates in the order its ORDER BY subquery yields (an aggregate's subquery with ORDER BY
    is never flattened); ``tests/unit/test_ledger_order.py`` holds every sort key to that."""
    today = today or clock.today()
    with factory() as session:
        selective = bool(flt.text.strip()) and search.is_selective(session, flt.text)
        if flt.text.strip() and not selective:
            flt = dataclasses.replace(flt, text=search.without_terms_matching_all(session, flt.text))
        sql, params = ledger_sql(flt, sort, today, derived=org_facts.facts_fresh(session, today), selective=selective,
                                 user=user or identity.current_user())
        cursor = _raw_cursor(session)
        try:
            joined = cursor.execute(f"SELECT group_concat(id, ',') FROM ({sql})", params).fetchone()[0]
        finally:
            cursor.close()
    return LedgerIds(tuple(joined.split(",")) if joined else ())


def _raw_cursor(session: Session) -> Any:
    """A DB-API cursor on the session's connection, for results too large for SQLAlchemy's row layer."""
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def ledger_rows(
    factory: sessionmaker[Session], ids: Sequence[str], *, today: date | None = None
) -> list[LedgerRow]:
    """Rows for ``ids``, in the same order (ids no longer present are skipped).  Read-only; any thread.

    With today's derived facts in place (the usual case) coverage and listing are the derived columns;
    otherwise they are worked out from the rules.  Either way the rows are read on the DB-API cursor,
    which keeps ORM set-up out of the first paint.  A code this version does not know (a newer server's
    organization type or grade) is shown as 未知（code） and logged, never a crash (DESIGN §3)."""
    today = today or clock.today()
    with factory() as session:
        if org_facts.facts_fresh(session, today):
            facts = ("derived_coverage", "derived_credit_listed")
        else:
            facts = (org_facts.COVERAGE_OF_IDS_SQL, org_facts.LISTED_OF_IDS_SQL)
        found = _read_rows(session, ids, today, facts)
    return [found[i] for i in ids if i in found]


_ROW_SQL = (
    "SELECT id, name, short_name, org_type, community_category, uscc, sub_district, community, address,"
    " {coverage}, evaluation_grade, party_member_count, founded_on, {listed},"
    " archived_at IS NOT NULL, evaluation_date FROM social_org WHERE id IN (SELECT value FROM json_each(:ids))"
)


EVALUATION_VALID_YEARS = 5  # 评估等级 is valid for five years from the evaluation (DESIGN §2)


def evaluation_expired(evaluated_on: date | None, today: date) -> bool:
    """True when a grade given on ``evaluated_on`` is no longer valid on ``today``."""
    if evaluated_on is None:
        return False
    try:
        until = evaluated_on.replace(year=evaluated_on.year + EVALUATION_VALID_YEARS)
    except ValueError:  # 29 February
        until = evaluated_on.replace(year=evaluated_on.year + EVALUATION_VALID_YEARS, day=28)
    return today >= until


E = TypeVar("E", bound=StrEnum)


def _checked(enum_cls: type[E], raw: str, org_id: str, field: str) -> E | UnknownValue:
    """``raw`` as a member of ``enum_cls``; a code this version does not know is reported and kept."""
    value = parse_enum(enum_cls, raw)
    if isinstance(value, UnknownValue):
        _log.warning("社会组织 %s 的%s为本版本不认识的取值 %r（可能来自更新版本的服务器），显示为“%s”",
                     org_id, field, raw, value.label)
    return value


def _read_rows(session: Session, ids: Sequence[str], today: date, facts: tuple[str, str]) -> dict[str, LedgerRow]:
    found: dict[str, LedgerRow] = {}
    sql = _ROW_SQL.format(coverage=facts[0], listed=facts[1])
    cursor = _raw_cursor(session)
    try:
        for start in range(0, len(ids), PAGE_CHUNK):
            params = org_facts.ids_params(ids[start : start + PAGE_CHUNK], today)
            for r in cursor.execute(sql, params):
                grade = _checked(EvaluationGrade, r[10], r[0], "评估等级") if r[10] else None
                found[r[0]] = LedgerRow(
                    id=r[0], name=r[1], short_name=r[2], org_type=_checked(OrgType, r[3], r[0], "组织类型"),
                    community_category=r[4], uscc=r[5], sub_district=r[6], community=r[7], address=r[8],
                    coverage=Coverage(r[9]), evaluation_grade=grade, party_member_count=r[11],
                    founded_on=date.fromisoformat(r[12]) if r[12] else None, credit_listed=bool(r[13]),
                    archived=bool(r[14]),
                    evaluation_expired=grade is not None and evaluation_expired(
                        date.fromisoformat(r[15]) if r[15] else None, today),
                )
    finally:
        cursor.close()
    return found




def place_choices(factory: sessionmaker[Session], *, sub_district: str = "") -> PlaceChoices:
    """The distinct 街道 in the ledger and the 社区 (of ``sub_district`` only, when given), in pinyin
    order, for the ledger's filter lists, with every (街道, 社区) pair.  Read-only; any thread: one pass
    over the ledger index (~60 ms at 100,000 organizations)."""
    with factory() as session:
        found = session.execute(text(
            "SELECT DISTINCT sub_district, community FROM social_org WHERE deleted_at IS NULL"
        )).all()
    order = {name: n for n, name in enumerate(_by_pinyin({name for pair in found for name in pair if name}))}
    # by 社区 first: a list narrowed to one 街道 (PlaceChoices.communities_in) keeps the pinyin order
    pairs = tuple(sorted(((str(s), str(c)) for s, c in found), key=lambda p: (order.get(p[1], -1),
                                                                             order.get(p[0], -1))))
    streets = tuple(sorted({s for s, _c in pairs if s}, key=order.__getitem__))
    choices = PlaceChoices(streets, (), pairs)
    return dataclasses.replace(choices, communities=choices.communities_in(sub_district))


def _by_pinyin(names: Collection[str]) -> list[str]:
    return sorted(names, key=lambda name: (search.pinyin_keys(name)[0], name))
