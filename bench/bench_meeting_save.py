"""One completed meeting's save (meeting + every child row replaced through the outbox, voting-right
snapshots on the meeting's date, the missing-items check, the compliance results of its 党组织 and periods
refreshed; synchronous=FULL, WAL): p50/p95 on the
5,000-organization demo database with 10 years of meetings.  Target p95 ≤ 20 ms (issue 7)."""

from __future__ import annotations

import dataclasses

from common import demo_db, report, scratch_copy, timed  # type: ignore[import-not-found]
from sqlalchemy import text

from app.services.compliance import ensure_fresh
from app.services.core import clock
from app.services.core.database import open_database
from app.services.meetings import load_meeting, save_meeting

ORGS, YEARS = 5_000, 10
SAVES = 200


def main() -> None:
    database = open_database(scratch_copy(demo_db(ORGS, YEARS), "meeting-save-bench.sqlite3"))
    factory = database.session_factory
    ensure_fresh(factory, today=clock.today())  # as the app does after its first paint: each save then keeps
    # the compliance results of its 党组织 and periods in step (the keeper's refresh is part of the save)
    with factory() as session:
        ids = [r[0] for r in session.execute(text(
            "SELECT id FROM meeting WHERE deleted_at IS NULL AND status = 'DONE' AND kind = 'GENERAL_MEETING' "
            "ORDER BY started_at DESC LIMIT :n"), {"n": SAVES * 3})]
    details = [d for d in (load_meeting(factory, i) for i in ids) if not d.missing][:SAVES]
    if not details:
        print("  no complete 支部党员大会 in the demo database: nothing to time")
        return
    pending = iter(details)

    def save_one() -> None:
        detail = next(pending)
        changed = dataclasses.replace(detail.data, minutes=detail.data.minutes + "（已核对）")
        save_meeting(factory, changed, actor="bench", meeting_id=detail.id, expected_updated_at=detail.updated_at,
                     as_draft=False)

    print(f"completed meeting save on a {ORGS:,}-organization database with {YEARS} years of meetings")
    report("save_meeting (meeting + children + outbox)", timed(save_one, len(details)), target_ms=20)
    database.close()


if __name__ == "__main__":
    main()
