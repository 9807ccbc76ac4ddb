"""SQL expressions for what the ledger derives about an organization (coverage, credit listing)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, case, exists, or_, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import Coverage
from app.models import Assignment, CreditListing, PartyOrgCoverage, SocialOrg
from app.services.core import clock


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
COVERAGE_SQL = (
    f"CASE WHEN {COVERED_SQL} THEN '{Coverage.ORGANIZATION.value}'"
    f" WHEN {ASSIGNED_SQL} THEN '{Coverage.WORK.value}' ELSE '{Coverage.NONE.value}' END"
)



def coverage_condition_sql(coverage: Coverage) -> str:
    if coverage is Coverage.ORGANIZATION:
        return COVERED_SQL
    if coverage is Coverage.WORK:
        return f"NOT {COVERED_SQL} AND {ASSIGNED_SQL}"
    return f"NOT {COVERED_SQL} AND NOT {ASSIGNED_SQL}"


# -- Materialized facts (migration 0004): derived_coverage / derived_credit_listed ------------------
# Triggers keep them current as fact rows change; the date alone can change them too, so they are
# trusted only for the day recorded in sync_state 'org_facts_on'.  The ledger falls back to the set
# forms above on any other day (correct, just slower) until refresh_derived_facts runs.

FACTS_DAY_KEY = "org_facts_on"


def facts_fresh(session: Session, today: date) -> bool:
    """True when the derived columns were derived for ``today``."""
    day = session.execute(text("SELECT value FROM sync_state WHERE key = :k"), {"k": FACTS_DAY_KEY}).scalar()
    return day == today.isoformat()


def refresh_derived_facts(factory: sessionmaker[Session], *, today: date | None = None) -> int:
    """Re-derive coverage and credit listing of every organization as of ``today`` (default: the local
    date) and record the day.  Returns how many organizations changed.  Write lane; ~0.2 s at 100,000.

    Nothing to do when they were already derived for that day: the triggers keep them current."""
    today = today or clock.today()
    day, coverage = today.isoformat(), COVERAGE_SQL
    with factory.begin() as session:
        if facts_fresh(session, today):
            return 0
        changed = session.execute(
            text(f"UPDATE social_org SET derived_coverage = {coverage}, derived_credit_listed = {LISTED_SQL} "
                 f"WHERE deleted_at IS NULL AND (derived_coverage IS NOT {coverage} "
                 f"OR derived_credit_listed IS NOT {LISTED_SQL})"),
            {"today": day},
        )
        session.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"k": FACTS_DAY_KEY, "v": day})
        return int(changed.rowcount or 0)  # type: ignore[attr-defined]
