"""Standing findings of a 党组织 (its term, its setup) and the completeness of its meeting records.

Term (``branch_rules.term_status``): the current term — the latest not yet renewed — 6 months before it
ends a 提醒, past due a 提醒 that 换届 is overdue, more than a year late a violation.  Setup
(``branch_rules.branch_setup_findings``): the 支委会 a branch of ≥ 7 正式党员 needs and its size, more than
50 members, a 联合党支部 covering more than 5 organizations.  Records (``record_completeness``): every
meeting of the evaluated years still a 草稿 or lacking what a record must show.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Connection, text

from app.domain.branch_rules import FindingLevel, TermState, branch_setup_findings, term_status
from app.domain.compliance import Level, RuleId
from app.domain.enums import MeetingKind, MeetingStatus, PartyOrgFormation
from app.domain.periods import month_of
from app.domain.policy import Policy
from app.domain.record_completeness import RecordFacts, missing_items
from app.services.compliance.meeting_rules import Party, since_for
from app.services.compliance.roster import Roster
from app.services.compliance.store import NewFinding, json_ids

__all__ = ["record_findings", "setup_findings", "term_findings"]

_TERM_RULES = {TermState.DUE_SOON: (RuleId.TERM_DUE_SOON, Level.WARNING),
               TermState.EXPIRED: (RuleId.TERM_OVERDUE, Level.WARNING),
               TermState.OVERDUE: (RuleId.TERM_VIOLATION, Level.VIOLATION)}
_LEVELS = {FindingLevel.VIOLATION: Level.VIOLATION, FindingLevel.WARNING: Level.WARNING}


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def term_findings(conn: Connection, parties: Iterable[Party], *, today: date, policy: Policy) -> list[NewFinding]:
    """The current term of each 党组织 (its latest, when not yet renewed) against today."""
    by_id = {party.id: party for party in parties}
    found = []
    for party_org_id, term_id, term_no, due in conn.execute(text(
            "SELECT t.party_org_id, t.id, t.term_no, t.due_on FROM party_org_term AS t WHERE t.deleted_at IS NULL"
            " AND t.renewed_on IS NULL AND t.party_org_id IN (SELECT value FROM json_each(:ids))"
            " AND NOT EXISTS (SELECT 1 FROM party_org_term AS later WHERE later.party_org_id = t.party_org_id"
            " AND later.deleted_at IS NULL AND later.started_on > t.started_on)"), {"ids": json_ids(by_id)}):
        status = term_status(_day(due), today, policy=policy)
        if status.state in _TERM_RULES:
            rule, level = _TERM_RULES[status.state]
            found.append(NewFinding(rule, level, f"第{term_no}届任期{status.text}", party_org_id=party_org_id,
                                    subject_id=term_id, subject=f"第{term_no}届", due_on=status.due))
    return found


def setup_findings(parties: Iterable[Party], roster: Roster, *, today: date, policy: Policy) -> list[NewFinding]:
    found = []
    for party in parties:
        full, members = roster.full_on(party.id, today), roster.members_on(party.id, today)
        committee = roster.committee_on(party.id, today)
        for finding in branch_setup_findings(full_members=min(full, members), members=members, has_party_org=True,
                                             committee_size=committee or None, covered_orgs=party.covered,
                                             joint=party.formation is PartyOrgFormation.JOINT, policy=policy):
            found.append(NewFinding(RuleId.BRANCH_SETUP, _LEVELS[finding.level], finding.text, party_org_id=party.id))
    return found


# Records that may lack something: a cheap superset of what missing_items finds (the domain function
# decides, and words it) — drafts and blank fields, records without attendance, absences without a
# reason — found by three set queries; only those (a few percent of the records) are read in full.
_CANDIDATES = (
    "SELECT m.id FROM meeting AS m WHERE m.deleted_at IS NULL AND +m.started_at >= :since{only}"
    " AND (m.status = 'DRAFT' OR trim(m.location) = '' OR trim(m.host_name) = '' OR trim(m.recorder_name) = ''"
    "  OR (m.kind IN ('GENERAL_MEETING', 'COMMITTEE_MEETING') AND trim(m.decisions) = '')"
    "  OR (m.kind = 'PARTY_LECTURE' AND trim(m.lecturer) = '')"
    "  OR (m.kind = 'GROUP_MEETING' AND m.party_group_id IS NULL)"
    "  OR (trim(m.topic) = '' AND NOT EXISTS (SELECT 1 FROM agenda_item AS a WHERE a.meeting_id = m.id"
    "   AND a.deleted_at IS NULL))"
    "  OR NOT EXISTS (SELECT 1 FROM meeting_attendance AS t WHERE t.meeting_id = m.id AND t.deleted_at IS NULL))"
    " UNION SELECT t.meeting_id FROM meeting_attendance AS t{scan} JOIN meeting AS m ON m.id = t.meeting_id"
    " WHERE t.deleted_at IS NULL AND t.status IN ('LEAVE', 'ABSENT') AND trim(t.absence_reason) = ''"
    " AND m.deleted_at IS NULL AND +m.started_at >= :since{only}")
# A whole evaluation scans the attendance table (faster than walking its partial index row by row);
# a few meetings' records probe it by meeting.
_WHOLE_SCAN = " NOT INDEXED"
_RECORDS_SQL = (
    "WITH candidate(id) AS ({candidates})"
    " SELECT m.id, m.party_org_id, m.kind, m.status, m.started_at, m.location, m.host_name, m.recorder_name, m.topic,"
    " m.decisions, m.lecturer, m.party_group_id IS NOT NULL,"
    " (SELECT count(*) FROM agenda_item AS a WHERE a.meeting_id = m.id AND a.deleted_at IS NULL),"
    " (SELECT count(*) FROM meeting_attendance AS t WHERE t.meeting_id = m.id AND t.deleted_at IS NULL),"
    " (SELECT count(*) FROM meeting_attendance AS t WHERE t.meeting_id = m.id AND t.deleted_at IS NULL"
    "  AND t.status IN ('LEAVE', 'ABSENT') AND trim(t.absence_reason) = '')"
    " FROM meeting AS m JOIN candidate AS c ON c.id = m.id")


def record_findings(conn: Connection, *, today: date, policy: Policy, party_org_ids: Iterable[str] | None = None,
                    meeting_ids: Iterable[str] | None = None) -> list[NewFinding]:
    """A 草稿 (待办 in the running month, else 提醒) or a completed record lacking items (提醒), per meeting
    of the evaluated years, of ``party_org_ids`` / ``meeting_ids`` (neither: every meeting)."""
    params: dict[str, object] = {"since": since_for(today, policy).isoformat()}
    only = ""
    if party_org_ids is not None:
        only += " AND m.party_org_id IN (SELECT value FROM json_each(:parties))"
        params["parties"] = json_ids(party_org_ids)
    if meeting_ids is not None:
        only += " AND m.id IN (SELECT value FROM json_each(:meetings))"
        params["meetings"] = json_ids(meeting_ids)
    scan = _WHOLE_SCAN if meeting_ids is None else ""
    sql = _RECORDS_SQL.format(candidates=_CANDIDATES.format(only=only, scan=scan))
    running = month_of(today)
    found = []
    for (meeting_id, party_org_id, kind, status, started, location, host, recorder, topic, decisions, lecturer,
         has_group, agenda, rows, unexplained) in conn.execute(text(sql), params):
        kind = MeetingKind(kind)
        facts = RecordFacts(kind=kind, has_time=started is not None, location=location, host=host, recorder=recorder,
                            topic=topic, agenda_items=agenda, attendance_rows=rows, reasons_missing=unexplained,
                            decisions=decisions, lecturer=lecturer, has_group=bool(has_group))
        missing = missing_items(facts)
        draft = status == MeetingStatus.DRAFT.value
        if not draft and not missing:
            continue
        held = _day(started) if not isinstance(started, datetime) else started.date()
        shown = f"{held.year}年{held.month}月{held.day}日{kind.label}"
        lacking = "、".join(missing)
        if draft:
            level = Level.DUE if held in running or held > today else Level.WARNING
            todo = f"请补全{lacking}后标记为完成" if missing else "请核对后标记为完成"
            message = f"{shown}的记录仍是草稿，不计入三会一课：{todo}"
        else:
            level, message = Level.WARNING, f"{shown}的记录不完整，缺少{lacking}：请补录"
        found.append(NewFinding(RuleId.RECORD_INCOMPLETE, level, message, party_org_id=party_org_id,
                                subject_id=meeting_id, subject=shown, due_on=held))
    return found
