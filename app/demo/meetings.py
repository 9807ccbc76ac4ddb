"""Demo 三会一课 of one branch over the history window, with attendance, agenda items and votes.

Frequencies follow DESIGN §2 (支委会 and 主题党日 monthly, 党员大会 and 党课 quarterly, 组织生活会 and 民主评议
yearly in January for the year before, 党小组会 monthly where a branch has groups); each branch has a
diligence, so some months are missed and the compliance views have something to show.  Votes follow
the rules: held only when more than half of 应到 with a vote are present, passed by more than half of 应到;
an election needs more than 4/5 present.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.demo import texts as T
from app.demo.base import DemoContext, Row, add_months
from app.demo.party import BranchInfo, MemberInfo
from app.domain.enums import AttendanceStatus, MeetingKind, ReviewGrade
from app.models import AgendaItem, Meeting, MeetingAttendance, Vote, new_id

K = MeetingKind
HOURS = {K.THEME_DAY: (9, 14, 15), K.COMMITTEE_MEETING: (9, 14, 16), K.GENERAL_MEETING: (14, 15, 19),
         K.GROUP_MEETING: (12, 19), K.PARTY_LECTURE: (9, 14, 15), K.LIFE_MEETING: (9, 14),
         K.DEMOCRATIC_REVIEW: (9, 14), K.HEART_TO_HEART: (10, 16)}
INCOMPLETE_RATE = 0.03  # records lacking 记录人 or 决议, for the completeness checks to find


def emit_meetings(ctx: DemoContext, branch: BranchInfo) -> None:
    """Every meeting of ``branch`` in the window (none when the window is empty)."""
    rng = ctx.rng
    diligence = rng.uniform(0.6, 0.95) if rng.random() < 0.25 else rng.uniform(0.93, 1.0)
    run = _BranchMeetings(ctx, branch, rng.uniform(0.75, 0.97))
    start = max(ctx.window_start, branch.established_on)
    general_at, lecture_at = rng.randint(0, 2), rng.randint(0, 2)
    for month in ctx.months():
        last = min(add_months(month, 1) - timedelta(days=1), ctx.today)
        if last < start:
            continue
        offset = (month.month - 1) % 3
        if offset == 0:
            general_at, lecture_at = rng.randint(0, 2), rng.randint(0, 2)
        first = max(month, start)
        if first <= branch.term_started_on <= last:
            run.meeting(K.GENERAL_MEETING, branch.term_started_on, election=True)
        plan = [(K.THEME_DAY, rng.random() < diligence),
                (K.COMMITTEE_MEETING, branch.has_committee and rng.random() < diligence),
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
                run.meeting(K.GROUP_MEETING, ctx.date_between(first, last), group=group)


class _BranchMeetings:
    def __init__(self, ctx: DemoContext, branch: BranchInfo, attendance: float) -> None:
        self.ctx, self.rng, self.branch, self.attendance = ctx, ctx.rng, branch, attendance

    def _roster(self, kind: MeetingKind, day: date, group: str) -> list[MemberInfo]:
        branch = self.branch
        if kind is K.COMMITTEE_MEETING:
            members = branch.committee
        elif kind is K.GROUP_MEETING:
            members = [m for m in branch.members if m.group == group]
        else:
            members = branch.members
        roster = [m for m in members if m.joined_on <= day]
        if kind is K.HEART_TO_HEART:
            others = [m for m in roster if m.role != "书记"]
            roster = [branch.secretary, *self.rng.sample(others, min(len(others), self.rng.randint(1, 2)))]
        return roster

    def _present(self, kind: MeetingKind, roster: list[MemberInfo], day: date, election: bool) -> set[str]:
        rng = self.rng
        if kind is K.HEART_TO_HEART:  # a talk takes place with the people in it
            return {m.id for m in roster}
        present = {m.id for m in roster if m.role == "书记" or rng.random() < self.attendance}
        absent = [m for m in roster if m.id not in present]
        if election:  # more than 4/5 of those with a vote must be present
            voters = [m for m in roster if m.has_vote_on(day)]
            while absent and 5 * sum(1 for m in voters if m.id in present) <= 4 * len(voters):
                present.add(absent.pop().id)
        elif kind in (K.GENERAL_MEETING, K.COMMITTEE_MEETING) and rng.random() < 0.97:
            while absent and 2 * len(present) <= len(roster):
                present.add(absent.pop().id)
        return present

    def meeting(self, kind: MeetingKind, day: date, *, group: str = "", election: bool = False) -> None:
        ctx, rng, branch = self.ctx, self.rng, self.branch
        roster = self._roster(kind, day, group)
        if len(roster) < 2:
            return
        present = self._present(kind, roster, day, election)
        meeting_id = new_id()
        host = branch.secretary if kind is not K.GROUP_MEETING else roster[0]
        helpers = [m for m in roster if m.id in present and m.id != host.id]
        recorder = rng.choice(helpers).name if helpers else host.name
        topic = self._topic(kind, day, election)
        started = ctx.at(day, *HOURS[kind])
        quorate = 2 * len(present) > len(roster)
        row: Row = {
            "id": meeting_id, "party_org_id": branch.id, "kind": kind, "topic": topic,
            "started_at": started, "ended_at": started + timedelta(minutes=rng.choice((60, 90, 90, 120, 150))),
            "location": rng.choice(T.LOCATIONS).format(org=branch.lead_name, community=branch.community),
            "host_name": host.name, "recorder_name": "" if rng.random() < INCOMPLETE_RATE else recorder,
            "expected_count": len(roster), "present_count": len(present), "party_group": group,
            "is_election": election, "minutes": T.MINUTES.format(host=host.name, expected=len(roster),
                                                                 present=len(present), topic=topic),
        }
        if kind is K.PARTY_LECTURE:
            row["lecturer"] = host.name if rng.random() < 0.7 else rng.choice(T.OUTSIDE_LECTURERS) + ctx.person()[0]
            row["lecture_hours"] = rng.choice((1.0, 1.5, 2.0))
        if kind in (K.GENERAL_MEETING, K.COMMITTEE_MEETING) and rng.random() >= INCOMPLETE_RATE:
            row["decisions"] = T.DECISION.format(topic=topic) if quorate else "到会人数未超过半数，本次会议不作决议。"
        ctx.writer.add(Meeting, row)
        last_item = self._agenda(kind, meeting_id, election)
        self._attendance(kind, meeting_id, roster, present, day)
        if quorate and (election or rng.random() < {K.GENERAL_MEETING: 0.35, K.COMMITTEE_MEETING: 0.2}.get(kind, 0)):
            self._vote(kind, meeting_id, last_item, roster, present, day, election)

    def _topic(self, kind: MeetingKind, day: date, election: bool) -> str:
        if election:
            return T.ELECTION_MOTION
        if kind in (K.LIFE_MEETING, K.DEMOCRATIC_REVIEW):
            return f"{day.year - 1}{self.rng.choice(T.TOPICS[kind])}"
        return self.rng.choice(T.TOPICS[kind])

    def _agenda(self, kind: MeetingKind, meeting_id: str, election: bool) -> str:
        options = T.AGENDA[kind]
        chosen = [T.ELECTION_MOTION] if election else [
            options[i] for i in sorted(self.rng.sample(range(len(options)), self.rng.randint(1, min(3, len(options)))))
        ]
        item_id = ""
        for position, title in enumerate(chosen, start=1):
            item_id = new_id()
            self.ctx.writer.add(AgendaItem, {"id": item_id, "party_org_id": self.branch.id, "meeting_id": meeting_id,
                                             "position": position, "title": title})
        return item_id

    def _attendance(self, kind: MeetingKind, meeting_id: str, roster: list[MemberInfo], present: set[str],
                    day: date) -> None:
        rng = self.rng
        grades: dict[str, ReviewGrade] = {}
        if kind is K.DEMOCRATIC_REVIEW:  # 预备党员 are not graded; 优秀 at most a third
            graded = [m for m in roster if m.full_on is not None and m.full_on <= day]
            excellent = {m.id for m in rng.sample(graded, rng.randint(0, len(graded) // 3))}
            for m in graded:
                grades[m.id] = (ReviewGrade.EXCELLENT if m.id in excellent else
                                ReviewGrade.BASICALLY_QUALIFIED if rng.random() < 0.03 else ReviewGrade.QUALIFIED)
        for m in roster:
            here = m.id in present
            self.ctx.writer.add(MeetingAttendance, {
                "id": new_id(), "party_org_id": self.branch.id, "meeting_id": meeting_id, "member_id": m.id,
                "status": AttendanceStatus.PRESENT if here else AttendanceStatus.ABSENT,
                "absence_reason": "" if here else rng.choice(T.ABSENCE_REASONS), "review_grade": grades.get(m.id),
            })

    def _vote(self, kind: MeetingKind, meeting_id: str, item_id: str, roster: list[MemberInfo], present: set[str],
              day: date, election: bool) -> None:
        rng = self.rng
        voters = roster if kind is K.COMMITTEE_MEETING else [m for m in roster if m.has_vote_on(day)]
        eligible = len(voters)
        attending = sum(1 for m in voters if m.id in present)
        if eligible == 0 or 2 * attending <= eligible:
            return
        motions = T.COMMITTEE_MOTIONS if kind is K.COMMITTEE_MEETING else T.GENERAL_MOTIONS
        motion = T.ELECTION_MOTION if election else rng.choice(motions).format(name=self.ctx.person()[0])
        no, abstain = rng.choice((0, 0, 0, 1)), rng.choice((0, 0, 1))
        if 2 * (attending - no - abstain) <= eligible:
            no = abstain = 0
        self.ctx.writer.add(Vote, {
            "id": new_id(), "party_org_id": self.branch.id, "meeting_id": meeting_id, "agenda_item_id": item_id or None,
            "motion": motion, "eligible": eligible, "present": attending, "yes": attending - no - abstain, "no": no,
            "abstain": abstain,
        })
