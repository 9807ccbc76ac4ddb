"""组织台账 queries: filtering and sorting run in SQL; rows are fetched a page at a time.

A 100,000-row ledger never becomes a Python list of row objects: ``query_ledger`` returns the ordered
ids (one indexed query), and ``ledger_rows`` fetches the rows the view is about to show.  Read-only;
any thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.models import SocialOrg
from app.models.enums import Coverage, OrgType
from app.services import org_facts, search
from app.services.dto import ArchivedFilter, LedgerFilter, LedgerIds, LedgerRow, LedgerSort, OrgHit, SortKey
from app.services.org_validation import normalize_category

PAGE_CHUNK = 500
# Enumerated columns sort in the domain's order (as the filters list them), not by their codes.
_ORG_TYPE_RANK = {t.value: rank for rank, t in enumerate(OrgType)}
_COVERAGE_RANK = {c.value: rank for rank, c in enumerate(Coverage)}


def _sort_columns(sort: SortKey, today: date) -> list[Any]:
    columns: dict[SortKey, list[Any]] = {
        SortKey.NAME: [SocialOrg.name_pinyin],
        SortKey.ORG_TYPE: [case(_ORG_TYPE_RANK, value=SocialOrg.org_type)],
        SortKey.USCC: [SocialOrg.uscc],
        SortKey.LOCATION: [SocialOrg.sub_district, SocialOrg.community],
        SortKey.COVERAGE: [case(_COVERAGE_RANK, value=org_facts.coverage_expr(today))],
        SortKey.EVALUATION: [SocialOrg.evaluation_grade],
        SortKey.PARTY_MEMBERS: [SocialOrg.party_member_count],
        SortKey.FOUNDED: [SocialOrg.founded_on],
        SortKey.UPDATED: [SocialOrg.updated_at],
    }
    return columns[sort]


def _where(flt: LedgerFilter, today: date) -> tuple[list[ColumnElement[bool]], dict[str, str]]:
    conditions: list[ColumnElement[bool]] = [SocialOrg.deleted_at.is_(None)]
    if flt.archived is ArchivedFilter.ACTIVE:
        conditions.append(SocialOrg.archived_at.is_(None))
    elif flt.archived is ArchivedFilter.ARCHIVED:
        conditions.append(SocialOrg.archived_at.is_not(None))
    if flt.org_types:
        conditions.append(SocialOrg.org_type.in_(sorted(flt.org_types)))
    if flt.community_category:
        conditions.append(SocialOrg.community_category == normalize_category(flt.community_category))
    if flt.coverage is not None:
        conditions.append(org_facts.coverage_condition(flt.coverage, today))
    if flt.credit_listed is not None:
        listed = org_facts.credit_listed_expr(today)
        conditions.append(listed if flt.credit_listed else ~listed)
    clauses, params = search.match_clauses(flt.text)
    conditions.extend(text(c) for c in clauses)  # type: ignore[misc]
    return conditions, params


def ledger_statement(
    flt: LedgerFilter, sort: LedgerSort, today: date
) -> tuple[Select[Any], dict[str, str]]:
    conditions, params = _where(flt, today)
    # Blank values (no grade, no founding date …) stay at the end in both directions.
    order: list[Any] = [
        (c.desc() if sort.descending else c.asc()).nulls_last() for c in _sort_columns(sort.key, today)
    ]
    order.append(SocialOrg.name_pinyin.asc())
    order.append(SocialOrg.id.asc())  # total order: paging never shows a row twice
    return select(SocialOrg.id).where(and_(*conditions)).order_by(*order), params


def query_ledger(factory: sessionmaker[Session], flt: LedgerFilter, sort: LedgerSort,
                 *, today: date | None = None) -> LedgerIds:
    """The ordered ids of every organization matching ``flt``."""
    stmt, params = ledger_statement(flt, sort, today or date.today())
    with factory() as session:
        return LedgerIds(tuple(str(i) for i in session.execute(stmt, params).scalars()))


def ledger_rows(
    factory: sessionmaker[Session], ids: Sequence[str], *, today: date | None = None
) -> list[LedgerRow]:
    """Rows for ``ids``, in the same order (ids no longer present are skipped)."""
    today = today or date.today()
    found: dict[str, LedgerRow] = {}
    coverage = org_facts.coverage_expr(today).label("coverage")
    listed = org_facts.credit_listed_expr(today).label("listed")
    with factory() as session:
        for start in range(0, len(ids), PAGE_CHUNK):
            chunk = list(ids[start : start + PAGE_CHUNK])
            for org, cov, is_listed in session.execute(
                select(SocialOrg, coverage, listed).where(SocialOrg.id.in_(chunk))
            ):
                found[org.id] = _row(org, Coverage(cov), bool(is_listed))
    return [found[i] for i in ids if i in found]


def _row(org: SocialOrg, coverage: Coverage, listed: bool) -> LedgerRow:
    return LedgerRow(
        id=org.id, name=org.name, short_name=org.short_name, org_type=org.org_type,
        community_category=org.community_category, uscc=org.uscc, sub_district=org.sub_district,
        community=org.community, address=org.address, coverage=coverage,
        evaluation_grade=org.evaluation_grade, party_member_count=org.party_member_count,
        founded_on=org.founded_on, credit_listed=listed, archived=org.archived_at is not None,
    )


def search_orgs(factory: sessionmaker[Session], query: str, *, limit: int = 20) -> list[OrgHit]:
    """Quick find: up to ``limit`` active organizations matching ``query`` (name, code, address,
    pinyin initials), in name (pinyin) order.  Empty query → empty list."""
    clauses, params = search.match_clauses(query)
    if not clauses:
        return []
    stmt = (
        select(SocialOrg.id, SocialOrg.name, SocialOrg.uscc, SocialOrg.address)
        .where(SocialOrg.deleted_at.is_(None), SocialOrg.archived_at.is_(None), *(text(c) for c in clauses))
        .order_by(SocialOrg.name_pinyin, SocialOrg.id)  # without an order, LIMIT keeps an arbitrary few
        .limit(limit)
    )
    with factory() as session:
        return [OrgHit(*r) for r in session.execute(stmt, params)]
