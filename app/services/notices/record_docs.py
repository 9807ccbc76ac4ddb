"""The content of the record documents built from the database: 走访记录表 from a visit (its checklist as
asked, findings, suggestions), 三会一课会议记录 + 签到表 from a meeting (attendance from its snapshots,
guests, agenda, votes with their outcome).

Personal data is masked when ``masked`` (``notice_docs.masked_doc``).  Runs in the caller's session; Qt-free.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AttendanceStatus, MeetingKind, MeetingStatus, MemberKind, NoticeStatus, VisitStatus
from app.domain.votes import vote_outcome
from app.models import (
    AgendaItem,
    ChecklistAnswer,
    Finding,
    Meeting,
    MeetingAttendance,
    MeetingGuest,
    Member,
    MemberKindChange,
    Notice,
    PartyOrg,
    PartyOrgCoverage,
    SocialOrg,
    Visit,
    Vote,
    VoteCandidate,
)
from app.services.core.errors import NotFoundError, ServiceError
from app.services.documents.content import (
    AttendanceRowDoc,
    CandidateDoc,
    ChecklistRowDoc,
    GuestDoc,
    MeetingRecordDoc,
    SignInRowDoc,
    VisitRecordDoc,
    VoteDoc,
)
from app.services.notices.notice_docs import clock_text, instructor_person, masked_doc
from app.services.notices.numbering import number_of
from app.services.notices.subjects import org_name

__all__ = ["meeting_doc", "visit_record_doc"]


def visit_record_doc(session: Session, visit_id: str, *, masked: bool = True) -> VisitRecordDoc:
    """The 走访记录表 of a visit done; ServiceError for a visit only planned."""
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError(f"找不到该走访（{visit_id}），可能已被删除。")
    if visit.status is not VisitStatus.DONE:
        raise ServiceError("这次走访还在计划中，走访之后才有走访记录表。")
    answers = session.scalars(select(ChecklistAnswer).where(
        ChecklistAnswer.visit_id == visit.id, ChecklistAnswer.deleted_at.is_(None))
        .order_by(ChecklistAnswer.position, ChecklistAnswer.item_code)).all()
    findings = session.scalars(select(Finding.description).where(
        Finding.visit_id == visit.id, Finding.deleted_at.is_(None)).order_by(Finding.position, Finding.id)).all()
    instructor = instructor_person(session, visit.instructor_id)[0]
    notice = session.get(Notice, visit.notice_id) if visit.notice_id else None
    number = number_of(notice) if notice is not None and notice.status is not NoticeStatus.VOID else None
    doc = VisitRecordDoc(
        org_name=org_name(session, visit.org_id), visited_on=visit.visited_on, mode=visit.mode.label,
        instructor=instructor, start_time=clock_text(visit.started_at), end_time=clock_text(visit.ended_at),
        surprise=visit.surprise, met_with=visit.met_with, checklist_version=visit.checklist_version,
        checklist=tuple(ChecklistRowDoc(a.item_text or a.item_code, a.answer.label, a.note) for a in answers),
        summary=visit.summary, findings=tuple(findings), suggestions=visit.suggestions,
        coordination=visit.coordination, next_visit_on=visit.next_visit_on, number=number)
    return masked_doc(doc) if masked else doc


def meeting_doc(session: Session, meeting_id: str, *, masked: bool = True) -> MeetingRecordDoc:
    """The 会议记录 and 签到表 of a meeting (a 草稿 prints marked as such)."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted_at is not None:
        raise NotFoundError(f"找不到该会议记录（{meeting_id}），可能已被删除。")
    party_name = session.execute(select(PartyOrg.name).where(PartyOrg.id == meeting.party_org_id)).scalar() or ""
    orgs = session.scalars(select(SocialOrg.name).join(PartyOrgCoverage, PartyOrgCoverage.org_id == SocialOrg.id)
                           .where(PartyOrgCoverage.party_org_id == meeting.party_org_id,
                                  PartyOrgCoverage.deleted_at.is_(None), SocialOrg.deleted_at.is_(None))
                           .order_by(SocialOrg.name)).all()
    attendance = _attendance(session, meeting)
    expected = sum(1 for row, _kind in attendance if row.had_vote)
    present = sum(1 for row, _kind in attendance if row.had_vote and row.status is AttendanceStatus.PRESENT)
    guests = session.scalars(select(MeetingGuest).where(MeetingGuest.meeting_id == meeting.id,
                                                        MeetingGuest.deleted_at.is_(None))
                             .order_by(MeetingGuest.name)).all()
    agenda = session.scalars(select(AgendaItem.title).where(AgendaItem.meeting_id == meeting.id,
                                                            AgendaItem.deleted_at.is_(None))
                             .order_by(AgendaItem.position)).all()
    doc = MeetingRecordDoc(
        party_org_name=party_name, kind=meeting.kind.label, started_at=meeting.started_at, location=meeting.location,
        host=meeting.host_name, recorder=meeting.recorder_name, expected=expected, present=present,
        ended_at=meeting.ended_at, topic=meeting.topic, org_names=tuple(orgs),
        attendance=tuple(AttendanceRowDoc(row.name, row.status.label, row.reason, row.had_vote, row.vote_note)
                         for row, _kind in attendance),
        guests=tuple(GuestDoc(g.name, g.role.label, g.unit) for g in guests), agenda=tuple(agenda),
        votes=_votes(session, meeting, expected, present), decisions=meeting.decisions, minutes=meeting.minutes,
        lecturer=meeting.lecturer, lecture_hours=meeting.lecture_hours, activity_form=meeting.activity_form,
        sign_in=_sign_in(attendance, guests), draft=meeting.status is not MeetingStatus.DONE,
        title=f"{meeting.kind.label}会议记录")
    return masked_doc(doc) if masked else doc


