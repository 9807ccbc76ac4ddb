"""Meeting records, guided (DESIGN §2.0, §2.1): save, load, list and delete a meeting of any kind.

``save_meeting`` writes the meeting and all its child rows (attendance, guests, agenda items, votes,
candidates, attachments) in one transaction through the outbox: rows are matched and updated in place,
the ones removed are tombstoned (``children.replace_rows``).  Each attendance row stores the member's
voting right *on the meeting's civil date* (a snapshot; 列席 never counts in 应到), so 应到 / 实到 never
drift.  A record becomes 完成 only when ``missing_items`` finds nothing (``IncompleteRecord`` otherwise,
saving nothing); with ``as_draft`` it is kept as 草稿 whatever it lacks.  Problems no draft may keep (a
member not of this 党组织, the same member twice, a file not stored) raise ``ValidationFailed``.

Every call owns its transaction and returns frozen DTOs; any thread (the UI uses the write lane for
saves, the read lane for the rest).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from app.domain.enums import AttendanceStatus, MeetingKind, MeetingStatus, VoteKind
from app.domain.meeting_record import AttendeeFacts, RecordFacts, VoteFacts
from app.domain.meeting_record import missing_items as record_missing_items
from app.domain.periods import Period
from app.models import (
    AgendaItem,
    AuditLog,
    Meeting,
    MeetingAttendance,
    MeetingGuest,
    PartyAttachment,
    PartyOrg,
    SyncColumns,
    Vote,
    VoteCandidate,
    new_id,
)
from app.services.core import clock
from app.services.core.attachments import require_stored
from app.services.core.errors import NotFoundError, StaleEditError, ValidationFailed
from app.services.core.outbox import set_actor
from app.services.meetings.attendance import OBSERVER_NOTE
from app.services.meetings.children import StoredRow, live_children, replace_rows, stored_children
from app.services.meetings.dto import (
    AgendaInput,
    AttachmentInput,
    AttendanceInput,
    CandidateInput,
    GuestInput,
    MeetingDetail,
    MeetingInput,
    MeetingList,
    MeetingRow,
    Roster,
    VoteInput,
)
from app.services.meetings.roster import party_org_name, roster_in

__all__ = ["IncompleteRecord", "delete_meeting", "list_meetings", "load_meeting", "missing_items", "save_meeting"]

LIST_LIMIT = 500
_TEXTS = ("location", "host_name", "recorder_name", "topic", "minutes", "decisions", "lecturer", "activity_form")


class IncompleteRecord(ValidationFailed):
    """The record lacks what DESIGN §2.1 requires of a 完成 record; ``missing`` lists it (the form offers
    存为草稿).  Nothing was saved."""

    def __init__(self, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__({f"missing_{i}": item for i, item in enumerate(missing)})
        self.args = ("记录还不完整，缺少：" + "；".join(missing) + "。可先存为草稿，补齐后再保存为完成",)


# -- the record as the rules see it ------------------------------------------------------------------


def cleaned_input(data: MeetingInput) -> MeetingInput:
    """Trimmed text; fields of other kinds emptied (the form hides them: a hidden value must not linger)."""
    kind = data.kind
    values: dict[str, Any] = {name: getattr(data, name).strip() for name in _TEXTS}
    if kind is not MeetingKind.PARTY_LECTURE:
        values.update(lecturer="", lecture_hours=None)
    if kind is not MeetingKind.THEME_DAY:
        values["activity_form"] = ""
    if kind is not MeetingKind.GROUP_MEETING:
        values["party_group_id"] = None
    with_votes = kind in (MeetingKind.GENERAL_MEETING, MeetingKind.COMMITTEE_MEETING)
    values["agenda"] = tuple(AgendaInput(item.title.strip(), item.votes if with_votes else ())
                             for item in data.agenda if item.title.strip() or (with_votes and item.votes))
    values["attendance"] = tuple(dataclasses.replace(
        a, reason=a.reason.strip() if a.status.needs_reason else "",
        review_grade=a.review_grade if kind is MeetingKind.DEMOCRATIC_REVIEW else None) for a in data.attendance)
    values["guests"] = tuple(dataclasses.replace(g, name=g.name.strip(), unit=g.unit.strip())
                             for g in data.guests if g.name.strip())
    return dataclasses.replace(data, **values)


def vote_facts(vote: VoteInput) -> VoteFacts:
    return VoteFacts(vote.kind, vote.motion, vote.subject_member_id is not None, vote.yes, vote.no, vote.abstain,
                     vote.written_yes, tuple((c.name, c.yes_votes) for c in vote.candidates))


def record_facts(data: MeetingInput, roster: Roster) -> RecordFacts:
    """The facts the rules read: the input with each attendee's voting right and kind on the roster's day."""
    attendees = []
    marked = {entry.member_id for entry in data.attendance}
    unmarked = [m for m in roster.members if m.id not in marked]
    for entry in data.attendance:
        member = roster.member(entry.member_id)
        name = member.name if member else "（不在名册中的党员）"
        has_vote = bool(member and member.has_vote) and entry.status is not AttendanceStatus.OBSERVER
        attendees.append(AttendeeFacts(name, entry.status, entry.reason, has_vote, member.kind if member else None,
                                       entry.review_grade, bool(member and member.on_committee)))
    return RecordFacts(
        kind=data.kind, started_at=data.started_at, ended_at=data.ended_at, location=data.location,
        host_name=data.host_name, recorder_name=data.recorder_name, topic=data.topic,
        agenda_titles=tuple(item.title for item in data.agenda), decisions=data.decisions, lecturer=data.lecturer,
        lecture_hours=data.lecture_hours, party_group_named=data.party_group_id is not None,
        activity_form=data.activity_form, attendees=tuple(attendees), committee_size=roster.committee_size,
        votes=tuple(vote_facts(v) for item in data.agenda for v in item.votes),
        unmarked=tuple(m.name for m in unmarked), unmarked_voters=sum(1 for m in unmarked if m.has_vote))


def missing_items(data: MeetingInput, roster: Roster) -> tuple[str, ...]:
    """What the record still lacks before it may be 完成 (empty: complete).  Pure; the form calls it live
    with the roster it shows, ``save_meeting`` with the roster read in its transaction."""
    return record_missing_items(record_facts(cleaned_input(data), roster), now=clock.civil_now())


# -- checks no draft may skip ------------------------------------------------------------------------


def _structural_problems(session: Session, data: MeetingInput, roster: Roster) -> dict[str, str]:
    problems: dict[str, str] = {}
    seen: set[str] = set()
    for entry in data.attendance:
        member = roster.member(entry.member_id)
        if member is None:
            problems["attendance"] = "有登记出席情况的人不是本党组织的党员（或已被删除）：请重新从名册登记出席情况"
        elif entry.member_id in seen:
            problems["attendance"] = f"{member.name}登记了两次，请只保留一条"
        seen.add(entry.member_id)
    if data.party_group_id is not None and data.party_group_id not in {gid for gid, _ in roster.groups}:
        problems["party_group_id"] = "所选党小组不属于这个党组织，请重新选择"
    members = {m.id for m in (*roster.members, *roster.others)}
    for item in data.agenda:
        for vote in item.votes:
            if vote.subject_member_id is not None and vote.subject_member_id not in members:
                problems["votes"] = "表决涉及的党员不是本党组织的党员（或已被删除），请重新选择"
            counts = (vote.yes, vote.no, vote.abstain, vote.written_yes, *(c.yes_votes for c in vote.candidates))
            if any(n < 0 for n in counts):
                problems["votes"] = "票数不能为负数，请核对"
    if data.lecture_hours is not None and not 0 <= data.lecture_hours <= 24:
        problems["lecture_hours"] = "党课课时应在 0–24 小时之间"
    return problems


# -- save --------------------------------------------------------------------------------------------


def _load(session: Session, meeting_id: str) -> Meeting:
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or meeting.deleted_at is not None:
        raise NotFoundError("找不到这次会议（可能已被删除）")
    return meeting


def _apply_meeting(meeting: Meeting, data: MeetingInput, status: MeetingStatus) -> None:
    values = {name: getattr(data, name) for name in (*_TEXTS, "kind", "started_at", "ended_at", "lecture_hours",
                                                     "party_group_id", "party_org_id")}
    values["status"] = status
    for name, value in values.items():
        if getattr(meeting, name, None) != value:
            setattr(meeting, name, value)


def save_meeting(factory: sessionmaker[Session], data: MeetingInput, *, actor: str, meeting_id: str | None = None,
                 expected_updated_at: datetime | None = None, as_draft: bool,
                 attachments_folder: Path | None = None) -> MeetingDetail:
    """Create (``meeting_id`` None) or replace a meeting record, children included, in one transaction.

    ``as_draft``: keep it as 草稿 whatever it lacks; otherwise it becomes 完成, or ``IncompleteRecord``
    lists what is missing and nothing is saved.  ``expected_updated_at`` (of the detail the form was
    filled from): StaleEditError if the meeting changed since.  ``attachments_folder``: where the files
    named by ``data.attachments`` must already be (bytes first, then the rows)."""
    data = cleaned_input(data)
    if data.started_at is None:
        raise ValidationFailed({"started_at": "请填写会议日期和开始时刻（存为草稿也需要）"})
    with factory.begin() as session:
        set_actor(session, actor)
        party_name = party_org_name(session, data.party_org_id)
        meeting = _load(session, meeting_id) if meeting_id else None
        if meeting is not None and expected_updated_at is not None and meeting.updated_at != expected_updated_at:
            raise StaleEditError(f"{meeting.started_at:%Y-%m-%d}的{meeting.kind.label}")
        if meeting is not None and meeting.party_org_id != data.party_org_id:
            raise ValidationFailed({"party_org_id": "已登记的会议不能改到另一个党组织：请在那个党组织下新建记录，"
                                                    "再删除这一条"})
        roster = roster_in(session, data.party_org_id, data.started_at.date(),
                           with_groups=data.kind is MeetingKind.GROUP_MEETING)
        problems = _structural_problems(session, data, roster)
        if problems:
            raise ValidationFailed(problems)
        facts = record_facts(data, roster)
        missing = record_missing_items(facts, now=clock.civil_now())
        if missing and not as_draft:
            raise IncompleteRecord(missing)
        for attachment in data.attachments:
            if attachments_folder is None:
                raise ValueError("save_meeting: attachments_folder is needed to save attachments")
            require_stored(attachments_folder, attachment.sha256, attachment.filename)
        if meeting is None:
            meeting = Meeting(id=new_id(), party_org_id=data.party_org_id)
            session.add(meeting)
        with session.no_autoflush:  # one flush at the end: one outbox pass over every changed row
            _apply_meeting(meeting, data, MeetingStatus.DRAFT if as_draft else MeetingStatus.DONE)
            _write_children(session, meeting, data, roster)
        session.add(AuditLog(actor=actor, action="update" if meeting_id else "create", entity="meeting",
                             record_id=meeting.id, summary=f"{party_name}：{data.kind.label}"))
        session.flush()
        return MeetingDetail(meeting.id, data, meeting.status, meeting.updated_at, party_name, facts.expected,
                             facts.present, missing)


def _write_children(session: Session, meeting: Meeting, data: MeetingInput, roster: Roster) -> None:
    scope = {"party_org_id": meeting.party_org_id, "meeting_id": meeting.id}
    stored = stored_children(session, meeting.id)
    replace_rows(session, MeetingAttendance, ((row.values["member_id"], row) for row in stored[MeetingAttendance]),
                 ((a.member_id, _attendance_values(a, roster)) for a in data.attendance),
                 lambda values: MeetingAttendance(id=new_id(), **scope, **values))
    replace_rows(session, MeetingGuest, (((row.values["name"], row.values["role"]), row)
                                         for row in stored[MeetingGuest]),
                 (((g.name, g.role), {"name": g.name, "role": g.role, "unit": g.unit}) for g in data.guests),
                 lambda values: MeetingGuest(id=new_id(), **scope, **values))
    # 议题 pair in order, numbered on from the record's first position (a record kept with 1-based
    # positions is not renumbered when its agenda did not change)
    old_items = sorted(stored[AgendaItem], key=lambda row: row.values["position"])
    base = old_items[0].values["position"] if old_items else 0
    items = replace_rows(session, AgendaItem, enumerate(old_items),
                         ((i, {"position": base + i, "title": item.title}) for i, item in enumerate(data.agenda)),
                         lambda values: AgendaItem(id=new_id(), **scope, **values))
    _write_votes(session, scope, stored[Vote], stored[VoteCandidate], list(zip(items, data.agenda, strict=True)))
    owner = {"owner_entity": "meeting", "owner_id": meeting.id}
    replace_rows(session, PartyAttachment, (((row.values["sha256"], row.values["filename"]), row)
                                            for row in stored[PartyAttachment]),
                 (((a.sha256, a.filename), _attachment_values(a)) for a in data.attachments),
                 lambda values: PartyAttachment(id=new_id(), party_org_id=meeting.party_org_id, **owner, **values))


def _attendance_values(entry: AttendanceInput, roster: Roster) -> dict[str, Any]:
    member = roster.member(entry.member_id)
    assert member is not None  # checked by _structural_problems
    observer = entry.status is AttendanceStatus.OBSERVER
    return {"member_id": entry.member_id, "status": entry.status, "absence_reason": entry.reason,
            "had_vote": member.has_vote and not observer,
            "vote_note": OBSERVER_NOTE if observer else member.vote_note, "review_grade": entry.review_grade}


def _attachment_values(a: AttachmentInput) -> dict[str, Any]:
    return {"sha256": a.sha256, "filename": a.filename, "size": a.size, "mime_type": a.mime_type,
            "caption": a.caption}


def _write_votes(session: Session, scope: dict[str, str], old_votes: list[StoredRow],
                 old_candidates: list[StoredRow], items: list[tuple[str, AgendaInput]]) -> None:
    ordinal: dict[str | None, int] = {}
    existing = []
    for vote in old_votes:
        item_id = vote.values["agenda_item_id"]
        n = ordinal[item_id] = ordinal.get(item_id, -1) + 1
        existing.append(((item_id, n), vote))
    wanted = [((item_id, n), _vote_values(item_id, vote)) for item_id, item in items
              for n, vote in enumerate(item.votes)]
    votes = replace_rows(session, Vote, existing, wanted, lambda values: Vote(id=new_id(), **scope, **values))
    flat = [vote for _item_id, item in items for vote in item.votes]
    seen: dict[str, int] = {}
    keyed = []
    for candidate in old_candidates:
        vote_id = candidate.values["vote_id"]
        n = seen[vote_id] = seen.get(vote_id, -1) + 1
        keyed.append(((vote_id, n), candidate))
    wanted_candidates = [((vote_id, n), _candidate_values(vote_id, c))
                         for vote_id, vote in zip(votes, flat, strict=True)
                         for n, c in enumerate(vote.candidates if vote.kind is VoteKind.ELECTION else ())]
    replace_rows(session, VoteCandidate, keyed, wanted_candidates,
                 lambda values: VoteCandidate(id=new_id(), party_org_id=scope["party_org_id"], **values))


def _vote_values(agenda_item_id: str, vote: VoteInput) -> dict[str, Any]:
    return {"agenda_item_id": agenda_item_id, "kind": vote.kind, "subject_member_id": vote.subject_member_id,
            "motion": vote.motion.strip(), "yes": vote.yes, "no": vote.no, "abstain": vote.abstain,
            "written_yes": vote.written_yes}


def _candidate_values(vote_id: str, candidate: CandidateInput) -> dict[str, Any]:
    return {"vote_id": vote_id, "member_id": candidate.member_id, "name": candidate.name.strip(),
            "yes_votes": candidate.yes_votes}


# -- load, list, delete ------------------------------------------------------------------------------


def _input_of(meeting: Meeting, stored: dict[type[SyncColumns], list[StoredRow]]) -> MeetingInput:
    """The form's input of a meeting and its live child rows as stored."""
    items = sorted(stored[AgendaItem], key=lambda row: row.values["position"])
    votes, candidates = stored[Vote], stored[VoteCandidate]
    agenda = tuple(AgendaInput(item.values["title"], tuple(
        VoteInput(v["kind"], v["motion"], v["subject_member_id"], v["yes"], v["no"], v["abstain"], v["written_yes"],
                  tuple(CandidateInput(c.values["name"], c.values["yes_votes"], c.values["member_id"])
                        for c in candidates if c.values["vote_id"] == vote.id))
        for vote in votes if (v := vote.values)["agenda_item_id"] == item.id)) for item in items)
    return MeetingInput(
        kind=meeting.kind, party_org_id=meeting.party_org_id, started_at=meeting.started_at,
        ended_at=meeting.ended_at, **{name: getattr(meeting, name) for name in _TEXTS},
        lecture_hours=meeting.lecture_hours, party_group_id=meeting.party_group_id, agenda=agenda,
        attendance=tuple(AttendanceInput(a["member_id"], a["status"], a["absence_reason"], a["review_grade"])
                         for a in (row.values for row in stored[MeetingAttendance])),
        guests=tuple(GuestInput(g["name"], g["role"], g["unit"]) for g in (row.values for row in stored[MeetingGuest])),
        attachments=tuple(AttachmentInput(f["sha256"], f["filename"], f["size"], f["mime_type"], f["caption"])
                          for f in (row.values for row in stored[PartyAttachment])))


