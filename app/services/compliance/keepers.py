"""Keepers of the compliance results (app.services.core.derived): every write path — a save, a bulk load,
a pull — re-evaluates only what the written rows bear on, in the same transaction.

- a meeting: its 党组织's periods of that kind it was and is in (``engine.refresh_meetings``);
- its attendance, 议题, votes: that meeting's record completeness;
- a 党组织, its coverage, terms, committee, 党小组, members and their dated rows: that 党组织 throughout,
  and the standing findings (应建未建 …) of the organizations it covers and its members work in;
- a 社会组织, its 年检, credit listings, evaluations, instructor assignments: that organization's
  standing findings;
- a waiver: which findings of its 党组织 are waived.

A keeper notes what was touched (the 党组织, organizations and meetings, worked out while the rows are at
hand) in ``session.info``; the re-evaluation runs once, just before the transaction commits, so a save
that flushes a meeting and then its attendance row by row pays for one refresh, not one per flush.  A
rollback forgets the notes.

They refresh as of the day and pack the stored results hold; when there are none yet, or they are stale
(another day, another pack), they do nothing — the next ``ensure_fresh`` rebuilds everything.  Kept light
at import (every process imports the area): the engine loads on the first write that needs it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session

from app.services.compliance.state import current_fingerprint, current_policy, read_state
from app.services.core import derived

__all__ = ["MEETING_PARTS", "MEMBER_TABLES", "ORG_TABLES", "PARTY_TABLES", "refresh_pending"]

MEETING_PARTS = ("meeting_attendance", "agenda_item", "vote")
PARTY_TABLES = ("party_org", "party_org_coverage", "party_org_term", "committee_member", "party_group")
MEMBER_TABLES = ("member", "member_kind_change", "member_probation", "member_relation_change",
                 "member_expected_exclusion")
ORG_TABLES = ("social_org", "annual_inspection", "credit_listing", "org_evaluation", "assignment")
# The columns of an organization the standing rules read (an edit of its notes or address needs nothing).
_ORG_COLUMNS = ("name", "org_type", "party_clause_in_charter", "founded_on", "evaluation_grade", "evaluation_date",
                "archived_at", "deleted_at")
_PENDING = "compliance.pending"
_IDS = "(SELECT value FROM json_each(:ids))"


@dataclass
class _Touched:
    meetings: set[str] = field(default_factory=set)  # moved, added, changed or deleted meetings
    records: set[str] = field(default_factory=set)  # meetings whose attendance, 议题 or votes changed
    parties: set[str] = field(default_factory=set)
    orgs: set[str] = field(default_factory=set)
    waived: set[str] = field(default_factory=set)  # 党组织 whose waivers changed


def _current(session: Session) -> bool:
    """Whether there are stored results to keep in step (derived, and under the pack in use)."""
    state = read_state(session.connection())
    return state is not None and state.fingerprint == current_fingerprint()


def _touched(session: Session) -> _Touched | None:
    """This transaction's notes; None when there is nothing to keep."""
    pending = session.info.get(_PENDING)
    if pending is None:
        if not _current(session):
            return None
        pending = session.info[_PENDING] = _Touched()
    return pending


def _column(conn: Connection, sql: str, ids: frozenset[str] | set[str]) -> set[str]:
    return {row[0] for row in conn.execute(text(sql), {"ids": json.dumps(sorted(ids))}) if row[0] is not None}


@derived.keep_in_step("meeting")
def keep_meetings(session: Session, table: str, ids: frozenset[str]) -> None:
    touched = _touched(session)
    if touched is not None:
        touched.meetings |= ids


@derived.keep_in_step(*MEETING_PARTS)
def keep_meeting_parts(session: Session, table: str, ids: frozenset[str]) -> None:
    touched = _touched(session)
    if touched is not None:
        touched.records |= _column(session.connection(), f"SELECT meeting_id FROM {table} WHERE id IN {_IDS}", ids)


@derived.keep_in_step(*PARTY_TABLES, *MEMBER_TABLES)
def keep_party_orgs(session: Session, table: str, ids: frozenset[str]) -> None:
    touched = _touched(session)
    if touched is None:
        return
    conn = session.connection()
    touched.parties |= (set(ids) if table == "party_org"
                        else _column(conn, f"SELECT party_org_id FROM {table} WHERE id IN {_IDS}", ids))
    if table == "party_org_coverage":
        touched.orgs |= _column(conn, f"SELECT org_id FROM party_org_coverage WHERE id IN {_IDS}", ids)


@derived.keep_in_step(*ORG_TABLES, watching={"social_org": _ORG_COLUMNS})
def keep_orgs(session: Session, table: str, ids: frozenset[str]) -> None:
    touched = _touched(session)
    if touched is not None:
        touched.orgs |= (set(ids) if table == "social_org"
                         else _column(session.connection(), f"SELECT org_id FROM {table} WHERE id IN {_IDS}", ids))


@derived.keep_in_step("compliance_waiver")
def keep_waivers(session: Session, table: str, ids: frozenset[str]) -> None:
    touched = _touched(session)
    if touched is not None:
        touched.waived |= _column(session.connection(), f"SELECT party_org_id FROM {table} WHERE id IN {_IDS}", ids)


def refresh_pending(session: Session) -> None:
    """Re-evaluate what this transaction's writes touched (called just before it commits; callable earlier
    by a caller that reads the results inside the transaction)."""
    session.flush()  # a last flush may touch more
    touched: _Touched | None = session.info.pop(_PENDING, None)
    if touched is None:
        return
    from app.services.compliance.engine import refresh_meetings, refresh_orgs, refresh_party_orgs, refresh_records
    from app.services.compliance.store import apply_waivers

    conn = session.connection()
    state = read_state(conn)
    if state is None or state.fingerprint != current_fingerprint():
        return
    policy = current_policy()
    day = state.day
    if touched.meetings:
        refresh_meetings(conn, touched.meetings, today=day, policy=policy)
    if touched.parties:
        refresh_party_orgs(conn, touched.parties, today=day, policy=policy)
        # the organizations it covers and its members work in (应建未建 counts members where they work)
        touched.orgs |= {row[0] for row in conn.execute(text(
            "SELECT org_id FROM party_org_coverage WHERE party_org_id IN (SELECT value FROM json_each(:p))"
            " UNION SELECT org_id FROM member WHERE party_org_id IN (SELECT value FROM json_each(:p))"),
            {"p": json.dumps(sorted(touched.parties))})}
    if touched.orgs:
        refresh_orgs(conn, touched.orgs, today=day, policy=policy)
    records = touched.records - touched.meetings
    if records:
        refresh_records(conn, records, today=day, policy=policy)
    if touched.waived:
        apply_waivers(conn, party_org_ids=touched.waived)


def _before_commit(session: Session) -> None:
    if _PENDING in session.info:
        refresh_pending(session)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING, None)


event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_rollback", _forget)
