"""Meeting records (issue 7 item 3): a record is 完成 only when nothing is missing (else it may be a 草稿);
child rows are replaced through the outbox (tombstones, never hard deletes); attendance snapshots the voting
right on the meeting's date; what is missing per kind; 优秀 above 1/3 refused; attachments stored once,
bytes before the row."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import (
    AttendanceStatus,
    MeetingKind,
    MeetingStatus,
    OutboxOp,
    ReviewGrade,
    VoteKind,
)
from app.models import AgendaItem, MeetingAttendance, OutboxEntry, PartyAttachment, Vote
from app.services.core import attachments, integrity
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.meetings import (
    IncompleteRecord,
    delete_meeting,
    list_meetings,
    load_meeting,
    meeting_roster,
    missing_items,
    save_meeting,
)
from app.services.meetings.dto import (
    AgendaInput,
    AttachmentInput,
    AttendanceInput,
    CandidateInput,
    MeetingInput,
    VoteInput,
    year_of,
)
from tests.meeting_branch import ACTOR, FULL_MEMBERS, PROBATIONARY, Branch, make_branch

EVENING = datetime(2026, 3, 31, 20, 0)


@pytest.fixture
def branch(db: Database) -> Branch:
    return make_branch(db)


def general_meeting(branch: Branch, *, present: int = 9, **changes: object) -> MeetingInput:
    """A complete 支部党员大会: the first ``present`` 正式党员 there, the others on leave; 李明 出席."""
    attendance = [AttendanceInput(branch.members[name],
                                  AttendanceStatus.PRESENT if i < present else AttendanceStatus.LEAVE,
                                  "" if i < present else "出差")
                  for i, name in enumerate(FULL_MEMBERS)]
    attendance.append(AttendanceInput(branch.members[PROBATIONARY], AttendanceStatus.PRESENT))
    data = MeetingInput(
        kind=MeetingKind.GENERAL_MEETING, party_org_id=branch.party_org_id, started_at=EVENING,
        location="协会会议室", host_name="王芳", recorder_name="赵强", topic="第一季度支部党员大会",
        decisions="同意有关事项", attendance=tuple(attendance),
        agenda=(AgendaInput("讨论年度工作计划", (VoteInput(VoteKind.RESOLUTION, "通过年度工作计划", yes=present),)),))
    return dataclasses.replace(data, **changes)  # type: ignore[arg-type]


def save(db: Database, data: MeetingInput, **kw: object):  # type: ignore[no-untyped-def]
    kw.setdefault("as_draft", False)
    return save_meeting(db.session_factory, data, actor=ACTOR, **kw)  # type: ignore[arg-type]


def test_a_complete_record_is_saved_as_done_and_reads_back(db: Database, branch: Branch) -> None:
    saved = save(db, general_meeting(branch, present=7))
    assert saved.status is MeetingStatus.DONE and saved.missing == ()
    assert (saved.expected, saved.present) == (9, 7)  # 李明 is 预备 on 31 March: present, no vote
    loaded = load_meeting(db.session_factory, saved.id)
    assert loaded.data == saved.data and (loaded.expected, loaded.present) == (9, 7)


def test_an_incomplete_record_is_refused_as_done_and_kept_as_draft(db: Database, branch: Branch) -> None:
    data = general_meeting(branch, location="", decisions="", recorder_name="")
    with pytest.raises(IncompleteRecord) as refused:
        save(db, data)
    assert refused.value.missing == ("会议地点", "记录人", "决议（会议形成的决定；没有表决事项也请写明会议结论）")
    assert list_meetings(db.session_factory).total == 0  # nothing saved
    draft = save(db, data, as_draft=True)
    assert draft.status is MeetingStatus.DRAFT and len(draft.missing) == 3
    listed = list_meetings(db.session_factory, status=MeetingStatus.DRAFT)
    assert [row.id for row in listed.rows] == [draft.id]


def test_an_absence_without_reason_and_a_vote_without_quorum_are_missing(db: Database, branch: Branch) -> None:
    data = general_meeting(branch, present=4)
    no_reason = dataclasses.replace(data, attendance=(
        dataclasses.replace(data.attendance[5], reason=""), *data.attendance[6:], *data.attendance[:5]))
    missing = missing_items(no_reason, meeting_roster(db.session_factory, branch.party_org_id, EVENING.date()))
    assert "吴敏请假：请填写请假原因" in missing
    assert ("第 1 项表决（决议：通过年度工作计划）：应到有表决权党员 9 人，实到 4 人，未超过半数，不能表决，"
            "这项表决无效") in missing


def test_the_snapshot_is_of_the_meeting_day_not_today(db: Database, branch: Branch) -> None:
    """李明 became 正式 on 1 April: at the meeting of 31 March he had no vote, and keeps none."""
    saved = save(db, general_meeting(branch))
    with db.session_factory() as session:
        row = session.execute(select(MeetingAttendance).where(
            MeetingAttendance.member_id == branch.members[PROBATIONARY])).scalar_one()
        assert (row.had_vote, row.vote_note) == (False, "预备党员，无表决权")
    later = save(db, general_meeting(branch, started_at=datetime(2026, 4, 2, 9, 0)))
    assert (saved.expected, later.expected) == (9, 10)


def test_editing_replaces_child_rows_through_the_outbox(db: Database, branch: Branch) -> None:
    first = save(db, general_meeting(branch))
    dropped = branch.members[FULL_MEMBERS[-1]]
    data = dataclasses.replace(
        first.data, attendance=tuple(a for a in first.data.attendance if a.member_id != dropped),
        agenda=(AgendaInput("讨论年度工作计划（修改）", ()),))
    second = save(db, data, meeting_id=first.id, expected_updated_at=first.updated_at, as_draft=True)
    assert second.expected == 9 and second.missing == ("尚未登记出席情况：陈刚",)  # still expected, unmarked
    with db.session_factory() as session:
        attendance = session.execute(select(MeetingAttendance)).scalars().all()
        assert len(attendance) == 10  # one tombstoned, none hard deleted
        gone = next(a for a in attendance if a.member_id == dropped)
        assert gone.deleted_at is not None
        votes = session.execute(select(Vote)).scalars().all()
        assert len(votes) == 1 and votes[0].deleted_at is not None
        items = session.execute(select(AgendaItem)).scalars().all()
        assert [i.title for i in items] == ["讨论年度工作计划（修改）"]  # updated in place
        ops = {(e.entity, e.record_id): e.op for e in session.execute(select(OutboxEntry)).scalars()}
    assert ops[("meeting_attendance", gone.id)] is OutboxOp.DELETE
    assert ops[("vote", votes[0].id)] is OutboxOp.DELETE
    assert ops[("agenda_item", items[0].id)] is OutboxOp.UPSERT


def test_missing_items_follow_the_kind(db: Database, branch: Branch) -> None:
    roster = meeting_roster(db.session_factory, branch.party_org_id, EVENING.date())
    everyone = tuple(AttendanceInput(m.id, AttendanceStatus.PRESENT) for m in roster.members)
    base = dict(party_org_id=branch.party_org_id, started_at=EVENING, location="会议室", host_name="王芳",
                recorder_name="赵强", topic="学习", attendance=everyone)
    assert missing_items(MeetingInput(kind=MeetingKind.PARTY_LECTURE, **base), roster) == (  # type: ignore[arg-type]
        "讲课人", "党课课时（如 1.5 小时）")
    assert missing_items(MeetingInput(kind=MeetingKind.PARTY_LECTURE, lecturer="街道党工委书记", lecture_hours=1.5,
                                      **base), roster) == ()  # type: ignore[arg-type]
    assert missing_items(MeetingInput(kind=MeetingKind.GROUP_MEETING, **base), roster) == (  # type: ignore[arg-type]
        "党小组（哪个党小组的会议）",)
    assert missing_items(MeetingInput(kind=MeetingKind.THEME_DAY, **base), roster) == (  # type: ignore[arg-type]
        "活动形式（如 集中学习、志愿服务、参观学习）",)
    assert missing_items(MeetingInput(kind=MeetingKind.COMMITTEE_MEETING, decisions="同意", **base),
                         roster) == ()  # type: ignore[arg-type]
    committee_away = tuple(AttendanceInput(m.id, AttendanceStatus.LEAVE if m.on_committee and m.name != "王芳"
                                           else AttendanceStatus.PRESENT, "病假") for m in roster.members)
    committee = MeetingInput(kind=MeetingKind.COMMITTEE_MEETING, decisions="同意",
                             **{**base, "attendance": committee_away})  # type: ignore[arg-type]
    assert missing_items(committee, roster) == ("支部委员会委员 3 人，到会 1 人，未超过半数，会议无效",)
    bare = MeetingInput(kind=MeetingKind.GENERAL_MEETING, party_org_id=branch.party_org_id, started_at=None)
    assert missing_items(bare, roster) == (
        "会议时间", "会议地点", "主持人", "记录人", "会议议题", "应到/实到（请从名册登记每名党员的出席情况）",
        "决议（会议形成的决定；没有表决事项也请写明会议结论）")


def test_a_review_with_more_than_a_third_excellent_is_refused(db: Database, branch: Branch) -> None:
    roster = meeting_roster(db.session_factory, branch.party_org_id, EVENING.date())
    grades = {name: ReviewGrade.EXCELLENT if i < 4 else ReviewGrade.QUALIFIED for i, name in enumerate(FULL_MEMBERS)}
    attendance = tuple(AttendanceInput(m.id, AttendanceStatus.PRESENT, review_grade=grades.get(m.name))
                       for m in roster.members)
    data = MeetingInput(kind=MeetingKind.DEMOCRATIC_REVIEW, party_org_id=branch.party_org_id, started_at=EVENING,
                        location="会议室", host_name="王芳", recorder_name="赵强", topic="2025年度民主评议党员",
                        attendance=attendance)
    with pytest.raises(IncompleteRecord) as refused:
        save(db, data)
    assert refused.value.missing == ("评为优秀 4 人，超过参评正式党员 9 人的三分之一（最多 3 人）",)
    three = tuple(dataclasses.replace(a, review_grade=ReviewGrade.QUALIFIED)
                  if a.member_id == branch.members[FULL_MEMBERS[3]] else a for a in attendance)
    assert save(db, dataclasses.replace(data, attendance=three)).status is MeetingStatus.DONE


def test_an_election_counts_candidates_against_four_fifths(db: Database, branch: Branch) -> None:
    candidates = (CandidateInput("王芳", 8), CandidateInput("赵强", 4))
    vote = VoteInput(VoteKind.ELECTION, "选举支部委员", candidates=candidates)
    data = general_meeting(branch, present=8, agenda=(AgendaInput("换届选举", (vote,)),))
    saved = save(db, data)  # 8 of 9 > 4/5: valid; 王芳 elected, 赵强 not (a result, not a missing item)
    assert saved.status is MeetingStatus.DONE
    seven = general_meeting(branch, present=7, agenda=(AgendaInput("换届选举", (vote,)),))
    roster = meeting_roster(db.session_factory, branch.party_org_id, EVENING.date())
    assert missing_items(seven, roster)[-1].endswith("实到 7 人，未超过五分之四，不能选举，这次选举无效")


def test_a_member_not_on_the_roster_is_refused_even_for_a_draft(db: Database, branch: Branch) -> None:
    other = make_branch(db, "中共乙协会支部委员会")
    data = general_meeting(branch)
    stranger = AttendanceInput(other.members["王芳"], AttendanceStatus.PRESENT)
    with pytest.raises(ValidationFailed) as refused:
        save(db, dataclasses.replace(data, attendance=(*data.attendance, stranger)), as_draft=True)
    assert "不是本党组织的党员" in str(refused.value)


def test_list_filters_and_delete_leaves_tombstones(db: Database, branch: Branch) -> None:
    done = save(db, general_meeting(branch))
    lecture = MeetingInput(kind=MeetingKind.PARTY_LECTURE, party_org_id=branch.party_org_id,
                           started_at=datetime(2025, 6, 1, 9), topic="党史学习")
    draft = save(db, lecture, as_draft=True)
    factory = db.session_factory
    assert [r.id for r in list_meetings(factory).rows] == [done.id, draft.id]
    assert [r.id for r in list_meetings(factory, period=year_of(EVENING)).rows] == [done.id]
    assert [r.id for r in list_meetings(factory, kind=MeetingKind.PARTY_LECTURE).rows] == [draft.id]
    assert [r.id for r in list_meetings(factory, text="党史").rows] == [draft.id]
    assert [r.id for r in list_meetings(factory, text="甲协会").rows] == [done.id, draft.id]
    row = list_meetings(factory, kind=MeetingKind.GENERAL_MEETING).rows[0]
    assert (row.expected, row.present) == (9, 9)
    delete_meeting(factory, done.id, actor=ACTOR)
    assert [r.id for r in list_meetings(factory).rows] == [draft.id]
    with factory() as session:
        assert all(a.deleted_at is not None for a in session.execute(select(MeetingAttendance)).scalars())


def test_the_same_attachment_is_stored_once_and_bytes_come_before_the_row(db: Database, branch: Branch,
                                                                           tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(b"\xff\xd8scanned sign-in sheet")
    first = attachments.store_file(folder, photo)
    again = attachments.store_file(folder, photo)
    assert first == again and first.mime_type == "image/jpeg"
    assert [p.name for p in folder.rglob("*") if p.is_file()] == [first.sha256]
    assert attachments.blob_path(folder, first.sha256).read_bytes() == photo.read_bytes()
    ref = AttachmentInput(first.sha256, first.filename, first.size, first.mime_type)
    unknown = AttachmentInput("0" * 64, "丢失.jpg", 10)
    with pytest.raises(ValidationFailed, match=r"丢失\.jpg"):  # no file, no row
        save(db, general_meeting(branch, attachments=(unknown,)), attachments_folder=folder)
    saved = save(db, general_meeting(branch, attachments=(ref, ref)), attachments_folder=folder)
    assert load_meeting(db.session_factory, saved.id).data.attachments == (ref, ref)
    with db.session_factory() as session:
        rows = session.execute(select(PartyAttachment)).scalars().all()
        assert {r.party_org_id for r in rows} == {branch.party_org_id} and len(rows) == 2
    with db.engine.connect() as conn:
        assert integrity.check_attachments(conn.connection.driver_connection, folder) == []  # type: ignore[arg-type]
    orphan = attachments.store_bytes(folder, b"a photo nobody saved", "x.png")
    with db.engine.connect() as conn:
        problems = integrity.check_attachments(conn.connection.driver_connection, folder)  # type: ignore[arg-type]
    assert problems == [f"附件文件没有对应的记录（孤立文件）：{attachments.blob_path(folder, orphan.sha256)}"]
    assert attachments.discard_unreferenced(db.session_factory, folder, [orphan.sha256, first.sha256]) == 1
    assert attachments.blob_path(folder, first.sha256).is_file()


def test_a_saved_meeting_stays_with_its_party_organization(db: Database, branch: Branch) -> None:
    saved = save(db, general_meeting(branch))
    other = make_branch(db, "中共乙协会支部委员会")
    with pytest.raises(ValidationFailed, match="不能改到另一个党组织"):
        save(db, dataclasses.replace(saved.data, party_org_id=other.party_org_id, attendance=()), meeting_id=saved.id,
             as_draft=True)


def test_a_meeting_not_held_yet_is_refused_as_done_and_kept_as_draft(db: Database, branch: Branch) -> None:
    """At 18:00 on 31 March the 20:00 meeting has not been held: it cannot be 完成 yet (a walkthrough saved one
    dated a year ahead as 完成)."""
    from app.domain.meeting_record import FUTURE_MEETING
    from app.services.core import clock

    with clock.frozen(datetime(2026, 3, 31, 10, 0, tzinfo=UTC)):  # 18:00 in the district
        with pytest.raises(IncompleteRecord) as refused:
            save(db, general_meeting(branch))
        assert refused.value.missing == (FUTURE_MEETING,)
        draft = save(db, general_meeting(branch), as_draft=True)
        assert draft.status is MeetingStatus.DRAFT
    with clock.frozen(datetime(2026, 3, 31, 13, 0, tzinfo=UTC)):  # 21:00: held
        assert save(db, general_meeting(branch), meeting_id=draft.id,
                    expected_updated_at=draft.updated_at).status is MeetingStatus.DONE