def load_meeting(factory: sessionmaker[Session], meeting_id: str) -> MeetingDetail:
    """One meeting as the form shows it, with 应到 / 实到 from its stored snapshots and what it lacks."""
    with factory() as session:
        meeting = _load(session, meeting_id)
        party_name = party_org_name(session, meeting.party_org_id)
        children = stored_children(session, meeting.id)
        data = _input_of(meeting, children)
        roster = roster_in(session, meeting.party_org_id, meeting.started_at.date())
        snapshots = {a.values["member_id"]: a.values["had_vote"] for a in children[MeetingAttendance]}
        stored = dataclasses.replace(roster, members=tuple(
            dataclasses.replace(m, has_vote=snapshots.get(m.id, m.has_vote)) for m in roster.members))
        facts = record_facts(data, stored)
        return MeetingDetail(meeting.id, data, meeting.status, meeting.updated_at, party_name, facts.expected,
                             facts.present, record_missing_items(facts, now=clock.civil_now()))


def list_meetings(factory: sessionmaker[Session], *, party_org_id: str | None = None, kind: MeetingKind | None = None,
                  period: Period | None = None, status: MeetingStatus | None = None, text: str | None = None,
                  limit: int = LIST_LIMIT) -> MeetingList:
    """Live meetings matching every filter given, newest first (at most ``limit``, with the total).
    ``period`` is a civil month / quarter / year; ``text`` matches 议题, 地点, 主持人, 讲课人 or the 党组织."""
    conditions: list[ColumnElement[bool]] = [Meeting.deleted_at.is_(None)]
    if party_org_id:
        conditions.append(Meeting.party_org_id == party_org_id)
    if kind is not None:
        conditions.append(Meeting.kind == kind)
    if status is not None:
        conditions.append(Meeting.status == status)
    if period is not None:
        conditions += [Meeting.started_at >= _midnight(period.first),
                       Meeting.started_at < _midnight(period.last + timedelta(days=1))]
    if text and text.strip():
        like = f"%{text.strip()}%"
        conditions.append(or_(Meeting.topic.like(like), Meeting.location.like(like), Meeting.host_name.like(like),
                              Meeting.lecturer.like(like), PartyOrg.name.like(like)))
    joined = select(Meeting, PartyOrg.name).join(PartyOrg, PartyOrg.id == Meeting.party_org_id).where(and_(*conditions))
    with factory() as session:
        total = session.execute(select(func.count()).select_from(joined.subquery())).scalar_one()
        found = session.execute(joined.order_by(Meeting.started_at.desc(), Meeting.id.desc()).limit(limit)).all()
        counts = _counts(session, [m.id for m, _name in found])
        rows = tuple(MeetingRow(m.id, m.party_org_id, name, m.kind, m.status, m.started_at, m.topic, m.location,
                                *counts.get(m.id, (0, 0))) for m, name in found)
        return MeetingList(rows, total, limit)


