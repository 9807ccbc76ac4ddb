"""The meeting model (DESIGN §2.0): attendance rows are the truth — one live row per member, reasons for 请假 /
缺席, the voting right snapshot of the meeting's day — and 应到 / 实到 are derived from them; guests, vote
kinds and candidates; tombstones leave the counts."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.domain.enums import (
    AttendanceStatus,
    GuestRole,
    MeetingKind,
    MeetingStatus,
    MemberKind,
    PartyOrgFormation,
    PartyOrgLevel,
    VoteKind,
)
from app.domain.votes import vote_outcome
from app.models import (
    Meeting,
    MeetingAttendance,
    MeetingGuest,
    Member,
    MemberKindChange,
    OutboxEntry,
    PartyOrg,
    Vote,
    VoteCandidate,
    new_id,
)
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.core.outbox import record_upsert, tombstone
from app.services.meetings import meeting_counts, meeting_voters, record_attendance, snapshot_attendance

ACTOR = "u:test"
MEETING_DAY = datetime(2026, 3, 31, 19, 0)


@pytest.fixture
def branch(db: Database) -> tuple[str, str, dict[str, str]]:
    """A branch, its 支部党员大会 on 31 March 2026, and its members by name: five 正式, 李明 预备 until 1 April."""
    party_id, meeting_id = new_id(), new_id()
    members: dict[str, str] = {}
    with db.session_factory.begin() as session:
        record_upsert(session, PartyOrg(id=party_id, party_org_id=party_id, name="中共乙中心支部委员会",
                                        level=PartyOrgLevel.BRANCH, formation=PartyOrgFormation.SINGLE), actor=ACTOR)
        for name in ("王芳", "赵强", "孙丽", "钱亮", "周新", "李明"):
            members[name] = new_id()
            record_upsert(session, Member(id=members[name], party_org_id=party_id, org_id="org-1", name=name),
                          actor=ACTOR)
            first = ((MemberKind.PROBATIONARY, date(2025, 4, 1)) if name == "李明"
                     else (MemberKind.FULL, date(2010, 1, 1)))
            record_upsert(session, MemberKindChange(party_org_id=party_id, member_id=members[name], kind=first[0],
                                                    changed_on=first[1]), actor=ACTOR)
        record_upsert(session, Meeting(id=meeting_id, party_org_id=party_id, kind=MeetingKind.GENERAL_MEETING,
                                       started_at=MEETING_DAY, topic="讨论李明转正"), actor=ACTOR)
    return party_id, meeting_id, members


def _attend(db: Database, meeting_id: str, member_id: str, status: AttendanceStatus, reason: str = "") -> None:
    with db.session_factory.begin() as session:
        record_attendance(session, meeting_id=meeting_id, member_id=member_id, status=status, reason=reason,
                          actor=ACTOR)


def _fill(db: Database, meeting_id: str, members: dict[str, str]) -> None:
    _attend(db, meeting_id, members["王芳"], AttendanceStatus.PRESENT)
    _attend(db, meeting_id, members["赵强"], AttendanceStatus.PRESENT)
    _attend(db, meeting_id, members["孙丽"], AttendanceStatus.PRESENT)
    _attend(db, meeting_id, members["钱亮"], AttendanceStatus.LEAVE, "出差")
    _attend(db, meeting_id, members["周新"], AttendanceStatus.ABSENT, "未请假：记错会议时间")
    _attend(db, meeting_id, members["李明"], AttendanceStatus.PRESENT)


def test_a_new_meeting_is_a_draft(branch: tuple[str, str, dict[str, str]], db: Database) -> None:
    with db.session_factory() as session:
        meeting = session.get(Meeting, branch[1])
        assert meeting is not None and meeting.status is MeetingStatus.DRAFT and meeting.status.label == "草稿"


def test_counts_are_derived_from_the_rows(branch: tuple[str, str, dict[str, str]], db: Database) -> None:
    _, meeting_id, members = branch
    _fill(db, meeting_id, members)
    with db.session_factory() as session:
        assert meeting_counts(session, meeting_id) == (5, 3)  # 李明 is present without a vote
        assert meeting_voters(session, meeting_id).present_without_vote == 1
        rows = {r.member_id: r for r in session.execute(select(MeetingAttendance)).scalars()}
    assert (rows[members["李明"]].had_vote, rows[members["李明"]].vote_note) == (False, "预备党员，无表决权")
    assert rows[members["钱亮"]].absence_reason == "出差" and rows[members["王芳"]].absence_reason == ""
    _attend(db, meeting_id, members["钱亮"], AttendanceStatus.PRESENT)  # a correction changes the one row
    with db.session_factory() as session:
        assert meeting_counts(session, meeting_id) == (5, 4)
        assert len(session.execute(select(MeetingAttendance)).scalars().all()) == 6
        assert not hasattr(Meeting, "expected_count") and not hasattr(Vote, "eligible")  # never stored apart


def test_leave_and_absence_need_a_reason(branch: tuple[str, str, dict[str, str]], db: Database) -> None:
    _, meeting_id, members = branch
    for status in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT):
        with pytest.raises(ValidationFailed, match=f"周新{status.label}：请填写{status.label}原因"):
            _attend(db, meeting_id, members["周新"], status, "  ")
    with db.session_factory() as session:
        assert session.execute(select(MeetingAttendance)).scalars().all() == []


def test_one_live_row_per_member(branch: tuple[str, str, dict[str, str]], db: Database) -> None:
    party_id, meeting_id, members = branch
    _attend(db, meeting_id, members["王芳"], AttendanceStatus.PRESENT)
    with pytest.raises(IntegrityError), db.session_factory.begin() as session:
        record_upsert(session, MeetingAttendance(party_org_id=party_id, meeting_id=meeting_id,
                                                 member_id=members["王芳"], status=AttendanceStatus.PRESENT),
                      actor=ACTOR)
    with db.session_factory.begin() as session:  # once tombstoned, the member may be recorded again
        row = session.execute(select(MeetingAttendance)).scalar_one()
        tombstone(session, row, actor=ACTOR)
    _attend(db, meeting_id, members["王芳"], AttendanceStatus.LEAVE, "病假")
    with db.session_factory() as session:
        live = session.execute(select(MeetingAttendance).where(MeetingAttendance.deleted_at.is_(None))).scalars().all()
        assert [r.status for r in live] == [AttendanceStatus.LEAVE]
        assert meeting_counts(session, meeting_id) == (1, 0)  # the tombstoned row counts no more


def test_the_snapshot_stays_when_the_member_later_becomes_full(branch: tuple[str, str, dict[str, str]],
                                                               db: Database) -> None:
    party_id, meeting_id, members = branch
    _fill(db, meeting_id, members)
    with db.session_factory.begin() as session:  # 李明 转正 on 1 April, the day after the meeting
        record_upsert(session, MemberKindChange(party_org_id=party_id, member_id=members["李明"],
                                                kind=MemberKind.FULL, changed_on=date(2026, 4, 1)), actor=ACTOR)
    with db.session_factory.begin() as session:
        assert meeting_counts(session, meeting_id) == (5, 3)
        assert snapshot_attendance(session, meeting_id=meeting_id, actor=ACTOR) == 0  # still 预备 on that day
    with db.session_factory.begin() as session:  # the meeting's date corrected to after 转正: re-snapshot
        meeting = session.get(Meeting, meeting_id)
        assert meeting is not None
        meeting.started_at = datetime(2026, 4, 2, 19, 0)
        record_upsert(session, meeting, actor=ACTOR)
        assert snapshot_attendance(session, meeting_id=meeting_id, actor=ACTOR) == 1
    with db.session_factory() as session:
        assert meeting_counts(session, meeting_id) == (6, 4)
        row = session.execute(select(MeetingAttendance)
                              .where(MeetingAttendance.member_id == members["李明"])).scalar_one()
        entry = session.execute(select(OutboxEntry).where(OutboxEntry.record_id == row.id)).scalar_one()
        assert entry.fields["had_vote"] is True  # the snapshot reaches the server


def test_observers_sit_in_without_counting(branch: tuple[str, str, dict[str, str]], db: Database) -> None:
    _, meeting_id, members = branch
    _fill(db, meeting_id, members)
    _attend(db, meeting_id, members["孙丽"], AttendanceStatus.OBSERVER, "不需要的原因")
    with db.session_factory() as session:
        row = session.execute(select(MeetingAttendance)
                              .where(MeetingAttendance.member_id == members["孙丽"])).scalar_one()
        assert (row.had_vote, row.vote_note, row.absence_reason) == (False, "列席，不计入应到", "")
        assert meeting_counts(session, meeting_id) == (4, 2)


def test_guests_votes_and_candidates(branch: tuple[str, str, dict[str, str]], db: Database) -> None:
    party_id, meeting_id, members = branch
    _fill(db, meeting_id, members)
    with db.session_factory.begin() as session:
        record_upsert(session, MeetingGuest(party_org_id=party_id, meeting_id=meeting_id, name="林上级",
                                            role=GuestRole.SUPERIOR, unit="街道党工委"), actor=ACTOR)
        confirm = Vote(party_org_id=party_id, meeting_id=meeting_id, kind=VoteKind.CONFIRM, motion="李明转正",
                       subject_member_id=members["李明"], yes=2, abstain=1, written_yes=1)
        election = Vote(party_org_id=party_id, meeting_id=meeting_id, kind=VoteKind.ELECTION, motion="选举书记")
        record_upsert(session, confirm, actor=ACTOR)
        record_upsert(session, election, actor=ACTOR)
        for name, yes_votes in (("王芳", 3), ("赵强", 2)):
            record_upsert(session, VoteCandidate(party_org_id=party_id, vote_id=election.id, member_id=members[name],
                                                 name=name, yes_votes=yes_votes), actor=ACTOR)
    with db.session_factory() as session:
        guest = session.execute(select(MeetingGuest)).scalar_one()
        assert (guest.role.label, guest.unit) == ("上级党组织代表", "街道党工委")
        expected, present = meeting_counts(session, meeting_id)
        votes = {v.kind: v for v in session.execute(select(Vote)).scalars()}
        candidates = session.execute(select(VoteCandidate).order_by(VoteCandidate.name)).scalars().all()
    tally = votes[VoteKind.CONFIRM]
    assert tally.kind.counts_written_opinions and tally.subject_member_id == members["李明"]
    assert vote_outcome(expected, present, tally.yes, written_yes=tally.written_yes).passed  # 2 + 1 written of 5
    assert not vote_outcome(expected, present, tally.yes).passed  # without the written opinion: 2 of 5
    # 3 of 5 present is not more than 4/5: no election can be held at this meeting
    assert not vote_outcome(expected, present, candidates[0].yes_votes, election=True).may_vote
    assert [c.name for c in candidates] == sorted(["王芳", "赵强"])
    assert {v.label for v in VoteKind} == {"决议", "选举", "接收预备党员", "预备党员转正", "其他"}
