"""应到 / 实到, quorum and the outcome of a vote (DESIGN §2.1), computed live and explained in words.

支部党员大会: a vote may be held only when more than half of the members with a vote (应到) are present;
a motion passes when yes-votes exceed half of 应到 — not of 实到.  An election needs more than 4/5 of 应到
present, and a candidate is elected with yes-votes exceeding half of 应到 (中国共产党基层组织选举工作条例,
2020; the 1990 暂行条例 counted 实到, which old records may show).  For 接收预备党员 / 预备党员转正, the
written opinions of voting members who could not attend count in the tally (发展党员工作细则); an election
counts only the ballots cast at the meeting.  A 支委会 is valid when more than half of its members are
present.  Every share comes from the policy pack; "more than" is strict and exact (fractions, no floats).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from app.domain.policy import NATIONAL, Policy
from app.domain.wording import share_words

__all__ = ["Quorum", "VoteOutcome", "committee_quorum", "quorum", "vote_outcome"]

@dataclass(frozen=True)
class Quorum:
    """Whether enough are present: ``reached`` when ``present`` exceeds the share of ``expected``;
    ``needed`` is the smallest number present that is enough."""

    expected: int
    present: int
    reached: bool
    needed: int
    explanation: str


@dataclass(frozen=True)
class VoteOutcome:
    """The outcome of one vote (one motion, or one candidate of an election) and why, in Chinese."""

    expected_voters: int
    present_voters: int
    yes_votes: int  # cast at the meeting
    written_yes: int  # written opinions in favour from voting members who could not attend
    election: bool
    may_vote: bool
    passed: bool
    yes_needed: int  # the smallest tally that passes
    explanation: str

    @property
    def yes_total(self) -> int:
        return self.yes_votes + self.written_yes


def _more_than(share: Fraction, of: int) -> int:
    """The smallest whole number exceeding ``share`` × ``of``."""
    return math.floor(share * of) + 1


def _not_negative(**counts: int) -> None:
    names = {"expected_voters": "应到人数", "present_voters": "实到人数", "yes_votes": "赞成票数",
             "written_yes": "书面赞成意见数", "committee_size": "支委会委员人数", "present": "到会人数"}
    for key, value in counts.items():
        if value < 0:
            raise ValueError(f"{names[key]}不能为负数（填写的是 {value}），请核对")


def quorum(expected_voters: int, present_voters: int, *, election: bool = False,
           policy: Policy = NATIONAL) -> Quorum:
    """Whether a 支部党员大会 may vote (``election``: may elect) with these counts."""
    _not_negative(expected_voters=expected_voters, present_voters=present_voters)
    if present_voters > expected_voters:
        raise ValueError(f"实到 {present_voters} 人多于应到 {expected_voters} 人：实到只计到会的有表决权党员，"
                         "请核对签到")
    share = policy.election_quorum if election else policy.quorum
    needed = _more_than(share, expected_voters)
    reached = present_voters >= needed
    right, act = ("选举权", "选举") if election else ("表决权", "表决")
    verdict = f"超过{share_words(share)}，可以{act}" if reached else f"未超过{share_words(share)}，不能{act}"
    return Quorum(expected_voters, present_voters, reached, needed,
                  f"应到有{right}党员 {expected_voters} 人，实到 {present_voters} 人，{verdict}")


def vote_outcome(expected_voters: int, present_voters: int, yes_votes: int, *, election: bool = False,
                 written_yes: int = 0, policy: Policy = NATIONAL) -> VoteOutcome:
    """The outcome of a vote at a 支部党员大会, e.g. "应到有表决权党员 9 人，实到 5 人，超过半数，可以表决；
    赞成 4 票，未超过应到半数，未通过".

    ``written_yes``: written opinions in favour (接收预备党员 / 转正 only) from voting members who could not
    attend; they count in the tally, never toward the quorum.  Impossible counts raise ``ValueError``
    with a Chinese message naming the numbers."""
    _not_negative(yes_votes=yes_votes, written_yes=written_yes)
    present = quorum(expected_voters, present_voters, election=election, policy=policy)
    if yes_votes > present_voters:
        raise ValueError(f"赞成 {yes_votes} 票多于实到 {present_voters} 人，请核对计票")
    if election and written_yes:
        raise ValueError(f"选举只计到会党员的选票，不计书面意见（填写了 {written_yes} 份），请删去")
    absent = expected_voters - present_voters
    if written_yes > absent:
        raise ValueError(f"书面赞成意见 {written_yes} 份多于未到会的有表决权党员 {absent} 人，请核对")
    share = policy.election_pass_share if election else policy.pass_share
    yes_needed = _more_than(share, expected_voters)
    if not present.reached:
        return VoteOutcome(expected_voters, present_voters, yes_votes, written_yes, election, False, False,
                           yes_needed, present.explanation)
    passed = yes_votes + written_yes >= yes_needed
    tally = f"赞成 {yes_votes} 票"
    if written_yes:
        tally += f"（另有书面赞成意见 {written_yes} 份，合计 {yes_votes + written_yes} 票）"
    won, lost = ("当选", "未当选") if election else ("通过", "未通过")
    verdict = f"超过应到{share_words(share)}，{won}" if passed else f"未超过应到{share_words(share)}，{lost}"
    return VoteOutcome(expected_voters, present_voters, yes_votes, written_yes, election, True, passed,
                       yes_needed, f"{present.explanation}；{tally}，{verdict}")


def committee_quorum(committee_size: int, present: int, *, policy: Policy = NATIONAL) -> Quorum:
    """Whether a 支委会 is valid: more than half of its members present."""
    _not_negative(committee_size=committee_size, present=present)
    if present > committee_size:
        raise ValueError(f"到会委员 {present} 人多于支委会委员 {committee_size} 人，请核对")
    needed = _more_than(policy.committee_quorum, committee_size)
    reached = present >= needed
    words = share_words(policy.committee_quorum)
    verdict = f"超过{words}，会议有效" if reached else f"未超过{words}，会议无效"
    return Quorum(committee_size, present, reached, needed,
                  f"支部委员会委员 {committee_size} 人，到会 {present} 人，{verdict}")