def _midnight(day: date) -> datetime:
    """The civil (naive, district-local) start of ``day``, as meeting times are stored."""
    return datetime.combine(day, time())


def _counts(session: Session, meeting_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(应到, 实到) per meeting from the attendance snapshots."""
    voting = and_(MeetingAttendance.had_vote.is_(True), MeetingAttendance.status != AttendanceStatus.OBSERVER)
    counts: dict[str, tuple[int, int]] = {}
    for start in range(0, len(meeting_ids), 500):
        rows = session.execute(
            select(MeetingAttendance.meeting_id, func.sum(case((voting, 1), else_=0)),
                   func.sum(case((and_(voting, MeetingAttendance.status == AttendanceStatus.PRESENT), 1), else_=0)))
            .where(MeetingAttendance.meeting_id.in_(meeting_ids[start:start + 500]),
                   MeetingAttendance.deleted_at.is_(None))
            .group_by(MeetingAttendance.meeting_id))
        counts.update({mid: (int(expected or 0), int(present or 0)) for mid, expected, present in rows})
    return counts


def delete_meeting(factory: sessionmaker[Session], meeting_id: str, *, actor: str) -> str:
    """Delete a meeting and everything hanging off it (tombstones the server learns of).  Returns the
    meeting's 党组织 id."""
    with factory.begin() as session:
        set_actor(session, actor)
        meeting = _load(session, meeting_id)
        now = clock.now()
        ids = [meeting.id]
        votes = live_children(session, Vote, "meeting_id", ids)
        children: list[Any] = [*votes, *live_children(session, VoteCandidate, "vote_id", [v.id for v in votes])]
        for model in (MeetingAttendance, MeetingGuest, AgendaItem):
            children += live_children(session, model, "meeting_id", ids)
        children += live_children(session, PartyAttachment, "owner_id", ids)
        for row in (*children, meeting):
            row.deleted_at = now
        session.add(AuditLog(actor=actor, action="delete", entity="meeting", record_id=meeting.id,
                             summary=f"{meeting.started_at:%Y-%m-%d} {meeting.kind.label}"))
        session.flush()
        return meeting.party_org_id
