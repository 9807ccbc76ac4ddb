"""The compliance engine: the policy pack evaluated per 党组织 and period, per 社会组织, kept as derived data.

- :func:`refresh_all` rebuilds every result (first run, a new civil day, another policy pack) and records
  the day and the pack (``state``);
- :func:`ensure_fresh` runs it when the stored results are stale — the 工作台 calls it on the worker
  thread after the first paint, the CLI before it prints;
- the incremental refreshes (:func:`refresh_meetings`, :func:`refresh_records`, :func:`refresh_party_orgs`,
  :func:`refresh_orgs`) re-evaluate only what a write touched; the keepers (``keepers``) call them on
  every write path, as of the day the stored results hold.

SQL on the session's connection only: safe inside a flush.  ~Seconds for a district of 5,000
organizations with ten years of meetings (bench/bench_compliance.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.compliance import RuleId
from app.domain.enums import MeetingKind
from app.domain.periods import Period, counted_periods, period_of
from app.domain.policy import Policy
from app.services.compliance.meeting_rules import Party, load_parties, meeting_findings, month_counts, since_for
from app.services.compliance.org_rules import org_findings
from app.services.compliance.party_rules import record_findings, setup_findings, term_findings
from app.services.compliance.roster import Roster, load_roster
from app.services.compliance.state import current_policy, read_state, write_state
from app.services.compliance.store import (
    ORG_RULES,
    PARTY_RULES,
    NewFinding,
    apply_waivers,
    delete_findings,
    insert_findings,
    json_ids,
    meeting_rule,
)
from app.services.core import clock

__all__ = ["ensure_fresh", "refresh_all", "refresh_meetings", "refresh_orgs", "refresh_party_orgs",
           "refresh_records"]

_MIRROR_SELECT = ("SELECT id, party_org_id, kind, party_group_id, substr(started_at, 1, 10), status = 'DONE'"
                  " FROM meeting WHERE deleted_at IS NULL")
_MIRROR_INSERT = ("INSERT INTO compliance_meeting (meeting_id, party_org_id, kind, party_group_id, held_on, done) "
                  + _MIRROR_SELECT)


def refresh_all(session: Session, *, today: date, policy: Policy) -> int:
    """Rebuild every compliance result as of ``today`` under ``policy`` and record both.  Returns how
    many findings there are.  Runs in the caller's transaction."""
    conn = session.connection()
    conn.execute(text("DELETE FROM compliance_finding"))
    conn.execute(text("DELETE FROM compliance_meeting"))
    conn.execute(text(_MIRROR_INSERT))
    parties = load_parties(conn)
    roster = load_roster(conn)
    found = _party_findings(conn, parties, roster, today=today, policy=policy, party_org_ids=None)
    found += org_findings(conn, roster, today=today, policy=policy)
    insert_findings(conn, found)
    apply_waivers(conn)
    write_state(conn, today=today, policy=policy)
    return len(found)


def ensure_fresh(factory: sessionmaker[Session], *, today: date | None = None) -> bool:
    """Rebuild the results when they were derived for another day or under another policy pack (or never).
    Returns True when it rebuilt them.  Write lane; worker thread."""
    today = today or clock.today()
    policy = current_policy()
    with factory.begin() as session:
        state = read_state(session.connection())
        if state is not None and state.holds_for(today, policy):
            return False
        refresh_all(session, today=today, policy=policy)
        return True


def _party_findings(conn: Connection, parties: list[Party], roster: Roster, *, today: date, policy: Policy,
                    party_org_ids: Iterable[str] | None) -> list[NewFinding]:
    counts = month_counts(conn, since=since_for(today, policy), party_org_ids=party_org_ids)
    found: list[NewFinding] = []
    for party in parties:
        found += meeting_findings(party, counts, roster, policy=policy, today=today)
    found += term_findings(conn, parties, today=today, policy=policy)
    found += setup_findings(parties, roster, today=today, policy=policy)
    found += record_findings(conn, today=today, policy=policy, party_org_ids=party_org_ids)
    return found


def _store(conn: Connection, found: list[NewFinding], party_org_ids: Iterable[str]) -> None:
    above = insert_findings(conn, found)
    parties = set(party_org_ids) | {f.party_org_id for f in found if f.party_org_id}
    if parties:
        apply_waivers(conn, party_org_ids=parties, above_id=above)


def refresh_party_orgs(conn: Connection, party_org_ids: Iterable[str], *, today: date, policy: Policy) -> None:
    """Re-evaluate every rule of these 党组织 (tombstoned ones lose their findings)."""
    ids = set(party_org_ids)
    if not ids:
        return
    delete_findings(conn, rules=PARTY_RULES, party_org_ids=ids)
    parties = load_parties(conn, ids)
    live = [party.id for party in parties]
    roster = load_roster(conn, party_org_ids=live)
    _store(conn, _party_findings(conn, parties, roster, today=today, policy=policy, party_org_ids=live), ())


