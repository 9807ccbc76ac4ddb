"""SQL expressions for what the ledger derives about an organization (coverage, credit listing)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, case, exists, or_, select

from app.models import Assignment, CreditListing, PartyOrgCoverage, SocialOrg
from app.models.enums import Coverage


def covered_by_party_org() -> ColumnElement[bool]:
    return exists(
        select(PartyOrgCoverage.id).where(
            PartyOrgCoverage.org_id == SocialOrg.id, PartyOrgCoverage.deleted_at.is_(None)
        )
    )


def has_instructor(today: date) -> ColumnElement[bool]:
    return exists(
        select(Assignment.id).where(
            Assignment.org_id == SocialOrg.id,
            Assignment.deleted_at.is_(None),
            Assignment.since <= today,
            or_(Assignment.until.is_(None), Assignment.until >= today),
        )
    )


def coverage_expr(today: date) -> ColumnElement[str]:
    """组织覆盖 if a party organization covers it, else 工作覆盖 if an instructor is assigned."""
    return case(
        (covered_by_party_org(), Coverage.ORGANIZATION.value),
        (has_instructor(today), Coverage.WORK.value),
        else_=Coverage.NONE.value,
    )


def credit_listed_expr(today: date) -> ColumnElement[bool]:
    """On 异常名录 or 严重违法失信名单 today (listed and not yet removed)."""
    return exists(
        select(CreditListing.id).where(
            CreditListing.org_id == SocialOrg.id,
            CreditListing.deleted_at.is_(None),
            CreditListing.listed_on <= today,
            or_(CreditListing.removed_on.is_(None), CreditListing.removed_on > today),
        )
    )


def coverage_condition(coverage: Coverage, today: date) -> ColumnElement[bool]:
    if coverage is Coverage.ORGANIZATION:
        return covered_by_party_org()
    if coverage is Coverage.WORK:
        return and_(~covered_by_party_org(), has_instructor(today))
    return and_(~covered_by_party_org(), ~has_instructor(today))


# -- The same facts as sets, for queries over the whole ledger ------------------------------------
# Per row, the EXISTS forms above probe an index for each organization: right for one page of rows,
# too slow for 100,000.  Over the whole ledger, each fact is one uncorrelated subquery that SQLite
# materializes once.  Both forms state the same rules; tests/unit/test_ledger.py checks they agree.
# ``:today`` is an ISO date string (dates are stored as ISO text).

COVERED_SQL = "social_org.id IN (SELECT org_id FROM party_org_coverage WHERE deleted_at IS NULL)"
ASSIGNED_SQL = (
    "social_org.id IN (SELECT org_id FROM assignment WHERE deleted_at IS NULL AND since <= :today"
    " AND (until IS NULL OR until >= :today))"
)
LISTED_SQL = (
    "social_org.id IN (SELECT org_id FROM credit_listing WHERE deleted_at IS NULL AND listed_on <= :today"
    " AND (removed_on IS NULL OR removed_on > :today))"
)
# ranks follow the order of the Coverage enum: 组织覆盖, 工作覆盖, 未覆盖
COVERAGE_RANK_SQL = f"CASE WHEN {COVERED_SQL} THEN 0 WHEN {ASSIGNED_SQL} THEN 1 ELSE 2 END"


def coverage_condition_sql(coverage: Coverage) -> str:
    if coverage is Coverage.ORGANIZATION:
        return COVERED_SQL
    if coverage is Coverage.WORK:
        return f"NOT {COVERED_SQL} AND {ASSIGNED_SQL}"
    return f"NOT {COVERED_SQL} AND NOT {ASSIGNED_SQL}"
