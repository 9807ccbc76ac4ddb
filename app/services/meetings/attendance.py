"""Attendance, the voting right at the meeting, and 应到 / 实到 derived from the rows (DESIGN §2.0, §2.1).

The rows of ``app.models.member`` map onto the domain's dated records (``member_records``); recording a
member's attendance stores their voting right *as it was on the meeting's civil date* on the row
(``had_vote``, ``vote_note``), and ``meeting_counts`` counts 应到 / 实到 from those snapshots through
``app.domain.voting_rights.count_voters`` — never from today's kinds, never from a typed number.  列席
rows are present without a vote (they never count in 应到).

Writes go through the outbox capture (``record_upsert``); the caller owns the transaction.  No Qt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AttendanceStatus
from app.domain.voting_rights import (
    AttendanceSnapshot,
    ExpectedExclusion,
    KindChange,
    MemberRecord,
    Probation,
    RelationChange,
    VoterCount,
    VotingRight,
    count_voters,
    voting_right,
)
from app.models import (
    Meeting,
    MeetingAttendance,
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    MemberRelationChange,
)
from app.services.core.errors import NotFoundError, ValidationFailed
from app.services.core.outbox import record_upsert

__all__ = ["NO_KIND_DATES", "OBSERVER_NOTE", "attendance_snapshots", "meeting_counts", "meeting_voters",
           "member_records", "record_attendance", "records_by_member", "snapshot_attendance", "voting_rights_on"]

OBSERVER_NOTE = "列席，不计入应到"
NO_KIND_DATES = "缺少入党（或转为正式党员）日期，无法判断表决权：请补录后重新登记"


def records_by_member(session: Session, party_org_id: str,
                      member_ids: Iterable[str] | None = None) -> dict[str, MemberRecord | None]:
    """Each live member of ``party_org_id`` (or just ``member_ids``) -> their dated record; None for a
    member with no kind change recorded (no 入党 day: the voting right cannot be worked out)."""
    query = select(Member).where(Member.party_org_id == party_org_id, Member.deleted_at.is_(None))
    if member_ids is not None:
        query = query.where(Member.id.in_(list(member_ids)))
    members = list(session.execute(query).scalars())
    ids = [m.id for m in members]
    kinds: dict[str, list[KindChange]] = defaultdict(list)
    probations: dict[str, list[Probation]] = defaultdict(list)
    relations: dict[str, list[RelationChange]] = defaultdict(list)
    exclusions: dict[str, list[ExpectedExclusion]] = defaultdict(list)
    for k in _live_of(session, MemberKindChange, ids):
        kinds[k.member_id].append(KindChange(k.changed_on, k.kind))
    for p in _live_of(session, MemberProbation, ids):
        probations[p.member_id].append(Probation(p.first_day, p.last_day))
    for r in _live_of(session, MemberRelationChange, ids):
        relations[r.member_id].append(RelationChange(r.changed_on, r.transferred_in))
    for e in _live_of(session, MemberExpectedExclusion, ids):
        exclusions[e.member_id].append(ExpectedExclusion(e.reason, e.approved_by, e.approved_on, e.first_day,
                                                         e.last_day))
    return {m.id: MemberRecord(m.name, tuple(kinds[m.id]), tuple(probations[m.id]), tuple(exclusions[m.id]),
                               tuple(relations[m.id])) if kinds[m.id] else None
            for m in members}


_Dated = TypeVar("_Dated", MemberKindChange, MemberProbation, MemberRelationChange, MemberExpectedExclusion)


def _live_of(session: Session, model: type[_Dated], member_ids: list[str]) -> list[_Dated]:
    rows: list[_Dated] = []
    for start in range(0, len(member_ids), 500):  # SQLite's bound-parameter limit
        chunk = member_ids[start:start + 500]
        rows += session.execute(select(model).where(model.member_id.in_(chunk), model.deleted_at.is_(None))).scalars()
    return rows


def member_records(session: Session, party_org_id: str) -> list[MemberRecord]:
    """The dated records of every live member of ``party_org_id`` whose voting right can be worked out."""
    return [record for record in records_by_member(session, party_org_id).values() if record is not None]


def voting_rights_on(session: Session, party_org_id: str, day: date,
                     member_ids: Iterable[str] | None = None) -> dict[str, VotingRight]:
    """Each live member (or ``member_ids``) -> their voting right on the civil date ``day``."""
    return {member_id: (VotingRight(False, NO_KIND_DATES) if record is None else voting_right(record, day))
            for member_id, record in records_by_member(session, party_org_id, member_ids).items()}


def _meeting(session: Session, meeting_id: str) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted_at is not None:
        raise NotFoundError("找不到这次会议（可能已被删除）")
    return meeting


def _rows(session: Session, meeting_id: str) -> list[MeetingAttendance]:
    return list(session.execute(select(MeetingAttendance).where(
        MeetingAttendance.meeting_id == meeting_id, MeetingAttendance.deleted_at.is_(None))).scalars())


def _apply_right(row: MeetingAttendance, right: VotingRight) -> None:
    if row.status is AttendanceStatus.OBSERVER:
        row.had_vote, row.vote_note = False, OBSERVER_NOTE
    else:
        row.had_vote, row.vote_note = right.has_vote, right.reason


def snapshot_attendance(session: Session, *, meeting_id: str, actor: str) -> int:
    """Store on every live attendance row of the meeting the member's voting right on the meeting's civil
    date (e.g. after the meeting's date was corrected).  Returns how many rows changed."""
    meeting = _meeting(session, meeting_id)
    rows = _rows(session, meeting_id)
    rights = voting_rights_on(session, meeting.party_org_id, meeting.started_at.date(), [r.member_id for r in rows])
    changed = 0
    for row in rows:
        before = (row.had_vote, row.vote_note)
        _apply_right(row, rights.get(row.member_id, VotingRight(False, "该党员已不在本党组织，不计入应到")))
        if (row.had_vote, row.vote_note) != before:
            record_upsert(session, row, actor=actor)
            changed += 1
    return changed


def record_attendance(session: Session, *, meeting_id: str, member_id: str, status: AttendanceStatus,
                      reason: str = "", actor: str) -> MeetingAttendance:
    """Record one member at a meeting (the one live row of that member, added or changed), with the
    voting right on the meeting's date.  A 请假 or 缺席 needs its reason (ValidationFailed otherwise)."""
    meeting = _meeting(session, meeting_id)
    member = session.get(Member, member_id)
    if member is None or member.deleted_at is not None or member.party_org_id != meeting.party_org_id:
        raise ValidationFailed({"member_id": "这名党员不属于本党组织（或已被删除），不能登记到这次会议"})
    reason = reason.strip()
    if status.needs_reason and not reason:
        raise ValidationFailed({"absence_reason": f"{member.name}{status.label}：请填写{status.label}原因"})
    if not status.needs_reason:
        reason = ""
    row = next((r for r in _rows(session, meeting_id) if r.member_id == member_id), None)
    if row is None:
        row = MeetingAttendance(meeting_id=meeting_id, member_id=member_id, party_org_id=meeting.party_org_id)
    row.status, row.absence_reason = status, reason
    right = voting_rights_on(session, meeting.party_org_id, meeting.started_at.date(), [member_id])[member_id]
    _apply_right(row, right)
    record_upsert(session, row, actor=actor)
    return row


def attendance_snapshots(rows: Iterable[MeetingAttendance]) -> list[AttendanceSnapshot]:
    """The live rows as the rules see them: the stored voting right, and whether the member was there."""
    return [AttendanceSnapshot(has_vote=bool(row.had_vote) and row.status is not AttendanceStatus.OBSERVER,
                               present=row.status.is_present)
            for row in rows if row.deleted_at is None]


def meeting_voters(session: Session, meeting_id: str) -> VoterCount:
    """应到 / 实到 / 到会无表决权 of a meeting, from its attendance rows."""
    return count_voters(attendance_snapshots(_rows(session, meeting_id)))


def meeting_counts(session: Session, meeting_id: str) -> tuple[int, int]:
    """(应到, 实到) of a meeting, counted from its attendance rows' snapshots."""
    count = meeting_voters(session, meeting_id)
    return count.expected, count.present
