"""应到 / 实到 and vote outcomes (DESIGN §2.1): worked examples at every boundary, and properties."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.policy import Policy
from app.domain.votes import committee_quorum, quorum
from app.services.meetings import vote_outcome


def test_the_issue_example_word_for_word() -> None:
    outcome = vote_outcome(9, 5, 4)
    assert (outcome.may_vote, outcome.passed) == (True, False)
    assert outcome.explanation == ("应到有表决权党员 9 人，实到 5 人，超过半数，可以表决；"
                                   "赞成 4 票，未超过应到半数，未通过")


def test_exactly_half_present_may_not_vote() -> None:
    outcome = vote_outcome(8, 4, 4)
    assert (outcome.may_vote, outcome.passed) == (False, False)
    assert outcome.explanation == "应到有表决权党员 8 人，实到 4 人，未超过半数，不能表决"
    assert vote_outcome(8, 5, 5).may_vote
    assert quorum(8, 4).needed == 5


def test_yes_votes_equal_to_half_of_expected_do_not_pass() -> None:
    assert not vote_outcome(8, 6, 4).passed
    passed = vote_outcome(8, 6, 5)
    assert passed.passed and passed.yes_needed == 5
    assert passed.explanation == "应到有表决权党员 8 人，实到 6 人，超过半数，可以表决；赞成 5 票，超过应到半数，通过"


def test_half_of_expected_not_of_present() -> None:
    """4 of 5 present is a clear majority of 实到, but not more than half of 应到 9."""
    assert not vote_outcome(9, 5, 4).passed
    assert vote_outcome(9, 5, 5).passed


def test_an_election_at_exactly_four_fifths_may_not_elect() -> None:
    outcome = vote_outcome(10, 8, 8, election=True)
    assert (outcome.may_vote, outcome.passed) == (False, False)
    assert outcome.explanation == "应到有选举权党员 10 人，实到 8 人，未超过五分之四，不能选举"
    assert not vote_outcome(5, 4, 4, election=True).may_vote
    elected = vote_outcome(10, 9, 6, election=True)
    assert elected.passed
    assert elected.explanation == ("应到有选举权党员 10 人，实到 9 人，超过五分之四，可以选举；赞成 6 票，"
                                   "超过应到半数，当选")


def test_an_election_needs_more_than_half_of_expected_for_a_candidate() -> None:
    outcome = vote_outcome(10, 9, 5, election=True)
    assert outcome.may_vote and not outcome.passed
    assert outcome.explanation.endswith("赞成 5 票，未超过应到半数，未当选")


def test_written_opinions_count_in_the_tally_of_an_admission_vote() -> None:
    outcome = vote_outcome(9, 5, 4, written_yes=1)
    assert outcome.passed and outcome.yes_total == 5
    assert outcome.explanation == ("应到有表决权党员 9 人，实到 5 人，超过半数，可以表决；赞成 4 票"
                                   "（另有书面赞成意见 1 份，合计 5 票），超过应到半数，通过")


def test_written_opinions_never_make_a_quorum() -> None:
    outcome = vote_outcome(9, 4, 4, written_yes=5)
    assert not outcome.may_vote and not outcome.passed


@pytest.mark.parametrize(("args", "kwargs", "message"), [
    ((5, 6, 0), {}, "实到 6 人多于应到 5 人"),
    ((9, 5, 6), {}, "赞成 6 票多于实到 5 人"),
    ((-1, 0, 0), {}, "应到人数不能为负数（填写的是 -1）"),
    ((9, -2, 0), {}, "实到人数不能为负数（填写的是 -2）"),
    ((9, 5, -3), {}, "赞成票数不能为负数（填写的是 -3）"),
    ((9, 5, 4), {"written_yes": 5}, "书面赞成意见 5 份多于未到会的有表决权党员 4 人"),
    ((9, 5, 4), {"written_yes": -1}, "书面赞成意见数不能为负数"),
    ((10, 9, 4), {"election": True, "written_yes": 1}, "选举只计到会党员的选票，不计书面意见"),
])
def test_impossible_counts_are_refused_with_the_numbers(args: tuple[int, int, int], kwargs: dict[str, object],
                                                        message: str) -> None:
    with pytest.raises(ValueError, match=message):
        vote_outcome(*args, **kwargs)


def test_nobody_with_a_vote_means_no_vote() -> None:
    outcome = vote_outcome(0, 0, 0)
    assert not outcome.may_vote
    assert outcome.explanation == "应到有表决权党员 0 人，实到 0 人，未超过半数，不能表决"


def test_committee_meeting_needs_more_than_half_of_the_committee() -> None:
    assert committee_quorum(5, 3).reached
    half = committee_quorum(4, 2)
    assert not half.reached and half.needed == 3
    assert half.explanation == "支部委员会委员 4 人，到会 2 人，未超过半数，会议无效"
    assert committee_quorum(5, 3).explanation == "支部委员会委员 5 人，到会 3 人，超过半数，会议有效"
    with pytest.raises(ValueError, match="到会委员 6 人多于支委会委员 5 人"):
        committee_quorum(5, 6)


def test_thresholds_come_from_the_policy() -> None:
    strict = Policy(quorum=Fraction(2, 3), pass_share=Fraction(2, 3))
    outcome = vote_outcome(9, 6, 6, policy=strict)
    assert not outcome.may_vote
    assert outcome.explanation == "应到有表决权党员 9 人，实到 6 人，未超过三分之二，不能表决"
    assert vote_outcome(9, 7, 7, policy=strict).explanation.endswith("赞成 7 票，超过应到三分之二，通过")


counts = st.integers(min_value=-2, max_value=60)


@given(counts, counts, counts, st.booleans())
def test_value_error_exactly_on_impossible_counts(expected: int, present: int, yes: int, election: bool) -> None:
    impossible = min(expected, present, yes) < 0 or present > expected or yes > present
    try:
        vote_outcome(expected, present, yes, election=election)
    except ValueError:
        assert impossible
    else:
        assert not impossible


@st.composite
def possible(draw: st.DrawFn) -> tuple[int, int, int, int]:
    expected = draw(st.integers(0, 80))
    present = draw(st.integers(0, expected))
    yes = draw(st.integers(0, present))
    written = draw(st.integers(0, expected - present))
    return expected, present, yes, written


@given(possible())
def test_ordinary_votes_follow_the_rule_and_passing_implies_a_quorum(counts: tuple[int, int, int, int]) -> None:
    expected, present, yes, written = counts
    outcome = vote_outcome(expected, present, yes, written_yes=written)
    assert outcome.may_vote == (2 * present > expected)
    assert outcome.passed == (outcome.may_vote and 2 * (yes + written) > expected)
    assert not outcome.passed or outcome.may_vote
    assert outcome.explanation.startswith(f"应到有表决权党员 {expected} 人，实到 {present} 人，")


@given(possible(), st.booleans())
def test_more_yes_votes_never_undo_a_pass(counts: tuple[int, int, int, int], election: bool) -> None:
    expected, present, yes, _ = counts
    if yes < present and vote_outcome(expected, present, yes, election=election).passed:
        assert vote_outcome(expected, present, yes + 1, election=election).passed


@given(possible())
def test_elections_need_more_than_four_fifths(counts: tuple[int, int, int, int]) -> None:
    expected, present, yes, _ = counts
    outcome = vote_outcome(expected, present, yes, election=True)
    assert outcome.may_vote == (5 * present > 4 * expected)
    assert not outcome.passed or outcome.may_vote
