"""What the ledger derives about an organization (两个覆盖, credit listing): the one statement of the rules.

Each rule is written once, below, as the SQL set of organization ids it holds for on ``:today`` (an ISO
date; dates are stored as ISO text).  Everything else is built from these sets:

- the ledger's filters and sorts over the whole table (``COVERAGE_SQL``, ``LISTED_SQL``,
  :func:`coverage_condition_sql`): each set is one uncorrelated subquery SQLite materializes once;
- one organization's facts, or one page of rows (:func:`facts_of`): the same sets narrowed to the ids
  asked for, so they probe an index instead of scanning;
- the materialized columns ``social_org.derived_coverage`` / ``derived_credit_listed``: kept in step on
  every write path by :func:`keep_facts_in_step` (a keeper of app.services.core.derived), and re-derived
  for a new day by :func:`refresh_derived_facts` (an assignment or listing can start or end with the date).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import Coverage
from app.services.core import clock, derived

# -- The rules: organization ids for which each fact holds on :today ----------------------------------
# {only} narrows a set to the organizations in the JSON array :ids ("" for the whole ledger).

# 组织覆盖: a live coverage row of a 党组织 that itself still exists.
_COVERED_IDS = (
    "SELECT c.org_id FROM party_org_coverage AS c JOIN party_org AS p ON p.id = c.party_org_id"
    " WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL{only}"
)
# 工作覆盖: an instructor assigned on :today.
_ASSIGNED_IDS = (
    "SELECT a.org_id FROM assignment AS a WHERE a.deleted_at IS NULL AND a.since <= :today"
    " AND (a.until IS NULL OR a.until >= :today){only}"
)
# On 异常名录 or 严重违法失信名单 on :today: listed and not yet removed.
_LISTED_IDS = (
    "SELECT l.org_id FROM credit_listing AS l WHERE l.deleted_at IS NULL AND l.listed_on <= :today"
    " AND (l.removed_on IS NULL OR l.removed_on > :today){only}"
)
_ONLY = " AND {alias}.org_id IN (SELECT value FROM json_each(:ids))"


def _facts_sql(only_ids: bool) -> tuple[str, str, str]:
    """(covered, assigned, listed) conditions on ``social_org.id``, narrowed to ``:ids`` if asked."""
    def condition(ids_sql: str, alias: str) -> str:
        # parenthesized: in "derived_credit_listed IS NOT x IN (...)" SQLite would compare before the IN
        return f"(social_org.id IN ({ids_sql.format(only=_ONLY.format(alias=alias) if only_ids else '')}))"

    return condition(_COVERED_IDS, "c"), condition(_ASSIGNED_IDS, "a"), condition(_LISTED_IDS, "l")


def _coverage_case(covered: str, assigned: str) -> str:
    """组织覆盖 if a party organization covers it, else 工作覆盖 if an instructor is assigned."""
    return (f"CASE WHEN {covered} THEN '{Coverage.ORGANIZATION.value}'"
            f" WHEN {assigned} THEN '{Coverage.WORK.value}' ELSE '{Coverage.NONE.value}' END")


# -- Whole-ledger forms ------------------------------------------------------------------------------
COVERED_SQL, ASSIGNED_SQL, LISTED_SQL = _facts_sql(only_ids=False)
COVERAGE_SQL = _coverage_case(COVERED_SQL, ASSIGNED_SQL)


def coverage_condition_sql(coverage: Coverage) -> str:
    if coverage is Coverage.ORGANIZATION:
        return COVERED_SQL
    if coverage is Coverage.WORK:
        return f"NOT {COVERED_SQL} AND {ASSIGNED_SQL}"
    return f"NOT {COVERED_SQL} AND NOT {ASSIGNED_SQL}"


# -- Narrowed forms: a few organizations -------------------------------------------------------------
_COVERED_ONLY, _ASSIGNED_ONLY, LISTED_OF_IDS_SQL = _facts_sql(only_ids=True)
COVERAGE_OF_IDS_SQL = _coverage_case(_COVERED_ONLY, _ASSIGNED_ONLY)
_IDS = "SELECT value FROM json_each(:ids)"


def ids_params(ids: Iterable[str], today: date) -> dict[str, str]:
    return {"ids": json.dumps(list(ids)), "today": today.isoformat()}


def facts_of(session: Session, org_ids: Iterable[str], today: date) -> dict[str, tuple[Coverage, bool]]:
    """Coverage and credit listing of each organization in ``org_ids`` on ``today``, from the rules."""
    result = session.execute(
        text(f"SELECT id, {COVERAGE_OF_IDS_SQL}, {LISTED_OF_IDS_SQL} FROM social_org WHERE id IN ({_IDS})"),
        ids_params(org_ids, today),
    )
    return {r[0]: (Coverage(r[1]), bool(r[2])) for r in result}


# -- Materialized facts: derived_coverage / derived_credit_listed -----------------------------------
# They hold the facts as of the day recorded in sync_state 'org_facts_on'; the ledger trusts them only
# when that day is today, and falls back to the rules otherwise (correct, just slower) until
# refresh_derived_facts runs.

FACTS_DAY_KEY = "org_facts_on"


def facts_day(session: Session) -> date | None:
    """The day the derived columns were derived for, if any."""
    day = session.execute(text("SELECT value FROM sync_state WHERE key = :k"), {"k": FACTS_DAY_KEY}).scalar()
    return date.fromisoformat(day) if day else None


def facts_fresh(session: Session, today: date) -> bool:
    """True when the derived columns were derived for ``today``."""
    return facts_day(session) == today


def rederive(session: Session, org_ids: Iterable[str], today: date) -> int:
    """Re-derive the columns of ``org_ids`` (live or tombstoned) as of ``today``.  SQL only: safe inside a
    flush.  Returns how many rows changed."""
    changed = session.connection().execute(
        text(f"UPDATE social_org SET derived_coverage = {COVERAGE_OF_IDS_SQL},"
             f" derived_credit_listed = {LISTED_OF_IDS_SQL} WHERE id IN ({_IDS})"
             f" AND (derived_coverage IS NOT {COVERAGE_OF_IDS_SQL}"
             f" OR derived_credit_listed IS NOT {LISTED_OF_IDS_SQL})"),
        ids_params(org_ids, today),
    )
    return int(changed.rowcount or 0)


# The organizations a changed row of each fact table bears on (its own org_id; for a 党组织, every
# organization it covers).  Ids are a JSON array in :ids.
_AFFECTED_SQL = {
    "social_org": "SELECT value FROM json_each(:ids)",
    "party_org_coverage": f"SELECT org_id FROM party_org_coverage WHERE id IN ({_IDS})",
    "assignment": f"SELECT org_id FROM assignment WHERE id IN ({_IDS})",
    "credit_listing": f"SELECT org_id FROM credit_listing WHERE id IN ({_IDS})",
    "party_org": f"SELECT org_id FROM party_org_coverage WHERE party_org_id IN ({_IDS})",
}


# An organization's own row bears on its facts only when it is tombstoned or restored.
@derived.keep_in_step(*_AFFECTED_SQL, watching={"social_org": ("deleted_at",)})
def keep_facts_in_step(session: Session, table: str, ids: frozenset[str]) -> None:
    """Keeper (app.services.core.derived): re-derive the organizations the changed rows bear on, as of
    the day the columns hold (so a write never mixes two days into them)."""
    connection = session.connection()
    affected = connection.execute(text(_AFFECTED_SQL[table]), {"ids": json.dumps(sorted(ids))}).scalars().all()
    if not affected:
        return
    day = facts_day(session) or clock.today()
    rederive(session, set(affected), day)


def refresh_derived_facts(factory: sessionmaker[Session], *, today: date | None = None) -> int:
    """Re-derive coverage and credit listing of every organization (tombstoned ones too, so a restored
    organization comes back with today's facts) as of ``today`` (default: the local date) and record the
    day.  Returns how many organizations changed.  Write lane; ~0.2 s at 100,000.

    Nothing to do when they were already derived for that day: the keeper keeps them current."""
    today = today or clock.today()
    with factory.begin() as session:
        if facts_fresh(session, today):
            return 0
        changed = session.execute(
            text(f"UPDATE social_org SET derived_coverage = {COVERAGE_SQL}, derived_credit_listed = {LISTED_SQL} "
                 f"WHERE derived_coverage IS NOT {COVERAGE_SQL} OR derived_credit_listed IS NOT {LISTED_SQL}"),
            {"today": today.isoformat()},
        )
        session.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                        {"k": FACTS_DAY_KEY, "v": today.isoformat()})
        return int(changed.rowcount or 0)  # type: ignore[attr-defined]
