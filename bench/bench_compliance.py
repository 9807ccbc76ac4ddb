"""The compliance engine on a district of 5,000 organizations with ten years of meetings: the full
evaluation (first run, a new day, another policy pack) and the incremental refresh a new meeting's save
triggers (p50/p95).  The save is timed with the results current (the keepers re-evaluate that 党组织's
period) and without results (the keepers do nothing): the difference is what the engine adds to a save."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from common import demo_db, report, scratch_copy, timed  # type: ignore[import-not-found]
from sqlalchemy import text

from app.domain.enums import AttendanceStatus, MeetingKind, MeetingStatus
from app.models import Meeting, MeetingAttendance, new_id
from app.services.compliance.engine import refresh_all
from app.services.compliance.state import STATE_KEY, current_policy
from app.services.core import clock
from app.services.core.database import open_database
from app.services.core.outbox import record_upsert

ORGS, YEARS = 5_000, 10
FULL_RUNS, SAVES = 5, 40


def main() -> None:
    database = open_database(scratch_copy(demo_db(ORGS, YEARS), "compliance-bench.sqlite3"))
    factory = database.session_factory
    today, policy = clock.today(), current_policy()
    with factory() as session:
        counts = {name: session.execute(text(f"SELECT count(*) FROM {name} WHERE deleted_at IS NULL")).scalar()
                  for name in ("social_org", "party_org", "member", "meeting", "meeting_attendance")}
        parties = [row[0] for row in session.execute(text(
            "SELECT p.id, (SELECT m.id FROM member AS m WHERE m.party_org_id = p.id LIMIT 1) FROM party_org AS p"
            " WHERE p.deleted_at IS NULL")) if row[1]]
        first_member = dict(session.execute(text(
            "SELECT party_org_id, min(id) FROM member WHERE deleted_at IS NULL GROUP BY party_org_id")).all())
    print(f"compliance on {counts['social_org']:,} organizations, {counts['party_org']:,} 党组织, "
          f"{counts['member']:,} members, {counts['meeting']:,} meetings ({counts['meeting_attendance']:,} "
          f"attendance rows), {YEARS} years, as of {today}")
    found = [0]

    def full() -> None:
        with factory.begin() as session:
            found[0] = refresh_all(session, today=today, policy=policy)

    report("full evaluation (refresh_all)", timed(full, FULL_RUNS))
    print(f"  ({found[0]:,} findings)")
    rng = random.Random(7)

    def save_meeting() -> None:
        party = rng.choice(parties)
        held = datetime.combine(today - timedelta(days=rng.randint(0, 400)), datetime.min.time()).replace(hour=9)
        meeting_id = new_id()
        with factory.begin() as session:
            record_upsert(session, Meeting(id=meeting_id, party_org_id=party, kind=MeetingKind.THEME_DAY,
                                           status=MeetingStatus.DONE, started_at=held, location="会议室",
                                           host_name="书记", recorder_name="委员", topic="主题党日"), actor="bench")
            record_upsert(session, MeetingAttendance(party_org_id=party, meeting_id=meeting_id,
                                                     member_id=first_member[party], status=AttendanceStatus.PRESENT,
                                                     had_vote=True), actor="bench")

    report("new meeting saved, results kept in step", timed(save_meeting, SAVES))
    with factory.begin() as session:
        session.execute(text("DELETE FROM sync_state WHERE key = :k"), {"k": STATE_KEY})
    report("new meeting saved, no results to keep", timed(save_meeting, SAVES))
    database.close()


if __name__ == "__main__":
    main()
