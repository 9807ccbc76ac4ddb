"""What a meeting's save writes: only what changed.  Saving a record again with only its 会议记录 edited
rewrites no child row (no outbox change for them), and a record kept with 议题 numbered from 1 (the demo
data, older records) is not renumbered, re-created or tombstoned when its agenda did not change."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.domain.enums import AttendanceStatus, GuestRole, MeetingKind, OutboxOp, VoteKind
from app.models import AgendaItem, MeetingAttendance, MeetingGuest, OutboxEntry, PartyAttachment, Vote, VoteCandidate
from app.services.core import attachments
from app.services.core.database import Database
from app.services.meetings import load_meeting, save_meeting
from app.services.meetings.dto import (
    AgendaInput,
    AttachmentInput,
    AttendanceInput,
    CandidateInput,
    GuestInput,
    MeetingDetail,
    MeetingInput,
    VoteInput,
)
from tests.meeting_branch import ACTOR, FULL_MEMBERS, PROBATIONARY, Branch, make_branch

EVENING = datetime(2026, 3, 31, 20, 0)
CHILDREN = (MeetingAttendance, MeetingGuest, AgendaItem, Vote, VoteCandidate, PartyAttachment)


@pytest.fixture
def branch(db: Database) -> Branch:
    return make_branch(db)


def full_record(branch: Branch, photo: AttachmentInput) -> MeetingInput:
    """A 支部党员大会 with every kind of child row: attendance, a guest, two 议题 with a resolution and an
    election (candidates), an attachment."""
    attendance = tuple(AttendanceInput(branch.members[name], AttendanceStatus.PRESENT)
                       for name in (*FULL_MEMBERS, PROBATIONARY))
    election = VoteInput(VoteKind.ELECTION, "选举支部委员", candidates=(CandidateInput("王芳", 9),
                                                                  CandidateInput("赵强", 8)))
    return MeetingInput(
        kind=MeetingKind.GENERAL_MEETING, party_org_id=branch.party_org_id, started_at=EVENING,
        location="协会会议室", host_name="王芳", recorder_name="赵强", topic="支部党员大会", decisions="同意",
        minutes="会议记录", attendance=attendance,
        guests=(GuestInput("刘洋", GuestRole.SUPERIOR, "街道党工委"),),
        agenda=(AgendaInput("讨论年度工作计划", (VoteInput(VoteKind.RESOLUTION, "通过年度工作计划", yes=9),)),
                AgendaInput("换届选举", (election,))),
        attachments=(photo,))


def _stored(db: Database) -> dict[str, tuple[object, ...]]:
    """Every child row (live or not) as stored, by id."""
    with db.session_factory() as session:
        return {row.id: (type(row).__name__, row.deleted_at, row.updated_at, row.updated_by,
                         *(getattr(row, c) for c in ("position", "title") if hasattr(row, c)))
                for model in CHILDREN for row in session.execute(select(model)).scalars()}


def _outbox(db: Database) -> dict[int, tuple[object, ...]]:
    with db.session_factory() as session:
        return {e.seq: (e.entity, e.record_id, e.op, dict(e.fields)) for e in session.execute(select(OutboxEntry))
                .scalars()}


def _resave(db: Database, detail: MeetingDetail, folder: Path, **changes: object) -> MeetingDetail:
    data = dataclasses.replace(detail.data, **changes)  # type: ignore[arg-type]
    return save_meeting(db.session_factory, data, actor="u:other", meeting_id=detail.id,
                        expected_updated_at=detail.updated_at, as_draft=False, attachments_folder=folder)


@pytest.fixture
def photo(tmp_path: Path) -> AttachmentInput:
    stored = attachments.store_bytes(tmp_path / "attachments", b"\xff\xd8sign-in sheet", "签到表.jpg")
    return AttachmentInput(stored.sha256, stored.filename, stored.size, stored.mime_type)


def test_saving_only_new_minutes_rewrites_no_child_row(db: Database, branch: Branch, photo: AttachmentInput,
                                                       tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    first = save_meeting(db.session_factory, full_record(branch, photo), actor=ACTOR, as_draft=False,
                         attachments_folder=folder)
    children, entries = _stored(db), _outbox(db)
    assert len(children) == 10 + 1 + 2 + 2 + 2 + 1
    again = _resave(db, load_meeting(db.session_factory, first.id), folder, minutes="会议记录（已核对）")
    assert _stored(db) == children  # not one child row written
    changed = {seq: entry for seq, entry in _outbox(db).items() if entries.get(seq) != entry}
    assert [(entity, record, fields["minutes"]) for entity, record, _op, fields in changed.values()] == [
        ("meeting", first.id, "会议记录（已核对）")]
    assert load_meeting(db.session_factory, first.id).data == again.data


def _number_from_one(db: Database, meeting_id: str) -> None:
    """Renumber the record's 议题 1, 2, … (as the demo data and older records keep them), through the ORM."""
    with db.session_factory.begin() as session:
        items = session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting_id)
                                .order_by(AgendaItem.position)).scalars().all()
        for item in reversed(items):
            item.position += 1


def test_an_agenda_numbered_from_one_is_kept_when_unchanged(db: Database, branch: Branch, photo: AttachmentInput,
                                                            tmp_path: Path) -> None:
    folder = tmp_path / "attachments"
    first = save_meeting(db.session_factory, full_record(branch, photo), actor=ACTOR, as_draft=False,
                         attachments_folder=folder)
    _number_from_one(db, first.id)
    children = _stored(db)
    loaded = load_meeting(db.session_factory, first.id)
    assert loaded.data.agenda == first.data.agenda  # read in order
    _resave(db, loaded, folder, minutes="补记")
    assert _stored(db) == children  # nothing renumbered, re-created or tombstoned
    edited = dataclasses.replace(loaded.data.agenda[1], title="换届选举（第二届）")
    second = _resave(db, load_meeting(db.session_factory, first.id), folder,
                     agenda=(loaded.data.agenda[0], edited))
    changed = [row for row_id, row in _stored(db).items() if children.get(row_id) != row]
    assert [(name, deleted, by, position, title) for name, deleted, _at, by, position, title in changed] == [
        ("AgendaItem", None, "u:other", 2, "换届选举（第二届）")]  # only the edited 议题, in place, keeping its number
    assert load_meeting(db.session_factory, first.id).data.agenda == second.data.agenda
    with db.session_factory() as session:
        ops = [e.op for e in session.execute(select(OutboxEntry).where(OutboxEntry.entity == "agenda_item"))
               .scalars()]
    assert OutboxOp.DELETE not in ops