def refresh_orgs(conn: Connection, org_ids: Iterable[str], *, today: date, policy: Policy) -> None:
    """Re-evaluate the standing findings of these 社会组织."""
    ids = set(org_ids)
    if not ids:
        return
    delete_findings(conn, rules=ORG_RULES, org_ids=ids)
    roster = load_roster(conn, org_ids=ids)
    _store(conn, org_findings(conn, roster, today=today, policy=policy, org_ids=ids), ())


def refresh_records(conn: Connection, meeting_ids: Iterable[str], *, today: date, policy: Policy) -> None:
    """Re-check the completeness of these meetings' records (their attendance, 议题 or votes changed)."""
    ids = set(meeting_ids)
    if not ids:
        return
    delete_findings(conn, rules={RuleId.RECORD_INCOMPLETE}, subject_ids=ids)
    found = record_findings(conn, today=today, policy=policy, meeting_ids=ids)
    _store(conn, found, ())


Mirror = tuple[str, str, str | None, str, bool]  # 党组织, kind, 党小组, held on (ISO), done


def _mirror(conn: Connection, ids: str) -> dict[str, Mirror]:
    return {row[0]: (row[1], row[2], row[3], str(row[4])[:10], bool(row[5])) for row in conn.execute(text(
        "SELECT meeting_id, party_org_id, kind, party_group_id, held_on, done FROM compliance_meeting"
        " WHERE meeting_id IN (SELECT value FROM json_each(:ids))"), {"ids": ids})}


def refresh_meetings(conn: Connection, meeting_ids: Iterable[str], *, today: date, policy: Policy) -> None:
    """A meeting added, changed, moved or deleted: re-count the periods of its kind it was and is in (for a
    kind with grace months, every later period too: one meeting counts once), for its 党组织 before and
    after, and re-check its record.  Other 党组织 and periods keep their rows untouched."""
    asked = set(meeting_ids)
    if not asked:
        return
    ids = json_ids(asked)
    before = _mirror(conn, ids)
    conn.execute(text("DELETE FROM compliance_meeting WHERE meeting_id IN (SELECT value FROM json_each(:ids))"),
                 {"ids": ids})
    conn.execute(text(_MIRROR_INSERT + " AND id IN (SELECT value FROM json_each(:ids))"), {"ids": ids})
    after = _mirror(conn, ids)
    touched: dict[str, dict[MeetingKind, set[Period]]] = defaultdict(lambda: defaultdict(set))
    for meeting_id in set(before) | set(after):
        old, new = before.get(meeting_id), after.get(meeting_id)
        if old == new:
            continue
        for seen in (old, new):
            if seen is not None:
                _touch(touched, seen, today=today, policy=policy)
    since = since_for(today, policy)
    found: list[NewFinding] = []
    parties = {party.id: party for party in load_parties(conn, touched)} if touched else {}
    for party_org_id, kinds in touched.items():
        for kind, periods in kinds.items():
            delete_findings(conn, rules={meeting_rule(kind)}, party_org_ids=[party_org_id], periods=periods)
        party = parties.get(party_org_id)
        if party is None:
            continue  # the 党组织 itself is gone: its findings went with it
        roster = (load_roster(conn, party_org_ids=[party_org_id]) if MeetingKind.COMMITTEE_MEETING in kinds
                  else Roster([], {}, {}))
        counts = month_counts(conn, since=since, party_org_ids=[party_org_id], kinds=kinds)
        found += meeting_findings(party, counts, roster, policy=policy, today=today, only=kinds)
    delete_findings(conn, rules={RuleId.RECORD_INCOMPLETE}, subject_ids=asked)
    found += record_findings(conn, today=today, policy=policy, meeting_ids=asked)
    _store(conn, found, touched)


def _touch(touched: dict[str, dict[MeetingKind, set[Period]]], seen: Mirror, *, today: date,
           policy: Policy) -> None:
    party_org_id, kind_value, _group, held, _done = seen
    kind = MeetingKind(kind_value)
    rule = policy.meetings.get(kind)
    if rule is None:
        return
    day = date.fromisoformat(held)
    if rule.grace_months == 0:
        touched[party_org_id][kind].add(period_of(day, rule.period))
        return
    period = counted_periods(day, rule.period, grace_months=rule.grace_months)[-1]
    running = period_of(today, rule.period)
    while period <= running:
        touched[party_org_id][kind].add(period)
        period = Period(period.last + timedelta(days=1), rule.period)
