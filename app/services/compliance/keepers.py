"""Keepers of the compliance results (app.services.core.derived): every write path — a save, a bulk load,
a pull — re-evaluates only what the written rows bear on, in the same transaction.

- a meeting: its 党组织's periods of that kind it was and is in (``engine.refresh_meetings``);
- its attendance, 议题, votes: that meeting's record completeness;
- a 党组织, its coverage, terms, committee, 党小组, members and their dated rows: that 党组织 throughout,
  and the standing findings (应建未建 …) of the organizations it covers and its members work in;
- a 社会组织, its 年检, credit listings, evaluations, instructor assignments: that organization's
  standing findings;
- a waiver: which findings of its 党组织 are waived.

They refresh as of the day and pack the stored results hold; when there are none yet, or they are stale
(another day, another pack), they do nothing — the next ``ensure_fresh`` rebuilds everything.  Kept light
at import (every process imports the area): the engine loads on the first write that needs it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from app.services.compliance.state import current_policy, read_state
from app.services.core import derived

if TYPE_CHECKING:
    from app.domain.policy import Policy

__all__ = ["MEETING_PARTS", "MEMBER_TABLES", "ORG_TABLES", "PARTY_TABLES"]

MEETING_PARTS = ("meeting_attendance", "agenda_item", "vote")
PARTY_TABLES = ("party_org", "party_org_coverage", "party_org_term", "committee_member", "party_group")
MEMBER_TABLES = ("member", "member_kind_change", "member_probation", "member_relation_change",
                 "member_expected_exclusion")
ORG_TABLES = ("social_org", "annual_inspection", "credit_listing", "org_evaluation", "assignment")
# The columns of an organization the standing rules read (an edit of its notes or address needs nothing).
_ORG_COLUMNS = ("name", "org_type", "party_clause_in_charter", "founded_on", "evaluation_grade", "evaluation_date",
                "archived_at", "deleted_at")


def _as_of(session: Session) -> tuple[Connection, date, Policy] | None:
    conn = session.connection()
    state = read_state(conn)
    if state is None:
        return None
    policy = current_policy()
    if state.fingerprint != policy.fingerprint():
        return None
    return conn, state.day, policy


def _column(conn: Connection, sql: str, ids: frozenset[str]) -> set[str]:
    return {row[0] for row in conn.execute(text(sql), {"ids": json.dumps(sorted(ids))}) if row[0] is not None}


_IDS = "(SELECT value FROM json_each(:ids))"


def _run(session: Session, work: Callable[[Connection, date, Policy], None]) -> None:
    found = _as_of(session)
    if found is not None:
        work(*found)


@derived.keep_in_step("meeting")
def keep_meetings(session: Session, table: str, ids: frozenset[str]) -> None:
    from app.services.compliance.engine import refresh_meetings

    _run(session, lambda conn, day, policy: refresh_meetings(conn, ids, today=day, policy=policy))


@derived.keep_in_step(*MEETING_PARTS)
def keep_meeting_parts(session: Session, table: str, ids: frozenset[str]) -> None:
    from app.services.compliance.engine import refresh_records

    def work(conn: Connection, day: date, policy: Policy) -> None:
        meetings = _column(conn, f"SELECT meeting_id FROM {table} WHERE id IN {_IDS}", ids)
        refresh_records(conn, meetings, today=day, policy=policy)

    _run(session, work)


@derived.keep_in_step(*PARTY_TABLES, *MEMBER_TABLES)
def keep_party_orgs(session: Session, table: str, ids: frozenset[str]) -> None:
    from app.services.compliance.engine import refresh_orgs, refresh_party_orgs

    def work(conn: Connection, day: date, policy: Policy) -> None:
        parties = set(ids) if table == "party_org" else _column(
            conn, f"SELECT party_org_id FROM {table} WHERE id IN {_IDS}", ids)
        refresh_party_orgs(conn, parties, today=day, policy=policy)
        party_ids = json.dumps(sorted(parties))
        orgs = {row[0] for row in conn.execute(text(
            "SELECT org_id FROM party_org_coverage WHERE party_org_id IN (SELECT value FROM json_each(:p))"
            " UNION SELECT org_id FROM member WHERE party_org_id IN (SELECT value FROM json_each(:p))"),
            {"p": party_ids})}
        if table == "party_org_coverage":
            orgs |= _column(conn, f"SELECT org_id FROM party_org_coverage WHERE id IN {_IDS}", ids)
        refresh_orgs(conn, orgs, today=day, policy=policy)

    _run(session, work)


@derived.keep_in_step(*ORG_TABLES, watching={"social_org": _ORG_COLUMNS})
def keep_orgs(session: Session, table: str, ids: frozenset[str]) -> None:
    from app.services.compliance.engine import refresh_orgs

    def work(conn: Connection, day: date, policy: Policy) -> None:
        orgs = set(ids) if table == "social_org" else _column(conn, f"SELECT org_id FROM {table} WHERE id IN {_IDS}",
                                                               ids)
        refresh_orgs(conn, orgs, today=day, policy=policy)

    _run(session, work)


@derived.keep_in_step("compliance_waiver")
def keep_waivers(session: Session, table: str, ids: frozenset[str]) -> None:
    from app.services.compliance.store import apply_waivers

    def work(conn: Connection, day: date, policy: Policy) -> None:
        parties = _column(conn, f"SELECT party_org_id FROM compliance_waiver WHERE id IN {_IDS}", ids)
        if parties:
            apply_waivers(conn, party_org_ids=parties)

    _run(session, work)