@dataclass(frozen=True)
class _Attendee:
    name: str
    status: AttendanceStatus
    reason: str
    had_vote: bool  # the snapshot taken when the record was saved
    vote_note: str


def _attendance(session: Session, meeting: Meeting) -> list[tuple[_Attendee, MemberKind | None]]:
    """Each attendance row (the snapshot of the voting right) with the member's name and kind on the day."""
    rows = session.execute(select(MeetingAttendance, Member.name).join(Member, Member.id == MeetingAttendance.member_id)
                           .where(MeetingAttendance.meeting_id == meeting.id, MeetingAttendance.deleted_at.is_(None))
                           .order_by(Member.name)).all()
    day = meeting.started_at.date()
    kinds: dict[str, MemberKind] = {}
    for member_id, kind in session.execute(select(MemberKindChange.member_id, MemberKindChange.kind).where(
            MemberKindChange.member_id.in_([row.member_id for row, _name in rows]),
            MemberKindChange.deleted_at.is_(None), MemberKindChange.changed_on <= day)
            .order_by(MemberKindChange.changed_on)):
        kinds[member_id] = kind
    return [(_Attendee(name, row.status, row.absence_reason, row.had_vote, row.vote_note), kinds.get(row.member_id))
            for row, name in rows]


def _votes(session: Session, meeting: Meeting, expected: int, present: int) -> tuple[VoteDoc, ...]:
    votes = session.scalars(select(Vote).where(Vote.meeting_id == meeting.id, Vote.deleted_at.is_(None))
                            .order_by(Vote.id)).all()
    out = []
    for vote in votes:
        candidates = session.scalars(select(VoteCandidate).where(
            VoteCandidate.vote_id == vote.id, VoteCandidate.deleted_at.is_(None))
            .order_by(VoteCandidate.yes_votes.desc(), VoteCandidate.name)).all()
        election = bool(candidates)
        outcome = ""
        if meeting.kind is MeetingKind.GENERAL_MEETING and not election:
            outcome = _outcome(expected, present, vote.yes, vote.written_yes)
        shown = tuple(CandidateDoc(c.name, c.yes_votes, _elected(expected, present, c.yes_votes)
                                   if meeting.kind is MeetingKind.GENERAL_MEETING else "") for c in candidates)
        out.append(VoteDoc(vote.motion, vote.kind.label, vote.yes, vote.no, vote.abstain, vote.written_yes, outcome,
                           shown))
    return tuple(out)


def _outcome(expected: int, present: int, yes: int, written_yes: int) -> str:
    try:
        return vote_outcome(expected, present, yes, written_yes=written_yes).explanation
    except ValueError as exc:  # counts a 草稿 left inconsistent: print what is wrong rather than a verdict
        return str(exc)


def _elected(expected: int, present: int, yes: int) -> str:
    try:
        return "当选" if vote_outcome(expected, present, yes, election=True).passed else "未当选"
    except ValueError:
        return ""


_AWAY = (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)


def _sign_in(attendance: list[tuple[_Attendee, MemberKind | None]], guests: Sequence[MeetingGuest]
             ) -> tuple[SignInRowDoc, ...]:
    """The 签到表: every member on the record (a 请假 / 缺席 noted with its reason), then the guests."""
    rows = []
    for row, kind in attendance:
        category = "列席" if row.status is AttendanceStatus.OBSERVER else (kind.label if kind else "")
        note = f"{row.status.label}（{row.reason}）" if row.status in _AWAY else ""
        rows.append(SignInRowDoc(row.name, category, note))
    rows += [SignInRowDoc(g.name, g.role.label, g.unit) for g in guests]
    return tuple(rows)
