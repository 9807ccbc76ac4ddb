"""The issue's Must-show boundaries worked through one real 党员大会 on the database: attendance recorded
row by row (a 预备党员 present, a member under 留党察看 present, a member left out of 应到 with approval, a
member who became 正式 after the meeting), 应到 / 实到 counted from the rows' snapshots, exactly half
present, yes-votes equal to half of 应到, and the meeting — held at 20:00 on the quarter's last day —
counted by the compliance engine for that quarter."""

from __future__ import annotations

from datetime import date, datetime

from compliance_builders import ACTOR, add, branch, rows

from app.domain.compliance import RuleId
from app.domain.enums import AttendanceStatus, MeetingKind, MeetingStatus, MemberKind
from app.models import (
    Meeting,
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    new_id,
)
from app.services.compliance.engine import refresh_all
from app.services.compliance.state import current_policy
from app.services.core.database import Database
from app.services.meetings import meeting_voters, record_attendance, vote_outcome

HELD = datetime(2026, 6, 30, 20, 0)


def test_one_general_meeting_through_every_boundary(db: Database) -> None:
    party = branch(db, "甲支部", established=date(2020, 1, 1), full=8)  # 8 正式党员 since 2020
    pid = party.id
    probationary = new_id()
    became_full = new_id()
    on_probation = new_id()
    excluded = new_id()
    named = ((probationary, "预备党员甲"), (became_full, "会后转正乙"), (on_probation, "留党察看丙"),
             (excluded, "经批准不计入丁"))
    add(db, *[Member(id=m, party_org_id=pid, org_id=new_id(), name=n) for m, n in named],
        MemberKindChange(party_org_id=pid, member_id=probationary, kind=MemberKind.PROBATIONARY,
                         changed_on=date(2026, 1, 5)),
        MemberKindChange(party_org_id=pid, member_id=became_full, kind=MemberKind.PROBATIONARY,
                         changed_on=date(2025, 7, 1)),
        MemberKindChange(party_org_id=pid, member_id=became_full, kind=MemberKind.FULL, changed_on=date(2026, 7, 1)),
        MemberKindChange(party_org_id=pid, member_id=on_probation, kind=MemberKind.FULL, changed_on=date(2015, 1, 1)),
        MemberProbation(party_org_id=pid, member_id=on_probation, first_day=date(2026, 1, 1),
                        last_day=date(2026, 12, 31)),
        MemberKindChange(party_org_id=pid, member_id=excluded, kind=MemberKind.FULL, changed_on=date(2015, 1, 1)),
        MemberExpectedExclusion(party_org_id=pid, member_id=excluded, reason="出国半年以上", approved_by="街道党工委",
                                approved_on=date(2026, 5, 1), first_day=date(2026, 5, 1)))
    meeting_id = new_id()
    add(db, Meeting(id=meeting_id, party_org_id=pid, kind=MeetingKind.GENERAL_MEETING, status=MeetingStatus.DONE,
                    started_at=HELD, location="会议室", host_name="书记", recorder_name="委员", topic="接收预备党员",
                    decisions="同意"))
    with db.session_factory.begin() as session:
        for n, member_id in enumerate(party.members):  # the 8 正式党员: 4 present, 4 on leave
            status = AttendanceStatus.PRESENT if n < 4 else AttendanceStatus.LEAVE
            record_attendance(session, meeting_id=meeting_id, member_id=member_id, status=status,
                              reason="" if n < 4 else "出差", actor=ACTOR)
        for member_id in (probationary, became_full, on_probation, excluded):
            status = AttendanceStatus.LEAVE if member_id == excluded else AttendanceStatus.PRESENT
            record_attendance(session, meeting_id=meeting_id, member_id=member_id, status=status,
                              reason="在国外" if member_id == excluded else "", actor=ACTOR)
        count = meeting_voters(session, meeting_id)
    # 应到 8: the 预备党员, the one who became 正式 only on 1 July, the one under 留党察看 and the one left out
    # with approval have no vote at the meeting; the three of them present are shown, never counted.
    assert (count.expected, count.present, count.present_without_vote) == (8, 4, 3)
    exactly_half = vote_outcome(count.expected, count.present, 4)
    assert not exactly_half.may_vote and exactly_half.explanation.endswith("未超过半数，不能表决")
    with db.session_factory.begin() as session:  # one more arrives: 5 of 8, more than half
        record_attendance(session, meeting_id=meeting_id, member_id=party.members[4], status=AttendanceStatus.PRESENT,
                          actor=ACTOR)
        count = meeting_voters(session, meeting_id)
    assert (count.expected, count.present) == (8, 5)
    assert not vote_outcome(8, 5, 4).passed  # yes-votes equal to half of 应到
    assert vote_outcome(8, 5, 5).passed
    with db.session_factory.begin() as session:
        refresh_all(session, today=date(2026, 8, 15), policy=current_policy())
    quarters = {str(r[3]) for r in rows(db, party_org_id=pid, rule=RuleId.MEETING_GENERAL)}
    assert "2026-04-01" not in quarters and "2026-01-01" in quarters  # 20:00 on 30 June counts for the 2nd quarter
