"""Demo votes of a meeting, valid by the rules (DESIGN §2.1, app.domain.votes).

应到 / 实到 come from the meeting's attendance rows (their voting-right snapshots), as the app counts them.
A 决议 / 接收 / 转正 vote is held only when more than half of 应到 is present and passes with more than half
of 应到 (for 接收 / 转正 with the written opinions of voters on leave); an election needs more than 4/5 of
应到 present, and its candidates (the new committee, plus one more where seats allow a 差额) are elected
with more than half of 应到.  At a 支委会 the committee members count.
"""

from __future__ import annotations

from datetime import date

from app.demo import texts as T
from app.demo.base import DemoContext, Row
from app.demo.party_members import BranchInfo, MemberInfo
from app.domain.enums import AttendanceStatus, VoteKind
from app.models import Vote, VoteCandidate, new_id

A = AttendanceStatus


class VoteMaker:
    def __init__(self, ctx: DemoContext, branch: BranchInfo) -> None:
        self.ctx, self.rng, self.branch = ctx, ctx.rng, branch

    def emit(self, kind: VoteKind, meeting_id: str, item_id: str, day: date, rows: list[Row],
             subject: MemberInfo | None, *, committee: bool = False) -> None:
        rng = self.rng
        if committee:
            counted = [r for r in rows if r["status"] is not A.OBSERVER]
        else:
            counted = [r for r in rows if r["had_vote"]]
        expected = len(counted)
        present = sum(1 for r in counted if r["status"] is A.PRESENT)
        share = (4, 5) if kind is VoteKind.ELECTION else (1, 2)
        if expected == 0 or share[1] * present <= share[0] * expected:
            return
        vote: Row = {"id": new_id(), "party_org_id": self.branch.id, "meeting_id": meeting_id,
                     "agenda_item_id": item_id or None, "kind": kind,
                     "subject_member_id": subject.id if subject else None}
        if kind is VoteKind.ELECTION:
            self._election(vote, day, expected, present)
            return
        if kind in (VoteKind.ADMIT, VoteKind.CONFIRM) and subject is not None:
            vote["motion"] = (T.ADMIT_MOTION if kind is VoteKind.ADMIT else T.CONFIRM_MOTION).format(name=subject.name)
            on_leave = sum(1 for r in counted if r["status"] is A.LEAVE)
            vote["written_yes"] = rng.randint(0, on_leave)
        else:
            motions = T.COMMITTEE_MOTIONS if committee else T.GENERAL_MOTIONS
            vote["motion"] = rng.choice(motions).format(name=self.ctx.person()[0])
        no, abstain = rng.choice((0, 0, 0, 1)), rng.choice((0, 0, 1))
        if 2 * (present - no - abstain + vote.get("written_yes", 0)) <= expected:
            no = abstain = 0
        vote.update(yes=present - no - abstain, no=no, abstain=abstain)
        self.ctx.writer.add(Vote, vote)

    def _election(self, vote: Row, day: date, expected: int, present: int) -> None:
        rng, branch = self.rng, self.branch
        term = branch.term_on(day)
        seats = [m for m, _ in term.committee] if term is not None and term.started == day else []
        if not seats:
            return
        vote["motion"] = T.ELECTION_MOTION if len(seats) >= 3 else "选举产生新一届支部书记"
        self.ctx.writer.add(Vote, vote)
        needed = expected // 2 + 1  # more than half of 应到
        for m in seats:
            self._candidate(vote["id"], m, rng.randint(needed, present))
        others = [m for m in branch.members if m.has_vote_on(day) and m not in seats]
        if len(seats) >= 3 and others:  # 差额选举: one candidate more than seats, not elected
            self._candidate(vote["id"], rng.choice(others), rng.randint(0, min(needed - 1, present)))

    def _candidate(self, vote_id: str, member: MemberInfo, yes_votes: int) -> None:
        self.ctx.writer.add(VoteCandidate, {"id": new_id(), "party_org_id": self.branch.id, "vote_id": vote_id,
                                            "member_id": member.id, "name": member.name, "yes_votes": yes_votes})
