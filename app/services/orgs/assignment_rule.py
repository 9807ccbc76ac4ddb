"""我负责的 as SQL, apart from :mod:`app.services.orgs.assignments` (which declares the ORM classes it
writes): a read that needs only the rule — the 工作台's first paint — then declares none of them."""

from __future__ import annotations

__all__ = ["MINE_SQL"]

# The organizations the user (:me) is responsible for on :today, as SQL for the ledger's 我负责的 filter:
# the same rule as assignments._current and as 工作覆盖 in app.services.orgs.facts, narrowed to one instructor.
MINE_SQL = (
    "social_org.id IN (SELECT a.org_id FROM assignment AS a JOIN instructor AS i ON i.id = a.instructor_id"
    " WHERE i.username = :me AND i.deleted_at IS NULL AND a.deleted_at IS NULL AND a.since <= :today"
    " AND (a.until IS NULL OR a.until >= :today))"
)
