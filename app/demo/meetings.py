"""Demo 三会一课 of one branch over the history window, with attendance, guests, agenda items and votes.

Frequencies follow DESIGN §2 (支委会 and 主题党日 monthly, 党员大会 and 党课 quarterly, 组织生活会 and 民主评议
yearly in January for the year before, 党小组会 monthly where a branch has groups); each branch has a
diligence, so some months are missed and the compliance views have something to show.  Attendance rows
are 出席 / 请假 / 缺席 (with reasons) or 列席, each with the member's voting right on the meeting's day
from their dated record; 应到 / 实到 are never stored.  Votes follow the rules (app.demo.meeting_votes):
an election at each 换届 with its candidates, 接收预备党员 on a member's joining day and 转正 a year later
with written opinions of voters on leave, other motions; each held only where the quorum holds.  Meetings
of the last two weeks are sometimes still 草稿.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.demo import texts as T
from app.demo.base import DemoContext, Row, add_months
from app.demo.meeting_votes import VoteMaker
from app.demo.party_members import BranchInfo, MemberInfo
from app.domain.enums import AttendanceStatus, GuestRole, MeetingKind, MeetingStatus, ReviewGrade, VoteKind
from app.domain.voting_rights import voting_right
from app.models import AgendaItem, Meeting, MeetingAttendance, MeetingGuest, new_id
from app.services.meetings.attendance import OBSERVER_NOTE

K = MeetingKind
A = AttendanceStatus
HOURS = {K.THEME_DAY: (9, 14, 15), K.COMMITTEE_MEETING: (9, 14, 16), K.GENERAL_MEETING: (14, 15, 19),
         K.GROUP_MEETING: (12, 19), K.PARTY_LECTURE: (9, 14, 15), K.LIFE_MEETING: (9, 14),
         K.DEMOCRATIC_REVIEW: (9, 14), K.HEART_TO_HEART: (10, 16)}
INCOMPLETE_RATE = 0.03  # records lacking 记录人 or 决议, for the completeness checks to find
DRAFT_DAYS, DRAFT_RATE = 14, 0.4  # a meeting of the last two weeks is still a 草稿 this often


def emit_meetings(ctx: DemoContext, branch: BranchInfo) -> None:
    """Every meeting of ``branch`` in the window (none when the window is empty)."""
    rng = ctx.rng
    diligence = rng.uniform(0.6, 0.95) if rng.random() < 0.25 else rng.uniform(0.93, 1.0)
    run = _BranchMeetings(ctx, branch, rng.uniform(0.75, 0.97))
    start = max(ctx.window_start, branch.established_on)
    general_at, lecture_at = rng.randint(0, 2), rng.randint(0, 2)
    for month in ctx.months():
        last = min(add_months(month, 1) - timedelta(days=1), ctx.today - timedelta(days=1))  # held, not ahead
        if last < start:
            continue
        offset = (month.month - 1) % 3
        if offset == 0:
            general_at, lecture_at = rng.randint(0, 2), rng.randint(0, 2)
        first = max(month, start)
        for term in branch.terms:
            if first <= term.started <= last:
                run.meeting(K.GENERAL_MEETING, term.started, vote=VoteKind.ELECTION)
        for m in branch.members:  # 接收 and 转正 of members who joined this branch
            if m.joined_on > branch.established_on and first <= m.joined_on <= last:
                run.meeting(K.GENERAL_MEETING, m.joined_on, vote=VoteKind.ADMIT, subject=m)
            if m.full_on and m.joined_on > branch.established_on and first <= m.full_on <= last:
                run.meeting(K.GENERAL_MEETING, m.full_on, vote=VoteKind.CONFIRM, subject=m)
        plan = [(K.THEME_DAY, rng.random() < diligence),
                (K.COMMITTEE_MEETING, rng.random() < diligence),
                (K.GENERAL_MEETING, offset == general_at and rng.random() < diligence + 0.05),
                (K.PARTY_LECTURE, offset == lecture_at and rng.random() < diligence + 0.05),
                (K.LIFE_MEETING, month.month == 1 and rng.random() < 0.95),
                (K.DEMOCRATIC_REVIEW, month.month == 1 and rng.random() < 0.95),
                (K.HEART_TO_HEART, month.month == 12 and rng.random() < 0.9)]
        for kind, held in plan:
            if held:
                run.meeting(kind, ctx.date_between(first, last))
        for group in branch.groups:
            if rng.random() < diligence * 0.9:
                run.meeting(K.GROUP_MEETING, ctx.date_between(first, last), group=group.id)


class _BranchMeetings:
    def __init__(self, ctx: DemoContext, branch: BranchInfo, attendance: float) -> None:
        self.ctx, self.rng, self.branch, self.attendance = ctx, ctx.rng, branch, attendance
        self.votes = VoteMaker(ctx, branch)

    def _roster(self, kind: MeetingKind, day: date, group: str) -> list[MemberInfo]:
        branch = self.branch
        if kind is K.COMMITTEE_MEETING:
            members = [m for m, _ in branch.committee_on(day)] if branch.has_committee_on(day) else []
        elif kind is K.GROUP_MEETING:
            members = [m for m in branch.members if m.group_id == group]
        else:
            members = branch.members
        roster = [m for m in members if m.member_on(day)]
        if kind is K.HEART_TO_HEART:
            secretary = branch.secretary_on(day)
            others = [m for m in roster if m is not secretary]
            roster = [secretary, *self.rng.sample(others, min(len(others), self.rng.randint(1, 2)))]
        return roster

    def _present(self, kind: MeetingKind, roster: list[MemberInfo], day: date, vote: VoteKind | None) -> set[str]:
        rng = self.rng
        if kind is K.HEART_TO_HEART:  # a talk takes place with the people in it
            return {m.id for m in roster}
        secretary = self.branch.secretary_on(day)
        present = {m.id for m in roster if m is secretary or rng.random() < self.attendance}
        absent = [m for m in roster if m.id not in present]
        voters = roster if kind is K.COMMITTEE_MEETING else [m for m in roster if m.has_vote_on(day)]
        share = (4, 5) if vote is VoteKind.ELECTION else (1, 2)
        if vote is not None or (kind in (K.GENERAL_MEETING, K.COMMITTEE_MEETING) and rng.random() < 0.97):
            absent_voters = [m for m in absent if m in voters]
            while absent_voters and share[1] * sum(1 for m in voters if m.id in present) <= share[0] * len(voters):
                present.add(absent_voters.pop().id)
        return present

    def meeting(self, kind: MeetingKind, day: date, *, group: str = "", vote: VoteKind | None = None,
                subject: MemberInfo | None = None) -> None:
        ctx, rng, branch = self.ctx, self.rng, self.branch
        roster = self._roster(kind, day, group)
        if len(roster) < 2:
            return
        present = self._present(kind, roster, day, vote)
        meeting_id = new_id()
        host = branch.secretary_on(day) if kind is not K.GROUP_MEETING else roster[0]
        helpers = [m for m in roster if m.id in present and m is not host]
        recorder = rng.choice(helpers).name if helpers else host.name
        topic = self._topic(kind, day, vote, subject)
        started = ctx.at(day, *HOURS[kind])
        rows = self._attendance(kind, meeting_id, roster, present, day)
        expected = sum(1 for r in rows if r["had_vote"])
        attending = sum(1 for r in rows if r["had_vote"] and r["status"] is A.PRESENT)
        if kind is K.COMMITTEE_MEETING:
            quorate = 2 * sum(1 for r in rows if r["status"] is A.PRESENT) > len(roster)
        else:
            quorate = expected > 0 and 2 * attending > expected
        recent = day > ctx.today - timedelta(days=DRAFT_DAYS)
        row: Row = {
            "id": meeting_id, "party_org_id": branch.id, "kind": kind, "topic": topic,
            "status": MeetingStatus.DRAFT if recent and rng.random() < DRAFT_RATE else MeetingStatus.DONE,
            "started_at": started, "ended_at": started + timedelta(minutes=rng.choice((60, 90, 90, 120, 150))),
            "location": rng.choice(T.LOCATIONS).format(org=branch.lead_name, community=branch.community),
            "host_name": host.name, "recorder_name": "" if rng.random() < INCOMPLETE_RATE else recorder,
            "party_group_id": group or None,
            "minutes": T.MINUTES.format(host=host.name, expected=expected, present=attending, topic=topic),
        }
        if kind is K.PARTY_LECTURE:
            row["lecturer"] = host.name
            row["lecture_hours"] = rng.choice((1.0, 1.5, 2.0))
            if rng.random() < 0.3:
                row["lecturer"] = self._guest(meeting_id, GuestRole.LECTURER, rng.choice(T.OUTSIDE_LECTURERS))
        if vote is VoteKind.ELECTION and rng.random() < 0.7:
            self._guest(meeting_id, GuestRole.SUPERIOR, branch.superior)
        if kind is K.THEME_DAY and rng.random() < 0.2:
            self._guest(meeting_id, GuestRole.OBSERVER, f"{branch.lead_name}入党积极分子")
        if kind in (K.GENERAL_MEETING, K.COMMITTEE_MEETING) and rng.random() >= INCOMPLETE_RATE:
            row["decisions"] = T.DECISION.format(topic=topic) if quorate else "到会人数未超过半数，本次会议不作决议。"
        ctx.writer.add(Meeting, row)
        for attendance in rows:
            ctx.writer.add(MeetingAttendance, attendance)
        last_item = self._agenda(kind, meeting_id, topic if vote else "")
        if not quorate:
            return
        if vote is not None:
            self.votes.emit(vote, meeting_id, last_item, day, rows, subject)
        elif rng.random() < {K.GENERAL_MEETING: 0.3, K.COMMITTEE_MEETING: 0.2}.get(kind, 0):
            self.votes.emit(VoteKind.RESOLUTION, meeting_id, last_item, day, rows, None,
                            committee=kind is K.COMMITTEE_MEETING)

    def _guest(self, meeting_id: str, role: GuestRole, unit: str) -> str:
        name = self.ctx.person()[0]
        self.ctx.writer.add(MeetingGuest, {"id": new_id(), "party_org_id": self.branch.id, "meeting_id": meeting_id,
                                           "name": name, "role": role, "unit": unit})
        return name

    def _topic(self, kind: MeetingKind, day: date, vote: VoteKind | None, subject: MemberInfo | None) -> str:
        if vote is VoteKind.ELECTION:
            return T.ELECTION_MOTION
        if vote is VoteKind.ADMIT and subject is not None:
            return T.ADMIT_MOTION.format(name=subject.name)
        if vote is VoteKind.CONFIRM and subject is not None:
            return T.CONFIRM_MOTION.format(name=subject.name)
        if kind in (K.LIFE_MEETING, K.DEMOCRATIC_REVIEW):
            return f"{day.year - 1}{self.rng.choice(T.TOPICS[kind])}"
        return self.rng.choice(T.TOPICS[kind])

    def _agenda(self, kind: MeetingKind, meeting_id: str, motion: str) -> str:
        options = T.AGENDA[kind]
        chosen = [motion] if motion else [
            options[i] for i in sorted(self.rng.sample(range(len(options)), self.rng.randint(1, min(3, len(options)))))
        ]
        item_id = ""
        for position, title in enumerate(chosen, start=1):
            item_id = new_id()
            self.ctx.writer.add(AgendaItem, {"id": item_id, "party_org_id": self.branch.id, "meeting_id": meeting_id,
                                             "position": position, "title": title})
        return item_id

    def _attendance(self, kind: MeetingKind, meeting_id: str, roster: list[MemberInfo], present: set[str],
                    day: date) -> list[Row]:
        rng, branch = self.rng, self.branch
        grades: dict[str, ReviewGrade] = {}
        if kind is K.DEMOCRATIC_REVIEW:  # 预备党员 are not graded; 优秀 at most a third
            graded = [m for m in roster if m.full_on is not None and m.full_on <= day]
            excellent = {m.id for m in rng.sample(graded, rng.randint(0, len(graded) // 3))}
            for m in graded:
                grades[m.id] = (ReviewGrade.EXCELLENT if m.id in excellent else
                                ReviewGrade.BASICALLY_QUALIFIED if rng.random() < 0.03 else ReviewGrade.QUALIFIED)
        rows: list[Row] = []
        for m in roster:
            right = voting_right(m.record, day)
            if m.id in present:
                status, reason = A.PRESENT, ""
            elif rng.random() < 0.75:
                status, reason = A.LEAVE, rng.choice(T.LEAVE_REASONS)
            else:
                status, reason = A.ABSENT, rng.choice(T.ABSENCE_REASONS)
            rows.append({"id": new_id(), "party_org_id": branch.id, "meeting_id": meeting_id, "member_id": m.id,
                         "status": status, "absence_reason": reason, "had_vote": right.has_vote,
                         "vote_note": right.reason, "review_grade": grades.get(m.id)})
        if kind is K.COMMITTEE_MEETING and rng.random() < 0.2:  # a 党小组长 or member sits in
            outside = [m for m in branch.members if m.member_on(day) and m not in roster]
            if outside:
                m = rng.choice(outside)
                rows.append({"id": new_id(), "party_org_id": branch.id, "meeting_id": meeting_id, "member_id": m.id,
                             "status": A.OBSERVER, "absence_reason": "", "had_vote": False,
                             "vote_note": OBSERVER_NOTE, "review_grade": None})
        return rows
